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
    {"cmd": "wait", "event": "session.printed", "fields": {...}, "timeout_ms": 30000}
                                             answers once such a log event has happened
                                             (since start-up), or ok=false at the timeout
"""

from __future__ import annotations

import json
import logging
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

log = logging.getLogger("ui.control")


class ControlError(Exception):
    pass


class _EventTap(logging.Handler):
    """Keeps the (already masked) event records so ``wait`` can answer from them."""

    def __init__(self, seen: Any) -> None:
        from kiosk.logs import MaskingFilter

        super().__init__(logging.INFO)
        self.seen = seen
        self.addFilter(MaskingFilter())  # what leaves the process is masked like the log

    def emit(self, record: logging.LogRecord) -> None:
        event = getattr(record, "event", "")
        if event:
            fields = {k: v for k, v in vars(record).items() if isinstance(v, str | int | bool)}
            self.seen.emit({**fields, "event": event})


class ControlServer(QObject):
    eventSeen = Signal(object)  # from any thread; handled on the UI thread

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
        self._events: list[dict[str, Any]] = []
        self._waiting: list[tuple[QLocalSocket, dict[str, Any], QTimer]] = []
        self.eventSeen.connect(self._event)
        self._tap = _EventTap(self.eventSeen)
        logging.getLogger().addHandler(self._tap)
        self.destroyed.connect(lambda: logging.getLogger().removeHandler(self._tap))
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
            if not line.strip():
                continue
            try:
                command = json.loads(line)
            except ValueError as err:
                self._answer(sock, {"ok": False, "error": str(err)})
                continue
            if isinstance(command, dict) and command.get("cmd") == "wait":
                self._wait(sock, command)
            else:
                self._answer(sock, self.handle(command))

    @staticmethod
    def _answer(sock: QLocalSocket, answer: dict[str, Any]) -> None:
        sock.write(json.dumps(answer, ensure_ascii=False, default=str).encode() + b"\n")
        sock.flush()

    @staticmethod
    def _matches(event: dict[str, Any], want: dict[str, Any]) -> bool:
        fields = want.get("fields") or {}
        return event.get("event") == want.get("event") and all(
            event.get(k) == v for k, v in fields.items())

    def _wait(self, sock: QLocalSocket, want: dict[str, Any]) -> None:
        for event in self._events:
            if self._matches(event, want):
                self._answer(sock, {"ok": True, "seen": event})
                return
        timer = QTimer(self)
        timer.setSingleShot(True)
        entry = (sock, want, timer)
        timer.timeout.connect(lambda: self._expire(entry))
        timer.start(int(want.get("timeout_ms", 30000)))
        self._waiting.append(entry)

    def _expire(self, entry: tuple[QLocalSocket, dict[str, Any], QTimer]) -> None:
        if entry in self._waiting:
            self._waiting.remove(entry)
            self._answer(entry[0], {"ok": False, "error": f"no {entry[1].get('event')} seen"})

    def _event(self, event: dict[str, Any]) -> None:
        self._events.append(event)
        for entry in list(self._waiting):
            if self._matches(event, entry[1]):
                self._waiting.remove(entry)
                entry[2].stop()
                self._answer(entry[0], {"ok": True, "seen": event})

    def handle(self, command: Any) -> dict[str, Any]:
        try:
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
