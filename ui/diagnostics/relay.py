"""Thread hops for diagnostics without emitting Python signals: posted events.

Why not a queued signal (the usual way): with PySide6 6.12.0 on CPython 3.11,
every ``Signal.emit()`` made from Python and delivered to a Python slot drops
one reference to ``True`` (measured: 5000 emits end in "Fatal Python error:
bool_dealloc"). Diagnostics relays device events at frame rate (camera
previews), so it hops threads with ``QCoreApplication.postEvent`` instead,
which is thread-safe and does not leak. Signals that Qt itself emits (button
clicks) are unaffected.

- :class:`Relay`: ``relay.post(fn, *args)`` from any thread runs ``fn(*args)``
  on the relay's (UI) thread. Events posted to a deleted relay are dropped.
- :class:`Jobs`: the :class:`kiosk.flow.ports.Runner` shape
  (``submit(name, work, done)``) on a ``QThreadPool``; ``done(result, error)``
  runs on the UI thread. ``active`` counts jobs not delivered yet. ``settled``
  (job name) is emitted only while something listens (tests), so the running
  kiosk never emits it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import SIGNAL, QCoreApplication, QEvent, QObject, QRunnable, QThreadPool, Signal

log = logging.getLogger("ui.diagnostics")

Done = Callable[[Any, BaseException | None], None]


class _Call(QEvent):
    TYPE = QEvent.Type(QEvent.registerEventType())

    def __init__(self, fn: Callable[..., None], args: tuple[Any, ...]) -> None:
        super().__init__(_Call.TYPE)
        self.fn = fn
        self.args = args


class Relay(QObject):
    """Runs posted calls on the thread this object lives in (create it on the UI thread)."""

    def post(self, fn: Callable[..., None], *args: Any) -> None:
        QCoreApplication.postEvent(self, _Call(fn, args))

    def event(self, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if isinstance(event, _Call):
            try:
                event.fn(*event.args)
            except Exception:  # a screen's bug must not take the event loop down
                log.exception("diagnostics: posted call failed",
                              extra={"event": "diagnostics.relay_error"})
            return True
        return super().event(event)


class _Task(QRunnable):
    def __init__(self, jobs: Jobs, name: str, work: Callable[[], Any], done: Done) -> None:
        super().__init__()
        self.jobs, self.name, self.work, self.done = jobs, name, work, done

    def run(self) -> None:
        try:
            result, error = self.work(), None
        except Exception as err:  # delivered to the screen, which says what failed
            result, error = None, err
        self.jobs.relay.post(self.jobs._deliver, self.name, self.done, result, error)


class Jobs(QObject):
    settled = Signal(str)  # a job's result was handled (emitted only when connected)

    def __init__(self, pool: QThreadPool, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.pool = pool
        self.relay = Relay(self)
        self.active = 0

    def submit(self, name: str, work: Callable[[], Any], done: Done) -> None:
        self.active += 1
        self.pool.start(_Task(self, name, work, done))

    def _deliver(self, name: str, done: Done, result: Any, error: BaseException | None) -> None:
        self.active -= 1
        try:
            done(result, error)
        except Exception:
            log.exception("diagnostics: result handler failed",
                          extra={"event": "diagnostics.job_error", "job": name})
        if self.receivers(SIGNAL("settled(QString)")) > 0:
            self.settled.emit(name)
