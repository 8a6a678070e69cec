"""The fleet in the running kiosk (issue 16, docs/fleet.md): wired only when ``[fleet]``
is on (nats-py costs ~0.13 s of import before the first frame).

* the publisher, update watcher and metrics (:func:`kiosk.fleet.wiring.start_fleet`);
* :class:`~kiosk.fleet.policy.FleetPolicy`: applied updates put in force (catalogue,
  rates, tax codes at once; announcements and opening hours at the next check of the
  session, every :data:`POLICY_INTERVAL_MS`; a new configuration override restarts the
  kiosk at a quiet moment under systemd);
* :class:`~kiosk.fleet.feed.MetricsFeed` fed from the session, the devices, the issue
  outbox, the platform's health (on the pool), touches and event-loop stalls.
"""

from __future__ import annotations

import logging
import os
import time
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QWindow
from PySide6.QtWidgets import QApplication

from app.core import Core
from drivers.manager import DeviceManager
from kiosk.fleet.daily import send_daily_reports
from kiosk.fleet.feed import MetricsFeed
from kiosk.fleet.policy import FleetPolicy
from kiosk.fleet.wiring import Fleet, start_fleet
from kiosk.platform.gateway import PlatformHealth
from kiosk.storage import DB_FILE
from ui.runner import QtRunner

log = logging.getLogger("kiosk.app")

POLICY_INTERVAL_MS = 5_000
SAMPLE_INTERVAL_MS = 15_000
STALL_TICK_MS = 100
RESTART_EXIT_CODE = 75  # EX_TEMPFAIL: systemd's Restart=always starts the kiosk again


class _Touches(QObject):
    """Counts presses: each arrives at its top-level QWindow once, before any widget."""

    def __init__(self, feed: MetricsFeed) -> None:
        super().__init__()
        self.feed = feed

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if event.type() in (QEvent.Type.MouseButtonPress, QEvent.Type.TouchBegin) \
                and isinstance(watched, QWindow):
            self.feed.touched()
        return False


@dataclass
class FleetGui:
    fleet: Fleet
    policy: FleetPolicy
    feed: MetricsFeed
    timers: tuple[QTimer, ...]
    touches: _Touches

    def sample(self, core: Core, devices: DeviceManager, runner: QtRunner) -> None:
        """Devices now; the issue backlog and the platform's health on the pool."""
        self.feed.sample_devices(devices.statuses())

        def ask() -> tuple[int, PlatformHealth]:  # database and network: off the UI thread
            return len(core.issuing.pending()), core.gateway.health()

        def done(answer: tuple[int, PlatformHealth] | None, error: BaseException | None) -> None:
            if answer is not None:
                self.feed.sample_backlog(answer[0])
                self.feed.sample_platform(answer[1])
            elif error is not None:
                log.warning("fleet sample failed: %s", error, extra={"event": "fleet.feed_failed"})

        runner.submit("fleet-health", ask, done)

    def stop(self) -> None:
        for timer in self.timers:
            timer.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self.touches)
        self.fleet.stop()


def install_fleet(core: Core, devices: DeviceManager, app: QApplication,
                  runner: QtRunner) -> FleetGui | None:
    """Start the fleet side of this kiosk; None when ``[fleet]`` is off."""
    config = core.config
    restart = None
    if os.environ.get("INVOCATION_ID"):  # under systemd: it starts the kiosk again
        def restart() -> None:
            QTimer.singleShot(0, lambda: app.exit(RESTART_EXIT_CODE))

    policy = FleetPolicy(core.catalogue, restart=restart)
    session = core.session
    fleet = start_fleet(config, config.data_path / DB_FILE, policy=policy, status=lambda: {
        "state": session.screen.value,
        "devices": {name: event.status.value for name, event in devices.statuses().items()}})
    if fleet is None:
        return None
    feed = MetricsFeed(fleet.metrics)
    session.add_listener(feed.on_session)
    touches = _Touches(feed)
    app.installEventFilter(touches)

    policy_timer = QTimer(app)
    policy_timer.setInterval(POLICY_INTERVAL_MS)
    policy_timer.timeout.connect(lambda: policy.apply_to(session))
    stall_timer = QTimer(app)
    stall_timer.setInterval(STALL_TICK_MS)
    last = [time.monotonic()]

    def tick() -> None:
        now = time.monotonic()
        feed.stalled(max(0.0, now - last[0] - STALL_TICK_MS / 1000))
        last[0] = now

    stall_timer.timeout.connect(tick)
    sample_timer = QTimer(app)
    sample_timer.setInterval(SAMPLE_INTERVAL_MS)
    handle = FleetGui(fleet, policy, feed, (policy_timer, stall_timer, sample_timer), touches)
    sample_timer.timeout.connect(lambda: handle.sample(core, devices, runner))
    for timer in handle.timers:
        timer.start()
    policy.apply_to(session)  # closed hours show from the first frame
    # The day's reconciliation goes to the back office after midnight (the pump's thread).
    core.pump_jobs.append(lambda: send_daily_reports(core.db, core.gateway,
                                                     fleet.publisher.record))
    core.closers.append(handle.stop)
    return handle
