"""What every device shares: an explicit status, pushed to listeners.

Exceptions stop at the driver boundary: a device catches its transport's
errors and turns them into a :class:`DeviceStatus` plus a human message.
Listeners are plain callables invoked from the device's worker thread; the UI
layer adapts them to queued Qt signals. Drivers stay free of Qt widgets.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum


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
    def usable(self) -> bool:
        return self in (DeviceStatus.READY, DeviceStatus.BUSY, DeviceStatus.PAPER_LOW)


@dataclass(frozen=True)
class StatusEvent:
    device: str  # "printer", "scanner", "idcard", "camera"
    status: DeviceStatus
    message: str = ""  # for people: what is wrong and what to do


StatusListener = Callable[[StatusEvent], None]


class StatusPublisher:
    """Holds a device's current status and tells listeners when it changes."""

    def __init__(self, device: str) -> None:
        self.device = device
        self._status = StatusEvent(device, DeviceStatus.UNKNOWN, "")
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

    def publish(self, status: DeviceStatus, message: str = "") -> None:
        event = StatusEvent(self.device, status, message)
        with self._lock:
            changed = event != self._status
            self._status = event
            listeners = list(self._listeners)
        if not changed:
            return
        self._log.info(
            "%s status %s %s", self.device, status.value, message,
            extra={"event": "device.status", "device": self.device, "status": status.value},
        )
        for listener in listeners:
            try:
                listener(event)
            except Exception:  # a listener's bug must not kill a device worker
                self._log.exception("status listener failed")
