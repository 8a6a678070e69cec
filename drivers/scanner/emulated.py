"""An emulated serial scanner: writes ``prefix + code + suffix`` to a pty.

``scan(code)`` is a scan, ``send_raw(data)`` writes anything (garbage, a line
that never ends), ``unplug()`` closes the pty (the driver sees the port go
away) and ``replug()`` makes a new one; ``device_path`` (a symlink when a
``link`` is given) follows the pty like a udev rule's stable name.
"""

from __future__ import annotations

from pathlib import Path

from drivers.serialport import PtyPair


class EmulatedScanner:
    def __init__(self, *, prefix: str = "", suffix: str = "\r\n", link: Path | None = None) -> None:
        self.prefix = prefix
        self.suffix = suffix
        self.link = link
        self._pty: PtyPair | None = PtyPair(link)

    @property
    def port_name(self) -> str:
        """The current pty slave path ("" while unplugged)."""
        return self._pty.port_name if self._pty else ""

    @property
    def device_path(self) -> str:
        """What a driver should open: the stable link if any, else the pty."""
        return str(self.link) if self.link else self.port_name

    @property
    def plugged(self) -> bool:
        return self._pty is not None

    def scan(self, code: str) -> None:
        """Send one code as the scanner does, UTF-8, framed with prefix and suffix."""
        self.send_raw((self.prefix + code + self.suffix).encode("utf-8"))

    def send_raw(self, data: bytes) -> None:
        if self._pty is None:
            raise OSError("emulated scanner is unplugged")
        self._pty.write(data)

    def unplug(self) -> None:
        if self._pty is not None:
            self._pty.close()
            self._pty = None

    def replug(self) -> None:
        if self._pty is None:
            self._pty = PtyPair(self.link)

    def close(self) -> None:
        self.unplug()
