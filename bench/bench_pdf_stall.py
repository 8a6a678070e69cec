"""The longest stall a PDF render causes on the thread that draws the UI.

Issuing renders the invoice's PDF on a pool thread; fontTools' subsetting and
fpdf's font parsing hold the GIL for tens of milliseconds at a time, and every
such hold is a frozen UI (one frame at 60 Hz is 16.7 ms). A probe thread stands
in for the UI thread: it wakes every millisecond and records the longest gap
between wakes while a PDF renders (a) on another thread of this process, as
before, and (b) in the :class:`~kiosk.documents.renderer.ProcessDocumentRenderer`'s
child process. Alternated round by round; the median and worst of each.
"""

from __future__ import annotations

import statistics
import threading
import time
from collections.abc import Callable

from bench.runner import Runner
from kiosk.documents.renderer import ProcessDocumentRenderer, render_inline
from tests.helpers.invoices import sample_invoice

FRAME_MS = 1000 / 60


def _longest_gap_ms(render: Callable[[], bytes]) -> float:
    done = threading.Event()
    gaps: list[float] = []

    def probe() -> None:
        last = time.perf_counter()
        while not done.is_set():
            time.sleep(0.001)
            now = time.perf_counter()
            gaps.append(now - last)
            last = now

    worker = threading.Thread(target=render)
    prober = threading.Thread(target=probe)
    prober.start()
    worker.start()
    worker.join()
    done.set()
    prober.join()
    return max(gaps) * 1000


def run(r: Runner) -> None:
    invoice = sample_invoice(3)
    child = ProcessDocumentRenderer()
    try:
        child.pdf(invoice)  # start the child and load the font there (not measured)
        render_inline(invoice)
        rounds = r.rounds or 8
        stalls: dict[str, list[float]] = {"PDF on a thread of the UI process (before)": [],
                                          "PDF in the renderer's child process (now)": []}
        for _ in range(rounds):
            stalls["PDF on a thread of the UI process (before)"].append(
                _longest_gap_ms(lambda: render_inline(invoice)))
            stalls["PDF in the renderer's child process (now)"].append(
                _longest_gap_ms(lambda: child.pdf(invoice)))
        rows = []
        for name, values in stalls.items():
            med = statistics.median(values)
            rows.append([name, f"{med:.1f}", f"{max(values):.1f}", f"{med / FRAME_MS:.2f}"])
        r.table("longest stall of a 1 ms probe thread while one PDF renders "
                f"({rounds} rounds, alternated)",
                ["where the PDF renders", "median ms", "worst ms", "frames (16.7 ms) lost"], rows)
    finally:
        child.close()
