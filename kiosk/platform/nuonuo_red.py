"""Red letters (数电 红字确认单 and red invoices) through Nuonuo.

:class:`NuonuoRedDesk` is the red-letter part of
:class:`~kiosk.platform.nuonuo.NuonuoGateway` (composed, not mixed in):

- ``file_red_form``: ``nuonuo.OpeMplatform.saveInvoiceRedConfirm`` with our
  ``billId`` as the idempotency key (persisted before sending, reused while
  the answer is unknown; a resubmit answers ``E9999 申请号重复`` and the form is
  read back by billId), ``redReason`` in the provider's numbering, ``detail[]``
  with ``blueDetailIndex`` for a partial credit; ``E9103``: the invoice cannot
  be red-lettered twice. One open form per invoice is checked locally first.
- ``query_red_form``: ``queryInvoiceRedConfirm`` (``billStatus`` 01-09; the
  provider's 10/15/16 are mapped, see docs/nuonuo.md).
- ``issue_red_invoice``: at 01 or 04 the bureau issues the red invoice;
  ``fastInvoiceRed`` with our own orderNo (derived from the form number,
  persisted first, E9106 on a resubmit) fetches it, and ``queryInvoiceResult``
  polls it like a blue one.
- Confirming or rejecting is the counterparty's act in the e-tax bureau, and
  withdrawing is done in 诺税通: those calls raise a coded PlatformError.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from kiosk.model import (
    Colour,
    Invoice,
    InvoiceLine,
    RedFormStatus,
    RedLetterForm,
    RedReason,
)
from kiosk.platform.gateway import (
    NotFound,
    PlatformError,
    PlatformRejected,
    PlatformTimeout,
    RedFormStateError,
    Rejection,
)
from kiosk.platform.nuonuo_client import Envelope, NoAnswer
from kiosk.platform.nuonuo_errors import (
    ACCEPTED,
    ALREADY_RED,
    ALREADY_SUBMITTED,
    LIMITED,
    NOT_FOUND_YET,
    SYSTEM_ERROR,
    problem_error,
)
from kiosk.platform.nuonuo_mapping import DONE, FAILED, PLATFORM_TZ, VOIDED, money, number

if TYPE_CHECKING:
    from kiosk.platform.nuonuo import NuonuoGateway

RED_SAVE = "nuonuo.OpeMplatform.saveInvoiceRedConfirm"
RED_QUERY = "nuonuo.OpeMplatform.queryInvoiceRedConfirm"
RED_ISSUE = "nuonuo.OpeMplatform.fastInvoiceRed"

S = RedFormStatus
# Our reasons -> the provider's numbering (1 销货退回, 2 开票有误, 3 服务中止, 4 销售折让).
REASON_TO_NUONUO = {RedReason.GOODS_RETURNED: "1", RedReason.ISSUED_IN_ERROR: "2",
                    RedReason.SERVICE_STOPPED: "3", RedReason.SALES_ALLOWANCE: "4"}
REASON_FROM_NUONUO = {v: k for k, v in REASON_TO_NUONUO.items()}
OPEN = (S.NO_CONFIRMATION_NEEDED, S.SELLER_FILED, S.BUYER_FILED, S.CONFIRMED)


def status_of(bill_status: str, filed_by: str) -> RedFormStatus:
    """The provider's billStatus as ours; 10 (void after confirmation), 15 (applying) and
    16 (application failed) are the provider's own (assumed meanings, docs/nuonuo.md)."""
    if bill_status == "15":
        return S.SELLER_FILED if filed_by == "seller" else S.BUYER_FILED
    if bill_status == "10":
        return S.VOID_AFTER_CONFIRMATION
    if bill_status == "16":
        return S.WITHDRAWN
    return RedFormStatus(bill_status)


def _dec(value: Any) -> Decimal:
    return Decimal(str(value))


def form_from_item(item: dict[str, Any]) -> RedLetterForm:
    filed_by = "buyer" if str(item.get("applySource")) == "1" else "seller"
    lines = []
    for d in item.get("detail") or []:
        mark = str(d.get("favouredPolicyName") or "") if d.get("favouredPolicyFlag") == "1" else ""
        lines.append(InvoiceLine(
            str(d["goodsName"]), str(d["goodsCode"]), _dec(d["num"]), _dec(d["price"]),
            _dec(d["taxExcludedAmount"]), _dec(d["taxRate"]), _dec(d["tax"]), mark,
            str(d.get("specType") or ""), str(d.get("unit") or "")))
    return RedLetterForm(
        form_number=str(item["billNo"]), original_number=str(item["blueElecInvoiceNumber"]),
        reason=REASON_FROM_NUONUO[str(item["redReason"])],
        status=status_of(str(item["billStatus"]), filed_by), filed_by=filed_by,
        filed_at=dt.datetime.fromtimestamp(int(str(item["billTime"])) / 1000, PLATFORM_TZ),
        lines=tuple(lines), red_invoice_number=str(item.get("redElecInvoiceNumber") or ""))


class NuonuoRedDesk:
    def __init__(self, gateway: NuonuoGateway) -> None:
        self.gw = gateway

    # --- forms --------------------------------------------------------------------------
    def _details(self, original: Invoice, lines: Sequence[InvoiceLine]) -> list[dict[str, str]]:
        """Partial-credit detail rows, each naming its original line (1-based, in order)."""
        out: list[dict[str, str]] = []
        cursor = 0
        for ln in lines:
            while cursor < len(original.lines) and (
                    original.lines[cursor].name, original.lines[cursor].tax_code) != (
                    ln.name, ln.tax_code):
                cursor += 1
            if cursor >= len(original.lines):
                raise PlatformRejected([Rejection(
                    "RED_LINE_NOT_IN_ORIGINAL", f"红字明细“{ln.name}”不在原蓝票中或顺序不一致",
                    f"red line {ln.name!r} is not in the original, or out of its order",
                    "lines")])
            blue = original.lines[cursor]
            cursor += 1
            out.append({"blueDetailIndex": str(cursor), "goodsName": blue.name,
                        "goodsCode": blue.tax_code, "num": number(-abs(ln.quantity)),
                        "price": number(blue.unit_price), "taxRate": number(blue.rate),
                        "taxExcludedAmount": money(-abs(ln.amount)), "tax": money(-abs(ln.tax))})
        return out

    def _open_form(self, original_number: str) -> str:
        for form_number in self.gw.ledger.forms_of(original_number):
            form = self.query_red_form(form_number)
            if form.status in OPEN and not form.red_invoice_number:
                return form_number
        return ""

    def file_red_form(self, original_number: str, reason: RedReason, filed_by: str,
                      lines: Sequence[InvoiceLine] | None = None) -> RedLetterForm:
        reason = RedReason(reason)
        if filed_by not in ("seller", "buyer"):
            raise PlatformRejected([Rejection("RED_FILED_BY", "录入方须为销方或购方",
                                              "filed_by must be 'seller' or 'buyer'", "filed_by")])
        original = self.gw.ledger.invoice(original_number)
        if original is None:
            raise NotFound(f"蓝字发票{original_number}不存在", f"no invoice {original_number}")
        if original.colour is not Colour.BLUE:
            raise RedFormStateError("红字发票不能再开红字确认单",
                                    "a red invoice cannot be red-lettered", code="RED_OF_RED")
        in_the_way = self._open_form(original_number)
        if in_the_way:
            raise RedFormStateError(f"该发票已有未完成的红字确认单{in_the_way}",
                                    f"invoice already has an open red-letter form {in_the_way}",
                                    code="RED_FORM_OPEN", form_number=in_the_way)
        details = None if lines is None else self._details(original, lines)
        bill_id = self.gw.ledger.prepare_bill(original_number)  # persisted before sending
        content: dict[str, Any] = {
            "billId": bill_id, "blueElecInvoiceNumber": original_number,
            "blueInvoiceLine": "bs" if original.kind.value == "special" else "pc",
            "applySource": "1" if filed_by == "buyer" else "0",
            "redReason": REASON_TO_NUONUO[reason], "autoInvoice": "0",
        }
        if details is not None:
            content["detail"] = details
        try:
            answer = self.gw.client.call(RED_SAVE, content)
        except NoAnswer as err:
            raise PlatformTimeout("诺诺平台未应答，确认单结果未知",
                                  f"no answer to the red-letter form ({err})") from None
        if answer.code == ACCEPTED or (answer.code == SYSTEM_ERROR and "重复" in answer.describe):
            form = self._read(bill_id=bill_id)
            self.gw.ledger.bill_filed(bill_id, form)
            return form
        if answer.code in (LIMITED, SYSTEM_ERROR):
            raise problem_error(PlatformTimeout, "platform.nuonuo.unknown",
                                provider_code=answer.code, describe=answer.describe)
        self.gw.ledger.bill_failed(bill_id)
        raise self._refusal(answer)

    @staticmethod
    def _refusal(answer: Envelope) -> PlatformError:
        if answer.code == ALREADY_RED:
            return RedFormStateError(f"该发票已全额冲红（{answer.describe}）",
                                     "the invoice has nothing left to credit",
                                     code="RED_NOTHING_LEFT")
        return PlatformRejected([Rejection(answer.code, answer.describe,
                                           f"Nuonuo refused: {answer.code} {answer.describe}")])

    def _read(self, *, bill_id: str = "", form_number: str = "") -> RedLetterForm:
        query = {"billId": bill_id} if bill_id else {"billNo": form_number}
        answer = self.gw.safe_call(RED_QUERY, query)
        if answer.code == NOT_FOUND_YET:
            raise NotFound(f"红字确认单{form_number or bill_id}不存在",
                           f"no red-letter form {form_number or bill_id}")
        items = answer.result if isinstance(answer.result, list) else [answer.result]
        if answer.code != ACCEPTED or not items or not isinstance(items[0], dict):
            raise problem_error(PlatformError, "platform.nuonuo.bad_answer",
                                describe=f"{answer.code} {answer.describe}")
        try:
            return form_from_item(items[0])
        except (KeyError, ValueError, ArithmeticError) as err:
            raise problem_error(PlatformError, "platform.nuonuo.bad_answer",
                                describe=str(err)) from None

    def query_red_form(self, form_number: str) -> RedLetterForm:
        """The form now; a red invoice it names that our lost answer never delivered is
        fetched by our orderNo and recorded, so ``get_invoice`` then knows it."""
        form = self._read(form_number=form_number)
        number_ = form.red_invoice_number
        if number_ and self.gw.ledger.invoice(number_) is None:
            order_no = self.gw.ledger.red_order_no(form_number)
            item = self.gw.query_result(order_no) if order_no else None
            if item is not None and str(item.get("status", "")) == DONE:
                self._red_done(item, form)
        return form

    def counterparty_acts(self, form_number: str) -> RedLetterForm:
        raise problem_error(PlatformError, "platform.nuonuo.red_action_elsewhere")

    # --- the red invoice --------------------------------------------------------------------
    def issue_red_invoice(self, form_number: str) -> Invoice:
        form = self.query_red_form(form_number)
        order_no, state, number_ = self.gw.ledger.prepare_red_issue(form_number)
        if number_:
            found = self.gw.ledger.invoice(number_)
            if found is not None:
                return found
        if not form.status.allows_red_invoice:
            self.gw.ledger.red_issue_failed(form_number)
            raise RedFormStateError(f"确认单状态{form.status.value}不能开具红票",
                                    f"form status {form.status.value} allows no red invoice")
        try:
            answer = self.gw.client.call(RED_ISSUE, {"orderNo": order_no, "billNo": form_number,
                                                    "invoiceNumber": form.original_number})
        except NoAnswer as err:
            raise PlatformTimeout("诺诺平台未应答，红票结果未知", f"no answer ({err})") from None
        if answer.code in (LIMITED, SYSTEM_ERROR):
            raise problem_error(PlatformTimeout, "platform.nuonuo.unknown",
                                provider_code=answer.code, describe=answer.describe)
        if answer.code not in (ACCEPTED, ALREADY_SUBMITTED):
            self.gw.ledger.red_issue_failed(form_number)
            raise RedFormStateError(answer.describe, f"Nuonuo refused the red invoice: "
                                    f"{answer.code} {answer.describe}", code=answer.code)
        return self._await_red(order_no, form)

    def _await_red(self, order_no: str, form: RedLetterForm) -> Invoice:
        for i in range(self.gw.max_polls):
            if i:
                self.gw.sleep(self.gw.poll_seconds)
            item = self.gw.query_result(order_no)
            status = "" if item is None else str(item.get("status", ""))
            if item is not None and status == DONE:
                return self._red_done(item, form)
            if status == FAILED or status in VOIDED:
                self.gw.ledger.red_issue_failed(form.form_number)
                raise RedFormStateError(str(item.get("failCause") if item else ""),
                                        f"the red invoice failed (status {status})",
                                        code=f"NUONUO_STATUS_{status}")
        raise problem_error(PlatformTimeout, "platform.nuonuo.pending", describe="red invoice")

    def _red_done(self, item: dict[str, Any], form: RedLetterForm) -> Invoice:
        blue = self.gw.ledger.invoice(form.original_number)
        if blue is None:
            raise NotFound(f"蓝字发票{form.original_number}不存在",
                           f"no invoice {form.original_number}")
        number_ = str(item.get("allElectronicInvoiceNumber") or "")
        invoice = Invoice(
            number=number_, kind=blue.kind, colour=Colour.RED,
            issued_at=dt.datetime.fromtimestamp(int(str(item["invoiceTime"])) / 1000, PLATFORM_TZ),
            seller=blue.seller, buyer=blue.buyer, lines=form.lines,
            remark=str(item.get("remark") or ""), drawer=str(item.get("clerk") or blue.drawer),
            original_number=blue.number, red_form_number=form.form_number, medium=blue.medium,
            download_url=str(item.get("pdfUrl") or ""))
        urls = {kind: str(item.get(f"{kind}Url") or "") for kind in ("pdf", "ofd", "xml")}
        return self.gw.ledger.record_red(invoice, urls)
