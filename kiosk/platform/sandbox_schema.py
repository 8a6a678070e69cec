"""The sandbox platform's own SQLite schema (a separate file from the kiosk's database).

The sandbox stands in for the tax bureau: its records are not the kiosk's, so
its ``Migrations("sandbox")`` set is applied only to the sandbox file and is
deliberately NOT listed in ``kiosk.storage.MIGRATION_SETS``.

Money columns are TEXT holding a ``Decimal`` string (SQLite has no decimal
type and REAL would round). The invoice itself is stored whole as JSON
(``kiosk.platform.codec``) beside the columns that are searched.
"""

from __future__ import annotations

import sqlite_utils
from sqlite_utils.migrations import Migrations

sandbox = Migrations("sandbox")


@sandbox()
def m001_tables(db: sqlite_utils.Database) -> None:
    """Number sequences, invoices, order bindings, quota usage, red forms, documents."""
    # One statement at a time: executescript() would COMMIT the migration's transaction.
    for statement in _M001.split(";"):
        if statement.strip():
            db.execute(statement)


@sandbox()
def m002_invoices_by_day(db: sqlite_utils.Database) -> None:
    """``list_invoices(day)`` reads a range of ``issued_at`` (ISO strings in Beijing time)."""
    db.execute("CREATE INDEX invoices_issued_at ON invoices(issued_at)")


_M001 = """
        CREATE TABLE sequences (
            name TEXT PRIMARY KEY,          -- 'invoice:2026', 'form:2026'
            last INTEGER NOT NULL
        );
        CREATE TABLE invoices (
            number TEXT PRIMARY KEY CHECK (length(number) = 20),
            request_id TEXT NOT NULL UNIQUE,
            colour TEXT NOT NULL CHECK (colour IN ('blue', 'red')),
            kind TEXT NOT NULL,
            issued_at TEXT NOT NULL,
            month TEXT NOT NULL,            -- 'YYYY-MM' in platform time, for the quota
            total TEXT NOT NULL,            -- 价税合计, negative for red
            original_number TEXT REFERENCES invoices(number),
            red_form_number TEXT,
            token TEXT NOT NULL UNIQUE,     -- the unguessable download token
            data TEXT NOT NULL              -- the whole Invoice as JSON
        );
        CREATE TABLE invoice_orders (
            order_no TEXT NOT NULL,
            invoice_number TEXT NOT NULL REFERENCES invoices(number),
            active INTEGER NOT NULL DEFAULT 1,  -- 0 once fully red-credited
            PRIMARY KEY (order_no, invoice_number)
        );
        CREATE UNIQUE INDEX invoice_orders_one_active
            ON invoice_orders(order_no) WHERE active = 1;
        CREATE TABLE quota_usage (
            month TEXT PRIMARY KEY,
            used TEXT NOT NULL
        );
        CREATE TABLE red_forms (
            form_number TEXT PRIMARY KEY CHECK (length(form_number) = 20),
            original_number TEXT NOT NULL REFERENCES invoices(number),
            reason TEXT NOT NULL,
            status TEXT NOT NULL,
            filed_by TEXT NOT NULL CHECK (filed_by IN ('seller', 'buyer')),
            filed_at TEXT NOT NULL,
            filed_ts REAL NOT NULL,         -- epoch seconds, for the 72-hour expiry
            lines TEXT NOT NULL,            -- JSON list of negative InvoiceLine
            line_refs TEXT NOT NULL,        -- JSON list: index of each line in the original
            red_invoice_number TEXT REFERENCES invoices(number)
        );
        CREATE INDEX red_forms_original ON red_forms(original_number);
        CREATE TABLE documents (
            number TEXT PRIMARY KEY REFERENCES invoices(number),
            xml BLOB NOT NULL,
            pdf BLOB NOT NULL
        )
        """
