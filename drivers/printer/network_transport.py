"""TCP link to a network printer (raw port 9100).

A plain socket rather than ``escpos.printer.Network``: that class reads with
one fixed socket timeout and ``recv(16)``, while the status query needs a
per-call deadline; the rest of what it does is ``create_connection`` and
``sendall``.
"""

from __future__ import annotations

import socket
import time

from drivers.printer.transport import TransportError, TransportTimeout


class NetworkTransport:
    def __init__(self, host: str, port: int = 9100, connect_timeout: float = 3.0,
                 write_timeout: float = 10.0) -> None:
        if not host:
            raise ValueError("network printer needs a host")
        self.host = host
        self.port = port
        self.name = f"{host}:{port}"
        self.connect_timeout = connect_timeout
        self.write_timeout = write_timeout
        self._sock: socket.socket | None = None

    def open(self) -> None:
        if self._sock is not None:
            return
        try:
            self._sock = socket.create_connection((self.host, self.port), self.connect_timeout)
        except OSError as err:
            raise TransportError(f"cannot connect to printer {self.name}: {err}") from err

    def _require(self) -> socket.socket:
        self.open()
        assert self._sock is not None
        return self._sock

    def write(self, data: bytes) -> None:
        sock = self._require()
        try:
            sock.settimeout(self.write_timeout)
            sock.sendall(data)
        except TimeoutError as err:
            self.close()
            raise TransportTimeout(f"printer {self.name} did not take the data in time") from err
        except OSError as err:
            self.close()
            raise TransportError(f"printer {self.name} failed: {err}") from err

    def read(self, size: int, timeout: float) -> bytes:
        sock = self._require()
        deadline = time.monotonic() + timeout
        got = bytearray()
        while len(got) < size:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            sock.settimeout(remaining)
            try:
                chunk = sock.recv(size - len(got))
            except TimeoutError:
                break
            except OSError as err:
                self.close()
                raise TransportError(f"printer {self.name} failed: {err}") from err
            if not chunk:  # the printer closed the connection
                self.close()
                if got:
                    break
                raise TransportError(f"printer {self.name} closed the connection")
            got += chunk
        return bytes(got)

    def discard_input(self) -> None:
        sock = self._require()
        sock.setblocking(False)
        try:
            while sock.recv(4096):
                pass
        except (BlockingIOError, InterruptedError):
            pass
        except OSError as err:
            self.close()
            raise TransportError(f"printer {self.name} failed: {err}") from err
        finally:
            if self._sock is not None:
                self._sock.setblocking(True)

    def close(self) -> None:
        sock, self._sock = self._sock, None
        if sock is not None:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            sock.close()
