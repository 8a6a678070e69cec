"""The personal centre's tables (migration set ``centre``) and its one list query.

``centre_claims`` links owners to the orders they asked invoices for (see
:mod:`kiosk.centre.scope`); ``centre_changes`` holds each "change this invoice" flow
step by step (:mod:`kiosk.centre.changes`). :meth:`CentreStore.page` is the list the
personal centre shows: newest first, paged, searchable by invoice number, order
number, date or amount, each invoice with its red/blue relation and, for a paper
invoice, how it is delivered (from the request it was asked with).

The first page is fast on a big database (bench/bench_centre.py: 10,000 invoices)
because of three indexes: ``centre_claims_order`` (claims by order),
``issued_invoice_orders_number`` (an invoice's orders, for the one-probe ownership
check) and ``issued_invoices_newest`` (the invoices in the order the list shows
them, so for a scope with many invoices SQLite stops after the page instead of
sorting everything).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

import sqlite_utils
from sqlite_utils.migrations import Migrations

from kiosk.centre.scope import InvoiceScope
from kiosk.model import Colour, Invoice, InvoiceRequest, Medium
from kiosk.platform.codec import from_data
from kiosk.storage import Database

migrations = Migrations("centre")
PAGE_SIZE = 6
FEW_CLAIMS = 1000  # below: sort the scope's own invoices; above: walk the newest-first index
ZERO = Decimal("0.00")
DATE_RE = re.compile(r"^\d{4}-\d{2}(-\d{2})?$")
AMOUNT_RE = re.compile(r"^[￥¥]?-?\d{1,12}(\.\d{1,2})?$")


@migrations()
def m001_centre(db: sqlite_utils.Database) -> None:
    """Claims (owner -> orders), change flows, and the list's indexes."""
    db.execute("CREATE TABLE centre_claims (owner TEXT NOT NULL, order_no TEXT NOT NULL,"
               " claimed_at TEXT NOT NULL, PRIMARY KEY (owner, order_no))")
    db.execute("CREATE INDEX centre_claims_order ON centre_claims(order_no)")
    db.execute("CREATE INDEX IF NOT EXISTS issued_invoices_newest"
               " ON issued_invoices(issued_at DESC, number DESC)")
    db.execute("CREATE INDEX IF NOT EXISTS issued_invoice_orders_number"
               " ON issued_invoice_orders(number)")
    db.execute(
        """CREATE TABLE centre_changes (
            reference TEXT PRIMARY KEY,          -- printed on the come-back slip
            original_number TEXT NOT NULL,
            owners TEXT NOT NULL,                -- JSON list of owner keys
            what TEXT NOT NULL,                  -- title | returned | stopped | allowance
            credits TEXT NOT NULL,               -- JSON {line index: gross} or null (full)
            new_buyer TEXT NOT NULL DEFAULT '',  -- JSON Buyer for the corrected blue
            form_number TEXT NOT NULL DEFAULT '',
            red_number TEXT NOT NULL DEFAULT '',
            blue_number TEXT NOT NULL DEFAULT '',
            state TEXT NOT NULL,
            problem TEXT NOT NULL DEFAULT '',    -- the last problem code, '' when none
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )""")
    db.execute("CREATE INDEX centre_changes_original ON centre_changes(original_number)")


@dataclass(frozen=True)
class CentreEntry:
    """One invoice as the personal centre lists it."""

    invoice: Invoice
    state: str  # issued | partly_credited | credited | red
    red_numbers: tuple[str, ...] = ()
    paper_delivery: str = ""  # "" electronic; "counter" or the mailing address
    pdf_path: str = ""

    @property
    def number(self) -> str:
        return self.invoice.number


@dataclass(frozen=True)
class CentrePage:
    entries: tuple[CentreEntry, ...]
    page: int
    has_more: bool
    query: str = ""


def _filter(query: str) -> tuple[str, list[Any]]:
    """The WHERE clause of a search: invoice number, order number, date or amount."""
    q = query.strip()
    if not q:
        return "", []
    if DATE_RE.fullmatch(q):
        return " AND substr(i.issued_at, 1, ?) = ?", [len(q), q]
    if AMOUNT_RE.fullmatch(q) and ("." in q or q[0] in "￥¥" or len(q) < 8):
        try:
            amount = Decimal(q.lstrip("￥¥")).quantize(Decimal("0.01"))
        except InvalidOperation:
            return " AND 0", []
        return " AND i.total IN (?, ?)", [str(amount), str(-amount)]
    if q.isdigit() and len(q) >= 8:  # an invoice number (or its last digits) or an order
        return (" AND (i.number LIKE ? OR i.number IN (SELECT number FROM"
                " issued_invoice_orders WHERE order_no = ?))", [f"%{q}", q])
    return (" AND i.number IN (SELECT number FROM issued_invoice_orders WHERE order_no = ?)",
            [q])


class CentreStore:
    """Claims, the list, and the change flows' rows."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def claim(self, owners: tuple[str, ...], order_nos: tuple[str, ...],
              now: dt.datetime) -> None:
        """Record that ``owners`` asked invoices for ``order_nos`` (idempotent)."""
        if not owners or not order_nos:
            return
        with self.db.write() as conn:
            conn.executemany(
                "INSERT OR IGNORE INTO centre_claims(owner, order_no, claimed_at) VALUES (?,?,?)",
                [(o, n, now.isoformat()) for o in owners for n in order_nos])

    def detach(self, owner: str) -> int:
        """Forget every claim of ``owner`` (its invoices stay, no longer linked to it)."""
        with self.db.write() as conn:
            return conn.execute("DELETE FROM centre_claims WHERE owner = ?", [owner]).rowcount

    def _owns(self, scope: InvoiceScope, number_sql: str) -> tuple[str, list[Any]]:
        """SQL true when the invoice ``number_sql`` names an order of the scope (claimed by
        one of its owners, or the receipt just scanned): one indexed probe per invoice."""
        parts, args = [], []
        if scope.owners:
            marks = ",".join("?" for _ in scope.owners)
            parts.append(f"o.order_no IN (SELECT order_no FROM centre_claims c"
                         f" WHERE c.order_no = o.order_no AND c.owner IN ({marks}))")
            args += list(scope.owners)
        if scope.order_nos:
            marks = ",".join("?" for _ in scope.order_nos)
            parts.append(f"o.order_no IN ({marks})")
            args += list(scope.order_nos)
        return (f"EXISTS (SELECT 1 FROM issued_invoice_orders o WHERE o.number = {number_sql}"
                f" AND ({' OR '.join(parts)}))", args)

    def _mine(self, scope: InvoiceScope) -> tuple[str, list[Any]]:
        """The scope's invoice numbers as a subquery (for a scope with few claims)."""
        parts, args = [], []
        if scope.owners:
            marks = ",".join("?" for _ in scope.owners)
            parts.append("SELECT o.number FROM centre_claims c JOIN issued_invoice_orders o"
                         f" ON o.order_no = c.order_no WHERE c.owner IN ({marks})")
            args += list(scope.owners)
        if scope.order_nos:
            marks = ",".join("?" for _ in scope.order_nos)
            parts.append(f"SELECT number FROM issued_invoice_orders WHERE order_no IN ({marks})")
            args += list(scope.order_nos)
        return " UNION ".join(parts), args

    def _claims(self, scope: InvoiceScope) -> int:
        if not scope.owners:
            return 0
        marks = ",".join("?" for _ in scope.owners)
        rows = self.db.execute(f"SELECT count(*) FROM centre_claims WHERE owner IN ({marks})",
                               list(scope.owners)).fetchone()
        return int(rows[0])

    def page(self, scope: InvoiceScope, query: str = "", page: int = 0,
             size: int = PAGE_SIZE) -> CentrePage:
        """One page of the scope's invoices, newest first, filtered by ``query``.

        Two plans, chosen by how many orders the scope claimed: few -> its invoice numbers
        first, then sorted (a small sort); many -> walk ``issued_invoices_newest`` in list
        order and probe each invoice (stops after the page). Then the page's rows only."""
        if scope.empty:
            return CentrePage((), 0, False, query)
        where, fargs = _filter(query)
        if self._claims(scope) <= FEW_CLAIMS:
            mine, args = self._mine(scope)
            sql = (f"SELECT i.number FROM issued_invoices i WHERE i.number IN ({mine}){where}"
                   " ORDER BY i.issued_at DESC, i.number DESC LIMIT ? OFFSET ?")
        else:
            owns, args = self._owns(scope, "i.number")
            sql = ("SELECT i.number FROM issued_invoices i"
                   f" WHERE {owns}{where}"
                   " ORDER BY i.issued_at DESC, i.number DESC LIMIT ? OFFSET ?")
        numbers = [r[0] for r in self.db.execute(sql, [*args, *fargs, size + 1, page * size])]
        more = len(numbers) > size
        return CentrePage(self._entries(numbers[:size]), page, more, query)

    def _entries(self, numbers: list[str]) -> tuple[CentreEntry, ...]:
        """The rows of ``numbers`` (in that order) with their reds and paper delivery."""
        if not numbers:
            return ()
        marks = ",".join("?" for _ in numbers)
        found = {r["number"]: r for r in self.db.query(
            "SELECT i.number, i.data, i.colour, i.total, i.pdf_path, r.request"
            " FROM issued_invoices i LEFT JOIN issue_requests r ON r.request_id = i.request_id"
            f" WHERE i.number IN ({marks})", numbers)}
        reds: dict[str, list[tuple[str, Decimal]]] = {}
        for r in self.db.query(
                "SELECT number, original_number, total FROM issued_invoices"
                f" WHERE colour = 'red' AND original_number IN ({marks}) ORDER BY number",
                numbers):
            reds.setdefault(r["original_number"], []).append((r["number"], Decimal(r["total"])))
        return tuple(_entry(found[n], reds.get(n, [])) for n in numbers if n in found)

    def allows(self, scope: InvoiceScope, number: str) -> bool:
        """May ``scope`` see invoice ``number``? (Checked again on every action.)"""
        if scope.empty:
            return False
        owns, args = self._owns(scope, "?")
        return bool(self.db.execute(f"SELECT {owns}", [number, *args]).fetchone()[0] == 1)

    def entry(self, scope: InvoiceScope, number: str) -> CentreEntry | None:
        """One invoice of the scope as the list shows it (None when not the scope's)."""
        if not self.allows(scope, number):
            return None
        found = self._entries([number])
        return found[0] if found else None

    # --- change rows (kiosk.centre.changes) ------------------------------------------------
    def save_change(self, row: dict[str, Any]) -> None:
        with self.db.write() as conn:
            cols = ", ".join(row)
            marks = ", ".join("?" for _ in row)
            updates = ", ".join(f"{c} = excluded.{c}" for c in row if c != "reference")
            conn.execute(f"INSERT INTO centre_changes({cols}) VALUES ({marks})"
                         f" ON CONFLICT(reference) DO UPDATE SET {updates}", list(row.values()))

    def change_row(self, reference: str) -> dict[str, Any] | None:
        rows = list(self.db.query("SELECT * FROM centre_changes WHERE reference = ?",
                                  [reference]))
        return rows[0] if rows else None

    def change_rows_of(self, original_number: str) -> list[dict[str, Any]]:
        return list(self.db.query("SELECT * FROM centre_changes WHERE original_number = ?"
                                  " ORDER BY created_at DESC", [original_number]))

    def change_rows(self, scope: InvoiceScope, *, open_only: bool = True) -> list[dict[str, Any]]:
        """The scope's change flows (open ones: not done nor refused), newest first."""
        if scope.empty:
            return []
        owns, args = self._owns(scope, "ch.original_number")
        sql = f"SELECT * FROM centre_changes ch WHERE {owns}"
        if open_only:
            sql += " AND state NOT IN ('done', 'refused')"
        return list(self.db.query(sql + " ORDER BY created_at DESC", args))


def _entry(r: dict[str, Any], reds: list[tuple[str, Decimal]]) -> CentreEntry:
    invoice = from_data(Invoice, json.loads(r["data"]))
    if invoice.colour is Colour.RED:
        state = "red"
    elif not reds:
        state = "issued"
    else:
        credited = sum((t for _n, t in reds), ZERO)
        state = "credited" if credited + invoice.total == ZERO else "partly_credited"
    delivery = ""
    if invoice.medium is Medium.PAPER:
        delivery = "counter"
        if r["request"]:
            request = from_data(InvoiceRequest, json.loads(r["request"]))
            delivery = request.paper_delivery or "counter"
    return CentreEntry(invoice, state, tuple(n for n, _t in reds), delivery, r["pdf_path"])
