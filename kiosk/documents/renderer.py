"""Where invoice PDFs and OFD copies are rendered: here, or in one long-lived child process.

Rendering a PDF embeds a subset of the CJK font, and fontTools' subsetting and
fpdf's font parsing hold the GIL for tens of milliseconds at a time: on the
kiosk's pool thread that froze the UI thread for up to 58-72 ms (four lost
frames) during every issue (``python -m bench ui``), and the OFD copy (issue 14)
costs as much again. :class:`ProcessDocumentRenderer` moves that work into one child process started with ``spawn`` (``fork`` is not
safe beside Qt's threads), so the GUI process only pickles an
:class:`~kiosk.model.Invoice` there and reads the bytes back. The child is
started lazily or by :meth:`ProcessDocumentRenderer.warm_up` after the first frame,
is restarted once if it died (a crash or an OOM kill never loses an invoice's
documents), is stopped by :meth:`ProcessDocumentRenderer.close`, and leaves by
itself when the kiosk is killed.

Both renderers produce the same bytes (PDF and OFD are deterministic: their dates
come from the invoice), so the choice changes where the time is spent, never what
is delivered. Command-line tools keep the inline renderer: they have no UI to
keep responsive.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Protocol

from kiosk.model import Invoice

__all__ = ["DocumentRenderer", "InlineRenderer", "ProcessDocumentRenderer", "render_inline",
           "render_ofd_inline"]

log = logging.getLogger("kiosk.documents")

RENDER_TIMEOUT_S = 120.0


class DocumentRenderer(Protocol):
    """Renders an invoice's PDF layout and OFD copy (``watermark`` e.g. for sandbox invoices)."""

    def pdf(self, invoice: Invoice, *, watermark: str = "") -> bytes: ...

    def ofd(self, invoice: Invoice, *, watermark: str = "") -> bytes: ...


def render_inline(invoice: Invoice, *, watermark: str = "") -> bytes:
    """The PDF, rendered in the calling thread (CLI, tests, and the child process itself)."""
    from kiosk.documents.pdf import invoice_to_pdf

    return invoice_to_pdf(invoice, watermark=watermark)


def render_ofd_inline(invoice: Invoice, *, watermark: str = "") -> bytes:
    """The OFD copy, rendered in the calling thread."""
    from kiosk.documents.ofd import invoice_to_ofd

    return invoice_to_ofd(invoice, watermark=watermark)


class InlineRenderer:
    """A :class:`DocumentRenderer` that renders in the calling thread."""

    def pdf(self, invoice: Invoice, *, watermark: str = "") -> bytes:
        return render_inline(invoice, watermark=watermark)

    def ofd(self, invoice: Invoice, *, watermark: str = "") -> bytes:
        return render_ofd_inline(invoice, watermark=watermark)


PARENT_CHECK_S = 1.0


def _leave_with_parent(parent: int) -> None:
    """In the child: exit once the kiosk that started it is gone.

    A SIGKILLed kiosk closes nothing the child waits on (the pool's call queue, pickled
    into the child, holds both ends of its pipe), so the renderer outlived every killed
    kiosk. ``PR_SET_PDEATHSIG`` is no cure here: it fires when the *thread* that
    started the child ends, and any pool thread may start it. A once-a-second check of
    the parent id is cheap and certain."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_CHECK_S)
        os._exit(0)

    threading.Thread(target=watch, name="renderer-parent-watch", daemon=True).start()


def _warm() -> int:
    """In the child: import the PDF stack and find the font before the first invoice."""
    import kiosk.documents.pdf  # noqa: F401
    from kiosk.documents.fonts import find_cjk_font

    find_cjk_font()
    return multiprocessing.current_process().pid or 0


class ProcessDocumentRenderer:
    """A :class:`DocumentRenderer` that renders in one child process (thread-safe)."""

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
                    max_workers=1, mp_context=multiprocessing.get_context("spawn"),
                    initializer=_leave_with_parent, initargs=(os.getpid(),))
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

    def pdf(self, invoice: Invoice, *, watermark: str = "") -> bytes:
        return self._render(render_inline, invoice, watermark)

    def ofd(self, invoice: Invoice, *, watermark: str = "") -> bytes:
        return self._render(render_ofd_inline, invoice, watermark)

    def _render(self, render: Callable[..., bytes], invoice: Invoice, watermark: str) -> bytes:
        for attempt in (1, 2):
            pool = self._executor()
            try:
                return pool.submit(render, invoice, watermark=watermark).result(self.timeout_s)
            except BrokenProcessPool:
                self._restart(pool)
                log.warning("document renderer process died; starting a new one",
                            extra={"event": "documents.renderer_restarted", "attempt": attempt})
        # Twice broken: render here rather than lose the documents.
        log.error("document renderer process unusable; rendering in the kiosk process",
                  extra={"event": "documents.renderer_inline"})
        return render(invoice, watermark=watermark)

    def close(self) -> None:
        with self._lock:
            self._closed = True
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
