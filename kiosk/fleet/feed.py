"""Feed the kiosk's Prometheus metrics from what the kiosk does (issue 16, item 4).

:class:`MetricsFeed` watches the session (durations of walk-ins, invoices
issued, failures by screen) as one of its listeners, samples the devices'
states and the issue outbox on the UI thread, and asks the platform's
``health()`` (reachability, quota left) on a pool thread. The Qt side adds
what only it can see (touches, event-loop stalls) through :meth:`touched` and
:meth:`stalled`. Everything here is Qt-free and takes its clock, so the tests
drive it with a fake one.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

from drivers.base import DeviceStatus, StatusEvent
from kiosk.fleet.metrics import KioskMetrics
from kiosk.flow.states import FAILURES, RESTING, Screen
from kiosk.platform.gateway import PlatformHealth

if TYPE_CHECKING:
    from kiosk.session import Session

log = logging.getLogger("kiosk.fleet.feed")

# A device counts as up when it answered, even with a problem the person can be told
# about (paper low); off, unplugged, silent or in error it is down.
_DOWN = frozenset({DeviceStatus.OFFLINE, DeviceStatus.ERROR, DeviceStatus.UNKNOWN,
                   DeviceStatus.DISABLED})


class MetricsFeed:
    """The metrics the application feeds; one per kiosk process."""

    def __init__(self, metrics: KioskMetrics, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.metrics = metrics
        self.clock = clock
        self._screen = Screen.ATTRACT
        self._started: float | None = None  # when the walk-in on show began
        self._stall_max = 0.0  # the longest stall since the last sample

    # --- the session (a listener; UI thread) ---------------------------------------------

    def on_session(self, session: Session) -> None:
        screen = session.screen
        if screen is self._screen:
            return
        before, self._screen = self._screen, screen
        if screen is Screen.RESULT:
            self.metrics.invoice_issued("blue")
        elif screen in FAILURES:
            self.metrics.failure(screen.value)
        if before in RESTING and screen not in RESTING and self._started is None:
            self._started = self.clock()
        elif screen in (Screen.ATTRACT, Screen.OUT_OF_SERVICE) and self._started is not None:
            self.metrics.sessions.observe(max(0.0, self.clock() - self._started))
            self._started = None

    def touched(self) -> None:
        self.metrics.touches.inc()

    def stalled(self, seconds: float) -> None:
        """The event loop was late by ``seconds`` (the UI thread's timer saw it)."""
        self._stall_max = max(self._stall_max, seconds)

    # --- samples ---------------------------------------------------------------------

    def sample_devices(self, statuses: Mapping[str, StatusEvent]) -> None:
        for name, event in statuses.items():
            self.metrics.set_device(name, event.status.value, event.status not in _DOWN)
        self.metrics.ui_stall.set(self._stall_max)
        self._stall_max = 0.0

    def sample_backlog(self, backlog: int) -> None:
        self.metrics.outbox_backlog.set(backlog)

    def sample_platform(self, health: PlatformHealth) -> None:
        """The platform's answer to ``health()`` (asked on a pool thread: it may be slow)."""
        self.metrics.platform_up.set(1 if health.ok else 0)
        if health.quota is not None:
            self.metrics.quota_left.set(float(health.quota))
