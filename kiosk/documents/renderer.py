"""Where invoice PDFs are rendered: in this process, or in one long-lived child process.

Rendering a PDF embeds a subset of the CJK font, and fontTools' subsetting and
fpdf's font parsing hold the GIL for tens of milliseconds at a time: on the
kiosk's pool thread that froze the UI thread for up to 58-72 ms (four lost
frames) during every issue (``python -m bench ui``). :class:`ProcessPdfRenderer`
moves that work into one child process started with ``spawn`` (``fork`` is not
safe beside Qt's threads), so the GUI process only pickles an
:class:`~kiosk.model.Invoice` there and reads the bytes back. The child is
started lazily or by :meth:`ProcessPdfRenderer.warm_up` after the first frame,
is restarted once if it died (a crash or an OOM kill never loses an invoice's
documents), and is stopped by :meth:`ProcessPdfRenderer.close`.

Both renderers produce the same bytes (the PDF is deterministic: its dates come
from the invoice), so the choice changes where the time is spent, never what
is delivered. Command-line tools keep the inline renderer: they have no UI to
keep responsive.
"""

from __future__ import annotations

import logging
import multiprocessing
import threading
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Protocol

from kiosk.model import Invoice

__all__ = ["PdfRenderer", "ProcessPdfRenderer", "render_inline"]

log = logging.getLogger("kiosk.documents")

RENDER_TIMEOUT_S = 120.0


class PdfRenderer(Protocol):
    """Renders an invoice's PDF layout (``watermark`` e.g. for sandbox invoices)."""

    def __call__(self, invoice: Invoice, *, watermark: str = "") -> bytes: ...


def render_inline(invoice: Invoice, *, watermark: str = "") -> bytes:
    """Render in the calling thread (CLI commands, tests, and the child process itself)."""
    from kiosk.documents.pdf import invoice_to_pdf

    return invoice_to_pdf(invoice, watermark=watermark)


def _warm() -> int:
    """In the child: import the PDF stack and find the font before the first invoice."""
    import kiosk.documents.pdf  # noqa: F401
    from kiosk.documents.fonts import find_cjk_font

    find_cjk_font()
    return multiprocessing.current_process().pid or 0


class ProcessPdfRenderer:
    """A :class:`PdfRenderer` that renders in one child process (thread-safe)."""

    def __init__(self, *, timeout_s: float = RENDER_TIMEOUT_S) -> None:
        self.timeout_s = timeout_s
        self._lock = threading.Lock()
        self._pool: ProcessPoolExecutor | None = None
        self._closed = False

    def _executor(self) -> ProcessPoolExecutor:
        with self._lock:
            if self._closed:
                raise RuntimeError("the PDF renderer is closed")
            if self._pool is None:
                self._pool = ProcessPoolExecutor(
                    max_workers=1, mp_context=multiprocessing.get_context("spawn"))
            return self._pool

    def _restart(self, broken: ProcessPoolExecutor) -> None:
        with self._lock:
            if self._pool is broken:
                self._pool = None
        broken.shutdown(wait=False, cancel_futures=True)

    def warm_up(self) -> None:
        """Start the child and load the PDF stack there, without waiting for it."""
        try:
            self._executor().submit(_warm)
        except RuntimeError:
            pass  # closed meanwhile

    def child_pid(self) -> int:
        """The child's process id (starting it if needed): diagnostics and tests."""
        return int(self._executor().submit(_warm).result(self.timeout_s))

    def __call__(self, invoice: Invoice, *, watermark: str = "") -> bytes:
        for attempt in (1, 2):
            pool = self._executor()
            try:
                return pool.submit(render_inline, invoice, watermark=watermark).result(
                    self.timeout_s)
            except BrokenProcessPool:
                self._restart(pool)
                log.warning("PDF renderer process died; starting a new one",
                            extra={"event": "documents.renderer_restarted", "attempt": attempt})
        # Twice broken: render here rather than lose the documents.
        log.error("PDF renderer process unusable; rendering in the kiosk process",
                  extra={"event": "documents.renderer_inline"})
        return render_inline(invoice, watermark=watermark)

    def close(self) -> None:
        with self._lock:
            self._closed = True
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
