"""The invoice XML (the legal data file of a 数电 e-invoice) and reading it back.

Element names and order follow published 数电 XML files of several provinces
(there is no public official schema; see domain.md):
``EInvoice/Header/{EIid, EInvoiceTag, Version, InherentLabel}``,
``EInvoiceData/{SellerInformation, BuyerInformation, BasicInformation,
IssuItemInformation*, SpecificInformation/RedEInvoice, AdditionalInformation}``
and ``TaxSupervisionInfo/{InvoiceNumber, IssueTime, TaxBureauCode, TaxBureauName}``.
Output is deterministic (fixed element order, two space indent, UTF-8 with a
declaration), so a golden file can pin it byte for byte.

As published: ``EInvoiceTag`` is ``SWEI`` + digits 3-4 of the number + ``00``
(:func:`e_invoice_tag`); ``EInvoiceType/LabelName`` is ``电子发票`` with the
kind in ``GeneralOrSpecialVAT``; ``InIssuType/LabelName`` is the question
``是否蓝字发票标志`` answered by its ``LabelCode`` Y/N; each line carries
``TotaltaxIncludedAmount`` (amount + tax). The bureau's signature is the one
thing only the platform can add: a file this module renders is a *copy* of
the platform's.

``TaxpayerType`` (the seller's 一般纳税人 01 / 小规模纳税人 02) is written as a
label beside the others in ``InherentLabel``; we found no published file that
fixes its place, so the reader looks for it anywhere.

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

from kiosk.model import (
    Buyer,
    BuyerType,
    Colour,
    Invoice,
    InvoiceKind,
    InvoiceLine,
    Seller,
)
from kiosk.rules import RATE_MARKS, amount_in_words, plain_decimal

__all__ = ["invoice_to_xml", "parse_invoice_xml", "invoice_from_xml", "InvoiceXmlError",
           "e_invoice_tag", "tax_bureau", "XML_VERSION", "IN_ISSU_TYPE_NAME"]

XML_VERSION = "0.32"  # Header/Version of the newest published files
IN_ISSU_TYPE_NAME = "是否蓝字发票标志"
E_INVOICE_TYPE_NAME = "电子发票"
_TIME_FMT = "%Y-%m-%d %H:%M:%S"
_KIND_CODES = {InvoiceKind.SPECIAL: ("01", "增值税专用发票"), InvoiceKind.NORMAL: ("02", "普通发票")}
TAXPAYER_TYPES = {"01": "一般纳税人", "02": "小规模纳税人"}

# Province-level codes (digits 3-4 of a 数电 number, GB/T 2260 plus the separately
# planned city Shenzhen 95) and the bureau's name; the code is 1 + two digits + 8 zeros
# (a published Jiangsu file carries 13200000000).
_PROVINCES = {
    "11": "北京市", "12": "天津市", "13": "河北省", "14": "山西省", "15": "内蒙古自治区",
    "21": "辽宁省", "22": "吉林省", "23": "黑龙江省", "31": "上海市", "32": "江苏省",
    "33": "浙江省", "34": "安徽省", "35": "福建省", "36": "江西省", "37": "山东省",
    "41": "河南省", "42": "湖北省", "43": "湖南省", "44": "广东省", "45": "广西壮族自治区",
    "46": "海南省", "50": "重庆市", "51": "四川省", "52": "贵州省", "53": "云南省",
    "54": "西藏自治区", "61": "陕西省", "62": "甘肃省", "63": "青海省", "64": "宁夏回族自治区",
    "65": "新疆维吾尔自治区", "95": "深圳市",
}


class InvoiceXmlError(ValueError):
    """The bytes are not an invoice XML this module can read."""


def e_invoice_tag(number: str) -> str:
    """``SWEI`` + digits 3-4 of the invoice number + ``00`` (``2611...`` -> ``SWEI1100``)."""
    region = number[2:4]
    if not (len(region) == 2 and region.isascii() and region.isdigit()):
        # InvoiceXmlError (a ValueError): fuzzing gave a bare ValueError here (issue 15)
        raise InvoiceXmlError(f"invoice number {number!r} has no region digits")
    return f"SWEI{region}00"


def tax_bureau(number: str) -> tuple[str, str]:
    """(TaxBureauCode, TaxBureauName) of the province in the invoice number.

    An unknown region gives its code and an empty name rather than a made-up one.
    """
    region = number[2:4]
    name = _PROVINCES.get(region, "")
    return f"1{region}00000000", f"国家税务总局{name}税务局" if name else ""


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


def _label(parent: ET.Element, tag: str, code: str, name: str) -> None:
    el = _sub(parent, tag)
    _sub(el, "LabelCode", code)
    _sub(el, "LabelName", name)


def _amount(d: Decimal) -> str:
    return f"{d.quantize(Decimal('0.01')):f}"


def _plain(d: Decimal) -> str:
    return "" if d == 0 else f"{plain_decimal(d):f}"


def _rate(rate: Decimal, mark: str) -> str:
    return mark if mark else f"{plain_decimal(rate):f}"


def invoice_to_xml(invoice: Invoice, *, taxpayer_type: str = "01") -> bytes:
    """The invoice as UTF-8 XML bytes with an ``<?xml ...?>`` declaration.

    ``taxpayer_type`` is the seller's: ``01`` general (the default), ``02`` small-scale.
    """
    if taxpayer_type not in TAXPAYER_TYPES:
        raise ValueError(f"taxpayer_type must be one of {sorted(TAXPAYER_TYPES)}")
    root = ET.Element("EInvoice")
    header = _sub(root, "Header")
    _sub(header, "EIid", invoice.number)
    _sub(header, "EInvoiceTag", e_invoice_tag(invoice.number))
    _sub(header, "Version", XML_VERSION)
    labels = _sub(header, "InherentLabel")
    blue = invoice.colour is Colour.BLUE
    _label(labels, "InIssuType", "Y" if blue else "N", IN_ISSU_TYPE_NAME)
    code, name = _KIND_CODES[invoice.kind]
    _label(labels, "EInvoiceType", code, E_INVOICE_TYPE_NAME)
    _label(labels, "GeneralOrSpecialVAT", code, name)
    _label(labels, "TaxpayerType", taxpayer_type, TAXPAYER_TYPES[taxpayer_type])

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
        _sub(item, "TotaltaxIncludedAmount", _amount(line.amount + line.tax))
        _sub(item, "TaxClassificationCode", line.tax_code)

    if not blue:
        red = _sub(_sub(data, "SpecificInformation"), "RedEInvoice")
        _sub(red, "OriginalInvoiceCode", invoice.original_number)
        _sub(red, "CreditNoteNumber", invoice.red_form_number)
    _sub(_sub(data, "AdditionalInformation"), "Remark", invoice.remark)

    supervision = _sub(root, "TaxSupervisionInfo")
    _sub(supervision, "InvoiceNumber", invoice.number)
    _sub(supervision, "IssueTime", invoice.issued_at.strftime("%Y-%m-%d"))
    bureau_code, bureau_name = tax_bureau(invoice.number)
    _sub(supervision, "TaxBureauCode", bureau_code)
    _sub(supervision, "TaxBureauName", bureau_name)

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
    amount, rate, rate_mark, tax, tax_code, total (the line's TotaltaxIncludedAmount,
    or None when the file has none)), original_number, red_form_number, remark;
    and as published: tag, version, taxpayer_type, tax_bureau_code, tax_bureau_name.
    Raises :class:`InvoiceXmlError` on anything else.
    """
    try:
        # The stdlib parser resolves no external entities; expat >= 2.4.1 also
        # refuses entity-expansion bombs.
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise InvoiceXmlError(f"not well-formed XML: {exc}") from None
    except LookupError as exc:  # an encoding declaration Python does not know
        raise InvoiceXmlError(f"unknown encoding: {exc}") from None
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
        included = _text(item, "TotaltaxIncludedAmount")
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
            "total": (_dec(included, f"line {i + 1} TotaltaxIncludedAmount")
                      if included else None),
        })
    supervision = root.find("TaxSupervisionInfo")
    return {
        "number": _text(header, "EIid"),
        "tag": _text(header, "EInvoiceTag"),
        "version": _text(header, "Version"),
        "taxpayer_type": _text(root, ".//TaxpayerType/LabelCode") or _text(root, ".//TaxpayerType"),
        "tax_bureau_code": _text(supervision, "TaxBureauCode"),
        "tax_bureau_name": _text(supervision, "TaxBureauName"),
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


def invoice_from_xml(data: bytes) -> Invoice:
    """An :class:`Invoice` from an invoice XML (ours or a published file).

    What the XML does not hold is left at its default (request id, order
    numbers, download URL); a buyer without a tax ID is a person; address and
    bank are shown when the file has any of them.
    """
    p = parse_invoice_xml(data)
    if p["issued_at"] is None:
        raise InvoiceXmlError("RequestTime is missing")
    sd, bd = p["seller"], p["buyer"]
    shown = any(bd[k] for k in ("address", "phone", "bank", "account"))
    return Invoice(
        number=p["number"],
        kind=InvoiceKind.SPECIAL if p["kind"] == "special" else InvoiceKind.NORMAL,
        colour=Colour.BLUE if p["colour"] == "blue" else Colour.RED,
        issued_at=p["issued_at"],
        seller=Seller(sd["name"], sd["tax_id"], sd["address"], sd["phone"], sd["bank"],
                      sd["account"]),
        buyer=Buyer(BuyerType.COMPANY if bd["tax_id"] else BuyerType.PERSON, bd["name"],
                    bd["tax_id"], bd["address"], bd["phone"], bd["bank"], bd["account"],
                    show_address_bank=shown),
        lines=tuple(InvoiceLine(ln["name"], ln["tax_code"], ln["quantity"], ln["unit_price"],
                                ln["amount"], ln["rate"], ln["tax"], ln["rate_mark"], ln["spec"],
                                ln["unit"]) for ln in p["lines"]),
        remark=p["remark"], drawer=p["drawer"], original_number=p["original_number"],
        red_form_number=p["red_form_number"],
    )
