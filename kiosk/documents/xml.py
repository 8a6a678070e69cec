"""The invoice XML (the legal data file of a 数电 e-invoice) and reading it back.

Element names follow published 数电 XML files (there is no public official
schema; see domain.md): ``EInvoice/Header/{EIid, EInvoiceTag, InherentLabel}``,
``EInvoiceData/{SellerInformation, BuyerInformation, BasicInformation,
IssuItemInformation*, SpecificInformation/RedEInvoice, AdditionalInformation}``
and ``TaxSupervisionInfo``. Output is deterministic (fixed element order, two
space indent, UTF-8 with a declaration), so a golden file can pin it byte for
byte.

Value formats: amounts with two decimals (negative on a red invoice);
quantity and unit price as plain decimals without trailing zeros, empty when
the line has none; ``TaxRate`` as a fraction (``0.13``) or the special mark
(``免税``, ``不征税``); ``RequestTime`` ``YYYY-MM-DD HH:MM:SS`` local time.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from decimal import Decimal, InvalidOperation
from typing import Any

from kiosk.model import Colour, Invoice, InvoiceKind
from kiosk.rules import RATE_MARKS, amount_in_words, plain_decimal

__all__ = ["invoice_to_xml", "parse_invoice_xml", "InvoiceXmlError", "E_INVOICE_TAG"]

E_INVOICE_TAG = "SWEI3200"  # the tag published 数电 XML files carry
_TIME_FMT = "%Y-%m-%d %H:%M:%S"
_KIND_CODES = {InvoiceKind.SPECIAL: ("01", "增值税专用发票"), InvoiceKind.NORMAL: ("02", "普通发票")}


class InvoiceXmlError(ValueError):
    """The bytes are not an invoice XML this module can read."""


def _xml_safe(text: str) -> str:
    """Drop the characters XML 1.0 cannot hold (C0 controls but tab/LF/CR, U+FFFE/FFFF,
    surrogates), so a stray control byte in a name cannot make the legal file ill-formed."""
    return "".join(
        ch for ch in text
        if ch in "\t\n\r" or ("\x20" <= ch <= "\ud7ff") or ("\ue000" <= ch <= "\ufffd")
        or ch >= "\U00010000"
    )


def _sub(parent: ET.Element, tag: str, text: str = "") -> ET.Element:
    el = ET.SubElement(parent, tag)
    el.text = _xml_safe(text)
    return el


def _amount(d: Decimal) -> str:
    return f"{d.quantize(Decimal('0.01')):f}"


def _plain(d: Decimal) -> str:
    return "" if d == 0 else f"{plain_decimal(d):f}"


def _rate(rate: Decimal, mark: str) -> str:
    return mark if mark else f"{plain_decimal(rate):f}"


def invoice_to_xml(invoice: Invoice) -> bytes:
    """The invoice as UTF-8 XML bytes with an ``<?xml ...?>`` declaration."""
    root = ET.Element("EInvoice")
    header = _sub(root, "Header")
    _sub(header, "EIid", invoice.number)
    _sub(header, "EInvoiceTag", E_INVOICE_TAG)
    labels = _sub(header, "InherentLabel")
    issue = _sub(labels, "InIssuType")
    blue = invoice.colour is Colour.BLUE
    _sub(issue, "LabelCode", "Y" if blue else "N")
    _sub(issue, "LabelName", "蓝字发票" if blue else "红字发票")
    etype = _sub(labels, "EInvoiceType")
    code, name = _KIND_CODES[invoice.kind]
    _sub(etype, "LabelCode", code)
    _sub(etype, "LabelName", invoice.kind.invoice_title)
    vat = _sub(labels, "GeneralOrSpecialVAT")
    _sub(vat, "LabelCode", code)
    _sub(vat, "LabelName", name)

    data = _sub(root, "EInvoiceData")
    s = invoice.seller
    seller = _sub(data, "SellerInformation")
    for tag, value in (("SellerIdNum", s.tax_id), ("SellerName", s.name), ("SellerAddr", s.address),
                       ("SellerTelNum", s.phone), ("SellerBankName", s.bank),
                       ("SellerBankAccNum", s.account)):
        _sub(seller, tag, value)
    b = invoice.buyer
    show = b.show_address_bank
    buyer = _sub(data, "BuyerInformation")
    for tag, value in (("BuyerIdNum", b.tax_id), ("BuyerName", b.name),
                       ("BuyerAddr", b.address if show else ""),
                       ("BuyerTelNum", b.phone if show else ""),
                       ("BuyerBankName", b.bank if show else ""),
                       ("BuyerBankAccNum", b.account if show else "")):
        _sub(buyer, tag, value)

    basic = _sub(data, "BasicInformation")
    _sub(basic, "TotalAmWithoutTax", _amount(invoice.total_net))
    _sub(basic, "TotalTaxAm", _amount(invoice.total_tax))
    _sub(basic, "TotalTax-includedAmount", _amount(invoice.total))
    _sub(basic, "TotalTax-includedAmountInChinese", amount_in_words(invoice.total))
    _sub(basic, "Drawer", invoice.drawer)
    _sub(basic, "RequestTime", invoice.issued_at.strftime(_TIME_FMT))

    for line in invoice.lines:
        item = _sub(data, "IssuItemInformation")
        _sub(item, "ItemName", line.name)
        _sub(item, "SpecMod", line.spec)
        _sub(item, "MeaUnits", line.unit)
        _sub(item, "Quantity", _plain(line.quantity))
        _sub(item, "UnPrice", _plain(line.unit_price))
        _sub(item, "Amount", _amount(line.amount))
        _sub(item, "TaxRate", _rate(line.rate, line.rate_mark))
        _sub(item, "ComTaxAm", _amount(line.tax))
        _sub(item, "TaxClassificationCode", line.tax_code)

    if not blue:
        red = _sub(_sub(data, "SpecificInformation"), "RedEInvoice")
        _sub(red, "OriginalInvoiceCode", invoice.original_number)
        _sub(red, "CreditNoteNumber", invoice.red_form_number)
    _sub(_sub(data, "AdditionalInformation"), "Remark", invoice.remark)

    supervision = _sub(root, "TaxSupervisionInfo")
    _sub(supervision, "InvoiceNumber", invoice.number)
    _sub(supervision, "IssueTime", invoice.issued_at.strftime("%Y-%m-%d"))

    ET.indent(root, space="  ")
    body = ET.tostring(root, encoding="unicode", short_empty_elements=True)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n").encode("utf-8")


# --- reading back ---------------------------------------------------------------


def _text(parent: ET.Element | None, path: str) -> str:
    if parent is None:
        return ""
    el = parent.find(path)
    return (el.text or "").strip() if el is not None else ""


def _dec(value: str, where: str) -> Decimal:
    if value == "":
        return Decimal(0)
    try:
        return Decimal(value)
    except InvalidOperation:
        raise InvoiceXmlError(f"{where}: not a number: {value!r}") from None


def parse_invoice_xml(data: bytes) -> dict[str, Any]:
    """Read an invoice XML back into plain values (``Decimal`` money).

    Keys: number, colour ("blue"/"red"), kind ("normal"/"special"),
    seller / buyer (dicts of tax_id, name, address, phone, bank, account),
    total_net, total_tax, total, total_in_words, drawer, issued_at (datetime
    or None), lines (list of dicts: name, spec, unit, quantity, unit_price,
    amount, rate, rate_mark, tax, tax_code), original_number, red_form_number,
    remark. Raises :class:`InvoiceXmlError` on anything else.
    """
    try:
        # The stdlib parser resolves no external entities; expat >= 2.4.1 also
        # refuses entity-expansion bombs.
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise InvoiceXmlError(f"not well-formed XML: {exc}") from None
    if root.tag != "EInvoice":
        raise InvoiceXmlError(f"root element is {root.tag!r}, expected 'EInvoice'")
    header = root.find("Header")
    body = root.find("EInvoiceData")
    if header is None or body is None:
        raise InvoiceXmlError("Header or EInvoiceData missing")
    label = _text(header, "InherentLabel/InIssuType/LabelCode")
    if label not in ("Y", "N"):
        raise InvoiceXmlError(f"InIssuType/LabelCode is {label!r}, expected Y or N")
    kind_code = _text(header, "InherentLabel/GeneralOrSpecialVAT/LabelCode")
    basic = body.find("BasicInformation")
    request_time = _text(basic, "RequestTime")
    try:
        issued_at = dt.datetime.strptime(request_time, _TIME_FMT) if request_time else None
    except ValueError:
        raise InvoiceXmlError(f"RequestTime {request_time!r} is not YYYY-MM-DD HH:MM:SS") from None

    def party(tag: str, prefix: str) -> dict[str, str]:
        el = body.find(tag)
        return {key: _text(el, prefix + suffix) for key, suffix in (
            ("tax_id", "IdNum"), ("name", "Name"), ("address", "Addr"), ("phone", "TelNum"),
            ("bank", "BankName"), ("account", "BankAccNum"))}

    lines = []
    for i, item in enumerate(body.findall("IssuItemInformation")):
        rate_text = _text(item, "TaxRate")
        mark = rate_text if rate_text in RATE_MARKS else ""
        lines.append({
            "name": _text(item, "ItemName"),
            "spec": _text(item, "SpecMod"),
            "unit": _text(item, "MeaUnits"),
            "quantity": _dec(_text(item, "Quantity"), f"line {i + 1} Quantity"),
            "unit_price": _dec(_text(item, "UnPrice"), f"line {i + 1} UnPrice"),
            "amount": _dec(_text(item, "Amount"), f"line {i + 1} Amount"),
            "rate": Decimal(0) if mark else _dec(rate_text, f"line {i + 1} TaxRate"),
            "rate_mark": mark,
            "tax": _dec(_text(item, "ComTaxAm"), f"line {i + 1} ComTaxAm"),
            "tax_code": _text(item, "TaxClassificationCode"),
        })
    return {
        "number": _text(header, "EIid"),
        "colour": "blue" if label == "Y" else "red",
        "kind": "special" if kind_code == "01" else "normal",
        "seller": party("SellerInformation", "Seller"),
        "buyer": party("BuyerInformation", "Buyer"),
        "total_net": _dec(_text(basic, "TotalAmWithoutTax"), "TotalAmWithoutTax"),
        "total_tax": _dec(_text(basic, "TotalTaxAm"), "TotalTaxAm"),
        "total": _dec(_text(basic, "TotalTax-includedAmount"), "TotalTax-includedAmount"),
        "total_in_words": _text(basic, "TotalTax-includedAmountInChinese"),
        "drawer": _text(basic, "Drawer"),
        "issued_at": issued_at,
        "lines": lines,
        "original_number": _text(body, "SpecificInformation/RedEInvoice/OriginalInvoiceCode"),
        "red_form_number": _text(body, "SpecificInformation/RedEInvoice/CreditNoteNumber"),
        "remark": _text(body, "AdditionalInformation/Remark"),
    }
