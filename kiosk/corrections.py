"""Red-letter corrections (红冲) on the kiosk side, and invoice lookup and reprint.

:class:`CorrectionsService` is its own service, composed with blue issuing
through the shared :class:`~kiosk.recorder.InvoiceRecorder` (the outbox, gateway,
clock, audit trail, document writing and the one-request-at-a-time lock):
``IssuingService`` builds it as ``service.corrections`` over its own recorder, so
``corrections.file_red_form(...)``, ``.issue_red(...)``, ``.lookup(...)``,
``.reprint(...)`` record exactly as blue issuing does.

An issued invoice is never edited: it is corrected by a red (negative) invoice
issued against a confirmation form (红字确认单), then a new blue one if needed.

- :meth:`file_red_form` files the form (full, or partial lines built with
  :func:`credit_line`). If the answer is lost, asking again is safe: the
  platform keeps one open form per invoice and names it (``RED_FORM_OPEN``),
  so the form a lost answer created is recognised and returned, never doubled.
- :meth:`issue_red` is exactly-once like blue issuing: the request id is
  derived from the form number (:func:`red_request_id`), recorded PENDING and
  marked SENT (both committed) before the call; a lost answer is UNKNOWN and
  the form is queried (its ``red_invoice_number``) before any retry; the red
  invoice is stored with ``Outbox.store_invoice`` in the same transaction as
  its ``invoice.red_issued`` audit row, and its XML/PDF written atomically.
  ``resolve_pending`` finishes red requests too.
- After a FULL credit the orders are free again: ``find_invoice_for_order``
  gives the current (not fully credited) blue invoice only, and a new blue
  request for the same orders gets a distinct, still deterministic id
  (:func:`reissue_request_id`: the orders plus the red invoice that freed them).
- :meth:`lookup` by invoice number or order number gives each invoice with its
  state (:class:`InvoiceState`), from the kiosk's record, else the platform's.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk import outcomes
from kiosk.model import Colour, Invoice, InvoiceLine, RedLetterForm, RedReason, RequestStatus
from kiosk.outbox import RedEntry, StoredInvoice
from kiosk.outcomes import IssueOutcome
from kiosk.platform.gateway import (
    NotFound,
    PlatformError,
    PlatformRejected,
    PlatformTimeout,
    PlatformUnavailable,
    RedFormStateError,
    Rejection,
)
from kiosk.recorder import InvoiceRecorder
from kiosk.rules import request_id_for, split_tax

if TYPE_CHECKING:
    from drivers.printer.ops import Op
    from kiosk.audit import AuditTrail

log = logging.getLogger("kiosk.corrections")

INVOICE_NO_RE = re.compile(r"^\d{20}$")
RED_PREFIX = "RF"
ZERO = Decimal("0.00")
CENT = Decimal("0.01")


class InvoiceState(StrEnum):
    """Where an invoice stands, as lookup reports it."""

    ISSUED = "issued"  # blue, nothing credited
    PARTLY_CREDITED = "partly_credited"  # blue, some red against it
    CREDITED = "credited"  # blue, fully credited by red invoices (红冲)
    RED = "red"  # a red invoice itself


@dataclass(frozen=True)
class LookupEntry:
    """One invoice found by :meth:`CorrectionsService.lookup`."""

    invoice: Invoice
    state: InvoiceState
    credited: Decimal = ZERO  # 价税合计 of the red invoices against it (<= 0)
    red_numbers: tuple[str, ...] = ()
    forms: tuple[RedLetterForm, ...] = ()  # forms filed from this kiosk against it
    source: str = "kiosk"  # kiosk | platform (not in the kiosk's record)
    xml_path: Path | None = None
    pdf_path: Path | None = None

    def to_dict(self) -> dict[str, Any]:
        inv = self.invoice
        return {
            "invoice_number": inv.number, "colour": inv.colour.value, "state": self.state.value,
            "kind": inv.kind.value, "issued_at": inv.issued_at.isoformat(),
            "orders": list(inv.order_nos), "net": str(inv.total_net), "tax": str(inv.total_tax),
            "total": str(inv.total), "credited": str(self.credited),
            "red_invoices": list(self.red_numbers), "original_number": inv.original_number or None,
            "red_form_number": inv.red_form_number or None,
            "forms": [{"form_number": f.form_number, "status": f.status.value,
                       "reason": f.reason.value, "red_invoice_number": f.red_invoice_number or None}
                      for f in self.forms],
            "source": self.source, "download_url": inv.download_url,
            "xml": str(self.xml_path) if self.xml_path else None,
            "pdf": str(self.pdf_path) if self.pdf_path else None,
        }


# --- pure helpers -----------------------------------------------------------------------------


def red_request_id(form_number: str) -> str:
    """The kiosk's request id for the red invoice of a form: one form, one red invoice."""
    return RED_PREFIX + form_number


def reissue_request_id(order_nos: Iterable[str], seller_tax_id: str, red_number: str) -> str:
    """The id of a new blue request after a full credit: orders + the red invoice that freed
    them. Deterministic (a retry is the same request) and distinct from the first blue's."""
    base = request_id_for(order_nos, seller_tax_id)
    digest = hashlib.sha256(f"{base}\nafter-red\n{red_number}".encode()).hexdigest()
    return "RQ" + digest[:30].upper()


def credit_line(original: InvoiceLine, gross: Decimal) -> InvoiceLine:
    """A partial-credit line for ``original``: ``gross`` (price-inclusive, positive) split into
    net and tax at the line's rate. The whole line credits its own figures; a part credits
    whole units when it is a whole number of them, else it is an allowance (quantity 0)."""
    gross = Decimal(gross)
    full = original.amount + original.tax
    if gross <= 0:
        raise ValueError(f"the amount to credit must be positive, got {gross}")
    if gross > full:
        raise ValueError(f"the amount to credit {gross} exceeds the line's {full}")
    if gross == full:
        return original
    net, tax = split_tax(gross, original.rate)
    quantity = Decimal(0)
    if original.unit_price:
        units = (net / original.unit_price).quantize(Decimal(1), rounding=ROUND_HALF_UP)
        if units >= 1 and abs(original.unit_price * units - net) <= CENT:
            quantity = units
    return dataclasses.replace(original, quantity=quantity, amount=net, tax=tax)


def partial_lines(original: Invoice, credits: dict[int, Decimal]) -> list[InvoiceLine]:
    """Credit lines for ``{line index: gross amount}``, in the original's line order."""
    out = []
    for index in sorted(credits):
        if not 0 <= index < len(original.lines):
            raise ValueError(f"invoice {original.number} has no line {index} "
                             f"(lines 0..{len(original.lines) - 1})")
        out.append(credit_line(original.lines[index], credits[index]))
    return out


# --- the service ------------------------------------------------------------------------------


class CorrectionsService:
    """Red letters, lookup and reprint, recording through the recorder blue issuing uses."""

    def __init__(self, recorder: InvoiceRecorder, *, seller_tax_id: str) -> None:
        self.recorder = recorder
        self.outbox = recorder.outbox
        self.gateway = recorder.gateway
        self.seller_tax_id = seller_tax_id

    @property
    def audit(self) -> AuditTrail | None:
        return self.recorder.audit

    def clock(self) -> dt.datetime:
        return self.recorder.clock()

    # --- request ids ----------------------------------------------------------------------
    def request_id_for_orders(self, order_nos: Sequence[str]) -> str:
        """The request id a blue invoice for ``order_nos`` must use now.

        ``request_id_for(order_nos)`` while the orders were never invoiced (or one of
        them still has a current invoice); after a full credit, :func:`reissue_request_id`
        with the newest red invoice that freed them.
        """
        base = request_id_for(order_nos, self.seller_tax_id)
        newest: tuple[str, str] | None = None  # (issued_at, red number)
        for order_no in order_nos:
            if self.outbox.invoice_for_order(order_no) is not None:
                return base
            for blue in self.outbox.invoices_for_order(order_no, colour=Colour.BLUE):
                reds = self.outbox.reds_of(blue.invoice.number)
                if reds:
                    last = reds[-1].invoice
                    key = (last.issued_at.isoformat(), last.number)
                    newest = key if newest is None or key > newest else newest
        return base if newest is None else reissue_request_id(order_nos, self.seller_tax_id,
                                                               newest[1])

    # --- forms ----------------------------------------------------------------------------
    def file_red_form(self, original_number: str, reason: RedReason | str,
                      lines: Sequence[InvoiceLine] | None = None) -> RedLetterForm:
        """File the seller's 红字确认单 for blue invoice ``original_number`` (``lines=None``:
        everything left of it). Raises PlatformError (NotFound, RedFormStateError,
        PlatformRejected, PlatformUnavailable, PlatformTimeout when even the retry is lost)."""
        reason = RedReason(reason)
        wanted = None if lines is None else [_magnitudes(ln) for ln in lines]
        try:
            form = self.gateway.file_red_form(original_number, reason, "seller", lines)
        except PlatformTimeout as lost:
            log.warning("red form answer lost: asking again", extra={
                "event": "corrections.form_unknown", "original": original_number})
            try:  # safe: the platform keeps one open form per invoice and names it
                form = self.gateway.file_red_form(original_number, reason, "seller", lines)
            except RedFormStateError as err:
                if err.code != "RED_FORM_OPEN" or not err.form_number:
                    raise
                form = self.gateway.query_red_form(err.form_number)
                if not _same_form(form, original_number, reason, wanted):
                    raise err from lost
                log.info("the lost answer's form was found", extra={
                    "event": "corrections.form_recovered", "form": form.form_number})
        self.outbox.save_form(form, self.clock())
        if self.audit is not None:
            self.audit.record("invoice.red_form_filed", "kiosk", {
                "form_number": form.form_number, "original_number": original_number,
                "reason": reason.value, "status": form.status.value, "partial": lines is not None,
                "total": sum((ln.amount + ln.tax for ln in form.lines), ZERO)})
        log.info("red-letter form filed", extra={
            "event": "corrections.form_filed", "form": form.form_number,
            "original": original_number, "status": form.status.value})
        return form

    def red_form_status(self, form_number: str) -> RedLetterForm:
        """The form as the platform has it now (kept locally too). Raises PlatformError."""
        form = self.gateway.query_red_form(form_number)
        self.outbox.save_form(form, self.clock())
        return form

    def confirm_red_form(self, form_number: str) -> RedLetterForm:
        """The OTHER party's confirmation (02/03 -> 04). In real use the buyer confirms in
        their own tax account; the kiosk offers it for the sandbox demo only."""
        form = self.gateway.confirm_red_form(form_number)
        self.outbox.save_form(form, self.clock())
        return form

    # --- the red invoice ------------------------------------------------------------------
    def issue_red(self, form_number: str) -> IssueOutcome:
        """Issue the red invoice of a form (01 or 04) exactly once. Never raises a PlatformError."""
        rid = red_request_id(form_number)
        with self.recorder.busy:
            entry = self.outbox.red_get(rid)
            if entry is not None and entry.status is RequestStatus.ISSUED:
                stored = self.outbox.invoice(entry.invoice_number)
                if stored is not None:  # documents finished if a kill left them missing
                    return outcomes.already(rid, self.recorder.with_documents(stored))
            if entry is None or entry.status is RequestStatus.REJECTED:
                original = self._original_of(form_number)
                entry = self.outbox.record_red(rid, form_number, original, self.clock())
            return self._resolve_red(entry)

    def pending_red(self) -> list[RedEntry]:
        """Red requests not finished yet: queued, sent or unknown."""
        return self.outbox.red_entries((RequestStatus.PENDING, RequestStatus.SENT,
                                        RequestStatus.UNKNOWN))

    def resolve_pending(self) -> list[IssueOutcome]:
        """Finish every unfinished red request (IssuingService.resolve_pending calls it)."""
        with self.recorder.busy:
            return [self._resolve_red(e) for e in self.pending_red()]

    def _original_of(self, form_number: str) -> str:
        form = self.outbox.form(form_number)
        return form.original_number if form is not None else ""  # else learnt from the invoice

    def _resolve_red(self, entry: RedEntry) -> IssueOutcome:
        rid = entry.request_id
        if entry.status in (RequestStatus.SENT, RequestStatus.UNKNOWN):
            found = self._query_red(entry)  # ask before anything is sent again
            if isinstance(found, PlatformError):
                return outcomes.unknown(rid)
            if found is not None:
                return self._complete_red(entry, found)
            log.info("platform issued no red invoice for the form: sending again",
                     extra={"event": "corrections.resend", "request_id": rid})
        return self._send_red(entry)

    def _query_red(self, entry: RedEntry) -> Invoice | PlatformError | None:
        """The red invoice of the form if the platform issued it, None if not, the error if
        the platform could not tell (the request stays UNKNOWN)."""
        problem: PlatformError | None = None
        found: Invoice | None = None
        try:
            form = self.gateway.query_red_form(entry.form_number)
            if form.red_invoice_number:
                found = self.gateway.get_invoice(form.red_invoice_number)
                if found is None:  # named but not readable: still unknown
                    problem = PlatformError(
                        message_en=f"red invoice {form.red_invoice_number} not readable")
            self.outbox.save_form(form, self.clock())
        except NotFound:
            return None  # no such form: nothing was issued (sending again is refused cleanly)
        except PlatformError as err:
            problem = err
        if problem is not None:
            self.outbox.set_red_status(entry.request_id, RequestStatus.UNKNOWN, self.clock(),
                                       error=str(problem))
            return problem
        return found

    def _send_red(self, entry: RedEntry) -> IssueOutcome:
        rid = entry.request_id
        self.outbox.set_red_status(rid, RequestStatus.SENT, self.clock(), attempt=True)
        log.info("red invoice request sent", extra={"event": "corrections.sent",
                                                    "request_id": rid})
        try:
            invoice = self.gateway.issue_red_invoice(entry.form_number)
        except PlatformUnavailable as err:
            self.outbox.set_red_status(rid, RequestStatus.PENDING, self.clock(), error=str(err))
            return outcomes.queued(rid)
        except (RedFormStateError, NotFound, PlatformRejected) as err:
            errors = list(err.errors) if isinstance(err, PlatformRejected) else [
                Rejection(err.code, err.message_zh, err.message_en, "form_number")]
            self.outbox.set_red_status(rid, RequestStatus.REJECTED, self.clock(), errors=errors,
                                       error=str(err))
            log.warning("red invoice refused", extra={
                "event": "corrections.rejected", "request_id": rid, "code": err.code})
            return outcomes.rejected(rid, errors)
        except Exception as err:  # PlatformTimeout or an answer that says nothing: unknown
            self.outbox.set_red_status(rid, RequestStatus.UNKNOWN, self.clock(), error=str(err))
            log.warning("red invoice outcome unknown", extra={
                "event": "corrections.unknown", "request_id": rid, "error": str(err)[:200]})
            found = self._query_red(dataclasses.replace(entry, status=RequestStatus.UNKNOWN))
            if isinstance(found, Invoice):
                return self._complete_red(entry, found)
            return outcomes.unknown(rid)
        return self._complete_red(entry, invoice)

    def _complete_red(self, entry: RedEntry, invoice: Invoice) -> IssueOutcome:
        new = self.recorder.store(invoice, mail_to="", red_request_id=entry.request_id)
        if not new:
            return outcomes.already(entry.request_id,
                                    self.recorder.with_documents(self.recorder.stored(invoice.number)))
        log.info("red invoice issued", extra={
            "event": "corrections.red_issued", "request_id": entry.request_id,
            "number": invoice.number, "original": invoice.original_number,
            "total": str(invoice.total)})
        xml, pdf = self.recorder.finish(invoice)
        return outcomes.red_issued(entry.request_id, invoice, xml_path=xml, pdf_path=pdf)

    # --- lookup and reprint ---------------------------------------------------------------
    def lookup(self, query: str) -> list[LookupEntry]:
        """Invoices by invoice number (20 digits) or order number, with their state.

        The kiosk's record first; what it lacks is asked of the platform. Raises
        PlatformError only when the kiosk knows nothing and the platform cannot answer.
        """
        q = query.strip()
        if INVOICE_NO_RE.fullmatch(q):
            found = self.lookup_invoice(q)
            if found:
                return found
        return self.lookup_order(q)

    def lookup_invoice(self, number: str) -> list[LookupEntry]:
        stored = self.outbox.invoice(number)
        if stored is not None:
            return [self._entry_of(stored)]
        invoice = self.gateway.get_invoice(number)
        return [] if invoice is None else [self._platform_entry(invoice)]

    def lookup_order(self, order_no: str) -> list[LookupEntry]:
        local = self.outbox.invoices_for_order(order_no)
        if local:
            return [self._entry_of(s) for s in local]
        invoice = self.gateway.query_order(order_no)
        return [] if invoice is None else [self._platform_entry(invoice)]

    def reprint(self, number: str, *, paper_width_mm: int) -> list[Op]:
        """The courtesy receipt of invoice ``number`` again (blue or red), as printer ops.
        Raises KeyError if neither the kiosk nor the platform knows it."""
        from kiosk.documents.receipt import receipt_ops

        stored = self.outbox.invoice(number)
        invoice = stored.invoice if stored is not None else self.gateway.get_invoice(number)
        if invoice is None:
            raise KeyError(f"no invoice {number}")
        log.info("receipt reprinted", extra={"event": "corrections.reprint", "number": number})
        return receipt_ops(invoice, paper_width_mm=paper_width_mm, fetch_url=invoice.download_url)

    def _entry_of(self, stored: StoredInvoice) -> LookupEntry:
        inv = stored.invoice
        paths = (Path(stored.xml_path) if stored.xml_path else None,
                 Path(stored.pdf_path) if stored.pdf_path else None)
        if inv.colour is Colour.RED:
            return LookupEntry(inv, InvoiceState.RED, xml_path=paths[0], pdf_path=paths[1])
        reds = self.outbox.reds_of(inv.number)
        credited = sum((r.invoice.total for r in reds), ZERO)
        state = (InvoiceState.ISSUED if not reds else
                 InvoiceState.CREDITED if credited + inv.total == ZERO else
                 InvoiceState.PARTLY_CREDITED)
        return LookupEntry(inv, state, credited, tuple(r.invoice.number for r in reds),
                           tuple(self.outbox.forms_of(inv.number)), "kiosk", *paths)

    @staticmethod
    def _platform_entry(invoice: Invoice) -> LookupEntry:
        state = InvoiceState.RED if invoice.colour is Colour.RED else InvoiceState.ISSUED
        return LookupEntry(invoice, state, source="platform")


def _magnitudes(line: InvoiceLine) -> tuple[str, Decimal, Decimal, Decimal]:
    return line.name, abs(line.quantity), abs(line.amount), abs(line.tax)


def _same_form(form: RedLetterForm, original_number: str, reason: RedReason,
               wanted: list[tuple[str, Decimal, Decimal, Decimal]] | None) -> bool:
    """Is ``form`` the one our lost call filed (same invoice, reason, seller, lines)?"""
    if (form.original_number, form.reason, form.filed_by) != (original_number, reason, "seller"):
        return False
    return wanted is None or [_magnitudes(ln) for ln in form.lines] == wanted
