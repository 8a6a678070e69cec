"""Paid orders the kiosk can invoice: their tables, the store, and the JSON import.

Orders come from the point of sale, either imported (``kiosk orders import
FILE.json``) or seeded for the demo (:mod:`kiosk.demo`). Money and quantities
are stored as TEXT holding the exact decimal string, never REAL.

Import format: a JSON list of orders::

    [{"order_no": "2024060100017", "paid_at": "2024-06-01T12:30:00+08:00",
      "lines": [{"name": "午餐套餐", "short_name": "餐饮服务",
                 "tax_code": "3070401000000000000", "quantity": "2",
                 "unit_price": "38.00", "amount": "76.00", "rate": "0.06",
                 "spec": "", "unit": "份"}]}]

Every number is a STRING (a JSON number for money is refused: it would be read
as a binary float). ``rate`` is a fraction such as ``"0.13"`` or one of the
special marks ``"免税"`` / ``"不征税"`` (rate 0). A bad file is refused whole:
nothing is imported and every problem is reported with the order and field.
An order number already present is reported and left as it was; the other
orders are imported.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import sqlite_utils
from sqlite_utils.migrations import Migrations

from kiosk.model import Order, OrderLine
from kiosk.rules import RATE_MARKS, VENDOR_LIMITS, is_known_rate, is_valid_tax_code
from kiosk.rules.fields import non_gbk_chars, tax_code_refusal
from kiosk.rules.tax import rates_in_force
from kiosk.rules.text import describe_chars, forbidden_chars, is_clean_text

log = logging.getLogger("kiosk.orders")

migrations = Migrations("orders")


@migrations()
def m001_orders(db: sqlite_utils.Database) -> None:
    """Orders and their lines; decimals as TEXT."""
    db.execute(
        """
        CREATE TABLE orders (
            order_no TEXT PRIMARY KEY,
            paid_at TEXT NOT NULL,
            seller_tax_id TEXT NOT NULL DEFAULT '',
            total TEXT NOT NULL,
            source TEXT NOT NULL DEFAULT 'import',
            created_at TEXT NOT NULL
        )
        """
    )
    db.execute(
        """
        CREATE TABLE order_lines (
            order_no TEXT NOT NULL REFERENCES orders(order_no) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            name TEXT NOT NULL,
            short_name TEXT NOT NULL,
            tax_code TEXT NOT NULL,
            quantity TEXT NOT NULL,
            unit_price TEXT NOT NULL,
            amount TEXT NOT NULL,
            rate TEXT NOT NULL,
            rate_mark TEXT NOT NULL DEFAULT '',
            spec TEXT NOT NULL DEFAULT '',
            unit TEXT NOT NULL DEFAULT '',
            PRIMARY KEY (order_no, position)
        )
        """
    )


# An order number travels inside the order QR code and into file names: keep it
# to letters, digits, '-' and '_' (no separator, no control byte can sneak in).
ORDER_NO_RE = re.compile(r"^[A-Za-z0-9_-]{1,40}$")
# Plain decimal notation only: "12.30", "-1", "0.5". Decimal() alone would also
# take "NaN", "Infinity" and "1e3", none of which a point of sale means.
DECIMAL_RE = re.compile(r"^-?\d{1,15}(\.\d{1,13})?$")
MAX_TEXT = 100  # characters for a name, short name, spec or unit


class OrderExists(Exception):
    """``add`` of an order number that is already stored."""


@dataclass
class ImportReport:
    """What an import did. ``refused`` means nothing at all was imported."""

    imported: list[str] = field(default_factory=list)
    already_present: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def refused(self) -> bool:
        return bool(self.errors)

    def messages(self) -> list[str]:
        if self.errors:
            return [*self.errors, f"refused: nothing imported ({len(self.errors)} problem(s))"]
        out = [f"order {no}: already present, not overwritten" for no in self.already_present]
        out.append(f"imported {len(self.imported)} order(s)")
        return out


# --- parsing (pure) ------------------------------------------------------------


def _has_control(text: str) -> bool:
    """The one text rule (kiosk.rules.text): controls, format chars, U+2028/U+2029, ..."""
    return not is_clean_text(text)


def parse_decimal(value: Any, what: str, *, places: int = 13) -> Decimal:
    """A decimal given as a JSON string; raises ``ValueError`` with a clear message."""
    if isinstance(value, bool) or isinstance(value, int | float):
        raise ValueError(f'{what} must be a decimal STRING such as "12.30", got the JSON number '
                         f"{value!r} (numbers would be read as binary floats)")
    if not isinstance(value, str):
        raise ValueError(f"{what} must be a decimal string, got {type(value).__name__}")
    if not DECIMAL_RE.fullmatch(value.strip()):
        raise ValueError(f"{what} {_show(value)} is not a decimal")
    number = Decimal(value.strip())
    exponent = number.as_tuple().exponent
    if isinstance(exponent, int) and -exponent > places:
        raise ValueError(f"{what} {_show(value)} has more than {places} decimal places")
    return number


def _show(value: str) -> str:
    """A user's value quoted for a message, with control characters made visible."""
    shown = value if len(value) <= 40 else value[:40] + "…"
    return '"' + "".join(ch if not _has_control(ch) else f"\\x{ord(ch):02x}" for ch in shown) + '"'


def _text(raw: dict[str, Any], key: str, where: str, errors: list[str], *, required: bool) -> str:
    value: object = raw.get(key, "")
    if value is None:
        value = ""
    if not isinstance(value, str):
        errors.append(f"{where}: {key} must be a string, got {type(value).__name__}")
        return ""
    value = value.strip()
    if required and not value:
        errors.append(f"{where}: {key} is missing")
    elif _has_control(value):
        errors.append(f"{where}: {key} {_show(value)} contains control characters "
                      f"({describe_chars(forbidden_chars(value))})")
    elif len(value) > MAX_TEXT:
        errors.append(f"{where}: {key} is longer than {MAX_TEXT} characters")
    elif non_gbk_chars(value):  # the invoice could never carry it: refuse it now, not at issuing
        errors.append(f"{where}: {key} {_show(value)} holds characters an invoice cannot carry "
                      f"({describe_chars(non_gbk_chars(value))})")
    return str(value)


def parse_rate(value: Any) -> tuple[Decimal, str]:
    """``"0.13"`` -> (0.13, ""); ``"免税"`` -> (0, "免税"). Raises ValueError."""
    if isinstance(value, str) and value.strip() in RATE_MARKS:
        return Decimal("0"), value.strip()
    rate = parse_decimal(value, "rate", places=4)
    if not is_known_rate(rate):
        listed = ", ".join(f'"{r.rate}"' if not r.mark else f'"{r.mark}"'
                           for r in rates_in_force())
        raise ValueError(f'rate "{value}" is not a rate in force (use {listed})')
    return rate, ""


def parse_line(raw: Any, where: str, errors: list[str]) -> OrderLine | None:
    """One order line from JSON; appends problems to ``errors`` and returns None on any."""
    if not isinstance(raw, dict):
        errors.append(f"{where}: must be an object")
        return None
    before = len(errors)
    known = {"name", "short_name", "tax_code", "quantity", "unit_price", "amount", "rate",
             "spec", "unit"}
    for key in sorted(set(raw) - known):
        errors.append(f"{where}: unknown field {key!r}")
    name = _text(raw, "name", where, errors, required=True)
    short_name = _text(raw, "short_name", where, errors, required=True)
    spec = _text(raw, "spec", where, errors, required=False)
    unit = _text(raw, "unit", where, errors, required=False)
    tax_code = raw.get("tax_code")
    if not isinstance(tax_code, str) or not is_valid_tax_code(tax_code):
        shown = _show(tax_code) if isinstance(tax_code, str) else repr(tax_code)
        errors.append(f"{where}: tax_code {shown} must be 19 digits, the first 1-6")
    elif (refusal := tax_code_refusal(tax_code, short_name)) is not None:
        errors.append(f"{where}: {refusal}")
    numbers: dict[str, Decimal] = {}
    for key, places in (("quantity", 13), ("unit_price", 13), ("amount", 2)):
        try:
            numbers[key] = parse_decimal(raw.get(key), key, places=places)
        except ValueError as err:
            errors.append(f"{where}: {err}")
    try:
        rate, mark = parse_rate(raw.get("rate"))
    except ValueError as err:
        errors.append(f"{where}: {err}")
        rate, mark = Decimal("0"), ""
    if len(numbers) == 3:
        if numbers["quantity"] <= 0:
            errors.append(f'{where}: quantity "{numbers["quantity"]}" must be positive')
        if numbers["unit_price"] < 0:
            errors.append(f'{where}: unit_price "{numbers["unit_price"]}" must not be negative')
        if numbers["amount"] <= 0:
            errors.append(f'{where}: amount "{numbers["amount"]}" must be positive')
    if len(errors) > before:
        return None
    line = OrderLine(
        name=name, short_name=short_name, tax_code=str(tax_code),
        quantity=numbers["quantity"], unit_price=numbers["unit_price"], amount=numbers["amount"],
        rate=rate, rate_mark=mark, spec=spec, unit=unit,
    )
    problem = line_amount_problem(line)
    if problem:
        errors.append(f"{where}: {problem}")
        return None
    return line


def line_amount_problem(line: OrderLine) -> str:
    """'' when unit price x quantity matches the amount within the tolerance, else why not."""
    tolerance = VENDOR_LIMITS.line_amount
    product = line.unit_price * line.quantity
    if abs(product - line.amount) > tolerance:
        return (f'unit_price "{line.unit_price}" x quantity "{line.quantity}" = {product} '
                f'does not match amount "{line.amount}" (tolerance {tolerance})')
    return ""


def parse_order(raw: Any, index: int, errors: list[str]) -> Order | None:
    """One order from JSON, or None (with messages in ``errors``)."""
    if not isinstance(raw, dict):
        errors.append(f"item {index + 1}: must be an object with order_no, paid_at, lines")
        return None
    order_no = raw.get("order_no")
    if not isinstance(order_no, str) or not ORDER_NO_RE.fullmatch(order_no):
        shown = _show(order_no) if isinstance(order_no, str) else repr(order_no)
        errors.append(f"item {index + 1}: order_no {shown} must be 1-40 letters, digits, '-' or '_'")
        return None
    where = f"order {order_no}"
    before = len(errors)
    for key in sorted(set(raw) - {"order_no", "paid_at", "lines"}):
        errors.append(f"{where}: unknown field {key!r}")
    paid_at_raw = raw.get("paid_at")
    paid_at: dt.datetime | None = None
    if not isinstance(paid_at_raw, str):
        errors.append(f"{where}: paid_at must be an ISO datetime string")
    else:
        try:
            paid_at = dt.datetime.fromisoformat(paid_at_raw)
        except ValueError:
            errors.append(f"{where}: paid_at {_show(paid_at_raw)} is not an ISO datetime")
    lines_raw = raw.get("lines")
    lines: list[OrderLine] = []
    if not isinstance(lines_raw, list) or not lines_raw:
        errors.append(f"{where}: lines must be a non-empty list")
    elif len(lines_raw) > VENDOR_LIMITS.max_lines:
        errors.append(f"{where}: {len(lines_raw)} lines; an invoice holds at most "
                      f"{VENDOR_LIMITS.max_lines}: split the order")
    else:
        for n, line_raw in enumerate(lines_raw, start=1):
            line = parse_line(line_raw, f"{where} line {n}", errors)
            if line is not None:
                lines.append(line)
    if len(errors) > before or paid_at is None:
        return None
    return Order(order_no=order_no, paid_at=paid_at, lines=tuple(lines))


def parse_orders(data: Any) -> tuple[list[Order], list[str]]:
    """All orders of an import file's JSON, and every problem found (pure)."""
    if not isinstance(data, list):
        return [], ["the file must hold a JSON list of orders"]
    errors: list[str] = []
    orders: list[Order] = []
    seen: set[str] = set()
    for index, raw in enumerate(data):
        order = parse_order(raw, index, errors)
        if order is None:
            continue
        if order.order_no in seen:
            errors.append(f"order {order.order_no}: appears more than once in the file")
            continue
        seen.add(order.order_no)
        orders.append(order)
    if not data:
        errors.append("the file holds no orders")
    return orders, errors


# --- the store -----------------------------------------------------------------


class OrderStore:
    """Orders in the kiosk database. Every query is parameterised."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db

    def get(self, order_no: str) -> Order | None:
        rows = list(self.db.query("SELECT * FROM orders WHERE order_no = ?", [order_no]))
        if not rows:
            return None
        lines = self.db.query(
            "SELECT * FROM order_lines WHERE order_no = ? ORDER BY position", [order_no]
        )
        return _order_from_rows(rows[0], lines)

    def exists(self, order_no: str) -> bool:
        return bool(list(self.db.query("SELECT 1 FROM orders WHERE order_no = ?", [order_no])))

    def count(self) -> int:
        return int(next(iter(self.db.query("SELECT count(*) AS n FROM orders")))["n"])

    def list(self, limit: int = 100, offset: int = 0) -> list[Order]:
        """Most recently paid first."""
        heads = list(self.db.query(
            "SELECT * FROM orders ORDER BY paid_at DESC, order_no LIMIT ? OFFSET ?",
            [limit, offset],
        ))
        out = []
        for head in heads:
            lines = self.db.query(
                "SELECT * FROM order_lines WHERE order_no = ? ORDER BY position", [head["order_no"]]
            )
            out.append(_order_from_rows(head, lines))
        return out

    def add(self, order: Order, *, source: str = "manual") -> None:
        """Store one order; raises :class:`OrderExists` if its number is taken."""
        with self.db.conn:
            if self.exists(order.order_no):
                raise OrderExists(f"order {order.order_no} is already present")
            self._insert(order, source)

    def import_orders(self, data: Any, *, source: str = "import") -> ImportReport:
        """Import parsed JSON (see the module doc). All or nothing on a bad file."""
        orders, errors = parse_orders(data)
        report = ImportReport(errors=errors)
        if errors:
            log.warning("order import refused", extra={
                "event": "orders.import_refused", "problems": len(errors)})
            return report
        with self.db.conn:  # one transaction: all new orders or none
            for order in orders:
                if self.exists(order.order_no):
                    report.already_present.append(order.order_no)
                    continue
                self._insert(order, source)
                report.imported.append(order.order_no)
        log.info("orders imported", extra={
            "event": "orders.imported", "imported": len(report.imported),
            "already_present": len(report.already_present)})
        return report

    def _insert(self, order: Order, source: str) -> None:
        now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        self.db.execute(
            "INSERT INTO orders(order_no, paid_at, seller_tax_id, total, source, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [order.order_no, order.paid_at.isoformat(), order.seller_tax_id, str(order.total),
             source, now],
        )
        for position, line in enumerate(order.lines):
            self.db.execute(
                "INSERT INTO order_lines(order_no, position, name, short_name, tax_code, quantity, "
                "unit_price, amount, rate, rate_mark, spec, unit) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [order.order_no, position, line.name, line.short_name, line.tax_code,
                 str(line.quantity), str(line.unit_price), str(line.amount), str(line.rate),
                 line.rate_mark, line.spec, line.unit],
            )


def _order_from_rows(head: dict[str, Any], lines: Iterable[dict[str, Any]]) -> Order:
    return Order(
        order_no=head["order_no"],
        paid_at=dt.datetime.fromisoformat(head["paid_at"]),
        seller_tax_id=head["seller_tax_id"],
        lines=tuple(
            OrderLine(
                name=r["name"], short_name=r["short_name"], tax_code=r["tax_code"],
                quantity=Decimal(r["quantity"]), unit_price=Decimal(r["unit_price"]),
                amount=Decimal(r["amount"]), rate=Decimal(r["rate"]), rate_mark=r["rate_mark"],
                spec=r["spec"], unit=r["unit"],
            )
            for r in lines
        ),
    )
