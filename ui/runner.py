"""Run blocking work (issue, print, mail) on a ``QThreadPool``; deliver results on the UI thread.

:class:`QtRunner` implements :class:`kiosk.flow.ports.Runner`: the work runs in a
pool thread, and its ``done`` callback is delivered through a queued signal, so
the session machine and the screens are only ever touched by the UI thread.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from kiosk.flow.ports import Done

log = logging.getLogger("ui.runner")


class _Relay(QObject):
    finished = Signal(object)


class _Task(QRunnable):
    def __init__(self, name: str, work: Callable[[], Any], done: Done, relay: _Relay) -> None:
        super().__init__()
        self.name, self.work, self.done, self.relay = name, work, done, relay

    def run(self) -> None:
        try:
            result, error = self.work(), None
        except Exception as err:  # becomes a screen in the session machine
            result, error = None, err
        self.relay.finished.emit((self.name, self.done, result, error))


class QtRunner(QObject):
    """A Runner over a thread pool; ``settled(name)`` fires after each result is handled."""

    settled = Signal(str)

    def __init__(self, pool: QThreadPool | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.pool = pool or QThreadPool.globalInstance()
        self._relay = _Relay(self)
        self._relay.finished.connect(self._deliver)  # queued: the relay lives in this thread
        self.active = 0

    def submit(self, name: str, work: Callable[[], Any], done: Done) -> None:
        self.active += 1
        self.pool.start(_Task(name, work, done, self._relay))

    def _deliver(self, packed: tuple[str, Done, Any, BaseException | None]) -> None:
        name, done, result, error = packed
        self.active -= 1
        try:
            done(result, error)
        except Exception:
            log.exception("result handler failed", extra={"event": "ui.runner_error", "job": name})
        self.settled.emit(name)

    def wait(self, msecs: int = 30000) -> bool:
        return self.pool.waitForDone(msecs)
