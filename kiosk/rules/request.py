"""Whole-request rules: the request id, who may get a special invoice, validation.

:func:`validate_request` is the one validation the kiosk runs before sending
and the sandbox platform runs on receipt, so both refuse the same things with
the same codes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable

from kiosk.model import Buyer, BuyerType, InvoiceKind, InvoiceRequest, OrderLine
from kiosk.rules.errors import RuleError
from kiosk.rules.fields import (
    check_gbk,
    is_valid_bank_account,
    is_valid_email,
    is_valid_phone,
    is_valid_tax_code,
)
from kiosk.rules.identifiers import Severity, TaxIdKind, classify_tax_id
from kiosk.rules.tax import (
    EXEMPT,
    VENDOR_LIMITS,
    check_invoice_lines,
    decimal_places,
    invoice_lines_from_order_lines,
    is_known_rate,
    validate_discount_lines,
)
from kiosk.rules.text import check_text

__all__ = ["request_id_for", "special_invoice_refusal", "may_receive_special",
           "validate_buyer", "validate_request"]


def request_id_for(order_nos: Iterable[str], seller_tax_id: str) -> str:
    """``RQ`` + 30 hex of sha256 over the seller and the sorted, de-duplicated orders.

    The same orders always give the same id, in any order, so a retry can
    never become a new request (and so never a second invoice).
    """
    orders = sorted({o.strip() for o in order_nos if o and o.strip()})
    if not orders:
        raise ValueError("at least one order number is needed")
    payload = "\n".join([seller_tax_id.strip().upper(), *orders]).encode("utf-8")
    return "RQ" + hashlib.sha256(payload).hexdigest()[:30].upper()


def special_invoice_refusal(buyer: Buyer, *, today: dt.date | None = None) -> RuleError | None:
    """Why this buyer may not receive a special invoice (专票), or None if they may."""
    if buyer.type is BuyerType.PERSON:
        return RuleError(
            "E_SPECIAL_PERSON", "kind",
            "个人只能开具普通发票，不能开具增值税专用发票。",
            "A natural person can only receive an ordinary invoice, not a special one.",
        )
    check = classify_tax_id(buyer.tax_id, today=today)
    if check.kind is TaxIdKind.EMPTY:
        return RuleError(
            "E_SPECIAL_TAXID", "buyer.tax_id",
            "开具专用发票需要购买方的纳税人识别号。",
            "A special invoice needs the buyer's tax ID.",
        )
    if check.severity is Severity.ERROR:
        return RuleError("E_SPECIAL_TAXID", "buyer.tax_id", check.message_zh, check.message_en)
    return None


def may_receive_special(buyer: Buyer, *, today: dt.date | None = None) -> tuple[bool, str]:
    """(allowed, reason): reason is ``"中文 / English"`` when refused, ``""`` when allowed."""
    refusal = special_invoice_refusal(buyer, today=today)
    if refusal is None:
        return True, ""
    return False, f"{refusal.message_zh} / {refusal.message_en}"


_BUYER_TEXTS = (("name", "购买方名称", "The buyer's name"), ("tax_id", "纳税人识别号", "The tax ID"),
                ("address", "地址", "The address"), ("phone", "电话", "The phone number"),
                ("bank", "开户银行", "The bank"), ("account", "银行账号", "The account"),
                ("email", "电子邮箱", "The e-mail address"))


def validate_buyer(buyer: Buyer, *, today: dt.date | None = None) -> list[RuleError]:
    """The buyer's title: name, tax ID, address/phone, bank/account, e-mail."""
    lim = VENDOR_LIMITS
    errors: list[RuleError] = []
    if not buyer.name.strip():
        errors.append(RuleError("E_BUYER_NAME", "buyer.name", "请填写购买方名称。",
                                "The buyer's name is required."))
    errors += check_gbk(buyer.name, lim.name_gbk_bytes, "buyer.name", "购买方名称", "The buyer's name")
    for attr, zh, en in _BUYER_TEXTS:  # the one text rule: no control characters anywhere
        errors += check_text(getattr(buyer, attr), f"buyer.{attr}", zh, en)
    check = classify_tax_id(buyer.tax_id, today=today)
    if check.kind is TaxIdKind.EMPTY and buyer.type is BuyerType.COMPANY:
        errors.append(RuleError("E_TAXID_REQUIRED", "buyer.tax_id",
                                "单位抬头需要填写纳税人识别号（统一社会信用代码）。",
                                "A company title needs its tax ID (unified social credit code)."))
    elif check.severity is Severity.ERROR:
        errors.append(RuleError("E_TAXID", "buyer.tax_id", check.message_zh, check.message_en))
    elif check.severity is Severity.WARNING and not buyer.tax_id_confirmed:
        errors.append(RuleError("E_TAXID_UNCONFIRMED", "buyer.tax_id",
                                check.message_zh, check.message_en, severity="warning"))
    errors += check_gbk(buyer.address + buyer.phone, lim.address_phone_gbk_bytes,
                        "buyer.address", "地址和电话", "Address and phone together")
    errors += check_gbk(buyer.bank + buyer.account, lim.bank_account_gbk_bytes,
                        "buyer.bank", "开户银行和账号", "Bank and account together")
    if buyer.phone and not is_valid_phone(buyer.phone):
        errors.append(RuleError("E_PHONE", "buyer.phone",
                                "电话只能包含数字、括号和连字符“-”。",
                                "A phone number may hold only digits, brackets and hyphens."))
    if buyer.account and not is_valid_bank_account(buyer.account):
        errors.append(RuleError("E_BANK_ACCOUNT", "buyer.account",
                                "银行账号应为 6-40 位数字（可含“-”）。",
                                "A bank account is 6-40 digits (hyphens allowed)."))
    if buyer.email and not is_valid_email(buyer.email):
        errors.append(RuleError("E_EMAIL", "buyer.email",
                                "电子邮箱格式不正确，例如 name@example.com。",
                                "The e-mail address looks wrong (e.g. name@example.com)."))
    return errors


def validate_request(request: InvoiceRequest, *, today: dt.date | None = None) -> list[RuleError]:
    """Every rule a request must pass before issuing; an empty list means it may go.

    Checks: orders and lines present, at most 100 lines, each line's tax code,
    rate, decimals and amount tolerance, discount placement, the buyer's title
    (GBK limits, tax ID with confirmation of failed checks), special-invoice
    eligibility (no persons, no exempt lines), and the net/tax tolerances of
    the lines the invoice will carry.
    """
    lim = VENDOR_LIMITS
    errors: list[RuleError] = []
    if not request.order_nos:
        errors.append(RuleError("E_NO_ORDERS", "order_nos", "没有订单号。", "No order number given."))
    if not request.lines:
        errors.append(RuleError("E_NO_LINES", "lines", "没有开票明细。", "The request has no lines."))
    if len(request.lines) > lim.max_lines:
        errors.append(RuleError(
            "E_TOO_MANY_LINES", "lines",
            f"明细共 {len(request.lines)} 行，一张发票最多 {lim.max_lines} 行，请分开开票。",
            f"{len(request.lines)} lines; an invoice holds at most {lim.max_lines}: split it.",
        ))
    errors += validate_buyer(request.buyer, today=today)
    if request.kind is InvoiceKind.SPECIAL:
        refusal = special_invoice_refusal(request.buyer, today=today)
        if refusal is not None and refusal.code == "E_SPECIAL_PERSON":
            errors.append(refusal)  # tax-ID problems are already reported by validate_buyer
        if any(line.rate_mark == EXEMPT for line in request.lines):
            errors.append(RuleError("E_SPECIAL_EXEMPT", "kind",
                                    "免税项目不能开具增值税专用发票。",
                                    "Exempt sales cannot go on a special invoice."))
    for i, line in enumerate(request.lines):
        errors += _check_order_line(i, line)
    errors += validate_discount_lines(request.lines)
    if request.lines and request.total <= 0:
        errors.append(RuleError("E_TOTAL", "lines", "发票合计金额必须大于零。",
                                "The invoice total must be more than zero."))
    if not any(e.code.startswith(("E_RATE", "E_LINE")) for e in errors) and request.lines:
        errors += check_invoice_lines(invoice_lines_from_order_lines(request.lines))
    return errors


def _check_order_line(i: int, line: OrderLine) -> list[RuleError]:
    lim = VENDOR_LIMITS
    where = f"lines[{i}]"
    n = i + 1
    errors: list[RuleError] = []
    if not line.name.strip() or not line.short_name.strip():
        errors.append(RuleError("E_LINE_NAME", f"{where}.name", f"第 {n} 行缺少项目名称或简称。",
                                f"Line {n} lacks an item name or short name."))
    errors += check_gbk(line.name, lim.item_name_gbk_bytes, f"{where}.name", f"第 {n} 行项目名称", f"Line {n} item name")
    for attr, zh in (("name", "项目名称"), ("short_name", "简称"), ("unit", "单位")):
        errors += check_text(getattr(line, attr), f"{where}.{attr}", f"第 {n} 行{zh}",
                             f"Line {n} {attr.replace('_', ' ')}")
    if not is_valid_tax_code(line.tax_code):
        errors.append(RuleError("E_TAX_CODE", f"{where}.tax_code",
                                f"第 {n} 行税收分类编码应为 19 位数字，首位 1-6。",
                                f"Line {n}: the tax classification code must be 19 digits, first 1-6."))
    if not is_known_rate(line.rate, line.rate_mark):
        errors.append(RuleError("E_RATE", f"{where}.rate",
                                f"第 {n} 行税率 {line.rate} {line.rate_mark} 不在现行税率表中。",
                                f"Line {n}: rate {line.rate} {line.rate_mark} is not a rate in force."))
    if line.amount == 0:
        errors.append(RuleError("E_LINE_ZERO", f"{where}.amount", f"第 {n} 行金额为零。",
                                f"Line {n} has a zero amount."))
    for attr, zh in (("quantity", "数量"), ("unit_price", "单价")):
        value = getattr(line, attr)
        if decimal_places(value) > lim.max_decimals:
            errors.append(RuleError("E_DECIMALS", f"{where}.{attr}",
                                    f"第 {n} 行{zh}最多 {lim.max_decimals} 位小数。",
                                    f"Line {n}: {attr} has more than {lim.max_decimals} decimals."))
    if bool(line.quantity) != bool(line.unit_price):
        errors.append(RuleError("E_LINE_QTY", f"{where}.quantity",
                                f"第 {n} 行数量和单价须同时填写或同时为空。",
                                f"Line {n}: give both quantity and unit price, or neither."))
    elif line.quantity and abs(line.quantity * line.unit_price - line.amount) > lim.line_amount:
        errors.append(RuleError(
            "E_LINE_AMOUNT", f"{where}.amount",
            f"第 {n} 行：单价×数量 与 金额 {line.amount} 相差超过 {lim.line_amount}。",
            f"Line {n}: unit price x quantity differs from amount {line.amount} "
            f"by more than {lim.line_amount}.",
        ))
    return errors
