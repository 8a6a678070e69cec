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
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sqlite_utils

from kiosk.corrections import CorrectionsMixin
from kiosk.model import Colour, Invoice, InvoiceRequest, RequestStatus
from kiosk.outbox import Outbox, OutboxEntry, StoredInvoice, iso
from kiosk.platform.gateway import (
    IssuingGateway,
    OrderAlreadyInvoiced,
    PlatformError,
    PlatformRejected,
    PlatformTimeout,
    PlatformUnavailable,
    QuotaExceeded,
    Rejection,
)
from kiosk.rules import request_id_for

if TYPE_CHECKING:
    from kiosk.audit import AuditTrail
    from kiosk.mail import MailOutbox

log = logging.getLogger("kiosk.issuing")

RETRY_FIRST_S = 30
RETRY_MAX_S = 600


class IssueStatus(StrEnum):
    ISSUED = "issued"
    ALREADY_INVOICED = "already_invoiced"
    QUEUED = "queued"
    UNKNOWN = "unknown"
    REJECTED = "rejected"


@dataclass(frozen=True)
class IssueOutcome:
    """What happened to a request, and what will happen next (for the screen and the CLI)."""

    status: IssueStatus
    request_id: str
    invoice: Invoice | None = None
    message_zh: str = ""
    message_en: str = ""
    errors: tuple[Rejection, ...] = field(default_factory=tuple)
    xml_path: Path | None = None
    pdf_path: Path | None = None


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that the file is either absent, old or complete."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)  # the rename itself survives a power cut
    finally:
        os.close(dir_fd)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class IssuingService(CorrectionsMixin):
    """Issues invoices exactly once through ``gateway``, keeping its state in ``db``.

    Red-letter corrections, lookup and reprint come from
    :class:`~kiosk.corrections.CorrectionsMixin`.
    """

    def __init__(
        self,
        db: sqlite_utils.Database,
        gateway: IssuingGateway,
        *,
        seller_tax_id: str,
        documents_dir: Path,
        mailer: MailOutbox | None = None,
        audit: AuditTrail | None = None,
        clock: Callable[[], dt.datetime] = _now,
    ) -> None:
        self.db = db
        self.gateway = gateway
        self.seller_tax_id = seller_tax_id
        self.documents_dir = Path(documents_dir)
        self.mailer = mailer
        self.audit = audit
        self.clock = clock
        self.outbox = Outbox(db)
        if mailer is not None and mailer.db.conn is db.conn:
            self.outbox.lock = mailer.lock  # one connection, one writer at a time

    # --- public API -----------------------------------------------------------------
    def issue(self, request: InvoiceRequest) -> IssueOutcome:
        """Issue ``request`` exactly once (see the module doc). Never raises a PlatformError."""
        base = request_id_for(request.order_nos, self.seller_tax_id)
        if request.request_id != base:
            raise ValueError(f"request id {request.request_id} is not the one its orders make "
                             f"({base}): build it with kiosk.rules.request_id_for")
        with self.outbox.lock:
            expected = self.request_id_for_orders(request.order_nos)
            if expected != base:  # a new blue invoice after a full red-letter credit
                request = dataclasses.replace(request, request_id=expected)
            local = self._local_invoice(request.order_nos)
            if local is not None:
                return self._already(request.request_id, local)
            for other in self.outbox.active_for_orders(request.order_nos):
                if other.request_id != request.request_id and not self._settle_other(other):
                    return self._blocked(request.request_id, other)
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
        outcomes: list[IssueOutcome] = []
        with self.outbox.lock:
            now = self.clock()
            for entry in self.outbox.entries((RequestStatus.SENT, RequestStatus.UNKNOWN)):
                outcomes.append(self._resolve(entry, send_queued=True))
            for entry in self.outbox.entries((RequestStatus.PENDING,)):
                if not force and entry.next_attempt_at > now:
                    continue
                outcome = self._resolve(entry, send_queued=True)
                outcomes.append(outcome)
                if outcome.status is IssueStatus.QUEUED:
                    break  # the platform is down: the rest would only fail the same way
            outcomes += self._resolve_pending_red()
            for stored in self.outbox.invoices_needing_work():
                self._finish_invoice(stored.invoice)
        if outcomes:
            log.info("pending requests resolved", extra={
                "event": "issuing.resolved",
                "outcomes": [f"{o.request_id}:{o.status.value}" for o in outcomes]})
        return outcomes

    def retry(self, request_id: str) -> IssueOutcome:
        """Resolve one request now (diagnostics' "retry"): query first, then re-send if unseen."""
        with self.outbox.lock:
            entry = self.outbox.get(request_id)
            if entry is None:
                raise KeyError(f"no issue request {request_id}")
            if entry.status is RequestStatus.ISSUED:
                stored = self.outbox.invoice(entry.invoice_number)
                if stored is not None:
                    return self._already(request_id, stored)
            if entry.status is RequestStatus.REJECTED:
                return self._rejected(entry.request_id, list(entry.errors))
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
        stored = self.outbox.invoice(number)
        if stored is None or not stored.xml_path or not stored.pdf_path:
            return None
        return Path(stored.xml_path), Path(stored.pdf_path)

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
                return self._unknown(rid)
            if found is not None:
                return self._complete(entry.request, found)
            log.info("platform never saw the request: sending again with the same id",
                     extra={"event": "issuing.resend", "request_id": rid})
            if latest is not None and latest != entry.request:
                self.outbox.update_request(latest, self.clock())
            return self._send(latest or entry.request)
        if entry.status is RequestStatus.PENDING:
            if not send_queued:
                return self._queued(rid)
            # Never sent: check the orders at the platform, then send.
            try:
                for order_no in entry.order_nos:
                    existing = self.gateway.query_order(order_no)
                    if existing is not None:
                        return self._invoiced_elsewhere(entry.request, existing)
            except PlatformError as err:
                return self._mark_queued(rid, err)
            return self._send(entry.request)
        raise AssertionError(f"cannot resolve a request in status {entry.status}")

    def _send(self, request: InvoiceRequest) -> IssueOutcome:
        rid = request.request_id
        self.outbox.set_status(rid, RequestStatus.SENT, self.clock(), attempt=True)
        log.info("issue request sent", extra={"event": "issuing.sent", "request_id": rid})
        try:
            invoice = self.gateway.issue(request)
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
            return self._rejected(rid, errors)
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
        return self._unknown(request.request_id)

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
        return IssueOutcome(IssueStatus.ALREADY_INVOICED, request.request_id, None,
                            err.message_zh, err.message_en, (rejection,))

    def _invoiced_elsewhere(self, request: InvoiceRequest, invoice: Invoice) -> IssueOutcome:
        """The orders carry an invoice of ANOTHER request id (or ours, found by order)."""
        if invoice.request_id == request.request_id:
            return self._complete(request, invoice)
        self._store(invoice, mail_to="")
        rejection = Rejection("ORDER_ALREADY_INVOICED", f"订单已开具发票（发票号码 {invoice.number}）",
                              f"the orders were already invoiced ({invoice.number})", "order_nos")
        self.outbox.set_status(request.request_id, RequestStatus.REJECTED, self.clock(),
                               errors=[rejection], invoice_number=invoice.number)
        stored = self.outbox.invoice(invoice.number)
        assert stored is not None
        return self._already(request.request_id, stored)

    def _complete(self, request: InvoiceRequest, invoice: Invoice) -> IssueOutcome:
        """The platform issued ``invoice`` for ``request``: store, mark, audit, documents."""
        new = self._store(invoice, mail_to=request.buyer.email, request_id=request.request_id)
        stored = self.outbox.invoice(invoice.number)
        assert stored is not None
        if not new:
            return self._already(request.request_id, stored)
        log.info("invoice issued", extra={
            "event": "issuing.issued", "request_id": request.request_id,
            "number": invoice.number, "total": str(invoice.total)})
        xml, pdf = self._finish_invoice(invoice)
        zh = f"发票已开具，发票号码 {invoice.number}。"
        en = f"Invoice {invoice.number} has been issued."
        if request.buyer.email and self.mailer is not None:
            zh += "发票文件将发送到您填写的邮箱。"
            en += " The invoice files will be e-mailed to the address you gave."
        return IssueOutcome(IssueStatus.ISSUED, request.request_id, invoice, zh, en,
                            xml_path=xml, pdf_path=pdf)

    def _store(self, invoice: Invoice, *, mail_to: str, request_id: str = "",
               red_request_id: str = "") -> bool:
        """Store the invoice (and mark its blue or red request ISSUED) in one transaction;
        False if known."""
        now = self.clock()
        with self.outbox.tx() as conn:
            new = self.outbox.store_invoice(conn, invoice, now, mail_wanted=bool(mail_to))
            if red_request_id:
                self.outbox.set_red_status(red_request_id, RequestStatus.ISSUED, now,
                                           invoice_number=invoice.number, error="", conn=conn)
            if request_id:
                conn.execute(
                    "UPDATE issue_requests SET status = ?, invoice_number = ?, updated_at = ?,"
                    " last_error = '' WHERE request_id = ?",
                    [RequestStatus.ISSUED.value, invoice.number, iso(now), request_id])
            if new and self.audit is not None and self.audit.db.conn is conn:
                self._audit(invoice)  # joins this transaction: no invoice without its audit row
        if new and self.audit is not None and self.audit.db.conn is not self.db.conn:
            self._audit(invoice)
        return new

    def _audit(self, invoice: Invoice) -> None:
        assert self.audit is not None
        data: dict[str, Any] = {
            "number": invoice.number, "request_id": invoice.request_id,
            "orders": list(invoice.order_nos), "kind": invoice.kind.value,
            "net": invoice.total_net, "tax": invoice.total_tax, "total": invoice.total}
        if invoice.colour is Colour.RED:
            data.update(original_number=invoice.original_number,
                        red_form_number=invoice.red_form_number)
        self.audit.record("invoice.red_issued" if invoice.colour is Colour.RED
                          else "invoice.issued", "kiosk", data)

    def _finish_invoice(self, invoice: Invoice) -> tuple[Path | None, Path | None]:
        """Write missing documents and queue wanted mail; failures are retried later."""
        stored = self.outbox.invoice(invoice.number)
        if stored is None:
            return None, None
        xml_path, pdf_path = self.documents_dir / f"{invoice.number}.xml", \
            self.documents_dir / f"{invoice.number}.pdf"
        docs: tuple[bytes, bytes] | None = None
        if not (stored.xml_path and xml_path.is_file() and pdf_path.is_file()):
            docs = self._documents(invoice)
            if docs is None:
                return None, None
            try:
                write_atomic(xml_path, docs[0])
                write_atomic(pdf_path, docs[1])
            except OSError as err:  # the invoice stands; resolve_pending writes them later
                log.error("could not write the invoice documents", extra={
                    "event": "issuing.documents_unwritten", "number": invoice.number,
                    "error": str(err)})
                return None, None
            self.outbox.set_documents(invoice.number, str(xml_path), str(pdf_path))
        if stored.mail_state == "wanted" and self.mailer is not None:
            request = self._request_of(invoice)
            to = request.buyer.email if request is not None else invoice.buyer.email
            if to:
                xml, pdf = docs or (xml_path.read_bytes(), pdf_path.read_bytes())
                ofd = _ofd_copy(invoice, xml_path.with_suffix(".ofd"))  # issue 14 item 6
                try:
                    self.mailer.enqueue_invoice(invoice, to, pdf=pdf, xml=xml, ofd=ofd)
                    self.outbox.set_mail_state(invoice.number, "queued")
                except Exception:  # mail never undoes issuing; resolve_pending tries again
                    log.exception("could not queue the invoice e-mail", extra={
                        "event": "issuing.mail_queue_failed", "number": invoice.number})
        return xml_path, pdf_path

    def _documents(self, invoice: Invoice) -> tuple[bytes, bytes] | None:
        """(xml, pdf): the platform's official copy, or None while it cannot be fetched.

        Never a local substitute: what the kiosk renders itself is unsigned, so it is
        neither stored nor e-mailed as the invoice. The receipt (QR to the platform's
        download) goes out at once; the files are fetched and the wanted e-mail sent
        by ``resolve_pending`` once the platform delivers them.
        """
        try:
            docs = self.gateway.documents(invoice.number)
        except Exception as err:  # noqa: BLE001 - any failure: try again later
            log.warning("platform documents not available yet; fetched again later", extra={
                "event": "issuing.documents_pending", "number": invoice.number,
                "error": str(err)})
            return None
        return docs.xml, docs.pdf

    def _request_of(self, invoice: Invoice) -> InvoiceRequest | None:
        entry = self.outbox.get(invoice.request_id) if invoice.request_id else None
        return entry.request if entry else None

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

    def _mark_queued(self, rid: str, err: BaseException) -> IssueOutcome:
        entry = self.outbox.get(rid)
        attempts = entry.attempts if entry else 0
        delay = min(RETRY_FIRST_S * 2 ** max(attempts - 1, 0), RETRY_MAX_S)
        now = self.clock()
        self.outbox.set_status(rid, RequestStatus.PENDING, now, error=str(err),
                               retry_at=now + dt.timedelta(seconds=delay))
        log.warning("platform unavailable, request queued", extra={
            "event": "issuing.queued", "request_id": rid, "retry_in_s": delay})
        return self._queued(rid)

    def _queued(self, rid: str) -> IssueOutcome:
        return IssueOutcome(
            IssueStatus.QUEUED, rid,
            message_zh="开票平台暂时无法连接。您的开票申请已保存，平台恢复后将自动开具，"
                       "无需重复申请；开具后可凭订单号在本机查询、打印，填写了邮箱的将发送到邮箱。",
            message_en="The issuing platform cannot be reached. Your request is saved and will be "
                       "issued automatically when it is back; do not apply again. Afterwards, look "
                       "it up here by order number, or find it in your e-mail if you gave one.")

    def _unknown(self, rid: str) -> IssueOutcome:
        return IssueOutcome(
            IssueStatus.UNKNOWN, rid,
            message_zh="开票平台未及时应答，结果暂未确定。系统会先向平台查询，确认未开具才会用同一"
                       "请求号重新提交，不会重复开票。请稍后凭订单号在本机查询。",
            message_en="The platform did not answer in time, so the outcome is not known yet. The "
                       "kiosk asks the platform first and re-sends under the same request number "
                       "only if nothing was issued, so no second invoice can result. Look it up "
                       "here by order number in a few minutes.")

    def _blocked(self, rid: str, other: OutboxEntry) -> IssueOutcome:
        return IssueOutcome(
            IssueStatus.UNKNOWN, rid,
            message_zh="该订单已有一笔开票申请正在处理（结果待确认），为避免重复开票，请稍后凭订单号查询。",
            message_en="An earlier request for this order is still being resolved; to avoid a "
                       "second invoice, look it up by order number in a few minutes.",
            errors=(Rejection("REQUEST_IN_FLIGHT", "订单有未完成的开票申请",
                              f"request {other.request_id} is not resolved yet", "order_nos"),))

    def _rejected(self, rid: str, errors: list[Rejection]) -> IssueOutcome:
        first = errors[0] if errors else Rejection("REJECTED", "开票请求被拒绝", "rejected")
        return IssueOutcome(
            IssueStatus.REJECTED, rid,
            message_zh=f"未能开具发票：{first.message_zh}。请修改后重试，或联系工作人员。",
            message_en=f"No invoice was issued: {first.message_en or first.code}. Correct it and "
                       "try again, or ask staff.",
            errors=tuple(errors))

    def _already(self, rid: str, stored: StoredInvoice) -> IssueOutcome:
        invoice = stored.invoice
        return IssueOutcome(
            IssueStatus.ALREADY_INVOICED, rid, invoice,
            message_zh=f"该订单已开具发票（发票号码 {invoice.number}），不会重复开具。",
            message_en=f"This order has already been invoiced (invoice {invoice.number}); "
                       "it is not issued twice.",
            xml_path=Path(stored.xml_path) if stored.xml_path else None,
            pdf_path=Path(stored.pdf_path) if stored.pdf_path else None)


def describe(outcome: IssueOutcome) -> dict[str, Any]:
    """An outcome as JSON-ready data (the CLI prints it; logs may use it)."""
    inv = outcome.invoice
    return {
        "status": outcome.status.value,
        "request_id": outcome.request_id,
        "invoice_number": inv.number if inv else None,
        "issued_at": inv.issued_at.isoformat() if inv else None,
        "net": str(inv.total_net) if inv else None,
        "tax": str(inv.total_tax) if inv else None,
        "total": str(inv.total) if inv else None,
        "download_url": inv.download_url if inv else None,
        "xml": str(outcome.xml_path) if outcome.xml_path else None,
        "pdf": str(outcome.pdf_path) if outcome.pdf_path else None,
        "message_zh": outcome.message_zh,
        "message_en": outcome.message_en,
        "errors": [e.to_dict() for e in outcome.errors],
    }


# --- the OFD copy beside the XML/PDF, for mail (issue 14 item 6) -----------------------

def _ofd_copy(invoice: Invoice, path: Path) -> bytes | None:
    """The invoice's OFD copy (kiosk.documents.ofd), written at ``path`` once; None on failure."""
    try:
        if path.is_file():
            return path.read_bytes()
        from kiosk.documents.ofd import invoice_to_ofd

        data = invoice_to_ofd(invoice)
        write_atomic(path, data)
        return data
    except Exception:  # the OFD is a convenience copy: mail goes out with the XML and PDF
        log.exception("could not make the OFD copy", extra={
            "event": "issuing.ofd_unwritten", "number": invoice.number})
        return None
