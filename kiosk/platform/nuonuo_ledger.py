"""The Nuonuo adapter's own record: which orderNo each kiosk request uses, and what came back.

A real provider knows orderNos, not the kiosk's request ids and shop orders,
so the adapter keeps (SQLite, ``<data folder>/nuonuo.db``, WAL, every write
one ``BEGIN IMMEDIATE`` transaction so processes and threads serialise):

- ``requests``: request id -> the request, its current ``order_no`` and
  ``attempt``, and ``state`` (``sent`` = persisted before sending, outcome
  not yet known; ``failed`` = a definite failure, the next attempt takes a
  new orderNo; ``issued``), the provider's serial number, the invoice number;
- ``invoices``: the issued invoices as the kiosk built them from the
  provider's answer, by number and Beijing day.

The orderNo is written here BEFORE the billing request leaves, so a crash at
any point resubmits the same orderNo (answered ``E9106``), never a new one.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from kiosk.model import Invoice, InvoiceRequest, RedLetterForm
from kiosk.platform.codec import from_data, to_data
from kiosk.platform.nuonuo_mapping import PLATFORM_TZ, order_no_for

_SCHEMA = """
CREATE TABLE IF NOT EXISTS requests (
    request_id TEXT PRIMARY KEY,
    data TEXT NOT NULL,
    order_no TEXT NOT NULL UNIQUE,
    attempt INTEGER NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('sent', 'failed', 'issued')),
    serial_no TEXT NOT NULL DEFAULT '',
    invoice_number TEXT NOT NULL DEFAULT '',
    fail_code TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS request_orders (
    order_no TEXT NOT NULL,
    request_id TEXT NOT NULL REFERENCES requests(request_id),
    PRIMARY KEY (order_no, request_id)
);
CREATE TABLE IF NOT EXISTS invoices (
    number TEXT PRIMARY KEY,
    request_id TEXT NOT NULL,
    day TEXT NOT NULL,
    data TEXT NOT NULL,
    urls TEXT NOT NULL DEFAULT '{}',
    original_number TEXT NOT NULL DEFAULT '',
    total TEXT NOT NULL DEFAULT '0'
);
CREATE INDEX IF NOT EXISTS invoices_original ON invoices(original_number);
CREATE INDEX IF NOT EXISTS invoices_day ON invoices(day);
CREATE TABLE IF NOT EXISTS red_bills (
    bill_id TEXT PRIMARY KEY,
    original_number TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('sent', 'filed', 'failed')),
    form_number TEXT NOT NULL DEFAULT '',
    form TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS red_issues (
    form_number TEXT PRIMARY KEY,
    order_no TEXT NOT NULL UNIQUE,
    attempt INTEGER NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('sent', 'failed', 'issued')),
    invoice_number TEXT NOT NULL DEFAULT ''
);
"""


@dataclass(frozen=True)
class Entry:
    request: InvoiceRequest
    order_no: str
    attempt: int
    state: str
    serial_no: str
    invoice_number: str


class Ledger:
    """One long-lived connection per process (opening and closing one per call would
    checkpoint the WAL each time: ~25 ms an issue), shared by threads under a lock."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.RLock()
        self._db = sqlite3.connect(self.path, timeout=30, isolation_level=None,
                                   check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")  # the orderNo is on disk before sending
        self._db.executescript(_SCHEMA)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    @contextlib.contextmanager
    def _conn(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            yield self._db

    @contextlib.contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        with self._conn() as conn:
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    @staticmethod
    def _entry(row: tuple[str, str, int, str, str, str]) -> Entry:
        data, order_no, attempt, state, serial, number = row
        return Entry(from_data(InvoiceRequest, json.loads(data), "request"), order_no, attempt,
                     state, serial, number)

    def entry(self, request_id: str) -> Entry | None:
        with self._conn() as conn:
            row = conn.execute(
                "SELECT data, order_no, attempt, state, serial_no, invoice_number FROM requests"
                " WHERE request_id = ?", [request_id]).fetchone()
        return None if row is None else self._entry(row)

    def prepare(self, request: InvoiceRequest) -> Entry:
        """The entry to send now: the same orderNo while the outcome is open, a new one after a failure."""
        with self._tx() as conn:
            row = conn.execute(
                "SELECT data, order_no, attempt, state, serial_no, invoice_number FROM requests"
                " WHERE request_id = ?", [request.request_id]).fetchone()
            data = json.dumps(to_data(request), ensure_ascii=False)
            if row is None:
                order_no = order_no_for(request.request_id, 1)
                conn.execute("INSERT INTO requests(request_id, data, order_no, attempt, state)"
                             " VALUES (?, ?, ?, 1, 'sent')", [request.request_id, data, order_no])
                conn.executemany("INSERT OR IGNORE INTO request_orders VALUES (?, ?)",
                                 [(o, request.request_id) for o in request.order_nos])
                return Entry(request, order_no, 1, "sent", "", "")
            entry = self._entry(row)
            if entry.state != "failed":
                return entry
            attempt = entry.attempt + 1
            order_no = order_no_for(request.request_id, attempt)
            conn.execute("UPDATE requests SET data = ?, order_no = ?, attempt = ?, state = 'sent',"
                         " serial_no = '', fail_code = '' WHERE request_id = ?",
                         [data, order_no, attempt, request.request_id])
            return Entry(request, order_no, attempt, "sent", "", "")

    def fail(self, request_id: str, order_no: str, code: str) -> None:
        """A definite failure of ``order_no``: the next attempt takes a new orderNo."""
        with self._tx() as conn:
            conn.execute("UPDATE requests SET state = 'failed', fail_code = ?"
                         " WHERE request_id = ? AND order_no = ? AND state = 'sent'",
                         [code, request_id, order_no])

    def record(self, invoice: Invoice, urls: dict[str, str], serial_no: str = "") -> Invoice:
        """Store the issued invoice and its document URLs (first writer wins); mark it issued."""
        day = invoice.issued_at.astimezone(PLATFORM_TZ).date().isoformat()
        with self._tx() as conn:
            row = conn.execute("SELECT data FROM invoices WHERE number = ?",
                               [invoice.number]).fetchone()
            if row is not None:
                return from_data(Invoice, json.loads(row[0]), "invoice")
            conn.execute("INSERT INTO invoices(number, request_id, day, data, urls)"
                         " VALUES (?, ?, ?, ?, ?)",
                         [invoice.number, invoice.request_id, day,
                          json.dumps(to_data(invoice), ensure_ascii=False), json.dumps(urls)])
            conn.execute("UPDATE requests SET state = 'issued', invoice_number = ?, serial_no = ?"
                         " WHERE request_id = ?", [invoice.number, serial_no, invoice.request_id])
        return invoice

    def invoice(self, number: str) -> Invoice | None:
        with self._conn() as conn:
            row = conn.execute("SELECT data FROM invoices WHERE number = ?", [number]).fetchone()
        return None if row is None else from_data(Invoice, json.loads(row[0]), "invoice")

    def urls(self, number: str) -> dict[str, str]:
        """The provider's document URLs of an invoice (``pdf``, ``ofd``, ``xml``)."""
        with self._conn() as conn:
            row = conn.execute("SELECT urls FROM invoices WHERE number = ?", [number]).fetchone()
        data = json.loads(row[0]) if row else {}
        return {str(k): str(v) for k, v in data.items() if v} if isinstance(data, dict) else {}

    def invoices_on(self, day: str) -> list[Invoice]:
        with self._conn() as conn:
            rows = conn.execute("SELECT data FROM invoices WHERE day = ? ORDER BY number",
                                [day]).fetchall()
        return [from_data(Invoice, json.loads(r[0]), "invoice") for r in rows]

    # --- red letters ----------------------------------------------------------------
    def prepare_bill(self, original_number: str) -> str:
        """The billId to file a form for ``original_number`` with: the unanswered one if any,
        else a new one (deterministic: the original's number and a sequence)."""
        with self._tx() as conn:
            row = conn.execute("SELECT bill_id FROM red_bills WHERE original_number = ?"
                               " AND state = 'sent'", [original_number]).fetchone()
            if row:
                return str(row[0])
            n = conn.execute("SELECT count(*) FROM red_bills WHERE original_number = ?",
                             [original_number]).fetchone()[0]
            bill_id = f"KR{original_number}{int(n) + 1:03d}"
            conn.execute("INSERT INTO red_bills(bill_id, original_number, state) VALUES (?, ?, 'sent')",
                         [bill_id, original_number])
            return bill_id

    def bill_filed(self, bill_id: str, form: RedLetterForm) -> None:
        with self._tx() as conn:
            conn.execute("UPDATE red_bills SET state = 'filed', form_number = ?, form = ?"
                         " WHERE bill_id = ?", [form.form_number,
                                                json.dumps(to_data(form), ensure_ascii=False),
                                                bill_id])

    def bill_failed(self, bill_id: str) -> None:
        with self._tx() as conn:
            conn.execute("UPDATE red_bills SET state = 'failed' WHERE bill_id = ?", [bill_id])

    def form(self, form_number: str) -> tuple[str, RedLetterForm] | None:
        """``(bill_id, the form as filed)`` for a form this kiosk filed."""
        with self._conn() as conn:
            row = conn.execute("SELECT bill_id, form FROM red_bills WHERE form_number = ?",
                               [form_number]).fetchone()
        if row is None:
            return None
        return str(row[0]), from_data(RedLetterForm, json.loads(row[1]), "form")

    def forms_of(self, original_number: str) -> list[str]:
        with self._conn() as conn:
            return [str(r[0]) for r in conn.execute(
                "SELECT form_number FROM red_bills WHERE original_number = ? AND state = 'filed'",
                [original_number]).fetchall()]

    def prepare_red_issue(self, form_number: str) -> tuple[str, str, str]:
        """``(order_no, state, invoice_number)`` of the red invoice of a form; persisted first."""
        with self._tx() as conn:
            row = conn.execute("SELECT order_no, attempt, state, invoice_number FROM red_issues"
                               " WHERE form_number = ?", [form_number]).fetchone()
            if row is None:
                order_no = order_no_for("RED-" + form_number, 1)
                conn.execute("INSERT INTO red_issues(form_number, order_no, attempt, state)"
                             " VALUES (?, ?, 1, 'sent')", [form_number, order_no])
                return order_no, "sent", ""
            order_no, attempt, state, number = str(row[0]), int(row[1]), str(row[2]), str(row[3])
            if state == "failed":
                order_no = order_no_for("RED-" + form_number, attempt + 1)
                conn.execute("UPDATE red_issues SET order_no = ?, attempt = ?, state = 'sent'"
                             " WHERE form_number = ?", [order_no, attempt + 1, form_number])
                return order_no, "sent", ""
            return order_no, state, number

    def red_order_no(self, form_number: str) -> str:
        """The orderNo our red-invoice request for the form used, "" if none was sent."""
        with self._conn() as conn:
            row = conn.execute("SELECT order_no FROM red_issues WHERE form_number = ?"
                               " AND state = 'sent'", [form_number]).fetchone()
        return str(row[0]) if row else ""

    def red_issue_failed(self, form_number: str) -> None:
        with self._tx() as conn:
            conn.execute("UPDATE red_issues SET state = 'failed' WHERE form_number = ?",
                         [form_number])

    def record_red(self, invoice: Invoice, urls: dict[str, str]) -> Invoice:
        day = invoice.issued_at.astimezone(PLATFORM_TZ).date().isoformat()
        with self._tx() as conn:
            row = conn.execute("SELECT data FROM invoices WHERE number = ?",
                               [invoice.number]).fetchone()
            if row is not None:
                return from_data(Invoice, json.loads(row[0]), "invoice")
            conn.execute("INSERT INTO invoices(number, request_id, day, data, urls,"
                         " original_number, total) VALUES (?, '', ?, ?, ?, ?, ?)",
                         [invoice.number, day, json.dumps(to_data(invoice), ensure_ascii=False),
                          json.dumps(urls), invoice.original_number, str(invoice.total)])
            conn.execute("UPDATE red_issues SET state = 'issued', invoice_number = ?"
                         " WHERE form_number = ?", [invoice.number, invoice.red_form_number])
        return invoice

    def red_total_of(self, original_number: str) -> Decimal:
        """What red invoices have credited against a blue one (a negative sum)."""
        with self._conn() as conn:
            rows = conn.execute("SELECT total FROM invoices WHERE original_number = ?",
                                [original_number]).fetchall()
        return sum((Decimal(r[0]) for r in rows), Decimal("0.00"))

    def holders(self, order_no: str) -> list[tuple[str, str, str]]:
        """``(request_id, state, invoice_number)`` of every request that names shop order ``order_no``."""
        with self._conn() as conn:
            return [(str(a), str(b), str(c)) for a, b, c in conn.execute(
                "SELECT r.request_id, r.state, r.invoice_number FROM request_orders o"
                " JOIN requests r ON r.request_id = o.request_id WHERE o.order_no = ?",
                [order_no]).fetchall()]
