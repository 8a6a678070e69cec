"""What every device shares: an explicit status with a problem code, pushed to listeners.

Exceptions stop at the driver boundary: a device catches its transport's
errors and turns them into a :class:`DeviceStatus` plus a
:class:`~drivers.problem.Problem` (a code and parameters; the words live in the
kiosk's one catalogue, :mod:`kiosk.messages`) and an optional technical
``detail`` for the log (English, never personal data). Listeners are plain
callables invoked from the device's worker thread; the UI layer adapts them to
queued Qt signals. Drivers import no Qt.

The device contract itself (a base plus capability protocols) is
:mod:`drivers.contract`.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from drivers.problem import Problem


class DeviceStatus(StrEnum):
    READY = "ready"
    BUSY = "busy"
    PAPER_LOW = "paper_low"  # printer: paper near end (still prints)
    PAPER_OUT = "paper_out"
    COVER_OPEN = "cover_open"
    OFFLINE = "offline"  # unplugged, port gone, no answer
    ERROR = "error"
    UNKNOWN = "unknown"  # not asked yet, or the device stayed silent
    DISABLED = "disabled"  # backend "none" in kiosk.toml

    @property
    def works(self) -> bool:
        """The device answered and can do its job now (a print is only sent then).

        Not the kiosk's "usable" (whether to offer a device to a customer): that is
        :func:`kiosk.devices.usable`, which also offers a device not asked yet."""
        return self in (DeviceStatus.READY, DeviceStatus.BUSY, DeviceStatus.PAPER_LOW)


@dataclass(frozen=True)
class StatusEvent:
    device: str  # "printer", "scanner", "idcard", "camera"
    status: DeviceStatus
    problem: Problem | None = None  # what is wrong, as a catalogue code (None when fine)
    detail: str = ""  # technical detail for logs and technicians (English)

    @property
    def message(self) -> str:
        """The problem code and detail as one line for logs (not for customers)."""
        return ": ".join(p for p in (str(self.problem) if self.problem else "", self.detail) if p)


StatusListener = Callable[[StatusEvent], None]


class StatusPublisher:
    """Holds a device's current status and tells listeners when it changes."""

    def __init__(self, device: str) -> None:
        self.device = device
        self._status = StatusEvent(device, DeviceStatus.UNKNOWN)
        self._listeners: list[StatusListener] = []
        self._lock = threading.Lock()
        self._log = logging.getLogger(f"drivers.{device}")

    @property
    def status(self) -> StatusEvent:
        return self._status

    def add_listener(self, listener: StatusListener) -> None:
        with self._lock:
            self._listeners.append(listener)

    def remove_listener(self, listener: StatusListener) -> None:
        with self._lock:
            if listener in self._listeners:
                self._listeners.remove(listener)

    def publish(self, status: DeviceStatus, problem: Problem | None = None,
                detail: str = "") -> StatusEvent:
        """Set the status; listeners hear of it when it changed. Returns the event."""
        event = StatusEvent(self.device, status, problem, detail)
        with self._lock:
            changed = event != self._status
            self._status = event
            listeners = list(self._listeners)
        if not changed:
            return event
        self._log.info(
            "%s status %s %s", self.device, status.value, event.message,
            extra={"event": "device.status", "device": self.device, "status": status.value,
                   "problem": problem.code if problem else ""},
        )
        for listener in listeners:
            try:
                listener(event)
            except Exception:  # a listener's bug must not kill a device worker
                self._log.exception("status listener failed")
        return event
