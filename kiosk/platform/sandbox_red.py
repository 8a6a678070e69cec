"""Red-letter correction in the sandbox: confirmation forms (红字确认单) and red invoices.

:class:`RedLetterDesk` is its own object, composed with the sandbox: it is
given an :class:`InvoiceBook` (the sandbox platform: its transactions, clock,
numbering, invoice recording, faults and seller) and keeps the red-letter
rules to itself. The rules it plays:

- A form is filed against a blue invoice by the seller or the buyer, for the
  whole remaining amount (``lines=None``) or for some lines. Partial lines must
  follow the original's line order and may not exceed what is left of a line
  after earlier forms. Only one open form per invoice at a time.
- Status on filing (:func:`initial_status`): a seller's form for a buyer with
  no tax ID (a natural person has no platform account to confirm in) needs no
  confirmation, 01; otherwise 02 (seller filed, awaiting buyer) or 03 (buyer
  filed, awaiting seller).
- 02/03 -> 04 confirm, 05/06 reject (by buyer / by seller), 08 withdraw;
  unconfirmed past 72 hours -> 07 (applied whenever a form is read);
  01/04 withdrawn before its red invoice -> 09 (void after confirmation).
- The red invoice is issued only from 01 or 04, once per form (idempotent),
  with negative lines, a remark naming the blue number and the form number,
  and it gives its amount back to the month's quota. When the blue invoice is
  fully credited its orders are released (``query_order`` no longer names it).
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Protocol

from kiosk.model import (
    Colour,
    Invoice,
    InvoiceLine,
    RedFormStatus,
    RedLetterForm,
    RedReason,
    Seller,
)
from kiosk.platform.codec import from_data, to_data
from kiosk.platform.gateway import NotFound, PlatformRejected, RedFormStateError, Rejection

if TYPE_CHECKING:
    import contextlib

    from kiosk.platform.faults import Faults


class InvoiceBook(Protocol):
    """What the desk needs of the platform it works for (the sandbox provides all of it)."""

    faults: Faults
    region_code: str
    seller: Seller

    def now(self) -> dt.datetime: ...
    def transaction(self, op: str) -> contextlib.AbstractContextManager[sqlite3.Connection]: ...
    def next_seq(self, conn: sqlite3.Connection, name: str) -> int: ...
    def invoice_where(self, conn: sqlite3.Connection, where: str,
                      args: list[Any]) -> Invoice | None: ...
    def record(self, conn: sqlite3.Connection, at: dt.datetime, lines: tuple[InvoiceLine, ...],
               **fields: Any) -> Invoice: ...

S = RedFormStatus
CONFIRM_WINDOW = dt.timedelta(hours=72)
AWAITING = (S.SELLER_FILED, S.BUYER_FILED)
# Forms that hold (or held and spent) part of the original: they count against what is left.
LIVE = (S.NO_CONFIRMATION_NEEDED, S.SELLER_FILED, S.BUYER_FILED, S.CONFIRMED)
ZERO = Decimal("0.00")
NOTHING = (Decimal(0), ZERO, ZERO)  # (quantity, amount, tax) held against a line


def initial_status(original: Invoice, filed_by: str) -> RedFormStatus:
    """The status a new form starts in (sandbox rule, see the module docstring)."""
    if filed_by == "seller":
        return S.NO_CONFIRMATION_NEEDED if not original.buyer.tax_id else S.SELLER_FILED
    return S.BUYER_FILED


def county_of(seller_tax_id: str, region_code: str) -> str:
    """The seller's 6-digit county code (GB/T 2260), where its forms are filed.

    A unified social credit code carries it at positions 3-8 (``91110108...`` ->
    ``110108``); for any other tax ID the province-level code stands in
    (``region_code`` + ``0000``).
    """
    county = seller_tax_id[2:8]
    if len(seller_tax_id) == 18 and county.isascii() and county.isdigit() and county[:2] != "00":
        return county
    return f"{region_code}0000"


def red_form_number(county: str, at: dt.datetime, seq: int) -> str:
    """A confirmation-form number as real forms have it: county + YYMM + 10 digits.

    ``110108`` + ``2609`` + ``0000000001``. The sequence runs per month; it is
    never the shape of an invoice number (yy + province + channel + 15 digits).
    """
    if not (len(county) == 6 and county.isdigit()):
        raise ValueError(f"county code must be 6 digits, got {county!r}")
    if not 0 < seq < 10**10:
        raise OverflowError("the month's red-letter form sequence is exhausted")
    return f"{county}{at:%y%m}{seq:010d}"


def red_remark(original_number: str, form_number: str) -> str:
    return f"被红冲蓝字数电发票号码：{original_number} 红字发票信息确认单编号：{form_number}"


def _neg(v: Decimal) -> Decimal:
    return -abs(v)


class RedLetterDesk:
    """Red-letter operations on the invoices of one :class:`InvoiceBook`."""

    def __init__(self, book: InvoiceBook) -> None:
        self.book = book

    # --- helpers ------------------------------------------------------------------
    def _expire(self, conn: sqlite3.Connection) -> None:
        cutoff = (self.book.now() - CONFIRM_WINDOW).timestamp()
        conn.execute(
            "UPDATE red_forms SET status = ? WHERE status IN (?, ?) AND filed_ts <= ?",
            [S.EXPIRED.value, S.SELLER_FILED.value, S.BUYER_FILED.value, cutoff],
        )

    @staticmethod
    def _form_from_row(row: Any) -> RedLetterForm:
        return RedLetterForm(
            form_number=row["form_number"],
            original_number=row["original_number"],
            reason=RedReason(row["reason"]),
            status=RedFormStatus(row["status"]),
            filed_by=row["filed_by"],
            filed_at=dt.datetime.fromisoformat(row["filed_at"]),
            lines=tuple(from_data(InvoiceLine, d) for d in json.loads(row["lines"])),
            red_invoice_number=row["red_invoice_number"] or "",
        )

    def _load_form(self, conn: sqlite3.Connection, number: str) -> Any:
        conn.row_factory = sqlite3.Row
        try:
            row = conn.execute("SELECT * FROM red_forms WHERE form_number = ?", [number]).fetchone()
        finally:
            conn.row_factory = None
        if row is None:
            raise NotFound(f"红字确认单{number}不存在", f"no red-letter form {number}")
        return row

    def _credited(self, conn: sqlite3.Connection,
                  original_number: str) -> dict[int, tuple[Decimal, Decimal, Decimal]]:
        """Per original line index: (quantity, amount, tax) already held by live forms (positive)."""
        held: dict[int, tuple[Decimal, Decimal, Decimal]] = {}
        rows = conn.execute(
            f"SELECT lines, line_refs FROM red_forms WHERE original_number = ? "
            f"AND status IN ({','.join('?' * len(LIVE))})",
            [original_number, *[s.value for s in LIVE]],
        ).fetchall()
        for lines_json, refs_json in rows:
            for ref, d in zip(json.loads(refs_json), json.loads(lines_json), strict=True):
                q, a, t = held.get(ref, NOTHING)
                held[ref] = (q + abs(Decimal(d["quantity"])), a + abs(Decimal(d["amount"])),
                             t + abs(Decimal(d["tax"])))
        return held

    # --- filing -------------------------------------------------------------------
    def file_red_form(
        self,
        original_number: str,
        reason: RedReason,
        filed_by: str,
        lines: Sequence[InvoiceLine] | None = None,
    ) -> RedLetterForm:
        self.book.faults.before_call("file_red_form")
        reason = RedReason(reason)
        if filed_by not in ("seller", "buyer"):
            raise PlatformRejected([Rejection("RED_FILED_BY", "录入方须为销方或购方",
                                              "filed_by must be 'seller' or 'buyer'", "filed_by")])
        with self.book.transaction("file_red_form") as conn:
            self._expire(conn)
            original = self.book.invoice_where(conn, "number = ?", [original_number])
            if original is None:
                raise NotFound(f"蓝字发票{original_number}不存在", f"no invoice {original_number}")
            if original.colour is not Colour.BLUE:
                raise RedFormStateError("红字发票不能再开红字确认单",
                                        "a red invoice cannot be red-lettered", code="RED_OF_RED")
            open_row = conn.execute(
                "SELECT form_number FROM red_forms WHERE original_number = ? AND status IN "
                "(?, ?, ?, ?) AND red_invoice_number IS NULL",
                [original_number, *[s.value for s in LIVE]],
            ).fetchone()
            if open_row:
                raise RedFormStateError(
                    f"该发票已有未完成的红字确认单{open_row[0]}",
                    f"invoice already has an open red-letter form {open_row[0]}",
                    code="RED_FORM_OPEN", form_number=open_row[0])
            held = self._credited(conn, original_number)
            refs, red_lines = self._red_lines(original, held, lines)
            at = self.book.now()
            form_number = red_form_number(
                county_of(self.book.seller.tax_id, self.book.region_code), at,
                self.book.next_seq(conn, f"form:{at:%Y%m}"))
            status = initial_status(original, filed_by)
            conn.execute(
                "INSERT INTO red_forms(form_number, original_number, reason, status, filed_by,"
                " filed_at, filed_ts, lines, line_refs) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [form_number, original_number, reason.value, status.value, filed_by,
                 at.isoformat(), at.timestamp(),
                 json.dumps([to_data(ln) for ln in red_lines], ensure_ascii=False),
                 json.dumps(refs)],
            )
        return RedLetterForm(form_number, original_number, reason, status, filed_by, at,
                             tuple(red_lines))

    def _red_lines(
        self,
        original: Invoice,
        held: dict[int, tuple[Decimal, Decimal, Decimal]],
        lines: Sequence[InvoiceLine] | None,
    ) -> tuple[list[int], list[InvoiceLine]]:
        def left(i: int) -> tuple[Decimal, Decimal, Decimal]:
            q, a, t = held.get(i, NOTHING)
            o = original.lines[i]
            return abs(o.quantity) - q, o.amount - a, o.tax - t

        refs: list[int] = []
        out: list[InvoiceLine] = []
        if lines is None:  # full: whatever is left of every line
            for i, o in enumerate(original.lines):
                q, a, t = left(i)
                if a != ZERO or t != ZERO:
                    refs.append(i)
                    out.append(InvoiceLine(o.name, o.tax_code, _neg(q), o.unit_price, _neg(a),
                                           o.rate, _neg(t), o.rate_mark, o.spec, o.unit))
            if not out:
                raise RedFormStateError("该发票已全额红冲", "the invoice is already fully credited",
                                        code="RED_NOTHING_LEFT")
            return refs, out
        problems: list[Rejection] = []
        cursor = 0
        for k, ln in enumerate(lines):
            where = f"lines[{k}]"
            match = next((i for i in range(cursor, len(original.lines))
                          if (original.lines[i].name, original.lines[i].tax_code,
                              original.lines[i].rate) == (ln.name, ln.tax_code, ln.rate)), None)
            if match is None:
                problems.append(Rejection(
                    "RED_LINE_NOT_IN_ORIGINAL", f"第{k + 1}行不在原发票中，或未按原发票行序排列",
                    f"line {k + 1} is not in the original invoice, or out of its order", where))
                continue
            cursor = match + 1
            q, a, t = left(match)
            if ln.amount == ZERO:
                problems.append(Rejection("RED_LINE_ZERO", f"第{k + 1}行金额为零",
                                          f"line {k + 1} has a zero amount", where))
            if abs(ln.amount) > a or abs(ln.tax) > t or abs(ln.quantity) > q:
                problems.append(Rejection(
                    "RED_EXCEEDS_ORIGINAL", f"第{k + 1}行红冲数量、金额或税额超过原发票可冲余额",
                    f"line {k + 1} credits more than is left of the original line", where))
            o = original.lines[match]
            refs.append(match)
            out.append(InvoiceLine(o.name, o.tax_code, _neg(ln.quantity), o.unit_price,
                                   _neg(ln.amount), o.rate, _neg(ln.tax), o.rate_mark, o.spec,
                                   o.unit))
        if not lines:
            problems.append(Rejection("RED_NO_LINES", "部分红冲须至少一行",
                                      "a partial red-letter needs at least one line", "lines"))
        if not problems:  # the same tolerances as a blue invoice (kiosk.rules)
            from kiosk.rules import check_invoice_lines

            problems += [Rejection.from_rule_error(e) for e in check_invoice_lines(out)]
        if problems:
            raise PlatformRejected(problems)
        return refs, out

    # --- status changes -----------------------------------------------------------
    def _transition(self, op: str, number: str,
                    moves: dict[RedFormStatus, RedFormStatus]) -> RedLetterForm:
        self.book.faults.before_call(op)
        with self.book.transaction(op) as conn:
            self._expire(conn)
            row = self._load_form(conn, number)
            current = RedFormStatus(row["status"])
            if row["red_invoice_number"] or current not in moves:
                raise RedFormStateError(
                    f"红字确认单{number}状态为{current.value}，不能{_OP_ZH[op]}",
                    f"red-letter form {number} is in status {current.value}; cannot {op}")
            conn.execute("UPDATE red_forms SET status = ? WHERE form_number = ?",
                         [moves[current].value, number])
            return self._form_from_row(self._load_form(conn, number))

    def confirm_red_form(self, form_number: str) -> RedLetterForm:
        return self._transition("confirm_red_form", form_number,
                                {S.SELLER_FILED: S.CONFIRMED, S.BUYER_FILED: S.CONFIRMED})

    def confirm_newest_waiting(self) -> RedLetterForm | None:
        """The other party confirms the newest form still waiting for it (the simulator's
        button; a shell's ``kiosk red confirm FORM``): None when no form waits."""
        with self.book.transaction("query_red_form") as conn:
            self._expire(conn)
            row = conn.execute(
                "SELECT form_number FROM red_forms WHERE status IN (?, ?) AND "
                "(red_invoice_number IS NULL OR red_invoice_number = '') "
                "ORDER BY filed_ts DESC, rowid DESC LIMIT 1",
                [S.SELLER_FILED.value, S.BUYER_FILED.value]).fetchone()
        return None if row is None else self.confirm_red_form(str(row[0]))

    def reject_red_form(self, form_number: str) -> RedLetterForm:
        return self._transition("reject_red_form", form_number, {
            S.SELLER_FILED: S.REJECTED_BY_BUYER, S.BUYER_FILED: S.REJECTED_BY_SELLER})

    def withdraw_red_form(self, form_number: str) -> RedLetterForm:
        return self._transition("withdraw_red_form", form_number, {
            S.SELLER_FILED: S.WITHDRAWN, S.BUYER_FILED: S.WITHDRAWN,
            S.NO_CONFIRMATION_NEEDED: S.VOID_AFTER_CONFIRMATION,
            S.CONFIRMED: S.VOID_AFTER_CONFIRMATION})

    def query_red_form(self, form_number: str) -> RedLetterForm:
        self.book.faults.before_call("query_red_form")
        with self.book.transaction("query_red_form") as conn:
            self._expire(conn)
            return self._form_from_row(self._load_form(conn, form_number))

    # --- the red invoice ----------------------------------------------------------
    def issue_red_invoice(self, form_number: str) -> Invoice:
        self.book.faults.before_call("issue_red_invoice")
        with self.book.transaction("issue_red_invoice") as conn:
            self._expire(conn)
            row = self._load_form(conn, form_number)
            if row["red_invoice_number"]:
                done = self.book.invoice_where(conn, "number = ?", [row["red_invoice_number"]])
                assert done is not None
                return done  # idempotent per form
            form = self._form_from_row(row)
            if not form.status.allows_red_invoice:
                raise RedFormStateError(
                    f"红字确认单{form_number}状态为{form.status.value}，不能开具红字发票",
                    f"red-letter form {form_number} is in status {form.status.value}; "
                    "a red invoice needs 01 or 04")
            blue = self.book.invoice_where(conn, "number = ?", [form.original_number])
            assert blue is not None
            invoice = self.book.record(
                conn, self.book.now(), form.lines, request_id=f"red-form:{form_number}",
                order_nos=blue.order_nos, buyer=blue.buyer, kind=blue.kind, colour=Colour.RED,
                remark=red_remark(blue.number, form_number), drawer=blue.drawer,
                original_number=blue.number, red_form_number=form_number,
            )
            conn.execute("UPDATE red_forms SET red_invoice_number = ? WHERE form_number = ?",
                         [invoice.number, form_number])
            held = self._credited(conn, blue.number)
            fully = all(held.get(i, NOTHING)[1:] == (o.amount, o.tax)
                        for i, o in enumerate(blue.lines))
            if fully:
                conn.execute("UPDATE invoice_orders SET active = 0 WHERE invoice_number = ?",
                             [blue.number])
        self.book.faults.after_commit("issue_red_invoice")
        return invoice


_OP_ZH = {"confirm_red_form": "确认", "reject_red_form": "拒绝", "withdraw_red_form": "撤销"}
