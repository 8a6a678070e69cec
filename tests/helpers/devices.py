"""Test helpers for devices: waiting on status events and callbacks without sleeping."""

from __future__ import annotations

import queue
import threading
import time
from typing import Any

from drivers.base import DeviceStatus, StatusEvent


class Recorder:
    """A callback that queues what it is called with; ``get`` waits with a timeout."""

    def __init__(self) -> None:
        self.items: queue.Queue[Any] = queue.Queue()
        self.history: list[Any] = []

    def __call__(self, *args: Any) -> None:
        item = args[0] if len(args) == 1 else args
        self.history.append(item)
        self.items.put(item)

    def get(self, timeout: float = 5.0) -> Any:
        try:
            return self.items.get(timeout=timeout)
        except queue.Empty:
            raise AssertionError(f"nothing arrived within {timeout}s "
                                 f"(seen so far: {self.history!r})") from None

    def assert_nothing(self, within: float) -> None:
        """Nothing arrives within ``within`` seconds (a bounded queue wait, not a sleep)."""
        try:
            item = self.items.get(timeout=within)
        except queue.Empty:
            return
        raise AssertionError(f"unexpected {item!r}")


class StatusRecorder(Recorder):
    """Records :class:`StatusEvent` s; :meth:`wait_for` skips until a given status."""

    def wait_for(self, status: DeviceStatus, device: str | None = None,
                 timeout: float = 5.0) -> StatusEvent:
        end = time.monotonic() + timeout
        while True:
            remaining = end - time.monotonic()
            if remaining <= 0:
                raise AssertionError(f"no {device or ''} {status} within {timeout}s; "
                                     f"seen: {self.history!r}")
            event = self.get(remaining)
            if event.status == status and (device is None or event.device == device):
                return event


def new_threads(before: set[threading.Thread]) -> list[threading.Thread]:
    """Threads alive now that were not in ``before`` (a ``set(threading.enumerate())``)."""
    return [t for t in threading.enumerate() if t not in before and t.is_alive()]
