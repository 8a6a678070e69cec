"""Exactly-once issuing: every request goes through the durable outbox (:mod:`kiosk.outbox`).

The rules, in the order :meth:`IssuingService.issue` applies them:

1. The request id is ``kiosk.rules.request_id_for(order_nos, seller_tax_id)``:
   the same orders always make the same id, and the platform is idempotent on
   it, so a retry can never become a second invoice. After a FULL red-letter
   credit the service itself swaps in ``kiosk.corrections.reissue_request_id``
   (orders + the red invoice that freed them): distinct, still deterministic.
2. An order invoiced already (in the local record, or at the platform by
   ``query_order``) gives back that invoice (``already_invoiced``).
3. The request is recorded PENDING and committed BEFORE anything is sent, then
   marked SENT (committed) just before the call. A power cut at any point
   leaves a row :meth:`resolve_pending` finishes at the next start.
4. The platform's answer decides:

   - an invoice: stored (same transaction as ISSUED and the audit row), its XML
     and PDF written to ``documents_dir/<number>.xml|.pdf`` atomically, mail
     queued -> ``issued``;
   - ``PlatformTimeout`` (or any answer that does not say what happened): mark
     UNKNOWN and query the request once at once -> ``issued`` or ``unknown``;
   - ``OperatorActionNeeded`` (nothing issued; the clerk's bureau session lapsed) ->
     ``out_of_service``: a walk-in's request is withdrawn (REJECTED with the reason,
     so nothing is issued behind the person's back and the next attempt starts
     afresh); a request queued earlier stays queued;
   - ``PlatformUnavailable`` (certainly did not arrive): back to PENDING with a
     back-off -> ``queued``;
   - ``PlatformRejected`` / ``QuotaExceeded``: REJECTED with the coded errors;
   - ``OrderAlreadyInvoiced``: fetch that invoice -> ``already_invoiced``.

5. :meth:`resolve_pending` (start-up, a timer, diagnostics' retry): every
   SENT/UNKNOWN request is queried by request id FIRST; only if the platform
   never saw it is it sent again, with the SAME request id. Queued requests are
   sent when the platform is back (stopping at the first "unavailable").

An UNKNOWN request blocks a new request for any of its orders until it is
resolved, so two different request ids can never both be in flight for one order.
Mail (:class:`kiosk.mail.MailOutbox`) is only queued here; it never blocks or
undoes issuing. Nothing raised by the gateway escapes :meth:`issue`.

Composition: the service owns an :class:`~kiosk.recorder.InvoiceRecorder` (store an
issued invoice with its audit row, write its documents, queue its mail) and a
:class:`~kiosk.corrections.CorrectionsService` over the SAME recorder
(``service.corrections``: red letters, lookup, reprint). Both move one request at a
time under the recorder's ``busy`` lock; every database write goes through
:class:`~kiosk.outbox.Outbox`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk import outcomes
from kiosk.corrections import CorrectionsService
from kiosk.documents.renderer import DocumentRenderer
from kiosk.messages import Text
from kiosk.model import Invoice, InvoiceRequest, RequestStatus
from kiosk.outbox import Outbox, OutboxEntry, StoredInvoice
from kiosk.outcomes import IssueOutcome, IssueStatus, describe
from kiosk.platform.gateway import (
    IssuingGateway,
    OperatorActionNeeded,
    OrderAlreadyInvoiced,
    PlatformError,
    PlatformRejected,
    PlatformTimeout,
    PlatformUnavailable,
    QuotaExceeded,
    Rejection,
)
from kiosk.recorder import InvoiceRecorder, now_utc, write_atomic
from kiosk.rules import request_id_for
from kiosk.storage import Database

if TYPE_CHECKING:
    from kiosk.accounts import Action
    from kiosk.audit import AuditTrail
    from kiosk.mail import MailOutbox

__all__ = ["IssueOutcome", "IssueStatus", "IssuingService", "describe", "write_atomic"]

log = logging.getLogger("kiosk.issuing")

RETRY_FIRST_S = 30
RETRY_MAX_S = 600


class IssuingService:
    """Issues invoices exactly once through ``gateway``, keeping its state in ``db``.

    Red-letter corrections, lookup and reprint are ``service.corrections``
    (:class:`~kiosk.corrections.CorrectionsService`, sharing this service's recorder).
    """

    def __init__(
        self,
        db: Database,
        gateway: IssuingGateway,
        *,
        seller_tax_id: str,
        documents_dir: Path,
        mailer: MailOutbox | None = None,
        audit: AuditTrail | None = None,
        clock: Callable[[], dt.datetime] = now_utc,
        renderer: DocumentRenderer | None = None,
        permissions: Callable[[str, Action], None] | None = None,
    ) -> None:
        self.db = db
        # (username, action) -> None or raise kiosk.accounts.PermissionDenied
        self.permissions = permissions
        self.gateway = gateway
        self.seller_tax_id = seller_tax_id
        self.clock = clock
        self.outbox = Outbox(db)
        self.recorder = InvoiceRecorder(self.outbox, gateway, documents_dir=documents_dir,
                                        mailer=mailer, audit=audit, clock=clock,
                                        renderer=renderer)
        self.corrections = CorrectionsService(self.recorder, seller_tax_id=seller_tax_id)

    @property
    def documents_dir(self) -> Path:
        return self.recorder.documents_dir

    @property
    def mailer(self) -> MailOutbox | None:
        return self.recorder.mailer

    @property
    def audit(self) -> AuditTrail | None:
        return self.recorder.audit

    # --- public API -----------------------------------------------------------------
    def issue(self, request: InvoiceRequest, *, account: str | None = None) -> IssueOutcome:
        """Issue ``request`` exactly once (see the module doc). Never raises a PlatformError.

        ``account``: issue on behalf of this account; its role must allow it, or
        :class:`kiosk.accounts.PermissionDenied` is raised before anything is recorded.
        """
        if account is not None:
            from kiosk.accounts import Action, PermissionDenied

            if self.permissions is None:
                raise PermissionDenied(account, Action.ISSUE, None, "本机未启用账户。",
                                       "Accounts are not set up on this kiosk.")
            self.permissions(account, Action.ISSUE)
        base = request_id_for(request.order_nos, self.seller_tax_id)
        if request.request_id != base:
            raise ValueError(f"request id {request.request_id} is not the one its orders make "
                             f"({base}): build it with kiosk.rules.request_id_for")
        with self.recorder.busy:
            expected = self.corrections.request_id_for_orders(request.order_nos)
            if expected != base:  # a new blue invoice after a full red-letter credit
                request = dataclasses.replace(request, request_id=expected)
            local = self._local_invoice(request.order_nos)
            if local is not None:
                return self._already(request.request_id, local)
            for other in self.outbox.active_for_orders(request.order_nos):
                if other.request_id != request.request_id and not self._settle_other(other):
                    return outcomes.blocked(request.request_id, other.request_id)
            local = self._local_invoice(request.order_nos)
            if local is not None:
                return self._already(request.request_id, local)
            entry = self.outbox.record(request, self.clock())
            log.info("issue request recorded", extra={
                "event": "issuing.recorded", "request_id": request.request_id,
                "orders": list(request.order_nos), "status": entry.status.value})
            if entry.status is RequestStatus.ISSUED:
                stored = self.outbox.invoice(entry.invoice_number)
                if stored is not None:
                    return self._already(request.request_id, stored)
            return self._resolve(entry, send_queued=True, latest=request)

    def resolve_pending(self, *, force: bool = False) -> list[IssueOutcome]:
        """Finish every unfinished request (start-up, timer, diagnostics' retry).

        SENT/UNKNOWN are queried first and re-sent (same id) only if the platform
        never saw them; queued ones are sent when due (all of them with ``force``),
        stopping at the first "platform unavailable". Missing documents are
        written and wanted mail queued too.
        """
        done: list[IssueOutcome] = []
        with self.recorder.busy:
            now = self.clock()
            for entry in self.outbox.entries((RequestStatus.SENT, RequestStatus.UNKNOWN)):
                done.append(self._resolve(entry, send_queued=True))
            for entry in self.outbox.entries((RequestStatus.PENDING,)):
                if not force and entry.next_attempt_at > now:
                    continue
                outcome = self._resolve(entry, send_queued=True)
                done.append(outcome)
                if outcome.status in (IssueStatus.QUEUED, IssueStatus.OUT_OF_SERVICE):
                    break  # the platform is down: the rest would only fail the same way
            done += self.corrections.resolve_pending()
            self.recorder.finish_all()
        if done:
            log.info("pending requests resolved", extra={
                "event": "issuing.resolved",
                "outcomes": [f"{o.request_id}:{o.status.value}" for o in done]})
        return done

    def retry(self, request_id: str) -> IssueOutcome:
        """Resolve one request now (diagnostics' "retry"): query first, then re-send if unseen."""
        with self.recorder.busy:
            entry = self.outbox.get(request_id)
            if entry is None:
                raise KeyError(f"no issue request {request_id}")
            if entry.status is RequestStatus.ISSUED:
                stored = self.outbox.invoice(entry.invoice_number)
                if stored is not None:
                    return outcomes.already(request_id, stored)
            if entry.status is RequestStatus.REJECTED:
                return outcomes.rejected(entry.request_id, list(entry.errors))
            return self._resolve(entry, send_queued=True)

    def pending(self) -> list[OutboxEntry]:
        """Requests not finished yet: queued, sent or unknown."""
        return self.outbox.entries((RequestStatus.PENDING, RequestStatus.SENT,
                                    RequestStatus.UNKNOWN))

    def entry(self, request_id: str) -> OutboxEntry | None:
        return self.outbox.get(request_id)

    def find_invoice_for_order(self, order_no: str) -> Invoice | None:
        stored = self.outbox.invoice_for_order(order_no)
        return stored.invoice if stored else None

    def documents_for(self, number: str) -> tuple[Path, Path] | None:
        """(xml, pdf) paths of a stored invoice once written, else None."""
        return self.recorder.documents_for(number)

    # --- the state machine ----------------------------------------------------------
    def _settle_other(self, other: OutboxEntry) -> bool:
        """An unfinished request for some of the same orders under ANOTHER id (a different
        set of orders). Settle it before a new id may be sent; False if it cannot be now."""
        if other.status in (RequestStatus.SENT, RequestStatus.UNKNOWN):
            try:
                found = self.gateway.query_request(other.request_id)
            except PlatformError:
                return False  # cannot tell whether it was issued: do not risk a second invoice
            if found is not None:
                self._complete(other.request, found)
                return True
        # Never issued (queued, or the platform never saw it): withdraw it, never send it.
        superseded = Rejection("SUPERSEDED", "已被新的开票申请取代", "superseded by a new request",
                               "order_nos")
        self.outbox.set_status(other.request_id, RequestStatus.REJECTED, self.clock(),
                               errors=[superseded])
        log.info("unsent request superseded", extra={
            "event": "issuing.superseded", "request_id": other.request_id})
        return True

    def _resolve(self, entry: OutboxEntry, *, send_queued: bool,
                 latest: InvoiceRequest | None = None) -> IssueOutcome:
        """Move one request on. ``latest`` is the caller's current version of it (the buyer
        may have corrected the title): it is what gets sent if the platform never saw the
        request; what the platform did see is never sent under a new form."""
        rid = entry.request_id
        if entry.status in (RequestStatus.SENT, RequestStatus.UNKNOWN):
            # The platform may have issued it: ask before anything is sent again.
            try:
                found = self.gateway.query_request(rid)
            except PlatformError as err:
                self._mark_unknown(rid, err)
                return outcomes.unknown(rid)
            if found is not None:
                return self._complete(entry.request, found)
            log.info("platform never saw the request: sending again with the same id",
                     extra={"event": "issuing.resend", "request_id": rid})
            if latest is not None and latest != entry.request:
                self.outbox.update_request(latest, self.clock())
            return self._send(latest or entry.request, walk_in=latest is not None)
        if entry.status is RequestStatus.PENDING:
            if not send_queued:
                return outcomes.queued(rid)
            # Never sent: check the orders at the platform, then send.
            try:
                for order_no in entry.order_nos:
                    existing = self.gateway.query_order(order_no)
                    if existing is not None:
                        return self._invoiced_elsewhere(entry.request, existing)
            except PlatformError as err:
                return self._mark_queued(rid, err)
            return self._send(entry.request, walk_in=latest is not None)
        raise AssertionError(f"cannot resolve a request in status {entry.status}")

    def _send(self, request: InvoiceRequest, *, walk_in: bool = False) -> IssueOutcome:
        rid = request.request_id
        self.outbox.set_status(rid, RequestStatus.SENT, self.clock(), attempt=True)
        log.info("issue request sent", extra={"event": "issuing.sent", "request_id": rid})
        try:
            invoice = self.gateway.issue(request)
        except OperatorActionNeeded as err:
            return self._out_of_service(rid, err, walk_in=walk_in)
        except PlatformUnavailable as err:
            return self._mark_queued(rid, err)
        except PlatformTimeout as err:
            self._mark_unknown(rid, err)
            return self._query_once(request)
        except OrderAlreadyInvoiced as err:
            return self._order_taken(request, err)
        except (PlatformRejected, QuotaExceeded) as err:
            errors = list(err.errors) if isinstance(err, PlatformRejected) else [
                Rejection(err.code, err.message_zh, err.message_en)]
            self.outbox.set_status(rid, RequestStatus.REJECTED, self.clock(), errors=errors,
                                   error=str(err))
            log.warning("issue request rejected", extra={
                "event": "issuing.rejected", "request_id": rid, "codes": [e.code for e in errors]})
            return outcomes.rejected(rid, errors)
        except Exception as err:  # an answer that does not say what happened: treat as unknown
            log.exception("issue call failed in an unexpected way", extra={
                "event": "issuing.send_failed", "request_id": rid})
            self._mark_unknown(rid, err)
            return self._query_once(request)
        return self._complete(request, invoice)

    def _query_once(self, request: InvoiceRequest) -> IssueOutcome:
        try:
            found = self.gateway.query_request(request.request_id)
        except PlatformError:
            found = None
        if found is not None:
            return self._complete(request, found)
        return outcomes.unknown(request.request_id)

    def _order_taken(self, request: InvoiceRequest, err: OrderAlreadyInvoiced) -> IssueOutcome:
        invoice: Invoice | None = None
        try:
            invoice = self.gateway.get_invoice(err.invoice_number) if err.invoice_number else None
            if invoice is None and err.order_no:
                invoice = self.gateway.query_order(err.order_no)
        except PlatformError:
            invoice = None
        if invoice is not None:
            return self._invoiced_elsewhere(request, invoice)
        rejection = Rejection(err.code, err.message_zh, err.message_en, "order_nos")
        self.outbox.set_status(request.request_id, RequestStatus.REJECTED, self.clock(),
                               errors=[rejection], invoice_number=err.invoice_number)
        return outcomes.order_taken(request.request_id, rejection)

    def _invoiced_elsewhere(self, request: InvoiceRequest, invoice: Invoice) -> IssueOutcome:
        """The orders carry an invoice of ANOTHER request id (or ours, found by order)."""
        if invoice.request_id == request.request_id:
            return self._complete(request, invoice)
        self.recorder.store(invoice, mail_to="")
        rejection = Rejection("ORDER_ALREADY_INVOICED", f"订单已开具发票（发票号码 {invoice.number}）",
                              f"the orders were already invoiced ({invoice.number})", "order_nos")
        self.outbox.set_status(request.request_id, RequestStatus.REJECTED, self.clock(),
                               errors=[rejection], invoice_number=invoice.number)
        return outcomes.already(request.request_id, self.recorder.stored(invoice.number))

    def _complete(self, request: InvoiceRequest, invoice: Invoice) -> IssueOutcome:
        """The platform issued ``invoice`` for ``request``: store, mark, audit, documents."""
        new = self.recorder.store(invoice, mail_to=request.buyer.email,
                                  request_id=request.request_id)
        if not new:
            return self._already(request.request_id, self.recorder.stored(invoice.number))
        log.info("invoice issued", extra={
            "event": "issuing.issued", "request_id": request.request_id,
            "number": invoice.number, "total": str(invoice.total)})
        xml, pdf = self.recorder.finish(invoice)
        return outcomes.issued(request.request_id, invoice, xml_path=xml, pdf_path=pdf,
                               mailed=bool(request.buyer.email and self.mailer is not None))

    def _already(self, rid: str, stored: StoredInvoice) -> IssueOutcome:
        """The orders' invoice, known already; its documents written first if a kill (or a
        full disk) left them missing (issue 15 item 5: was reported without them)."""
        return outcomes.already(rid, self.recorder.with_documents(stored))

    def _local_invoice(self, order_nos: tuple[str, ...]) -> StoredInvoice | None:
        for order_no in order_nos:
            stored = self.outbox.invoice_for_order(order_no)
            if stored is not None:
                return stored
        return None

    # --- marking and outcomes ----------------------------------------------------------
    def _mark_unknown(self, rid: str, err: BaseException) -> None:
        self.outbox.set_status(rid, RequestStatus.UNKNOWN, self.clock(), error=str(err))
        log.warning("issue outcome unknown", extra={
            "event": "issuing.unknown", "request_id": rid, "error": str(err)[:200]})

    def _out_of_service(self, rid: str, err: PlatformError, *, walk_in: bool) -> IssueOutcome:
        """Nothing was issued and nothing can be until the operator acts."""
        reason = Text(err.message_zh, err.message_en)
        log.error("the platform cannot issue until the operator acts: out of service", extra={
            "event": "issuing.out_of_service", "request_id": rid, "code": err.code,
            "error": err.message_en[:200]})
        if walk_in:  # the person is told and leaves: nothing may be issued behind their back
            self.outbox.set_status(rid, RequestStatus.REJECTED, self.clock(), error=str(err),
                                   errors=[Rejection(err.code, err.message_zh, err.message_en)])
        else:  # queued earlier (the person holds a claim slip): it stays queued
            self._mark_queued(rid, err)
        return outcomes.out_of_service(rid, reason)

    def _mark_queued(self, rid: str, err: BaseException) -> IssueOutcome:
        entry = self.outbox.get(rid)
        attempts = entry.attempts if entry else 0
        delay = min(RETRY_FIRST_S * 2 ** max(attempts - 1, 0), RETRY_MAX_S)
        now = self.clock()
        self.outbox.set_status(rid, RequestStatus.PENDING, now, error=str(err),
                               retry_at=now + dt.timedelta(seconds=delay))
        log.warning("platform unavailable, request queued", extra={
            "event": "issuing.queued", "request_id": rid, "retry_in_s": delay})
        return outcomes.queued(rid)
