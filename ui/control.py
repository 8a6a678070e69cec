"""A control socket for demonstrations and end-to-end tests (``kiosk run --control PATH``).

JSON lines over a local socket (``QLocalServer``), one answer line per command. It
drives the EMULATED devices and taps the screen's own buttons, so a test exercises
the same paths a person does; it refuses to start unless every device is emulated
(never on a real terminal). Commands::

    {"cmd": "state"}                         -> {"ok": true, "screen": "attract"}
    {"cmd": "scan", "text": "KO1|..."}       the emulated scanner sends a code (pty)
    {"cmd": "card", "key": "male"}           an ID card on the emulated reader
    {"cmd": "paper", "state": "out"}         the emulated printer's paper (ok/near_end/out)
    {"cmd": "tap", "button": "primary"}      click a button of the current screen
    {"cmd": "lang", "lang": "en"}            switch the language
"""

from __future__ import annotations

import json
import logging
from typing import Any

from PySide6.QtCore import QObject
from PySide6.QtNetwork import QLocalServer, QLocalSocket

log = logging.getLogger("ui.control")


class ControlError(Exception):
    pass


class ControlServer(QObject):
    def __init__(self, gui: Any, path: str) -> None:
        super().__init__(gui.window)
        emulators = gui.devices.emulators
        if not all(vars(emulators).values()):
            raise ControlError("the control socket needs every device emulated")
        self.gui = gui
        self.server = QLocalServer(self)
        QLocalServer.removeServer(path)
        if not self.server.listen(path):
            raise ControlError(f"cannot listen on {path}: {self.server.errorString()}")
        self.server.newConnection.connect(self._accept)
        self._buffers: dict[QLocalSocket, bytes] = {}
        log.info("control socket listening", extra={"event": "ui.control_listening",
                                                    "path": path})

    def _accept(self) -> None:
        while self.server.hasPendingConnections():
            sock = self.server.nextPendingConnection()
            self._buffers[sock] = b""
            sock.readyRead.connect(lambda s=sock: self._read(s))
            sock.disconnected.connect(lambda s=sock: self._buffers.pop(s, None))

    def _read(self, sock: QLocalSocket) -> None:
        data = self._buffers.get(sock, b"") + bytes(sock.readAll().data())
        *lines, rest = data.split(b"\n")
        self._buffers[sock] = rest
        for line in lines:
            if line.strip():
                answer = self.handle(line)
                sock.write(json.dumps(answer, ensure_ascii=False).encode() + b"\n")
                sock.flush()

    def handle(self, line: bytes) -> dict[str, Any]:
        try:
            command = json.loads(line)
            result = self._do(command)
        except Exception as err:  # a bad command is answered, never fatal
            return {"ok": False, "error": str(err)}
        return {"ok": True, "screen": self.gui.core.session.screen.value, **result}

    def _do(self, command: dict[str, Any]) -> dict[str, Any]:
        emulators = self.gui.devices.emulators
        cmd = command.get("cmd")
        if cmd == "state":
            return {}
        if cmd == "scan":
            emulators.scanner.scan(str(command["text"]))
        elif cmd == "card":
            emulators.idcard.place_card(str(command.get("key", "male")))
        elif cmd == "paper":
            emulators.printer.set_paper(str(command["state"]))
        elif cmd == "tap":
            page = self.gui.window.current
            button = getattr(page, str(command["button"]))
            if not (button.isVisible() and button.isEnabled()):
                raise ControlError(f"{command['button']} is not there to tap")
            button.click()
        elif cmd == "lang":
            self.gui.window.set_language(str(command["lang"]))
        else:
            raise ControlError(f"unknown command {cmd!r}")
        return {}
