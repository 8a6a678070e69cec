"""The kiosk's warnings and errors, for the back office's "recent log events" (issue 16).

:class:`LogFeed` is a logging handler on the root logger: a record at WARNING
or above is masked by the same filter as the log files (:class:`kiosk.logs.
MaskingFilter`: no ID number, phone or e-mail leaves the kiosk), reduced to
its time, level, logger, event and message, and kept in a bounded queue that
the publisher drains into the fleet outbox (so it survives being offline like
every other record). The fleet's own loggers (and the NATS client's) are left out: "back office
unreachable" would otherwise queue a record per retry while offline, and the
heartbeat already shows it. A burst beyond :data:`PER_MINUTE` is counted, not
kept, and the count rides on the next event that gets through.
"""

from __future__ import annotations

import collections
import datetime as dt
import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from kiosk.logs import MaskingFilter

PER_MINUTE = 60
QUEUE = 500


class LogFeed(logging.Handler):
    def __init__(self, *, clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__(logging.WARNING)
        self.addFilter(MaskingFilter())
        self.clock = clock
        self._queue: collections.deque[dict[str, Any]] = collections.deque(maxlen=QUEUE)
        self._lock = threading.Lock()
        self._window = (0.0, 0)  # (start of the minute, events in it)
        self.dropped = 0

    def emit(self, record: logging.LogRecord) -> None:
        if record.name.startswith(("kiosk.fleet", "nats")):
            return
        now = self.clock()
        with self._lock:
            start, n = self._window
            if now - start >= 60:
                start, n = now, 0
            if n >= PER_MINUTE or len(self._queue) == self._queue.maxlen:
                self.dropped += 1
                self._window = (start, n)
                return
            self._window = (start, n + 1)
            event: dict[str, Any] = {
                "ts": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(
                    timespec="milliseconds"),
                "level": record.levelname, "logger": record.name,
                "event": str(getattr(record, "event", "")), "message": record.getMessage()[:500],
            }
            if self.dropped:
                event["dropped_before"], self.dropped = self.dropped, 0
            self._queue.append(event)

    def drain(self) -> list[dict[str, Any]]:
        with self._lock:
            events = list(self._queue)
            self._queue.clear()
        return events

    def install(self) -> LogFeed:
        logging.getLogger().addHandler(self)
        return self

    def uninstall(self) -> None:
        logging.getLogger().removeHandler(self)
