"""Serial link to a printer through ``serial.serial_for_url``.

python-escpos's ``Serial`` printer opens ``serial.Serial(port=...)``, which
takes device paths only; ``serial_for_url`` also takes a pty made by a test,
``socket://host:port`` and ``spy://`` for a hex trace, so the kiosk uses it
(through the shared ``drivers.serialport.open_port``).
"""

from __future__ import annotations

import time

import serial

from drivers.printer.transport import TransportError, TransportTimeout
from drivers.serialport import open_port


class SerialTransport:
    def __init__(self, url: str, baudrate: int = 115200, write_timeout: float = 10.0) -> None:
        if not url:
            raise ValueError("serial printer needs a url (device path or pyserial URL)")
        self.url = url
        self.name = url
        self.baudrate = baudrate
        self.write_timeout = write_timeout
        self._port: serial.SerialBase | None = None

    def open(self) -> None:
        if self._port is not None:
            return
        try:
            self._port = open_port(self.url, self.baudrate, timeout=0.1,
                                   write_timeout=self.write_timeout)
        except serial.SerialException as err:
            raise TransportError(f"cannot open printer port {self.url}: {err}") from err

    def _require(self) -> serial.SerialBase:
        self.open()
        assert self._port is not None
        return self._port

    def write(self, data: bytes) -> None:
        port = self._require()
        try:
            port.write(data)
            port.flush()
        except serial.SerialTimeoutException as err:
            raise TransportTimeout(
                f"printer on {self.url} took more than {self.write_timeout:g} s to take the data"
            ) from err
        except (serial.SerialException, OSError) as err:
            self.close()
            raise TransportError(f"printer port {self.url} failed: {err}") from err

    def read(self, size: int, timeout: float) -> bytes:
        port = self._require()
        deadline = time.monotonic() + timeout
        got = bytearray()
        try:
            while len(got) < size:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    break
                port.timeout = remaining
                got += port.read(size - len(got))
        except (serial.SerialException, OSError) as err:
            self.close()
            raise TransportError(f"printer port {self.url} failed: {err}") from err
        return bytes(got)

    def discard_input(self) -> None:
        port = self._require()
        try:
            port.reset_input_buffer()
        except (serial.SerialException, OSError) as err:
            self.close()
            raise TransportError(f"printer port {self.url} failed: {err}") from err

    def close(self) -> None:
        port, self._port = self._port, None
        if port is not None:
            try:
                port.close()
            except (serial.SerialException, OSError):
                pass
