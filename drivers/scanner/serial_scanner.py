"""A serial QR/barcode scanner: lines over any pyserial URL, read by ``ReaderThread``.

pyserial's :class:`serial.threaded.ReaderThread` owns the read loop; our
:class:`_ScanProtocol` frames lines with :class:`LineFramer`. Codes go to the
``on_code`` callbacks, rejected lines to ``on_error`` (and the log), both on
the reader thread. A port that cannot be opened or goes away ends with status
OFFLINE; reconnecting is the device manager's job (call :meth:`start` again).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from typing import Any

import serial
from serial.threaded import Protocol, ReaderThread

from drivers.base import DeviceStatus, StatusPublisher
from drivers.contract import CodeCallback, RejectedCallback
from drivers.problem import Problem
from drivers.scanner.framing import MAX_LINE, LineFramer, Rejected
from drivers.serialport import open_port

log = logging.getLogger("drivers.scanner")


class _ScanProtocol(Protocol):  # type: ignore[misc, unused-ignore]  # pyserial: no hints
    def __init__(self, owner: SerialScanner) -> None:
        self.owner = owner
        self.framer = LineFramer(owner.prefix, owner.suffix, owner.max_length)

    def data_received(self, data: bytes) -> None:
        if self.owner._raws:  # diagnostics' raw tap: the bytes as they arrived, before framing
            self.owner._call(self.owner._raws, data)
        for item in self.framer.feed(data):
            self.owner._dispatch(item)

    def connection_lost(self, exc: BaseException | None) -> None:
        self.owner._lost(exc)


class _ReaderThread(ReaderThread):  # type: ignore[misc, unused-ignore]  # pyserial: no hints
    """pyserial's ReaderThread, plus: an OSError from the port ends it like a SerialException.

    Its loop catches only SerialException, but ``in_waiting`` (an ioctl) raises a
    plain OSError when a USB adapter is pulled; the thread would then die
    without ``connection_lost`` and the scanner would look READY for ever.
    """

    def run(self) -> None:
        try:
            super().run()
        except Exception as err:
            self.alive = False
            protocol: Any = getattr(self, "protocol", None)
            self.protocol = None
            if protocol is not None:
                protocol.connection_lost(err)


class SerialScanner:
    name = "scanner"

    def __init__(self, url: str, baudrate: int = 9600, *, prefix: str = "",
                 suffix: str = "\r\n", max_length: int = MAX_LINE) -> None:
        LineFramer(prefix, suffix, max_length)  # validate the settings now
        self.url = url
        self.baudrate = baudrate
        self.prefix = prefix
        self.suffix = suffix
        self.max_length = max_length
        self.publisher = StatusPublisher(self.name)
        self._codes: list[CodeCallback] = []
        self._errors: list[RejectedCallback] = []
        self._raws: list[Callable[[bytes], None]] = []
        self._reader: ReaderThread | None = None
        self._lock = threading.Lock()
        self._stopping = False

    def on_code(self, callback: CodeCallback) -> None:
        self._codes.append(callback)

    def on_error(self, callback: RejectedCallback) -> None:
        self._errors.append(callback)

    def on_raw(self, callback: Callable[[bytes], None]) -> None:
        """Every chunk of bytes as it arrives, before framing (diagnostics' hex view)."""
        self._raws.append(callback)

    @property
    def running(self) -> bool:
        return self._reader is not None and self._reader.is_alive()

    def start(self) -> None:
        """Open the port and start reading; status OFFLINE (no raise) when it cannot."""
        with self._lock:
            if self.running:
                return
            self._stopping = False
            try:
                port = open_port(self.url, self.baudrate, timeout=None)
            except serial.SerialException as err:
                self.publisher.publish(DeviceStatus.OFFLINE, Problem.of("scanner.offline"), str(err))
                return
            self._reader = _ReaderThread(port, lambda: _ScanProtocol(self))
            self._reader.name = "scanner-reader"
            self._reader.start()
            self.publisher.publish(DeviceStatus.READY)

    def stop(self, timeout: float = 2.0) -> None:
        with self._lock:
            self._stopping = True
            reader, self._reader = self._reader, None
        if reader is None:
            return
        reader.alive = False
        try:
            reader.serial.cancel_read()
        except (OSError, serial.SerialException):
            pass
        reader.join(timeout)
        if reader.is_alive():
            log.error("scanner reader did not stop within %.1fs", timeout,
                      extra={"event": "scanner.stop_timeout"})
        try:
            reader.serial.close()
        except (OSError, serial.SerialException):
            pass

    # -- reader thread -------------------------------------------------------

    def _dispatch(self, item: str | Rejected) -> None:
        if isinstance(item, Rejected):
            log.warning("scan rejected: %s (%d bytes)", item.reason, len(item.raw),
                        extra={"event": "scanner.rejected", "reason": item.reason})
            self._call(self._errors, item)
        else:
            log.info("code scanned (%d chars)", len(item), extra={"event": "scanner.code"})
            self._call(self._codes, item)

    def _lost(self, exc: BaseException | None) -> None:
        if self._stopping or exc is None:
            return  # stopped on purpose
        log.warning("scanner port lost: %s", exc, extra={"event": "scanner.lost"})
        self.publisher.publish(DeviceStatus.OFFLINE, Problem.of("scanner.lost"), str(exc))

    @staticmethod
    def _call(callbacks: Sequence[Callable[[Any], None]], arg: object) -> None:
        for callback in list(callbacks):
            try:
                callback(arg)
            except Exception:  # a consumer's bug must not kill the reader
                log.exception("scanner callback failed")
