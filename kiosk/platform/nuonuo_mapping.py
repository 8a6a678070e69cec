"""Kiosk requests to Nuonuo ``requestBillingNew`` orders, and query results back to invoices.

Money travels as decimal strings made from ``Decimal`` (never a float).
``orderNo`` (at most 20 characters, unique per enterprise) is the idempotency
key: :func:`order_no_for` derives it deterministically from the kiosk's
request id and the attempt number (a new attempt only after a definite
failure), so the same request always resubmits the same orderNo.

Field names follow the provider's documents for 100607 ``requestBillingNew``
and 100188 ``queryInvoiceResult``; where the references leave something open,
docs/nuonuo.md lists what is assumed.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
from decimal import Decimal
from typing import Any

from kiosk.model import BuyerType, Colour, Invoice, InvoiceKind, InvoiceRequest, OrderLine, Seller
from kiosk.rules.fields import item_full_name
from kiosk.rules.tax import EXEMPT, invoice_lines_from_order_lines, plain_decimal

PLATFORM_TZ = dt.timezone(dt.timedelta(hours=8), "CST")
ORDER_NO_MAX = 20

# status codes of queryInvoiceResult
DONE = "2"
IN_PROGRESS = frozenset({"20", "21"})
FAILED = "22"
SEAL_FAILED = "24"
VOIDED = frozenset({"3", "31"})


def order_no_for(request_id: str, attempt: int) -> str:
    """``orderNo`` for attempt ``attempt`` (1..999) of ``request_id``: 17 letters/digits + 3 digits."""
    if not 1 <= attempt <= 999:
        raise ValueError("attempt must be 1-999")
    digest = base64.b32encode(hashlib.sha256(request_id.encode("utf-8")).digest()).decode("ascii")
    return f"{digest[:17]}{attempt:03d}"


def number(d: Decimal) -> str:
    """A price, quantity or rate as the provider's string: plain, no exponent, never a float."""
    return format(plain_decimal(d), "f")


def money(d: Decimal) -> str:
    """An amount in yuan with its two decimals ("106.60")."""
    return format(d.quantize(Decimal("0.01")), "f")


def _detail(line: OrderLine, net: Decimal, tax: Decimal, prop: str) -> dict[str, str]:
    item = {
        "goodsName": item_full_name(line.short_name, line.name),
        "goodsCode": line.tax_code,
        "withTaxFlag": "1",
        "price": number(line.unit_price),
        "num": number(line.quantity),
        "unit": line.unit,
        "specType": line.spec,
        "taxRate": number(Decimal(0) if line.rate_mark else line.rate),
        "taxExcludedAmount": money(net),
        "tax": money(tax),
        "taxIncludedAmount": money(line.amount),
        "invoiceLineProperty": prop,
    }
    if line.rate_mark:
        item["favouredPolicyFlag"] = "1"
        item["favouredPolicyName"] = line.rate_mark
        item["zeroRateFlag"] = "1" if line.rate_mark == EXEMPT else "2"
    else:
        item["favouredPolicyFlag"] = "0"
    return item


def _line_properties(lines: tuple[OrderLine, ...]) -> list[str]:
    """0 a normal line, 1 a discount line (negative), 2 the line it discounts (just before it)."""
    props = ["0"] * len(lines)
    for i, line in enumerate(lines):
        if line.amount < 0:
            props[i] = "1"
            if i:
                props[i - 1] = "2"
    return props


def billing_content(request: InvoiceRequest, seller: Seller, order_no: str, *, clerk: str,
                    extension_number: str, at: dt.datetime) -> dict[str, Any]:
    """The ``{"order": ...}`` body of ``nuonuo.OpeMplatform.requestBillingNew``."""
    buyer = request.buyer
    nets = invoice_lines_from_order_lines(request.lines)
    props = _line_properties(request.lines)
    order: dict[str, Any] = {
        "buyerName": buyer.name,
        "buyerTaxNum": buyer.tax_id,
        "buyerTel": buyer.phone,
        "buyerAddress": buyer.address,
        "buyerAccount": " ".join(p for p in (buyer.bank, buyer.account) if p),
        "salerTaxNum": seller.tax_id,
        "salerTel": seller.phone,
        "salerAddress": seller.address,
        "salerAccount": " ".join(p for p in (seller.bank, seller.account) if p),
        "orderNo": order_no,
        "invoiceDate": at.astimezone(PLATFORM_TZ).strftime("%Y-%m-%d %H:%M:%S"),
        "clerk": clerk or request.drawer,
        "pushMode": "-1",  # the kiosk delivers (receipt, e-mail); Nuonuo sends nothing
        "invoiceType": "1",  # blue
        "invoiceLine": "bs" if request.kind is InvoiceKind.SPECIAL else "pc",
        "naturalPersonFlag": "1" if buyer.type is BuyerType.PERSON else "0",
        "extensionNumber": extension_number,
        "remark": request.remark,
        "invoiceDetail": [_detail(ln, net.amount, net.tax, prop)
                          for ln, net, prop in zip(request.lines, nets, props, strict=True)],
    }
    return {"order": order}


def _dec(value: Any) -> Decimal | None:
    try:
        return Decimal(str(value)) if value not in (None, "") else None
    except ArithmeticError:
        return None


def invoice_from_result(item: dict[str, Any], request: InvoiceRequest, seller: Seller) -> Invoice:
    """The kiosk's :class:`Invoice` for a done (status 2) ``queryInvoiceResult`` item.

    The lines are the kiosk's own split of the request (the provider issues
    exactly what was sent); :func:`amount_mismatch` compares the totals.
    """
    number = str(item.get("allElectronicInvoiceNumber") or item.get("invoiceNo") or "")
    if len(number) != 20 or not number.isdigit():
        raise ValueError(f"no 20-digit invoice number in the answer ({number!r})")
    millis = int(str(item.get("invoiceTime")))
    issued_at = dt.datetime.fromtimestamp(millis / 1000, PLATFORM_TZ)
    return Invoice(
        number=number, kind=request.kind, colour=Colour.BLUE, issued_at=issued_at,
        seller=seller, buyer=request.buyer, lines=invoice_lines_from_order_lines(request.lines),
        request_id=request.request_id, order_nos=request.order_nos,
        remark=request.remark, drawer=str(item.get("clerk") or request.drawer),
        medium=request.medium, download_url=str(item.get("pdfUrl") or ""),
    )


def amount_mismatch(item: dict[str, Any], invoice: Invoice) -> tuple[str, str] | None:
    """``(theirs, ours)`` when the provider's totals differ from the invoice's, else None."""
    net = sum((ln.amount for ln in invoice.lines), Decimal("0.00"))
    tax = sum((ln.tax for ln in invoice.lines), Decimal("0.00"))
    theirs = (_dec(item.get("exTaxAmount")), _dec(item.get("taxAmount")),
              _dec(item.get("orderAmount")))
    ours = (net, tax, net + tax)
    if any(t is not None and t != o for t, o in zip(theirs, ours, strict=True)):
        return "/".join(str(t) for t in theirs), "/".join(str(o) for o in ours)
    return None
