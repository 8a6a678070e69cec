"""Printer IO off the UI thread: one thread, a job queue, results as Futures.

``submit_print(ops)`` and ``submit_status()`` return a
``concurrent.futures.Future`` at once; the UI attaches ``add_done_callback``
(called on the worker thread: hop to the UI thread with a queued signal) or
polls ``done()``. Jobs run one at a time in order. With ``poll_interval_s`` the
worker asks the status whenever it has been idle that long, so listeners on
``printer.publisher`` see paper-out or a closed cover without a print. The
thread stops by flag + join, never killed.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from typing import Any

from drivers.base import StatusEvent
from drivers.printer.interface import Printer
from drivers.printer.ops import Op

log = logging.getLogger("drivers.printer")

_Job = tuple[Callable[[], Any], Future[Any]]


class PrinterWorker:
    def __init__(self, printer: Printer, *, poll_interval_s: float | None = None) -> None:
        self.printer = printer
        self.poll_interval_s = poll_interval_s
        self._jobs: queue.Queue[_Job | None] = queue.Queue()
        self._running = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> PrinterWorker:
        if self._thread is None:
            self._running.set()
            self._thread = threading.Thread(target=self._run, name="printer-worker", daemon=True)
            self._thread.start()
        return self

    def submit_print(self, ops: Sequence[Op]) -> Future[None]:
        ops = list(ops)
        return self._submit(lambda: self.printer.print_ops(ops))

    def submit_raw(self, data: bytes) -> Future[None]:
        return self._submit(lambda: self.printer.print_raw(data))

    def submit_status(self) -> Future[StatusEvent]:
        return self._submit(self.printer.status)

    def submit_preflight(self) -> Future[StatusEvent]:
        return self._submit(self.printer.preflight)

    def _submit(self, fn: Callable[[], Any]) -> Future[Any]:
        if not self._running.is_set():
            raise RuntimeError("printer worker is not running (call start())")
        future: Future[Any] = Future()
        self._jobs.put((fn, future))
        return future

    def stop(self, timeout: float = 10.0) -> None:
        """Finish the job in hand, cancel the queued ones, close the printer, join."""
        self._running.clear()
        self._jobs.put(None)
        if self._thread is not None:
            self._thread.join(timeout)
            if self._thread.is_alive():
                log.error("printer worker did not stop within %.1f s", timeout,
                          extra={"event": "printer.worker.stuck"})
            self._thread = None

    def _run(self) -> None:
        try:
            while self._running.is_set():
                try:
                    job = self._jobs.get(timeout=self.poll_interval_s)
                except queue.Empty:
                    self._safe(self.printer.status)
                    continue
                if job is None:
                    break
                fn, future = job
                if not future.set_running_or_notify_cancel():
                    continue
                try:
                    future.set_result(fn())
                except BaseException as err:  # delivered to the caller, never lost
                    future.set_exception(err)
        finally:
            self._cancel_pending()
            self._safe(self.printer.close)

    def _cancel_pending(self) -> None:
        while True:
            try:
                job = self._jobs.get_nowait()
            except queue.Empty:
                return
            if job is not None:
                job[1].cancel()

    @staticmethod
    def _safe(fn: Callable[[], Any]) -> None:
        try:
            fn()
        except Exception:
            log.exception("printer worker: background call failed",
                          extra={"event": "printer.worker.error"})
