"""The daily report goes to the back office by itself (issue 16, item 1).

Once a Beijing calendar day has ended, the kiosk's reconciliation of that day
(:func:`kiosk.report.daily_report`: its own record against the platform's
listing) is queued as a ``daily_report`` record, with the platform's invoice
numbers so the back office can reconcile what it received against the
platform too. The last day sent is kept in the database's ``meta`` table, so
a kiosk that was off or offline for days sends each missed day (up to
:data:`CATCH_UP_DAYS`) once, in order. Runs on the pump's pool thread: the
platform listing is a network call.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import Any

import sqlite_utils

from kiosk.report import daily_report
from kiosk.storage import get_meta, set_meta

log = logging.getLogger("kiosk.fleet.daily")

CHINA = dt.timezone(dt.timedelta(hours=8))
LAST_DAY_KEY = "fleet.daily_report_day"
CATCH_UP_DAYS = 7  # a kiosk back after a long absence sends its last week, not a year

Record = Callable[[str, dict[str, Any]], int]


def days_due(last: dt.date | None, today: dt.date) -> list[dt.date]:
    """The ended days not reported yet, oldest first (yesterday alone on a first run)."""
    first = today - dt.timedelta(days=1) if last is None else last + dt.timedelta(days=1)
    first = max(first, today - dt.timedelta(days=CATCH_UP_DAYS))
    return [first + dt.timedelta(days=i) for i in range((today - first).days)]


def send_daily_reports(db: sqlite_utils.Database, gateway: Any, record: Record,
                       now: dt.datetime | None = None) -> list[dt.date]:
    """Queue the report of every ended day not sent yet; returns the days sent. A platform
    that does not answer leaves the day for the next pump (nothing is marked sent)."""
    today = (now or dt.datetime.now(CHINA)).astimezone(CHINA).date()
    stored = get_meta(db, LAST_DAY_KEY)
    last = dt.date.fromisoformat(stored) if stored else None
    sent: list[dt.date] = []
    for day in days_due(last, today):
        report = daily_report(db, gateway, day)
        record("daily_report", report.to_dict())
        set_meta(db, LAST_DAY_KEY, day.isoformat())
        sent.append(day)
        log.info("daily report of %s queued for the back office", day, extra={
            "event": "fleet.daily_report", "day": day.isoformat(), "ok": report.ok,
            "differences": len(report.differences)})
    return sent
