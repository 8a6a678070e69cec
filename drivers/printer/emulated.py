"""The emulated printer selected by backend "emulated": the real driver on an in-process link.

:class:`EmulatedPrinter` is an :class:`~drivers.printer.device.EscPosPrinter`
whose transport hands bytes straight to a
:class:`~drivers.printer.emulator.PrinterEmulator`, so rendering, status
decoding, timeouts and errors run the same code as on a real printer. Fault
methods (``set_paper``, ``set_cover_open``, ``set_offline``, ``set_slow``) and
the paper (``received``, ``receipts``, ``render_png``, ``last_receipt_image``)
come from the emulator. :class:`~drivers.printer.emulated_serial.EmulatedSerialPrinter`
puts the same emulator behind a real pty for the serial driver.
"""

from __future__ import annotations

import threading
import time

from PIL import Image

from drivers.printer.device import STATUS_MAX_AGE_S, EscPosPrinter
from drivers.printer.emulator import PaperState, PrinterEmulator


class EmulatorControls:
    """Fault injection and paper access shared by the in-process and pty emulators."""

    emulator: PrinterEmulator

    def set_paper(self, state: PaperState) -> None:
        self.emulator.set_paper(state)

    def set_cover_open(self, is_open: bool) -> None:
        self.emulator.set_cover_open(is_open)

    def set_offline(self, offline: bool) -> None:
        self.emulator.set_offline(offline)

    def set_slow(self, seconds: float) -> None:
        self.emulator.set_slow(seconds)

    def run_out_during_next_print(self, lines: int = 6) -> None:
        self.emulator.run_out_during_next_print(lines)

    @property
    def received(self) -> bytes:
        return bytes(self.emulator.received)

    @property
    def receipts(self) -> list[bytes]:
        return list(self.emulator.receipts)

    def last_receipt_image(self) -> Image.Image:
        return self.emulator.last_receipt_image()

    def render_png(self, path: str) -> None:
        self.emulator.render_png(path)

    def wait_for_receipts(self, count: int, timeout: float) -> bool:
        return self.emulator.wait_for_receipts(count, timeout)


class LoopbackTransport:
    """An in-process link: writes go to the emulator, its answers come back after ``slow_s``."""

    def __init__(self, emulator: PrinterEmulator) -> None:
        self.emulator = emulator
        self.name = "emulated printer"
        self._cond = threading.Condition()
        self._rx: list[tuple[float, bytes]] = []  # (time it arrives, bytes)

    def open(self) -> None:
        pass

    def write(self, data: bytes) -> None:
        answer = self.emulator.feed(data)
        if answer:
            with self._cond:
                self._rx.append((time.monotonic() + self.emulator.slow_s, answer))
                self._cond.notify_all()

    def read(self, size: int, timeout: float) -> bytes:
        deadline = time.monotonic() + timeout
        got = bytearray()
        with self._cond:
            while True:
                now = time.monotonic()
                while self._rx and self._rx[0][0] <= now and len(got) < size:
                    at, chunk = self._rx.pop(0)
                    take = size - len(got)
                    got += chunk[:take]
                    if len(chunk) > take:
                        self._rx.insert(0, (at, chunk[take:]))
                if len(got) >= size or now >= deadline:
                    return bytes(got)
                next_at = self._rx[0][0] if self._rx else deadline
                self._cond.wait(max(0.0, min(next_at, deadline) - now))

    def discard_input(self) -> None:
        now = time.monotonic()
        with self._cond:
            self._rx = [(at, chunk) for at, chunk in self._rx if at > now]

    def close(self) -> None:
        pass


class EmulatedPrinter(EmulatorControls, EscPosPrinter):
    def __init__(self, *, encoding: str = "GB18030", paper_width_mm: int = 80,
                 status_timeout_s: float = 1.0, qr_mode: str = "native",
                 status_max_age_s: float = STATUS_MAX_AGE_S) -> None:
        self.emulator = PrinterEmulator(encoding, paper_width_mm)
        super().__init__(LoopbackTransport(self.emulator), encoding=encoding,
                         paper_width_mm=paper_width_mm, status_timeout_s=status_timeout_s,
                         qr_mode=qr_mode, status_max_age_s=status_max_age_s)
