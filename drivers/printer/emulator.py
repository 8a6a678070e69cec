"""The simulated printer mechanism behind every emulated printer (in-process or pty).

It receives bytes, keeps every one of them (``received``), answers DLE EOT from
its simulated state and puts printed content on "paper" (``receipts``, one per
cut, plus the uncut ``page``). Faults: paper ok/near_end/out, cover open,
offline (powered off: nothing is received, nothing answered), slow (answers
are late; the link applies the delay) and :meth:`~PrinterEmulator.run_out_during_next_print`
(the roll ends after a few lines of the next job).

What it does with print data while paper is out or the cover is open follows
real printers (Epson TM series and the common Chinese clones): the printer goes
offline, keeps received data in its buffer and prints it once paper is loaded
and the cover closed. The driver asks the status before each job and refuses
to send one to a printer that is out of paper, so this only matters for a roll
that ends mid-receipt: the rest prints after the reload, as on a real printer.
Real-time DLE EOT requests are answered at once in every state but offline.
"""

from __future__ import annotations

import threading
from typing import Literal

from PIL import Image

from drivers.printer.parse import CUT, LF, STATUS, EscPosParser
from drivers.printer.status import encode_status

PaperState = Literal["ok", "near_end", "out"]
PAPER_STATES = ("ok", "near_end", "out")


class PrinterEmulator:
    def __init__(self, encoding: str = "GB18030", paper_width_mm: int = 80) -> None:
        self.encoding = encoding
        self.paper_width_mm = paper_width_mm
        self._lock = threading.RLock()
        self._changed = threading.Condition(self._lock)
        self._parser = EscPosParser()
        self.received = bytearray()
        self.lost_bytes = 0  # sent while powered off
        self.page = bytearray()  # printed since the last cut
        self.held = bytearray()  # received while it could not print
        self.receipts: list[bytes] = []
        self.status_requests = 0
        self.paper: PaperState = "ok"
        self.cover_open = False
        self.offline = False
        self.slow_s = 0.0
        self.runs_out_after: int | None = None  # lines the roll still has (armed fault)

    # -- faults -------------------------------------------------------------------------
    def set_paper(self, state: PaperState) -> None:
        if state not in PAPER_STATES:
            raise ValueError(f"paper state must be one of {PAPER_STATES}")
        with self._lock:
            self.paper = state
            self._resume()

    def set_cover_open(self, is_open: bool) -> None:
        with self._lock:
            self.cover_open = is_open
            self._resume()

    def set_offline(self, offline: bool) -> None:
        with self._lock:
            self.offline = offline

    def run_out_during_next_print(self, lines: int = 6) -> None:
        """The roll ends after ``lines`` printed lines of the next job: paper goes out
        mid-receipt and the rest is held until paper is loaded again."""
        if lines < 1:
            raise ValueError("the roll must have at least one line left")
        with self._lock:
            self.runs_out_after = lines

    def set_slow(self, seconds: float) -> None:
        with self._lock:
            self.slow_s = max(0.0, seconds)

    @property
    def can_print(self) -> bool:
        return self.paper != "out" and not self.cover_open

    # -- the wire -----------------------------------------------------------------------
    def feed(self, data: bytes) -> bytes:
        """Take bytes from the host; return the bytes the printer answers."""
        answers = bytearray()
        with self._lock:
            if self.offline:
                self.lost_bytes += len(data)
                return b""
            self.received += data
            for token in self._parser.feed(data):
                if token.kind == STATUS:
                    self.status_requests += 1
                    byte = encode_status(paper=self.paper, cover_open=self.cover_open).get(token.value)
                    if byte is not None:
                        answers.append(byte)
                elif self.held or not self.can_print:
                    self.held += token.raw
                else:
                    self._print(token.raw, token.kind == CUT)
                    if token.kind == LF and self.runs_out_after is not None:
                        self.runs_out_after -= 1
                        if self.runs_out_after <= 0:  # the end of the roll, mid-receipt
                            self.runs_out_after = None
                            self.paper = "out"
        return bytes(answers)

    def _print(self, raw: bytes, cut: bool) -> None:
        self.page += raw
        if cut:
            self.receipts.append(bytes(self.page))
            self.page.clear()
            self._changed.notify_all()

    def _resume(self) -> None:
        if self.can_print and self.held:
            held, self.held = bytes(self.held), bytearray()
            parser = EscPosParser()
            for token in parser.feed(held):
                self._print(token.raw, token.kind == CUT)

    # -- reading the paper --------------------------------------------------------------
    def wait_for_receipts(self, count: int, timeout: float) -> bool:
        """Block until ``count`` receipts were cut (True) or ``timeout`` passed (False)."""
        with self._changed:
            return self._changed.wait_for(lambda: len(self.receipts) >= count, timeout)

    def last_receipt_bytes(self) -> bytes:
        with self._lock:
            return self.receipts[-1] if self.receipts else bytes(self.page)

    def last_receipt_image(self) -> Image.Image:
        from drivers.printer.render import render_escpos

        return render_escpos(self.last_receipt_bytes(), paper_width_mm=self.paper_width_mm,
                             encoding=self.encoding)

    def render_png(self, path: str) -> None:
        self.last_receipt_image().save(path, format="PNG")

    def clear(self) -> None:
        with self._lock:
            self.received.clear()
            self.receipts.clear()
            self.page.clear()
            self.held.clear()
            self.lost_bytes = 0
            self.status_requests = 0
