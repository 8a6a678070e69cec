""""Change this invoice": one guided correction, persisted step by step so it survives a
restart and a person can come back, identify, and continue where it stopped.

An issued invoice is never altered. A change is a red-letter confirmation form
(红字确认单) filed for the whole invoice or some lines, the red invoice issued when
the form allows it, and (for a wrong title or tax ID) a new blue invoice with the
corrected buyer. Each step goes through the existing exactly-once paths:
:meth:`~kiosk.corrections.CorrectionsService.file_red_form` (a lost answer is
recognised, never doubled), :meth:`~kiosk.corrections.CorrectionsService.issue_red`
(one red invoice per form) and :meth:`~kiosk.issuing.IssuingService.issue` (the
corrected blue's request id is the orders' own, swapped by the issuing service for
the re-issue id after the full credit: a retry is the same request).

States (:class:`ChangeState`), in order: ``filing`` (recorded, the form not filed yet)
-> ``waiting`` (the other party must confirm, up to 72 hours) -> ``ready`` (the form
allows the red invoice) -> ``red_issued`` (the corrected blue still to issue) ->
``done``; ``refused`` when the form was rejected, withdrawn or expired, or a step was
refused. :meth:`ChangeService.advance` moves a change as far as it can go now and
stops (leaving its state and the problem's code) when the platform cannot be asked.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import secrets
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from kiosk.centre.store import CentreStore
from kiosk.corrections import partial_lines
from kiosk.model import Buyer, Colour, Invoice, InvoiceRequest, Order, RedReason
from kiosk.outcomes import IssueStatus
from kiosk.platform.codec import from_data, to_data
from kiosk.platform.gateway import PlatformError, RedFormStateError
from kiosk.rules import request_id_for

if TYPE_CHECKING:
    from kiosk.issuing import IssuingService

log = logging.getLogger("kiosk.centre")


class ChangeWhat(StrEnum):
    """What is wrong with the invoice, as the person says it."""

    TITLE = "title"  # the title or tax ID: full credit, then a corrected blue invoice
    RETURNED = "returned"  # goods returned (full or some lines and quantities)
    STOPPED = "stopped"  # a service stopped
    ALLOWANCE = "allowance"  # a price allowance (an amount off)


REASONS = {ChangeWhat.TITLE: RedReason.ISSUED_IN_ERROR, ChangeWhat.RETURNED:
           RedReason.GOODS_RETURNED, ChangeWhat.STOPPED: RedReason.SERVICE_STOPPED,
           ChangeWhat.ALLOWANCE: RedReason.SALES_ALLOWANCE}


class ChangeState(StrEnum):
    FILING = "filing"
    WAITING = "waiting"
    READY = "ready"
    RED_ISSUED = "red_issued"
    DONE = "done"
    REFUSED = "refused"


class ChangeError(ValueError):
    """A change that cannot be asked for (``code`` is a message catalogue code)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class Change:
    reference: str
    original_number: str
    what: ChangeWhat
    credits: dict[int, Decimal] | None  # None: the whole invoice
    new_buyer: Buyer | None
    owners: tuple[str, ...] = ()
    form_number: str = ""
    red_number: str = ""
    blue_number: str = ""
    state: ChangeState = ChangeState.FILING
    problem: str = ""  # the last problem's catalogue code
    created_at: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def finished(self) -> bool:
        return self.state in (ChangeState.DONE, ChangeState.REFUSED)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


CENTS = Decimal("0.01")


def allowance_credits(invoice: Invoice, amounts: Mapping[int, str | Decimal]) -> dict[int, Decimal]:
    """An allowance line by line: ``{line index: amount off, price-inclusive}`` as typed
    ("12.50", "￥3"), lines left blank or at 0 skipped. Each amount is at most its line's
    amount with tax (:func:`kiosk.corrections.credit_line` splits it into net and tax at
    the line's rate). Raises :class:`ChangeError`: ``centre.change_needs_amount`` when
    nothing (or not an amount) is typed, ``centre.change_bad_lines`` when an amount is
    more than its line."""
    out: dict[int, Decimal] = {}
    for index, typed in amounts.items():
        text = str(typed).strip().lstrip("￥¥").strip()
        if not text:
            continue
        try:
            amount = Decimal(text).quantize(CENTS)
        except InvalidOperation:
            raise ChangeError("centre.change_needs_amount") from None
        if not amount.is_finite() or amount < 0:
            raise ChangeError("centre.change_needs_amount")
        if amount == 0:
            continue
        if not 0 <= index < len(invoice.lines):
            raise ChangeError("centre.change_bad_lines")
        line = invoice.lines[index]
        if amount > line.amount + line.tax:
            raise ChangeError("centre.change_bad_lines")
        out[index] = amount
    if not out:
        raise ChangeError("centre.change_needs_amount")
    return out


class ChangeService:
    """Starts, advances and reads change flows (any thread: the storage serialises)."""

    def __init__(self, store: CentreStore, issuing: IssuingService, *,
                 find_order: Callable[[str], Order | None], seller_tax_id: str,
                 clock: Callable[[], dt.datetime] = _now) -> None:
        self.store = store
        self.issuing = issuing
        self.corrections = issuing.corrections
        self.find_order = find_order
        self.seller_tax_id = seller_tax_id
        self.clock = clock

    # --- starting ----------------------------------------------------------------------
    def start(self, original_number: str, what: ChangeWhat | str, *,
              credits: dict[int, Decimal] | None = None, new_buyer: Buyer | None = None,
              owners: Sequence[str] = ()) -> Change:
        """Record a change (nothing is sent yet: :meth:`advance` does it). Raises
        :class:`ChangeError` for a change that cannot be asked for."""
        what = ChangeWhat(what)
        stored = self.issuing.outbox.invoice(original_number)
        if stored is None or stored.invoice.colour is not Colour.BLUE:
            raise ChangeError("centre.change_not_blue")
        original = stored.invoice
        if self.issuing.outbox.credited(original_number) + original.total == 0:
            raise ChangeError("centre.change_credited")
        for row in self.store.change_rows_of(original_number):
            if row["state"] not in (ChangeState.DONE.value, ChangeState.REFUSED.value):
                raise ChangeError("centre.change_open")
        if what is ChangeWhat.TITLE:
            if new_buyer is None or not new_buyer.name.strip():
                raise ChangeError("centre.change_needs_buyer")
            if credits:
                raise ChangeError("centre.change_title_full")
            if any(self.find_order(o) is None for o in original.order_nos) or not \
                    original.order_nos:
                raise ChangeError("centre.change_no_orders")
        elif what is ChangeWhat.ALLOWANCE:
            # Amounts per line (the same rules as typed on screen, for any caller).
            credits = allowance_credits(original, credits or {})
        if credits:
            try:
                partial_lines(original, credits)
            except ValueError:
                raise ChangeError("centre.change_bad_lines") from None
        change = Change(f"C{secrets.token_hex(4).upper()}", original_number, what,
                        dict(credits) if credits else None,
                        new_buyer if what is ChangeWhat.TITLE else None, tuple(owners),
                        created_at=self.clock().isoformat())
        self._save(change)
        log.info("change recorded", extra={"event": "centre.change_recorded",
                                           "reference": change.reference, "what": what.value,
                                           "original": original_number,
                                           "partial": credits is not None})
        return change

    # --- reading -----------------------------------------------------------------------
    def get(self, reference: str) -> Change | None:
        row = self.store.change_row(reference.strip().upper())
        return _change(row) if row is not None else None

    # --- moving on -----------------------------------------------------------------------
    def advance(self, reference: str) -> Change:
        """Move the change as far as it can go now; never raises a PlatformError."""
        change = self.get(reference)
        if change is None:
            raise KeyError(reference)
        with self.issuing.recorder.busy:
            for _ in range(6):  # every step moves forward; six is more than enough
                moved = self._step(change)
                if moved == change:
                    break
                self._save(moved)
                change = moved
        return change

    def _step(self, c: Change) -> Change:
        try:
            if c.state is ChangeState.FILING:
                return self._file(c)
            if c.state is ChangeState.WAITING:
                return self._with_form(c, self.corrections.red_form_status(c.form_number))
            if c.state is ChangeState.READY:
                return self._issue_red(c)
            if c.state is ChangeState.RED_ISSUED:
                return self._issue_blue(c)
        except PlatformError as err:
            code = "centre.platform_unreachable"
            log.warning("change: platform not reached", extra={
                "event": "centre.change_unreachable", "reference": c.reference,
                "error": type(err).__name__})
            return c if c.problem == code else replace(c, problem=code)
        return c

    def _file(self, c: Change) -> Change:
        original = self.issuing.outbox.invoice(c.original_number)
        assert original is not None
        lines = partial_lines(original.invoice, c.credits) if c.credits else None
        try:
            form = self.corrections.file_red_form(c.original_number, REASONS[c.what], lines)
        except RedFormStateError as err:
            # A form we filed before a restart (the answer saved nowhere): take it up.
            known = self.issuing.outbox.form(err.form_number) if err.form_number else None
            if known is None or err.code != "RED_FORM_OPEN":
                return replace(c, state=ChangeState.REFUSED, problem="centre.form_refused")
            form = self.corrections.red_form_status(err.form_number)
        return self._with_form(replace(c, form_number=form.form_number, problem=""), form)

    def _with_form(self, c: Change, form: Any) -> Change:
        status = form.status
        if status.allows_red_invoice:
            return replace(c, state=ChangeState.READY, problem="")
        if status.is_void:
            return replace(c, state=ChangeState.REFUSED, problem="centre.form_void")
        return replace(c, state=ChangeState.WAITING, problem="")

    def _issue_red(self, c: Change) -> Change:
        outcome = self.corrections.issue_red(c.form_number)
        if outcome.status in (IssueStatus.ISSUED, IssueStatus.ALREADY_INVOICED) and \
                outcome.invoice is not None:
            after = ChangeState.RED_ISSUED if c.new_buyer is not None else ChangeState.DONE
            log.info("change: red invoice issued", extra={
                "event": "centre.change_red", "reference": c.reference,
                "red": outcome.invoice.number})
            return replace(c, red_number=outcome.invoice.number, state=after, problem="")
        if outcome.status is IssueStatus.REJECTED:
            return replace(c, state=ChangeState.REFUSED, problem="centre.red_refused")
        return replace(c, problem="centre.platform_unreachable")

    def _issue_blue(self, c: Change) -> Change:
        stored = self.issuing.outbox.invoice(c.original_number)
        assert stored is not None and c.new_buyer is not None
        original = stored.invoice
        orders = [self.find_order(o) for o in original.order_nos]
        if any(o is None for o in orders):
            return replace(c, state=ChangeState.REFUSED, problem="centre.change_no_orders")
        lines = tuple(line for order in orders if order is not None for line in order.lines)
        request = InvoiceRequest(
            request_id=request_id_for(original.order_nos, self.seller_tax_id),
            order_nos=original.order_nos, buyer=c.new_buyer, kind=original.kind, lines=lines,
            medium=original.medium, drawer=original.drawer)
        outcome = self.issuing.issue(request)
        invoice = outcome.invoice
        if outcome.status in (IssueStatus.ISSUED, IssueStatus.ALREADY_INVOICED) and \
                invoice is not None and invoice.number != c.original_number:
            log.info("change: corrected invoice issued", extra={
                "event": "centre.change_blue", "reference": c.reference,
                "blue": invoice.number})
            return replace(c, blue_number=invoice.number, state=ChangeState.DONE, problem="")
        if outcome.status is IssueStatus.REJECTED:
            return replace(c, state=ChangeState.REFUSED, problem="centre.blue_refused")
        return replace(c, problem="centre.platform_unreachable")

    def _save(self, c: Change) -> None:
        self.store.save_change({
            "reference": c.reference, "original_number": c.original_number,
            "owners": json.dumps(list(c.owners)), "what": c.what.value,
            "credits": json.dumps({str(k): str(v) for k, v in c.credits.items()}
                                  if c.credits is not None else None),
            "new_buyer": json.dumps(to_data(c.new_buyer), ensure_ascii=False)
            if c.new_buyer is not None else "",
            "form_number": c.form_number, "red_number": c.red_number,
            "blue_number": c.blue_number, "state": c.state.value, "problem": c.problem,
            "created_at": c.created_at or self.clock().isoformat(),
            "updated_at": self.clock().isoformat()})


def _change(r: dict[str, Any]) -> Change:
    credits = json.loads(r["credits"])
    return Change(
        reference=r["reference"], original_number=r["original_number"],
        what=ChangeWhat(r["what"]),
        credits=None if credits is None else {int(k): Decimal(v) for k, v in credits.items()},
        new_buyer=from_data(Buyer, json.loads(r["new_buyer"])) if r["new_buyer"] else None,
        owners=tuple(json.loads(r["owners"])), form_number=r["form_number"],
        red_number=r["red_number"], blue_number=r["blue_number"],
        state=ChangeState(r["state"]), problem=r["problem"], created_at=r["created_at"])


def change_from_row(r: dict[str, Any]) -> Change:
    return _change(r)
