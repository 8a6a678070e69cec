"""Kiosk requests to Baiwang ``baiwang.output.invoice.issue`` data, and answers back to invoices.

Money travels as decimal strings made from ``Decimal`` (never a float).
``serialNo`` (开票流水号, unique per seller) is the idempotency key: derived
deterministically from the kiosk's request id and the attempt number
(:func:`kiosk.platform.nuonuo_mapping.order_no_for`: 20 letters and digits),
persisted before sending, and changed only after a definite failure.

Field names follow the issue/query documents as the public clients quote them
(docs/baiwang.md lists the references and what is assumed where they leave it
open): ``invoiceTypeCode`` "01" 数电专票 / "02" 数电普票, ``invoiceType`` "0" blue,
``priceTaxMark`` "1" (prices include tax), ``invoiceDetailsList[]`` with
``goodsLineNo``, ``goodsName``, 19-digit ``goodsCode``, ``goodsQuantity``,
``goodsPrice``, ``goodsTotalPrice`` (net), ``goodsTotalTax``, ``goodsTaxRate``,
``invoiceLineNature`` ("0" normal, "1" discount, "2" discounted), and
``preferentialMarkFlag`` / ``vatSpecialManagement`` / ``freeTaxMark`` for exempt and
non-taxable lines.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from kiosk.model import BuyerType, Colour, Invoice, InvoiceKind, InvoiceRequest, Seller
from kiosk.platform.nuonuo_mapping import PLATFORM_TZ, _line_properties, money, number
from kiosk.rules.fields import item_full_name
from kiosk.rules.tax import EXEMPT, invoice_lines_from_order_lines

SPECIAL, NORMAL = "01", "02"  # invoiceTypeCode: 数电专票 / 数电普票


def issue_data(request: InvoiceRequest, seller: Seller, serial_no: str, *, drawer: str,
               at: dt.datetime) -> dict[str, Any]:
    """The ``data`` of ``baiwang.output.invoice.issue`` (the caller wraps it with ``taxNo``)."""
    buyer = request.buyer
    nets = invoice_lines_from_order_lines(request.lines)
    natures = _line_properties(request.lines)
    details = []
    for i, (line, net, nature) in enumerate(zip(request.lines, nets, natures, strict=True), 1):
        item = {
            "goodsLineNo": str(i),
            "goodsName": item_full_name(line.short_name, line.name),
            "goodsCode": line.tax_code,
            "goodsSpecification": line.spec,
            "goodsUnit": line.unit,
            "goodsQuantity": number(line.quantity),
            "goodsPrice": number(line.unit_price),
            "goodsTotalPrice": money(net.amount),
            "goodsTotalTax": money(net.tax),
            "goodsTaxRate": number(Decimal(0) if line.rate_mark else line.rate),
            "invoiceLineNature": nature,
            "preferentialMarkFlag": "1" if line.rate_mark else "0",
        }
        if line.rate_mark:
            item["vatSpecialManagement"] = line.rate_mark
            item["freeTaxMark"] = "1" if line.rate_mark == EXEMPT else "2"
        details.append(item)
    net_total = sum((n.amount for n in nets), Decimal("0.00"))
    tax_total = sum((n.tax for n in nets), Decimal("0.00"))
    return {
        "serialNo": serial_no,
        "invoiceTypeCode": SPECIAL if request.kind is InvoiceKind.SPECIAL else NORMAL,
        "invoiceType": "0",  # blue
        "priceTaxMark": "1",
        "orderDateTime": at.astimezone(PLATFORM_TZ).strftime("%Y-%m-%d %H:%M:%S"),
        "buyerName": buyer.name,
        "buyerTaxNo": buyer.tax_id,
        "buyerAddressPhone": " ".join(p for p in (buyer.address, buyer.phone) if p),
        "buyerBankAccount": " ".join(p for p in (buyer.bank, buyer.account) if p),
        "naturalPersonFlag": "1" if buyer.type is BuyerType.PERSON else "0",
        "sellerAddressPhone": " ".join(p for p in (seller.address, seller.phone) if p),
        "sellerBankAccount": " ".join(p for p in (seller.bank, seller.account) if p),
        "drawer": drawer or request.drawer,
        "remarks": request.remark,
        "invoiceTotalPrice": money(net_total),
        "invoiceTotalTax": money(tax_total),
        "invoiceTotalPriceTax": money(net_total + tax_total),
        "invoiceDetailsList": details,
    }


def invoice_from_item(item: dict[str, Any], request: InvoiceRequest, seller: Seller) -> Invoice:
    """The kiosk's :class:`Invoice` for an issued item (the kiosk's own split of the lines:
    the provider issues exactly what was sent; :func:`amount_mismatch` compares totals)."""
    num = str(item.get("digitInvoiceNo") or item.get("invoiceNo") or "")
    if len(num) != 20 or not num.isdigit():
        raise ValueError(f"no 20-digit invoice number in the answer ({num!r})")
    issued_at = dt.datetime.strptime(str(item.get("invoiceDate")), "%Y-%m-%d %H:%M:%S").replace(
        tzinfo=PLATFORM_TZ)
    return Invoice(
        number=num, kind=request.kind, colour=Colour.BLUE, issued_at=issued_at, seller=seller,
        buyer=request.buyer, lines=invoice_lines_from_order_lines(request.lines),
        request_id=request.request_id, order_nos=request.order_nos, remark=request.remark,
        drawer=str(item.get("drawer") or request.drawer), medium=request.medium,
        download_url=str(item.get("pdfUrl") or ""))


def amount_mismatch(item: dict[str, Any], invoice: Invoice) -> tuple[str, str] | None:
    """``(theirs, ours)`` when the provider's totals differ from the invoice's, else None."""
    net = sum((ln.amount for ln in invoice.lines), Decimal("0.00"))
    tax = sum((ln.tax for ln in invoice.lines), Decimal("0.00"))
    theirs = tuple(item.get(k) for k in ("invoiceTotalPrice", "invoiceTotalTax",
                                         "invoiceTotalPriceTax"))
    ours = (net, tax, net + tax)
    for t, o in zip(theirs, ours, strict=True):
        try:
            if t not in (None, "") and Decimal(str(t)) != o:
                return "/".join(str(x) for x in theirs), "/".join(str(x) for x in ours)
        except ArithmeticError:
            return "/".join(str(x) for x in theirs), "/".join(str(x) for x in ours)
    return None
