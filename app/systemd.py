"""systemd, seen from the running Qt application: READY, WATCHDOG, STATUS and SIGTERM.

:func:`install_systemd_integration` wires a running Qt application to systemd
through the Qt-free :mod:`kiosk.sdnotify`: READY once the event loop runs,
WATCHDOG from a timer on the UI thread (so a frozen UI stops the pings and
systemd restarts the kiosk), STATUS text, and SIGTERM/SIGINT handled inside the
Qt loop (Python only runs signal handlers between bytecodes, which a blocking Qt
event loop never reaches, so the signal's byte is written to a socket a
``QSocketNotifier`` watches).
"""

from __future__ import annotations

import logging
import signal
import socket
from collections.abc import Callable
from types import FrameType

from PySide6.QtCore import QCoreApplication, QSocketNotifier, QTimer

from kiosk.sdnotify import ready, status, stopping, watchdog, watchdog_interval_s

log = logging.getLogger("kiosk.systemd")


class SystemdIntegration:
    """What :func:`install_systemd_integration` returns; keep a reference to it."""

    def __init__(self, app: QCoreApplication, on_terminate: Callable[[], None]) -> None:
        self.app = app
        self.on_terminate = on_terminate
        self.terminating = False
        self.received_signal: int | None = None
        self.ready_sent = False
        self.watchdog_pings = 0

        # READY once the loop runs: a zero timer fires from inside exec().
        QTimer.singleShot(0, self._ready)

        interval = watchdog_interval_s()
        self.watchdog_timer: QTimer | None = None
        if interval:
            self.watchdog_timer = QTimer(app)
            self.watchdog_timer.setInterval(max(1, int(interval * 1000 / 2)))
            self.watchdog_timer.timeout.connect(self._ping)
            self.watchdog_timer.start()

        # Signals: the C-level handler writes the signal number to this socket pair.
        self._rsock, self._wsock = socket.socketpair()
        self._rsock.setblocking(False)
        self._wsock.setblocking(False)
        self._old_wakeup = signal.set_wakeup_fd(self._wsock.fileno(), warn_on_full_buffer=False)
        self._old_handlers = {
            sig: signal.signal(sig, self._python_handler) for sig in (signal.SIGTERM, signal.SIGINT)
        }
        self.notifier = QSocketNotifier(self._rsock.fileno(), QSocketNotifier.Type.Read, app)
        self.notifier.activated.connect(self._on_wakeup)
        app.aboutToQuit.connect(self.uninstall)

    def _ready(self) -> None:
        if not self.ready_sent:
            self.ready_sent = True
            ready()
            log.info("kiosk ready", extra={"event": "systemd.ready",
                                            "watchdog_s": watchdog_interval_s()})

    def _ping(self) -> None:
        self.watchdog_pings += 1
        watchdog()

    def set_status(self, text: str) -> None:
        status(text)

    def _python_handler(self, signum: int, frame: FrameType | None) -> None:
        # Runs when Python gets control (e.g. in a slot); the wakeup fd already woke Qt.
        self.received_signal = signum

    def _on_wakeup(self, *_: object) -> None:
        try:
            data = self._rsock.recv(64)
        except (BlockingIOError, InterruptedError):
            return
        for signum in data:
            if signum in (signal.SIGTERM, signal.SIGINT):
                self.terminate(signum)

    def terminate(self, signum: int | None = None) -> None:
        """Close down once: STOPPING, the caller's clean-up, then quit the loop."""
        if self.terminating:
            return
        self.terminating = True
        self.received_signal = signum or self.received_signal
        name = signal.Signals(signum).name if signum else "request"
        log.info("stopping on %s", name, extra={"event": "systemd.stopping", "signal": name})
        stopping()
        try:
            self.on_terminate()
        except Exception:
            log.exception("clean-up on stop failed", extra={"event": "systemd.cleanup_failed"})
        self.app.quit()

    def uninstall(self) -> None:
        """Stop the timer and give the signal set-up back (called on aboutToQuit)."""
        if self.watchdog_timer is not None:
            self.watchdog_timer.stop()
        if self.notifier is not None:
            self.notifier.setEnabled(False)
        if self._old_handlers:
            for sig, handler in self._old_handlers.items():
                signal.signal(sig, signal.SIG_DFL if handler is None else handler)
            signal.set_wakeup_fd(self._old_wakeup)
            self._old_handlers = {}
            self._rsock.close()
            self._wsock.close()


def install_systemd_integration(app: QCoreApplication, on_terminate: Callable[[], None]) -> SystemdIntegration:
    """Wire ``app`` (a QCoreApplication) to systemd; call before ``app.exec()``.

    Must be called from the main thread (signal handlers live there). Keep the
    returned object: ``.set_status(text)`` sends STATUS, ``.terminate()``
    stops the same way SIGTERM does.
    """
    return SystemdIntegration(app, on_terminate)
