"""The Nuonuo open platform (诺诺开放平台, 诺税通 SaaS) behind the issuing-gateway port.

:class:`NuonuoGateway` implements :class:`~kiosk.platform.gateway.IssuingGateway`
with ``nuonuo.OpeMplatform.requestBillingNew`` (submit) and
``nuonuo.OpeMplatform.queryInvoiceResult`` (poll), signed as in
:mod:`kiosk.platform.nuonuo_sign`, with one shared persisted token
(:mod:`kiosk.platform.nuonuo_token`) and its own ledger
(:mod:`kiosk.platform.nuonuo_ledger`).

Exactly once, the provider's way:

- the orderNo is derived from the request id and persisted before sending;
- ``E0000`` means accepted, not issued: poll until status 2 (done), 20/21 in
  progress, ``E9500`` not found yet; 24 (seal failed) asks ``reInvoice``
  (``E9613``: the daily limit, keep polling later);
- ``E9106`` on submit: that orderNo was accepted before -> query it;
- a lost answer, ``E9613`` or ``E9999`` on submit -> :class:`PlatformTimeout`,
  the SAME orderNo is kept (the next ``issue`` resubmits it and gets E9106);
- a new orderNo only after a definite failure: a refusal code on submit,
  status 22, or voided (3/31);
- a refusal that says the clerk's bureau login / face check lapsed ->
  :class:`~kiosk.platform.nuonuo_errors.OperatorSessionLapsed` (out of
  service; ``health()`` reports it until a call succeeds again).

Red letters: :mod:`kiosk.platform.nuonuo_red`. What Nuonuo's public API does
not give the kiosk, this adapter does not fake: ``remaining_quota`` raises (no
quota query), ``list_invoices`` lists the kiosk's own record of what the
provider issued, and confirming / rejecting / withdrawing a red-letter form is
done by the counterparty in the e-tax bureau or in 诺税通 (a coded PlatformError).
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from kiosk.model import Invoice, InvoiceLine, InvoiceRequest, RedLetterForm, RedReason, Seller
from kiosk.platform import provider_files
from kiosk.platform.gateway import (
    InvoiceDocuments,
    PlatformError,
    PlatformHealth,
    PlatformRejected,
    PlatformTimeout,
    PlatformUnavailable,
    QuotaExceeded,
    Rejection,
    request_problems,
)
from kiosk.platform.nuonuo_client import Envelope, NoAnswer, NuonuoClient
from kiosk.platform.nuonuo_errors import (
    ACCEPTED,
    ALREADY_SUBMITTED,
    LIMITED,
    NOT_FOUND_YET,
    QUOTA_MARKER,
    SYSTEM_ERROR,
    OperatorSessionLapsed,
    is_operator_session_lapsed,
    problem_error,
)
from kiosk.platform.nuonuo_ledger import Entry
from kiosk.platform.nuonuo_mapping import (
    DONE,
    FAILED,
    PLATFORM_TZ,
    SEAL_FAILED,
    VOIDED,
    amount_mismatch,
    billing_content,
    invoice_from_result,
)
from kiosk.platform.nuonuo_red import NuonuoRedDesk
from kiosk.platform.operator_session import SessionWatch
from kiosk.platform.provider_book import ProviderBook

log = logging.getLogger("kiosk.platform.nuonuo")

BILLING = "nuonuo.OpeMplatform.requestBillingNew"
QUERY = "nuonuo.OpeMplatform.queryInvoiceResult"
REINVOICE = "nuonuo.OpeMplatform.reInvoice"
DOC_KINDS = provider_files.DOC_KINDS


class NuonuoGateway:
    """IssuingGateway over the Nuonuo open platform."""

    def __init__(self, client: NuonuoClient, seller: Seller, data_folder: Path, *,
                 clerk: str = "", extension_number: str = "", poll_seconds: float = 2.0,
                 max_polls: int = 30, retries: int = 2,
                 session_recheck_s: float = 300.0,
                 sleep: Callable[[float], None] = time.sleep,
                 clock: Callable[[], dt.datetime] | None = None,
                 session_clock: Callable[[], float] = time.time) -> None:
        self.client = client
        self.seller = seller
        self.folder = Path(data_folder)
        self.book = ProviderBook(self.folder, "nuonuo")
        self.ledger = self.book.ledger
        self.clerk = clerk
        self.extension_number = extension_number
        self.poll_seconds = poll_seconds
        self.max_polls = max_polls
        self.retries = retries
        self.sleep = sleep
        self._clock = clock or (lambda: dt.datetime.now(PLATFORM_TZ))
        self.last_problem: PlatformError | None = None  # what health() reports
        # a lapsed clerk session, seen by every process (health() reports it; docs/nuonuo.md)
        self.session = SessionWatch(self.folder / "nuonuo-operator-session.json",
                                    session_recheck_s, clock=session_clock)
        self.red = NuonuoRedDesk(self)

    def __repr__(self) -> str:
        return f"NuonuoGateway({self.client!r})"

    def close(self) -> None:
        self.book.close()

    # --- calls ----------------------------------------------------------------------
    def safe_call(self, method: str, content: dict[str, Any]) -> Envelope:
        """A query: retried on a lost answer; raises PlatformUnavailable at the end."""
        last: Exception | None = None
        for _ in range(self.retries + 1):
            try:
                return self.client.call(method, content)
            except NoAnswer as err:
                last = err
            except PlatformUnavailable as err:
                if isinstance(err, OperatorSessionLapsed) or err.code.startswith("platform."):
                    raise
                last = err
        raise PlatformUnavailable("诺诺平台查询未应答", f"Nuonuo did not answer a query ({last})")

    def query_result(self, order_no: str) -> dict[str, Any] | None:
        """The queryInvoiceResult item of ``order_no``, or None when not found (yet)."""
        answer = self.safe_call(QUERY, {"isOfferInvoiceDetail": "0", "orderNos": [order_no]})
        if answer.code == NOT_FOUND_YET:
            return None
        if answer.code != ACCEPTED or not isinstance(answer.result, list):
            raise problem_error(PlatformUnavailable, "platform.nuonuo.bad_answer",
                                describe=f"{answer.code} {answer.describe}")
        for item in answer.result:
            if isinstance(item, dict) and item.get("orderNo") == order_no:
                return item
        return None

    # --- issuing --------------------------------------------------------------------
    def issue(self, request: InvoiceRequest) -> Invoice:
        found = self.book.recorded(request.request_id)
        if found is not None:
            return found
        problems = request_problems(request, self._clock().date())
        if problems:
            raise PlatformRejected(problems)
        self.book.check_orders(request)
        entry = self.ledger.prepare(request)  # persisted BEFORE anything is sent
        content = billing_content(entry.request, self.seller, entry.order_no, clerk=self.clerk,
                                  extension_number=self.extension_number, at=self._clock())
        try:
            answer = self.client.call(BILLING, content)
        except NoAnswer as err:
            log.warning("Nuonuo did not answer a billing request", extra={
                "event": "platform.nuonuo.no_answer", "order_no": entry.order_no})
            raise PlatformTimeout("诺诺平台未应答，结果未知", f"no answer from Nuonuo ({err})") from None
        if answer.code == ACCEPTED:
            log.info("Nuonuo accepted a billing request", extra={
                "event": "platform.nuonuo.accepted", "order_no": entry.order_no})
        elif answer.code == ALREADY_SUBMITTED:
            log.info("orderNo already accepted; querying it", extra={
                "event": "platform.nuonuo.resubmitted", "order_no": entry.order_no})
        elif answer.code in (LIMITED, SYSTEM_ERROR):
            raise problem_error(PlatformTimeout, "platform.nuonuo.unknown",
                                provider_code=answer.code, describe=answer.describe)
        else:
            self._refused(entry, answer)
        return self._await(entry)

    def _refused(self, entry: Entry, answer: Envelope) -> None:
        """A definite refusal on submit: nothing was issued; the next attempt takes a new orderNo."""
        self.ledger.fail(entry.request.request_id, entry.order_no, answer.code)
        if is_operator_session_lapsed(answer.describe):
            err = problem_error(OperatorSessionLapsed, "platform.nuonuo.operator_session",
                                describe=answer.describe)
            self._lapsed(err)
            log.error("the clerk's bureau session lapsed: issuing stops", extra={
                "event": "platform.nuonuo.operator_session", "provider_code": answer.code})
            raise err
        if QUOTA_MARKER in answer.describe:
            raise QuotaExceeded(message_zh=f"诺诺平台：{answer.describe}",
                                message_en=f"Nuonuo: the issuing quota is exhausted ({answer.code})")
        words = problem_error(PlatformError, "platform.nuonuo.refused",
                              provider_code=answer.code, describe=answer.describe)
        raise PlatformRejected([Rejection(answer.code, words.message_zh, words.message_en)])

    def _await(self, entry: Entry) -> Invoice:
        """Poll until done; PlatformTimeout (keep the orderNo) when it takes longer than we wait."""
        invoice, describe = self._poll(entry, give_up_if_unknown=False)
        if invoice is None:
            raise problem_error(PlatformTimeout, "platform.nuonuo.pending",
                                describe=describe or "in progress")
        return invoice

    def _poll(self, entry: Entry, *, give_up_if_unknown: bool) -> tuple[Invoice | None, str]:
        """``(invoice, "")`` when done, ``(None, last status words)`` while still open.

        Raises PlatformRejected / OperatorSessionLapsed on a definite failure
        (status 22 or voided), after marking it so the next attempt takes a new orderNo.
        """
        reinvoiced = False
        describe = ""
        for i in range(self.max_polls):
            if i:
                self.sleep(self.poll_seconds)
            item = self.query_result(entry.order_no)
            if item is None:
                if give_up_if_unknown:
                    return None, "not found"
                continue  # E9500 right after acceptance: not visible yet
            status = str(item.get("status", ""))
            describe = str(item.get("statusMsg") or "")
            if status == DONE:
                return self._done(entry, item), ""
            if status == SEAL_FAILED and not reinvoiced:
                reinvoiced = True
                self._reinvoice(entry)
            elif status == FAILED or status in VOIDED:
                raise self._failure(entry, item, status)
        return None, describe

    def _failure(self, entry: Entry, item: dict[str, Any], status: str) -> PlatformError:
        """Status 22 or voided: a definite failure; marked, and returned to be raised."""
        cause = str(item.get("failCause") or item.get("statusMsg") or "")
        self.ledger.fail(entry.request.request_id, entry.order_no, f"status {status}")
        if is_operator_session_lapsed(cause):
            err = problem_error(OperatorSessionLapsed, "platform.nuonuo.operator_session",
                                describe=cause)
            self._lapsed(err)
            return err
        words = problem_error(PlatformError, "platform.nuonuo.failed", status=status,
                              describe=cause)
        return PlatformRejected([Rejection(f"NUONUO_STATUS_{status}", words.message_zh,
                                           words.message_en)])

    def _lapsed(self, err: PlatformError) -> None:
        self.last_problem = err
        self.session.lapsed(err)

    def _reinvoice(self, entry: Entry) -> None:
        try:
            answer = self.client.call(REINVOICE, {"orderno": entry.order_no})
        except NoAnswer:
            return  # harmless: the next poll tells
        if answer.code == LIMITED:
            raise problem_error(PlatformTimeout, "platform.nuonuo.unknown",
                                provider_code=answer.code, describe=answer.describe)

    def _done(self, entry: Entry, item: dict[str, Any]) -> Invoice:
        try:
            invoice = invoice_from_result(item, entry.request, self.seller)
        except (ValueError, TypeError) as err:
            raise problem_error(PlatformTimeout, "platform.nuonuo.bad_answer",
                                describe=str(err)) from None
        mismatch = amount_mismatch(item, invoice)
        if mismatch is not None:
            log.error("Nuonuo's amounts differ from ours", extra={
                "event": "platform.nuonuo.amount_mismatch", "number": invoice.number,
                "code": "platform.nuonuo.amount_mismatch", "theirs": mismatch[0],
                "ours": mismatch[1]})
        urls = {kind: str(item.get(f"{kind}Url") or "") for kind in DOC_KINDS}
        self.last_problem = None
        self.session.cleared()
        return self.ledger.record(invoice, urls, serial_no=str(item.get("serialNo") or ""))

    # --- lookups --------------------------------------------------------------------
    def query_request(self, request_id: str) -> Invoice | None:
        entry = self.ledger.entry(request_id)
        if entry is None:
            return None
        if entry.invoice_number:
            return self.ledger.invoice(entry.invoice_number)
        if entry.state != "sent":
            return None
        try:
            invoice, _ = self._poll(entry, give_up_if_unknown=True)
        except PlatformRejected:
            return None  # a definite failure: nothing was issued
        except PlatformTimeout:
            return None  # still open (e.g. seal retry refused for today): not issued yet
        return invoice

    def query_order(self, order_no: str) -> Invoice | None:
        """The blue invoice covering ``order_no``; None once red invoices credit all of it."""
        for rid, state, number in self.ledger.holders(order_no):
            if state == "issued" and number:
                if self.book.still_invoiced(number):
                    return self.ledger.invoice(number)
                continue
            if state == "sent":
                found = self.query_request(rid)
                if found is not None:
                    return found
        return None

    def get_invoice(self, number: str) -> Invoice | None:
        return self.ledger.invoice(number)

    def list_invoices(self, day: dt.date) -> list[Invoice]:
        return self.ledger.invoices_on(day.isoformat())

    def remaining_quota(self) -> Decimal:
        raise problem_error(PlatformError, "platform.nuonuo.no_quota_api")

    # --- red letters (kiosk.platform.nuonuo_red) --------------------------------------
    def file_red_form(self, original_number: str, reason: RedReason, filed_by: str,
                      lines: Sequence[InvoiceLine] | None = None) -> RedLetterForm:
        return self.red.file_red_form(original_number, reason, filed_by, lines)

    def confirm_red_form(self, form_number: str) -> RedLetterForm:
        return self.red.counterparty_acts(form_number)

    def reject_red_form(self, form_number: str) -> RedLetterForm:
        return self.red.counterparty_acts(form_number)

    def withdraw_red_form(self, form_number: str) -> RedLetterForm:
        return self.red.counterparty_acts(form_number)

    def query_red_form(self, form_number: str) -> RedLetterForm:
        return self.red.query_red_form(form_number)

    def issue_red_invoice(self, form_number: str) -> Invoice:
        return self.red.issue_red_invoice(form_number)

    # --- documents ------------------------------------------------------------------
    def _no_documents(self, number: str) -> PlatformError:
        return problem_error(PlatformUnavailable, "platform.nuonuo.no_documents", number=number)

    def official_files(self, number: str) -> dict[str, Path]:
        """Nuonuo's PDF, OFD and XML of ``number``, downloaded once into the data folder."""
        return self.book.official_files(number, self.client.timeout_s, self._no_documents)

    def documents(self, number: str) -> InvoiceDocuments:
        return self.book.documents(number, self.client.timeout_s, self._no_documents)

    # --- health ---------------------------------------------------------------------
    def health(self) -> PlatformHealth:
        t0 = time.perf_counter()
        checked = dt.datetime.now(dt.UTC)
        try:
            answer = self.safe_call(QUERY, {"isOfferInvoiceDetail": "0",
                                             "orderNos": ["HEALTH0000000000000"]})
        except PlatformError as err:
            return PlatformHealth(False, (time.perf_counter() - t0) * 1000, err.message_en,
                                  None, checked)
        ms = (time.perf_counter() - t0) * 1000
        if answer.code not in (ACCEPTED, NOT_FOUND_YET):
            return PlatformHealth(False, ms, f"Nuonuo answered {answer.code} {answer.describe}",
                                  None, checked)
        problem: PlatformError | None = self.session.current()
        if problem is None and isinstance(self.last_problem, OperatorSessionLapsed):
            log.info("the clerk may have signed in again: issuing is tried again", extra={
                "event": "platform.nuonuo.operator_session_recheck"})
            self.last_problem = None
        problem = problem or self.last_problem
        if problem is not None:
            return PlatformHealth(False, ms, problem.message_en, None, checked)
        return PlatformHealth(True, ms, "Nuonuo reachable, credentials accepted", None, checked)
