"""Daily reconciliation: what the kiosk issued on a day against what the platform has.

The kiosk side is its own record (``issued_invoices``, written by
:mod:`kiosk.issuing` in the same transaction as the audit row), split into
blue and red invoices with count, net (金额), tax (税额) and total (价税合计).

The platform side comes from the gateway:

- :meth:`~kiosk.platform.gateway.IssuingGateway.list_invoices` (the per-day
  listing both gateways offer) is used and both directions are compared
  fully: an invoice on the platform the kiosk never recorded (issued by
  another channel, or an answer the kiosk lost) is ``missing_in_kiosk``. A
  kiosk invoice the listing lacks is looked up by number, to tell
  ``day_mismatch`` (dated another day there) from ``missing_on_platform``;
- a gateway without ``list_invoices`` (an older adapter) falls back: every
  kiosk invoice is looked up by number (``get_invoice``), and every request
  the kiosk sent that day without recording an invoice
  (pending/sent/unknown/rejected) is asked about (``query_request``). That
  finds invoices missing on the platform, amounts that differ and invoices
  the kiosk lost, but NOT invoices issued at the platform by other channels
  for this seller: the report says so (``coverage``).

Days are Beijing time (UTC+8), as the tax platform counts them.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from typing import Any

import sqlite_utils

from kiosk.model import Colour, Invoice

REPORT_TZ = dt.timezone(dt.timedelta(hours=8), "CST")
ZERO = Decimal("0.00")

LISTING = "listing"
LOOKUP = "lookup"


@dataclass(frozen=True)
class Summary:
    """One invoice as the report needs it."""

    number: str
    colour: str  # blue | red
    net: Decimal
    tax: Decimal
    total: Decimal
    issued_at: str

    @classmethod
    def of(cls, invoice: Invoice) -> Summary:
        return cls(invoice.number, Colour(invoice.colour).value, invoice.total_net,
                   invoice.total_tax, invoice.total, invoice.issued_at.isoformat())


@dataclass
class Totals:
    count: int = 0
    net: Decimal = ZERO
    tax: Decimal = ZERO
    total: Decimal = ZERO

    def add(self, s: Summary) -> None:
        self.count += 1
        self.net += s.net
        self.tax += s.tax
        self.total += s.total

    def plus(self, other: Totals) -> Totals:
        return Totals(self.count + other.count, self.net + other.net, self.tax + other.tax,
                      self.total + other.total)


def totals_of(items: Iterable[Summary]) -> dict[str, Totals]:
    out = {"blue": Totals(), "red": Totals()}
    for s in items:
        out[s.colour].add(s)
    out["all"] = out["blue"].plus(out["red"])  # blue + red: the net of the day
    return out


@dataclass(frozen=True)
class Difference:
    kind: str  # missing_on_platform | missing_in_kiosk | amount_mismatch | day_mismatch
    #            | no_audit_row
    number: str
    detail: str


@dataclass
class DailyReport:
    day: dt.date
    kiosk: dict[str, Totals]
    platform: dict[str, Totals]
    differences: list[Difference]
    coverage: str  # listing | lookup
    notes: list[str] = field(default_factory=list)
    platform_numbers: tuple[str, ...] = ()  # what the platform has for the day (the fleet's
    # back office reconciles the invoices it received against it)

    @property
    def ok(self) -> bool:
        return not self.differences

    def to_dict(self) -> dict[str, Any]:
        def totals(t: dict[str, Totals]) -> dict[str, Any]:
            return {k: {"count": v.count, "net": str(v.net), "tax": str(v.tax),
                        "total": str(v.total)} for k, v in t.items()}

        return {"day": self.day.isoformat(), "timezone": "UTC+08:00", "ok": self.ok,
                "coverage": self.coverage, "kiosk": totals(self.kiosk),
                "platform": totals(self.platform),
                "differences": [asdict(d) for d in self.differences], "notes": self.notes,
                "platform_numbers": list(self.platform_numbers)}


# --- reading the two sides ---------------------------------------------------------------


def day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    start = dt.datetime.combine(day, dt.time(), REPORT_TZ)
    return start, start + dt.timedelta(days=1)


def _in_day(stamp: str, day: dt.date) -> bool:
    t = dt.datetime.fromisoformat(stamp)
    if t.tzinfo is None:
        t = t.replace(tzinfo=dt.UTC)
    start, end = day_bounds(day)
    return start <= t < end


def _near(day: dt.date) -> list[str]:
    """Candidate date prefixes: an ISO stamp in any zone falls within a day of it."""
    return [(day + dt.timedelta(days=d)).isoformat() for d in (-1, 0, 1)]


def kiosk_invoices(db: sqlite_utils.Database, day: dt.date) -> list[Summary]:
    """The kiosk's recorded invoices issued on ``day`` (Beijing time)."""
    from kiosk.platform.codec import from_data

    rows = db.execute(
        "SELECT data, issued_at FROM issued_invoices WHERE substr(issued_at, 1, 10) IN (?, ?, ?)"
        " ORDER BY number", _near(day)).fetchall()
    return [Summary.of(from_data(Invoice, json.loads(data)))
            for data, issued_at in rows if _in_day(issued_at, day)]


def unsettled_requests(db: sqlite_utils.Database, day: dt.date) -> list[str]:
    """Request ids created on ``day`` that the kiosk holds no invoice for."""
    rows = db.execute(
        "SELECT request_id, created_at FROM issue_requests WHERE status != 'issued'"
        " AND substr(created_at, 1, 10) IN (?, ?, ?) ORDER BY created_at", _near(day)).fetchall()
    return [rid for rid, created in rows if _in_day(created, day)]


def audited_numbers(db: sqlite_utils.Database, numbers: list[str]) -> set[str]:
    """Which of ``numbers`` have an ``invoice.issued``/``invoice.red_issued`` audit row."""
    if not numbers or not db["audit_log"].exists():
        return set()
    marks = ", ".join("?" for _ in numbers)
    rows = db.execute(
        "SELECT DISTINCT json_extract(data, '$.number') FROM audit_log"
        " WHERE action IN ('invoice.issued', 'invoice.red_issued')"
        f" AND json_extract(data, '$.number') IN ({marks})", numbers).fetchall()
    return {r[0] for r in rows}


# --- the comparison ----------------------------------------------------------------------------


def daily_report(db: sqlite_utils.Database, gateway: Any, day: dt.date) -> DailyReport:
    """Compare the kiosk's record of ``day`` with the platform's (see the module doc)."""
    mine = {s.number: s for s in kiosk_invoices(db, day)}
    notes: list[str] = []
    lister: Callable[[dt.date], Iterable[Invoice]] | None = getattr(gateway, "list_invoices", None)
    theirs: dict[str, Summary] = {}
    moved: list[Difference] = []  # on the platform, but under another day
    if callable(lister):
        coverage = LISTING
        theirs = {s.number: s for s in map(Summary.of, lister(day))}
        for number in sorted(set(mine) - set(theirs)):  # not listed: another day, or unknown?
            found = gateway.get_invoice(number)
            if found is not None and not _in_day(found.issued_at.isoformat(), day):
                moved.append(_day_mismatch(found, mine[number]))
    else:
        coverage = LOOKUP
        notes.append("the platform offers no per-day listing: each kiosk invoice was looked up "
                     "by number, and each unsettled request by id; invoices issued for this "
                     "seller outside this kiosk cannot be seen")
        for number in mine:
            found = gateway.get_invoice(number)
            if found is None:
                continue
            if not _in_day(found.issued_at.isoformat(), day):
                moved.append(_day_mismatch(found, mine[number]))
                continue
            theirs[number] = Summary.of(found)
        for rid in unsettled_requests(db, day):
            found = gateway.query_request(rid)
            if found is not None and _in_day(found.issued_at.isoformat(), day):
                theirs[found.number] = Summary.of(found)
    diffs: list[Difference] = []
    diffs += moved
    dated_elsewhere = {d.number for d in moved}
    for number in sorted(set(mine) | set(theirs)):
        a, b = mine.get(number), theirs.get(number)
        if number in dated_elsewhere:
            continue
        if b is None:
            assert a is not None
            diffs.append(Difference("missing_on_platform", number,
                                    f"kiosk has a {a.colour} invoice of {a.total}; the platform "
                                    "does not know it"))
        elif a is None:
            diffs.append(Difference("missing_in_kiosk", number,
                                    f"the platform has a {b.colour} invoice of {b.total} the "
                                    "kiosk did not record"))
        elif (a.colour, a.net, a.tax, a.total) != (b.colour, b.net, b.tax, b.total):
            diffs.append(Difference("amount_mismatch", number,
                                    f"kiosk {a.colour} net {a.net} tax {a.tax} total {a.total}; "
                                    f"platform {b.colour} net {b.net} tax {b.tax} total {b.total}"))
    audited = audited_numbers(db, list(mine))
    for number in sorted(set(mine) - audited):
        diffs.append(Difference("no_audit_row", number,
                                "recorded as issued but the audit trail has no row for it"))
    return DailyReport(day, totals_of(mine.values()), totals_of(theirs.values()), diffs,
                       coverage, notes, tuple(sorted(theirs)))


def _day_mismatch(found: Invoice, mine: Summary) -> Difference:
    kiosk_at = dt.datetime.fromisoformat(mine.issued_at).astimezone(REPORT_TZ)
    return Difference(
        "day_mismatch", found.number, f"the platform dates it "
        f"{found.issued_at.astimezone(REPORT_TZ):%Y-%m-%d %H:%M}, the kiosk "
        f"{kiosk_at:%Y-%m-%d %H:%M}")


# --- output ------------------------------------------------------------------------------------------


def format_report(report: DailyReport) -> str:
    head = f"Daily report {report.day.isoformat()} (Beijing time)"
    cols = f"{'':<9}{'count':>6} {'net':>14} {'tax':>12} {'total':>14}"
    lines = [head, ""]
    for side, totals in (("kiosk", report.kiosk), ("platform", report.platform)):
        lines.append(f"{side}:")
        lines.append(cols)
        for label, key in (("blue", "blue"), ("red", "red"), ("all", "all")):
            t = totals[key]
            lines.append(f"  {label:<7}{t.count:>6} {t.net:>14} {t.tax:>12} {t.total:>14}")
        lines.append("")
    if report.differences:
        lines.append(f"DIFFERENCES ({len(report.differences)}):")
        for d in report.differences:
            lines.append(f"  {d.kind.upper():<20} {d.number:<22} {d.detail}")
    else:
        lines.append("no differences")
    for note in report.notes:
        lines.append(f"note: {note}")
    return "\n".join(lines)


def format_json(report: DailyReport) -> str:
    return json.dumps(report.to_dict(), ensure_ascii=False)


def parse_day(text: str | None, now: dt.datetime | None = None) -> dt.date:
    """``YYYY-MM-DD``, ``today`` or ``yesterday`` (Beijing time); default today."""
    today = (now or dt.datetime.now(dt.UTC)).astimezone(REPORT_TZ).date()
    if not text or text == "today":
        return today
    if text == "yesterday":
        return today - dt.timedelta(days=1)
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"not a date: {text!r} (use YYYY-MM-DD, today or yesterday)") from None
