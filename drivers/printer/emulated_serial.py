"""The emulated printer behind a real pty, for testing the serial driver end to end.

A thread reads the pty master, feeds the bytes to a
:class:`~drivers.printer.emulator.PrinterEmulator` (which parses the ESC/POS)
and writes its DLE EOT answers back, late when ``set_slow`` asks for it. A
driver opens ``port_name`` exactly like ``/dev/ttyUSB0``. The thread stops by
flag + join.
"""

from __future__ import annotations

import logging
import threading

from drivers.printer.emulated import EmulatorControls
from drivers.printer.emulator import PrinterEmulator
from drivers.serialport import PtyPair

log = logging.getLogger("drivers.printer")


class EmulatedSerialPrinter(EmulatorControls):
    def __init__(self, *, encoding: str = "GB18030", paper_width_mm: int = 80) -> None:
        self.emulator = PrinterEmulator(encoding, paper_width_mm)
        self._pty = PtyPair()
        self.port_name = self._pty.port_name
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="emulated-printer", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            data = self._pty.read(0.05)
            if not data:
                continue
            answer = self.emulator.feed(data)
            if not answer:
                continue
            if self.emulator.slow_s and self._stop.wait(self.emulator.slow_s):
                return
            try:
                self._pty.write(answer)
            except OSError:
                log.debug("emulated printer: answer not delivered (pty closed)")
                return

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        self._pty.close()

    def __enter__(self) -> EmulatedSerialPrinter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
