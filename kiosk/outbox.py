"""The issuing outbox: durable state of every issue request and every invoice received.

Two ideas kept in one small module because they live and die together:

- ``issue_requests``: one row per request id (derived from the order numbers,
  so one row per set of orders), with the request itself and where it stands
  (:class:`kiosk.model.RequestStatus`): ``pending`` (recorded or queued, not
  sent), ``sent`` (handed to the platform, no answer yet), ``unknown`` (the
  answer was lost: query before any retry), ``issued``, ``rejected``. A row is
  written and committed BEFORE the request is sent, so a power cut at any
  point leaves something :meth:`kiosk.issuing.IssuingService.resolve_pending`
  can finish.
- ``issued_invoices`` + ``issued_invoice_orders``: the invoices the platform
  returned (blue and red), one row per order and invoice, so an order can be
  looked up locally. An order may carry several: a blue invoice, the red ones
  that credit it, and a new blue one after a full credit;
  :meth:`Outbox.invoice_for_order` gives the current (not fully credited) blue.
- ``red_requests`` (one per red-letter form, the red twin of
  ``issue_requests``) and ``red_forms`` (the forms filed from this kiosk, as
  last read from the platform), for :mod:`kiosk.corrections`.

Rows are written through :class:`Outbox` only (issuing and corrections call its
methods, never SQL of their own); every query is parameterised. Each write is a
:meth:`kiosk.storage.Database.write` transaction, so it holds the database's one
write lock.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import sqlite_utils
from sqlite_utils.migrations import Migrations

from kiosk.model import Colour, Invoice, InvoiceRequest, RedLetterForm, RequestStatus
from kiosk.platform.codec import from_data, to_data
from kiosk.platform.gateway import Rejection
from kiosk.storage import Database

migrations = Migrations("outbox")
ZERO = Decimal("0.00")


@migrations()
def m001_outbox(db: sqlite_utils.Database) -> None:
    db.execute(
        """
        CREATE TABLE issue_requests (
            request_id TEXT PRIMARY KEY,
            order_nos TEXT NOT NULL,
            request TEXT NOT NULL,
            status TEXT NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0,
            last_error TEXT NOT NULL DEFAULT '',
            errors TEXT NOT NULL DEFAULT '[]',
            invoice_number TEXT NOT NULL DEFAULT '',
            total TEXT NOT NULL,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            next_attempt_at TEXT NOT NULL
        )
        """
    )
    db.execute("CREATE INDEX issue_requests_status ON issue_requests(status, next_attempt_at)")
    db.execute(
        "CREATE TABLE issue_request_orders ("
        " order_no TEXT NOT NULL,"
        " request_id TEXT NOT NULL REFERENCES issue_requests(request_id) ON DELETE CASCADE,"
        " PRIMARY KEY (order_no, request_id))"
    )
    db.execute(
        """
        CREATE TABLE issued_invoices (
            number TEXT PRIMARY KEY,
            request_id TEXT NOT NULL DEFAULT '',
            issued_at TEXT NOT NULL,
            total TEXT NOT NULL,
            data TEXT NOT NULL,
            xml_path TEXT NOT NULL DEFAULT '',
            pdf_path TEXT NOT NULL DEFAULT '',
            mail_state TEXT NOT NULL DEFAULT 'none',
            stored_at TEXT NOT NULL
        )
        """
    )
    db.execute(
        "CREATE TABLE issued_invoice_orders ("
        " order_no TEXT PRIMARY KEY,"
        " number TEXT NOT NULL REFERENCES issued_invoices(number))"
    )


@migrations()
def m002_red_letters(db: sqlite_utils.Database) -> None:
    """Colours, several invoices per order, red requests and forms (red-letter corrections)."""
    for statement in _M002:
        db.execute(statement)


_M002 = (
    "ALTER TABLE issued_invoices ADD COLUMN colour TEXT NOT NULL DEFAULT 'blue'",
    "ALTER TABLE issued_invoices ADD COLUMN original_number TEXT NOT NULL DEFAULT ''",
    "UPDATE issued_invoices SET colour = coalesce(json_extract(data, '$.colour'), 'blue'),"
    " original_number = coalesce(json_extract(data, '$.original_number'), '')",
    "CREATE INDEX issued_invoices_original ON issued_invoices(original_number)",
    # order_no was the primary key (one invoice per order): now one row per order and invoice.
    "CREATE TABLE issued_invoice_orders_v2 ("
    " order_no TEXT NOT NULL,"
    " number TEXT NOT NULL REFERENCES issued_invoices(number),"
    " PRIMARY KEY (order_no, number))",
    "INSERT OR IGNORE INTO issued_invoice_orders_v2(order_no, number)"
    " SELECT j.value, i.number FROM issued_invoices i, json_each(i.data, '$.order_nos') j",
    "DROP TABLE issued_invoice_orders",
    "ALTER TABLE issued_invoice_orders_v2 RENAME TO issued_invoice_orders",
    """CREATE TABLE red_requests (
        request_id TEXT PRIMARY KEY,            -- 'RF' + the form number
        form_number TEXT NOT NULL UNIQUE,
        original_number TEXT NOT NULL,
        status TEXT NOT NULL,                   -- a RequestStatus value
        attempts INTEGER NOT NULL DEFAULT 0,
        last_error TEXT NOT NULL DEFAULT '',
        errors TEXT NOT NULL DEFAULT '[]',
        invoice_number TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    )""",
    "CREATE INDEX red_requests_status ON red_requests(status)",
    """CREATE TABLE red_forms (
        form_number TEXT PRIMARY KEY,
        original_number TEXT NOT NULL,
        status TEXT NOT NULL,
        data TEXT NOT NULL,                     -- the RedLetterForm as JSON
        updated_at TEXT NOT NULL
    )""",
    "CREATE INDEX red_forms_original ON red_forms(original_number)",
)


ACTIVE = (RequestStatus.PENDING, RequestStatus.SENT, RequestStatus.UNKNOWN)


@dataclass(frozen=True)
class OutboxEntry:
    """One issue request as the outbox holds it."""

    request_id: str
    order_nos: tuple[str, ...]
    status: RequestStatus
    attempts: int
    last_error: str
    errors: tuple[Rejection, ...]
    invoice_number: str
    total: str
    created_at: dt.datetime
    updated_at: dt.datetime
    next_attempt_at: dt.datetime
    request: InvoiceRequest

    @property
    def active(self) -> bool:
        return self.status in ACTIVE


@dataclass(frozen=True)
class RedEntry:
    """One red-invoice request (per red-letter form) as the outbox holds it."""

    request_id: str
    form_number: str
    original_number: str
    status: RequestStatus
    attempts: int
    last_error: str
    errors: tuple[Rejection, ...]
    invoice_number: str
    created_at: dt.datetime
    updated_at: dt.datetime


@dataclass(frozen=True)
class StoredInvoice:
    invoice: Invoice
    xml_path: str
    pdf_path: str
    mail_state: str  # none | wanted | queued


def iso(t: dt.datetime) -> str:
    return t.astimezone(dt.UTC).isoformat(timespec="microseconds")


class Outbox:
    """Reads and writes the outbox tables (any thread: the database gives each its own
    connection and serialises the writes)."""

    def __init__(self, db: Database) -> None:
        self.db = db

    @contextmanager
    def tx(self) -> Iterator[sqlite3.Connection]:
        """A ``BEGIN IMMEDIATE`` transaction: durable (synchronous=FULL) when it returns."""
        with self.db.write() as conn:
            yield conn

    # --- requests -----------------------------------------------------------------
    def record(self, request: InvoiceRequest, now: dt.datetime) -> OutboxEntry:
        """Create the request as PENDING, or refresh a rejected one; returns the row."""
        with self.tx() as conn:
            row = conn.execute("SELECT status FROM issue_requests WHERE request_id = ?",
                               [request.request_id]).fetchone()
            data = json.dumps(to_data(request), ensure_ascii=False)
            if row is None:
                conn.execute(
                    "INSERT INTO issue_requests(request_id, order_nos, request, status, total,"
                    " created_at, updated_at, next_attempt_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    [request.request_id, json.dumps(list(request.order_nos)), data,
                     RequestStatus.PENDING.value, str(request.total), iso(now), iso(now), iso(now)],
                )
                conn.executemany(
                    "INSERT INTO issue_request_orders(order_no, request_id) VALUES (?, ?)",
                    [(o, request.request_id) for o in request.order_nos],
                )
            elif row[0] in (RequestStatus.REJECTED.value, RequestStatus.PENDING.value):
                # Never sent (or refused): the buyer may have corrected the title.
                conn.execute(
                    "UPDATE issue_requests SET request = ?, status = ?, errors = '[]',"
                    " total = ?, updated_at = ?, next_attempt_at = ? WHERE request_id = ?",
                    [data, RequestStatus.PENDING.value, str(request.total), iso(now), iso(now),
                     request.request_id],
                )
            # sent / unknown / issued rows keep the request the platform may have seen.
        entry = self.get(request.request_id)
        assert entry is not None
        return entry

    def update_request(self, request: InvoiceRequest, now: dt.datetime) -> None:
        """Replace the stored request (same id): only for one the platform never saw."""
        with self.tx() as conn:
            conn.execute(
                "UPDATE issue_requests SET request = ?, total = ?, updated_at = ? "
                "WHERE request_id = ?",
                [json.dumps(to_data(request), ensure_ascii=False), str(request.total), iso(now),
                 request.request_id])

    def set_status(self, request_id: str, status: RequestStatus, now: dt.datetime, *,
                   error: str | None = None, errors: list[Rejection] | None = None,
                   invoice_number: str | None = None, attempt: bool = False,
                   retry_at: dt.datetime | None = None) -> None:
        sets, args = _status_update(status, now, error=error, errors=errors,
                                    invoice_number=invoice_number, attempt=attempt)
        if retry_at is not None:
            sets.append("next_attempt_at = ?")
            args.append(iso(retry_at))
        with self.tx() as conn:
            conn.execute(f"UPDATE issue_requests SET {', '.join(sets)} WHERE request_id = ?",
                         [*args, request_id])

    def mark_issued(self, conn: sqlite3.Connection, request_id: str, invoice_number: str,
                    now: dt.datetime) -> None:
        """Mark a blue request ISSUED with its invoice, inside the caller's transaction
        (the one that stores the invoice: never one without the other)."""
        conn.execute(
            "UPDATE issue_requests SET status = ?, invoice_number = ?, updated_at = ?,"
            " last_error = '' WHERE request_id = ?",
            [RequestStatus.ISSUED.value, invoice_number, iso(now), request_id])

    def get(self, request_id: str) -> OutboxEntry | None:
        rows = list(self.db.query("SELECT * FROM issue_requests WHERE request_id = ?",
                                  [request_id]))
        return _entry(rows[0]) if rows else None

    def entries(self, statuses: tuple[RequestStatus, ...] | None = None) -> list[OutboxEntry]:
        if statuses:
            marks = ", ".join("?" for _ in statuses)
            rows = self.db.query(
                f"SELECT * FROM issue_requests WHERE status IN ({marks}) ORDER BY created_at",
                [s.value for s in statuses])
        else:
            rows = self.db.query("SELECT * FROM issue_requests ORDER BY created_at")
        return [_entry(r) for r in rows]

    def active_for_orders(self, order_nos: tuple[str, ...]) -> list[OutboxEntry]:
        """Active requests (pending/sent/unknown) that cover any of ``order_nos``."""
        marks = ", ".join("?" for _ in order_nos)
        ids = [r["request_id"] for r in self.db.query(
            f"SELECT DISTINCT r.request_id FROM issue_request_orders o JOIN issue_requests r"
            f" ON r.request_id = o.request_id WHERE o.order_no IN ({marks})"
            f" AND r.status IN (?, ?, ?)", [*order_nos, *(s.value for s in ACTIVE)])]
        return [e for e in (self.get(i) for i in ids) if e is not None]

    # --- invoices -----------------------------------------------------------------
    def store_invoice(self, conn: sqlite3.Connection, invoice: Invoice, now: dt.datetime, mail_wanted: bool) -> bool:
        """Insert an invoice and its orders inside the caller's transaction; False if known."""
        known = conn.execute("SELECT 1 FROM issued_invoices WHERE number = ?",
                             [invoice.number]).fetchone()
        if known:
            return False
        conn.execute(
            "INSERT INTO issued_invoices(number, request_id, issued_at, total, data, mail_state,"
            " stored_at, colour, original_number) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [invoice.number, invoice.request_id, invoice.issued_at.isoformat(),
             str(invoice.total), json.dumps(to_data(invoice), ensure_ascii=False),
             "wanted" if mail_wanted else "none", iso(now), invoice.colour.value,
             invoice.original_number],
        )
        conn.executemany(
            "INSERT OR IGNORE INTO issued_invoice_orders(order_no, number) VALUES (?, ?)",
            [(o, invoice.number) for o in invoice.order_nos],
        )
        return True

    def set_documents(self, number: str, xml_path: str, pdf_path: str) -> None:
        with self.tx() as conn:
            conn.execute("UPDATE issued_invoices SET xml_path = ?, pdf_path = ? WHERE number = ?",
                         [xml_path, pdf_path, number])

    def set_mail_state(self, number: str, state: str) -> None:
        with self.tx() as conn:
            conn.execute("UPDATE issued_invoices SET mail_state = ? WHERE number = ?",
                         [state, number])

    def invoice(self, number: str) -> StoredInvoice | None:
        rows = list(self.db.query("SELECT * FROM issued_invoices WHERE number = ?", [number]))
        return _stored(rows[0]) if rows else None

    def invoice_for_order(self, order_no: str) -> StoredInvoice | None:
        """The order's current blue invoice: the newest one not fully red-credited, or None."""
        for stored in self.invoices_for_order(order_no, colour=Colour.BLUE):
            if self.credited(stored.invoice.number) + stored.invoice.total != ZERO:
                return stored
        return None

    def invoices_for_order(self, order_no: str, colour: Colour | None = None) -> list[StoredInvoice]:
        """Every invoice (or every one of ``colour``) that names ``order_no``, newest first."""
        sql = ("SELECT i.* FROM issued_invoice_orders o JOIN issued_invoices i"
               " ON i.number = o.number WHERE o.order_no = ?")
        args = [order_no]
        if colour is not None:
            sql += " AND i.colour = ?"
            args.append(colour.value)
        rows = self.db.query(sql + " ORDER BY i.issued_at DESC, i.number DESC", args)
        return [_stored(r) for r in rows]

    def reds_of(self, number: str) -> list[StoredInvoice]:
        """The red invoices recorded against blue invoice ``number``, oldest first."""
        rows = self.db.query("SELECT * FROM issued_invoices WHERE original_number = ?"
                             " AND colour = 'red' ORDER BY number", [number])
        return [_stored(r) for r in rows]

    def credited(self, number: str) -> Decimal:
        """The 价税合计 of the red invoices against ``number`` (zero or negative)."""
        return sum((Decimal(r["total"]) for r in self.db.query(
            "SELECT total FROM issued_invoices WHERE original_number = ? AND colour = 'red'",
            [number])), ZERO)

    def invoices_needing_work(self) -> list[StoredInvoice]:
        """Invoices whose documents are not written yet or whose mail is not queued yet."""
        rows = self.db.query(
            "SELECT * FROM issued_invoices WHERE xml_path = '' OR pdf_path = ''"
            " OR mail_state = 'wanted' ORDER BY stored_at")
        return [_stored(r) for r in rows]


    # --- red-letter requests and forms --------------------------------------------------
    def record_red(self, request_id: str, form_number: str, original_number: str,
                   now: dt.datetime) -> RedEntry:
        """Create the red request as PENDING if new (a refused one may be tried again)."""
        with self.tx() as conn:
            conn.execute(
                "INSERT INTO red_requests(request_id, form_number, original_number, status,"
                " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(request_id)"
                " DO UPDATE SET status = excluded.status, errors = '[]', updated_at ="
                " excluded.updated_at WHERE red_requests.status = 'rejected'",
                [request_id, form_number, original_number, RequestStatus.PENDING.value,
                 iso(now), iso(now)])
        entry = self.red_get(request_id)
        assert entry is not None
        return entry

    def set_red_status(self, request_id: str, status: RequestStatus, now: dt.datetime, *,
                       error: str | None = None, errors: list[Rejection] | None = None,
                       invoice_number: str | None = None, attempt: bool = False,
                       conn: sqlite3.Connection | None = None) -> None:
        """Update a red request; inside the caller's transaction when ``conn`` is given."""
        sets, args = _status_update(status, now, error=error, errors=errors,
                                    invoice_number=invoice_number, attempt=attempt)
        sql = f"UPDATE red_requests SET {', '.join(sets)} WHERE request_id = ?"
        if conn is not None:
            conn.execute(sql, [*args, request_id])
            return
        with self.tx() as own:
            own.execute(sql, [*args, request_id])

    def red_get(self, request_id: str) -> RedEntry | None:
        rows = list(self.db.query("SELECT * FROM red_requests WHERE request_id = ?",
                                  [request_id]))
        return _red_entry(rows[0]) if rows else None

    def red_entries(self, statuses: tuple[RequestStatus, ...]) -> list[RedEntry]:
        marks = ", ".join("?" for _ in statuses)
        rows = self.db.query(f"SELECT * FROM red_requests WHERE status IN ({marks})"
                             " ORDER BY created_at", [s.value for s in statuses])
        return [_red_entry(r) for r in rows]

    def save_form(self, form: RedLetterForm, now: dt.datetime) -> None:
        """Keep the form as last read from the platform (filed here, or looked up)."""
        with self.tx() as conn:
            conn.execute(
                "INSERT INTO red_forms(form_number, original_number, status, data, updated_at)"
                " VALUES (?, ?, ?, ?, ?) ON CONFLICT(form_number) DO UPDATE SET"
                " status = excluded.status, data = excluded.data, updated_at = excluded.updated_at",
                [form.form_number, form.original_number, form.status.value,
                 json.dumps(to_data(form), ensure_ascii=False), iso(now)])

    def form(self, form_number: str) -> RedLetterForm | None:
        rows = list(self.db.query("SELECT data FROM red_forms WHERE form_number = ?",
                                  [form_number]))
        return from_data(RedLetterForm, json.loads(rows[0]["data"])) if rows else None

    def forms_of(self, original_number: str) -> list[RedLetterForm]:
        rows = self.db.query("SELECT data FROM red_forms WHERE original_number = ?"
                             " ORDER BY form_number", [original_number])
        return [from_data(RedLetterForm, json.loads(r["data"])) for r in rows]


def _red_entry(r: dict[str, Any]) -> RedEntry:
    return RedEntry(
        request_id=r["request_id"], form_number=r["form_number"],
        original_number=r["original_number"], status=RequestStatus(r["status"]),
        attempts=int(r["attempts"]), last_error=r["last_error"],
        errors=tuple(Rejection(**e) for e in json.loads(r["errors"])),
        invoice_number=r["invoice_number"],
        created_at=dt.datetime.fromisoformat(r["created_at"]),
        updated_at=dt.datetime.fromisoformat(r["updated_at"]),
    )


def _entry(r: dict[str, Any]) -> OutboxEntry:
    return OutboxEntry(
        request_id=r["request_id"],
        order_nos=tuple(json.loads(r["order_nos"])),
        status=RequestStatus(r["status"]),
        attempts=int(r["attempts"]),
        last_error=r["last_error"],
        errors=tuple(Rejection(**e) for e in json.loads(r["errors"])),
        invoice_number=r["invoice_number"],
        total=r["total"],
        created_at=dt.datetime.fromisoformat(r["created_at"]),
        updated_at=dt.datetime.fromisoformat(r["updated_at"]),
        next_attempt_at=dt.datetime.fromisoformat(r["next_attempt_at"]),
        request=from_data(InvoiceRequest, json.loads(r["request"])),
    )


def _stored(r: dict[str, Any]) -> StoredInvoice:
    return StoredInvoice(
        invoice=from_data(Invoice, json.loads(r["data"])),
        xml_path=r["xml_path"], pdf_path=r["pdf_path"], mail_state=r["mail_state"],
    )


def _status_update(status: RequestStatus, now: dt.datetime, *, error: str | None,
                   errors: list[Rejection] | None, invoice_number: str | None,
                   attempt: bool) -> tuple[list[str], list[Any]]:
    """The SET clauses and values of a status change (issue and red requests alike)."""
    sets = ["status = ?", "updated_at = ?"]
    args: list[Any] = [status.value, iso(now)]
    if error is not None:
        sets.append("last_error = ?")
        args.append(error[:500])
    if errors is not None:
        sets.append("errors = ?")
        args.append(json.dumps([e.to_dict() for e in errors], ensure_ascii=False))
    if invoice_number is not None:
        sets.append("invoice_number = ?")
        args.append(invoice_number)
    if attempt:
        sets.append("attempts = attempts + 1")
    return sets, args
