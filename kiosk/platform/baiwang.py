"""The Baiwang open platform (百望云) behind the issuing-gateway port: a second provider.

:class:`BaiwangGateway` implements :class:`~kiosk.platform.gateway.IssuingGateway`
with ``baiwang.output.invoice.issue`` (synchronous issue) and
``baiwang.output.invoice.query`` (by ``serialNo``), signed as in
:mod:`kiosk.platform.baiwang_sign`, with one shared persisted token
(:mod:`kiosk.platform.baiwang_client`). It proves the port provider-neutral:
the issuing service, the flow and the CLI do not know which provider issues.

Exactly once, the same way as Nuonuo (the adapter's own ledger,
``<data>/baiwang.db``, :class:`~kiosk.platform.nuonuo_ledger.Ledger`):

- the ``serialNo`` is derived from the request id and persisted before sending;
- a lost answer -> :class:`PlatformTimeout`, the serialNo is kept; the next
  ``issue`` (or ``query_request``) QUERIES it first and re-sends the same
  serialNo only if Baiwang never saw it; a "流水号重复" answer is queried;
- a provider-side error (``SYSTEM_CODES``) keeps the serialNo (unknown);
- a new serialNo only after a definite refusal;
- a refusal that says the clerk's bureau login / face check lapsed ->
  :class:`~kiosk.platform.gateway.OperatorActionNeeded` (out of service until
  ``health()`` is ok again).

Not built for Baiwang (docs/baiwang.md): red letters (``baiwang.output.redinvoice.*``)
and the quota query raise a coded PlatformError.
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
from kiosk.platform.baiwang_client import Answer, BaiwangClient, NoAnswer
from kiosk.platform.baiwang_mapping import amount_mismatch, invoice_from_item, issue_data
from kiosk.platform.gateway import (
    InvoiceDocuments,
    NotFound,
    OperatorActionNeeded,
    PlatformError,
    PlatformHealth,
    PlatformRejected,
    PlatformTimeout,
    PlatformUnavailable,
    QuotaExceeded,
    Rejection,
    request_problems,
)
from kiosk.platform.nuonuo_errors import QUOTA_MARKER, is_operator_session_lapsed, problem_error
from kiosk.platform.nuonuo_ledger import Entry
from kiosk.platform.nuonuo_mapping import PLATFORM_TZ
from kiosk.platform.operator_session import SessionWatch
from kiosk.platform.provider_book import ProviderBook

log = logging.getLogger("kiosk.platform.baiwang")

ISSUE = "baiwang.output.invoice.issue"
QUERY = "baiwang.output.invoice.query"
DUPLICATE_MARKER = "流水号重复"  # the serialNo was issued before: query it
SYSTEM_CODES = frozenset({"-1", "500", "999999"})  # provider-side error: outcome unknown
DOC_KINDS = provider_files.DOC_KINDS


class BaiwangGateway:
    """IssuingGateway over the Baiwang open platform."""

    def __init__(self, client: BaiwangClient, seller: Seller, data_folder: Path, *,
                 drawer: str = "", retries: int = 2, session_recheck_s: float = 300.0,
                 clock: Callable[[], dt.datetime] | None = None,
                 session_clock: Callable[[], float] = time.time) -> None:
        self.client = client
        self.seller = seller
        self.folder = Path(data_folder)
        self.book = ProviderBook(self.folder, "baiwang")
        self.ledger = self.book.ledger
        self.drawer = drawer
        self.retries = retries
        self._clock = clock or (lambda: dt.datetime.now(PLATFORM_TZ))
        # a lapsed clerk session, seen by every process (health() reports it)
        self.session = SessionWatch(self.folder / "baiwang-operator-session.json",
                                    session_recheck_s, clock=session_clock)
        self.last_problem: PlatformError | None = None  # what health() reports

    def __repr__(self) -> str:
        return f"BaiwangGateway({self.client!r})"

    def close(self) -> None:
        self.book.close()

    # --- calls ----------------------------------------------------------------------
    def _biz(self, data: dict[str, Any]) -> dict[str, Any]:
        return {"taxNo": self.client.tax_number, "data": data}

    def safe_call(self, method: str, data: dict[str, Any]) -> Answer:
        """A query: retried on a lost answer; raises PlatformUnavailable at the end."""
        last: Exception | None = None
        for _ in range(self.retries + 1):
            try:
                return self.client.call(method, self._biz(data))
            except NoAnswer as err:
                last = err
            except PlatformUnavailable as err:
                if err.code.startswith("platform."):
                    raise
                last = err
        raise PlatformUnavailable("百望云平台查询未应答", f"Baiwang did not answer a query ({last})")

    def query_item(self, serial_no: str) -> dict[str, Any] | None:
        """The issued invoice of ``serial_no`` as Baiwang reports it, or None (not issued)."""
        answer = self.safe_call(QUERY, {"serialNo": serial_no})
        if not answer.success:
            raise problem_error(PlatformUnavailable, "platform.baiwang.bad_answer",
                                describe=f"{answer.code} {answer.reason}")
        items = answer.response if isinstance(answer.response, list) else [answer.response]
        for item in items:
            if isinstance(item, dict) and item.get("serialNo") == serial_no and \
                    (item.get("digitInvoiceNo") or item.get("invoiceNo")):
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
        entry = self.ledger.entry(request.request_id)
        if entry is not None and entry.state == "sent":  # sent before, answer never seen
            item = self.query_item(entry.order_no)  # ask first; never send blind
            if item is not None:
                return self._done(entry, item)
        entry = self.ledger.prepare(request)  # persisted BEFORE anything is sent
        data = issue_data(entry.request, self.seller, entry.order_no, drawer=self.drawer,
                          at=self._clock())
        try:
            answer = self.client.call(ISSUE, self._biz(data))
        except NoAnswer as err:
            log.warning("Baiwang did not answer an issue request", extra={
                "event": "platform.baiwang.no_answer", "serial_no": entry.order_no})
            raise PlatformTimeout("百望云平台未应答，结果未知", f"no answer from Baiwang ({err})"
                                  ) from None
        if answer.success or DUPLICATE_MARKER in answer.reason:
            items = answer.response if isinstance(answer.response, list) else [answer.response]
            item = next((i for i in items if isinstance(i, dict) and i.get("digitInvoiceNo")),
                        None) if answer.success else None
            if item is None or not item.get("pdfUrl"):  # the files' URLs come with the query
                item = self.query_item(entry.order_no) or item
            if item is None:
                raise problem_error(PlatformTimeout, "platform.baiwang.unknown",
                                    provider_code=answer.code or "-", describe=answer.reason)
            return self._done(entry, item)
        if answer.code in SYSTEM_CODES:
            raise problem_error(PlatformTimeout, "platform.baiwang.unknown",
                                provider_code=answer.code, describe=answer.reason)
        raise self._refused(entry, answer)

    def _refused(self, entry: Entry, answer: Answer) -> PlatformError:
        """A definite refusal: nothing was issued; the next attempt takes a new serialNo."""
        self.ledger.fail(entry.request.request_id, entry.order_no, answer.code)
        if is_operator_session_lapsed(answer.reason):
            err = problem_error(OperatorActionNeeded, "platform.baiwang.operator_session",
                                describe=answer.reason)
            self.last_problem = err
            self.session.lapsed(err)
            log.error("the clerk's bureau session lapsed: issuing stops", extra={
                "event": "platform.baiwang.operator_session", "provider_code": answer.code})
            return err
        if QUOTA_MARKER in answer.reason:
            return QuotaExceeded(message_zh=f"百望云：{answer.reason}",
                                 message_en=f"Baiwang: the issuing quota is exhausted ({answer.code})")
        words = problem_error(PlatformError, "platform.baiwang.refused",
                              provider_code=answer.code, describe=answer.reason)
        return PlatformRejected([Rejection(answer.code or "BAIWANG_REFUSED", words.message_zh,
                                           words.message_en)])

    def _done(self, entry: Entry, item: dict[str, Any]) -> Invoice:
        try:
            invoice = invoice_from_item(item, entry.request, self.seller)
        except (ValueError, TypeError) as err:
            raise problem_error(PlatformTimeout, "platform.baiwang.bad_answer",
                                describe=str(err)) from None
        mismatch = amount_mismatch(item, invoice)
        if mismatch is not None:
            log.error("Baiwang's amounts differ from ours", extra={
                "event": "platform.baiwang.amount_mismatch", "number": invoice.number,
                "theirs": mismatch[0], "ours": mismatch[1]})
        urls = {kind: str(item.get(f"{kind}Url") or "") for kind in DOC_KINDS}
        self.last_problem = None
        self.session.cleared()
        return self.ledger.record(invoice, urls, serial_no=entry.order_no)

    # --- lookups --------------------------------------------------------------------
    def query_request(self, request_id: str) -> Invoice | None:
        entry = self.ledger.entry(request_id)
        if entry is None:
            return None
        if entry.invoice_number:
            return self.ledger.invoice(entry.invoice_number)
        if entry.state != "sent":
            return None
        item = self.query_item(entry.order_no)
        return None if item is None else self._done(entry, item)

    def query_order(self, order_no: str) -> Invoice | None:
        for rid, state, number in self.ledger.holders(order_no):
            if state == "issued" and number:
                return self.ledger.invoice(number)
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
        raise problem_error(PlatformError, "platform.baiwang.not_built", what="quota")

    # --- red letters: not built for Baiwang (docs/baiwang.md) -------------------------
    def _no_red(self) -> PlatformError:
        return problem_error(PlatformError, "platform.baiwang.not_built", what="red letters")

    def file_red_form(self, original_number: str, reason: RedReason, filed_by: str,
                      lines: Sequence[InvoiceLine] | None = None) -> RedLetterForm:
        raise self._no_red()

    def confirm_red_form(self, form_number: str) -> RedLetterForm:
        raise self._no_red()

    def reject_red_form(self, form_number: str) -> RedLetterForm:
        raise self._no_red()

    def withdraw_red_form(self, form_number: str) -> RedLetterForm:
        raise self._no_red()

    def query_red_form(self, form_number: str) -> RedLetterForm:
        # no form is ever filed through this adapter, so none is known to it
        raise NotFound(f"红字确认单{form_number}不存在", f"no red-letter form {form_number}")

    def issue_red_invoice(self, form_number: str) -> Invoice:
        raise self._no_red()

    # --- documents ------------------------------------------------------------------
    def _no_documents(self, number: str) -> PlatformError:
        return problem_error(PlatformUnavailable, "platform.baiwang.no_documents", number=number)

    def official_files(self, number: str) -> dict[str, Path]:
        """Baiwang's PDF, OFD and XML of ``number``, downloaded once into the data folder."""
        return self.book.official_files(number, self.client.timeout_s, self._no_documents)

    def documents(self, number: str) -> InvoiceDocuments:
        return self.book.documents(number, self.client.timeout_s, self._no_documents)

    # --- health ---------------------------------------------------------------------
    def health(self) -> PlatformHealth:
        t0 = time.perf_counter()
        checked = dt.datetime.now(dt.UTC)
        try:
            answer = self.safe_call(QUERY, {"serialNo": "HEALTH00000000000000"})
        except PlatformError as err:
            return PlatformHealth(False, (time.perf_counter() - t0) * 1000, err.message_en,
                                  None, checked)
        ms = (time.perf_counter() - t0) * 1000
        if not answer.success:
            return PlatformHealth(False, ms, f"Baiwang answered {answer.code} {answer.reason}",
                                  None, checked)
        problem: PlatformError | None = self.session.current()
        if problem is None and isinstance(self.last_problem, OperatorActionNeeded):
            log.info("the clerk may have signed in again: issuing is tried again", extra={
                "event": "platform.baiwang.operator_session_recheck"})
            self.last_problem = None
        problem = problem or self.last_problem
        if problem is not None:
            return PlatformHealth(False, ms, problem.message_en, None, checked)
        return PlatformHealth(True, ms, "Baiwang reachable, credentials accepted", None, checked)
