"""The invoice XML: golden files, well-formedness, reading back (kiosk.documents.xml)."""

from __future__ import annotations

import os
import xml.etree.ElementTree as ET
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.documents import InvoiceXmlError, invoice_to_xml, parse_invoice_xml
from kiosk.model import InvoiceKind
from tests.helpers.invoices import (
    BLUE_NUMBER,
    RED_FORM_NUMBER,
    sample_invoice,
    sample_red_invoice,
)

GOLDEN = Path(__file__).parent / "golden"
CASES = {
    "invoice_blue_special_3.xml": lambda: sample_invoice(3, InvoiceKind.SPECIAL),
    "invoice_red_normal_2.xml": lambda: sample_red_invoice(sample_invoice(2)),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_golden_xml_byte_for_byte(name: str) -> None:
    """Regenerate deliberately with UPDATE_GOLDEN=1 and review the diff."""
    data = invoice_to_xml(CASES[name]())
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.write_bytes(data)
    assert data == path.read_bytes()


def test_declaration_and_well_formed() -> None:
    data = invoice_to_xml(sample_invoice(2))
    assert data.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<EInvoice>')
    root = ET.fromstring(data)
    assert root.findtext("Header/EIid") == BLUE_NUMBER
    assert root.findtext("Header/InherentLabel/InIssuType/LabelCode") == "Y"
    for path in ("EInvoiceData/SellerInformation/SellerIdNum",
                 "EInvoiceData/SellerInformation/SellerName",
                 "EInvoiceData/BuyerInformation/BuyerIdNum",
                 "EInvoiceData/BuyerInformation/BuyerName",
                 "EInvoiceData/BasicInformation/TotalAmWithoutTax",
                 "EInvoiceData/BasicInformation/TotalTaxAm",
                 "EInvoiceData/BasicInformation/TotalTax-includedAmount",
                 "EInvoiceData/BasicInformation/TotalTax-includedAmountInChinese",
                 "EInvoiceData/BasicInformation/Drawer",
                 "EInvoiceData/BasicInformation/RequestTime"):
        assert root.find(path) is not None, path
    items = root.findall("EInvoiceData/IssuItemInformation")
    assert len(items) == 2
    assert [c.tag for c in items[0]] == ["ItemName", "SpecMod", "MeaUnits", "Quantity", "UnPrice",
                                         "Amount", "TaxRate", "ComTaxAm", "TotaltaxIncludedAmount",
                                         "TaxClassificationCode"]
    assert root.find("EInvoiceData/SpecificInformation") is None


def test_red_invoice_xml() -> None:
    red = sample_red_invoice()
    root = ET.fromstring(invoice_to_xml(red))
    assert root.findtext("Header/InherentLabel/InIssuType/LabelCode") == "N"
    red_info = "EInvoiceData/SpecificInformation/RedEInvoice/"
    assert root.findtext(red_info + "OriginalInvoiceCode") == BLUE_NUMBER
    assert root.findtext(red_info + "CreditNoteNumber") == RED_FORM_NUMBER
    basic = "EInvoiceData/BasicInformation/"
    assert root.findtext(basic + "TotalTax-includedAmount") == "-113.00"
    assert root.findtext(basic + "TotalTax-includedAmountInChinese") == "（负数）壹佰壹拾叁圆整"


def test_parse_round_trip() -> None:
    inv = sample_invoice(5, InvoiceKind.SPECIAL)
    got = parse_invoice_xml(invoice_to_xml(inv))
    assert got["number"] == inv.number and got["colour"] == "blue" and got["kind"] == "special"
    assert (got["total_net"], got["total_tax"], got["total"]) == (
        inv.total_net, inv.total_tax, inv.total)
    assert got["issued_at"] == inv.issued_at
    assert got["seller"]["tax_id"] == inv.seller.tax_id and got["buyer"]["name"] == inv.buyer.name
    for parsed, line in zip(got["lines"], inv.lines, strict=True):
        assert parsed["name"] == line.name and parsed["tax_code"] == line.tax_code
        assert (parsed["quantity"], parsed["unit_price"]) == (line.quantity, line.unit_price)
        assert (parsed["amount"], parsed["rate"], parsed["tax"]) == (line.amount, line.rate, line.tax)
    red = parse_invoice_xml(invoice_to_xml(sample_red_invoice()))
    assert red["colour"] == "red" and red["original_number"] == BLUE_NUMBER
    assert red["red_form_number"] == RED_FORM_NUMBER and red["total"] == Decimal("-113.00")


def test_rate_marks_and_missing_quantity() -> None:
    inv = sample_invoice(1)
    (line,) = inv.lines
    exempt = replace(line, rate=Decimal(0), rate_mark="免税", tax=Decimal("0.00"),
                     quantity=Decimal(0), unit_price=Decimal(0))
    data = invoice_to_xml(replace(inv, lines=(exempt,)))
    root = ET.fromstring(data)
    assert root.findtext("EInvoiceData/IssuItemInformation/TaxRate") == "免税"
    assert root.findtext("EInvoiceData/IssuItemInformation/Quantity") == ""
    (parsed,) = parse_invoice_xml(data)["lines"]
    assert parsed["rate_mark"] == "免税" and parsed["rate"] == 0 and parsed["quantity"] == 0


def test_show_address_bank_only_when_chosen() -> None:
    inv = sample_invoice(1)
    root = ET.fromstring(invoice_to_xml(inv))
    assert root.findtext("EInvoiceData/BuyerInformation/BuyerAddr") == ""
    shown = replace(inv, buyer=replace(inv.buyer, show_address_bank=True))
    root = ET.fromstring(invoice_to_xml(shown))
    assert root.findtext("EInvoiceData/BuyerInformation/BuyerAddr") == inv.buyer.address
    assert root.findtext("EInvoiceData/BuyerInformation/BuyerBankAccNum") == inv.buyer.account


def test_control_characters_cannot_break_the_file() -> None:
    inv = sample_invoice(1)
    nasty = replace(inv, buyer=replace(inv.buyer, name="示例\x1b@\x1dV\x00公司"), remark="a\x0cb")
    data = invoice_to_xml(nasty)
    parsed = parse_invoice_xml(data)
    assert parsed["buyer"]["name"] == "示例@V公司" and parsed["remark"] == "ab"
    assert b"\x1b" not in data and b"\x00" not in data


@pytest.mark.parametrize("data, message", [
    (b"not xml", "well-formed"),
    (b"<Invoice/>", "root element"),
    (b"<EInvoice><Header/></EInvoice>", "missing"),
    (b"<EInvoice><Header><InherentLabel><InIssuType><LabelCode>Q</LabelCode></InIssuType>"
     b"</InherentLabel></Header><EInvoiceData/></EInvoice>", "LabelCode"),
])
def test_parse_refuses_cleanly(data: bytes, message: str) -> None:
    with pytest.raises(InvoiceXmlError, match=message):
        parse_invoice_xml(data)


def test_parse_refuses_bad_numbers() -> None:
    data = invoice_to_xml(sample_invoice(1)).replace(b"<Amount>106.60", b"<Amount>abc")
    with pytest.raises(InvoiceXmlError, match="Amount"):
        parse_invoice_xml(data)


@settings(max_examples=25, deadline=None)
@given(st.integers(1, 100), st.sampled_from(list(InvoiceKind)), st.booleans())
def test_parsed_totals_are_sums_of_parsed_lines(n: int, kind: InvoiceKind, red: bool) -> None:
    inv = sample_invoice(n, kind)
    if red:
        inv = sample_red_invoice(inv)
    got = parse_invoice_xml(invoice_to_xml(inv))
    assert got["total_net"] == sum(line["amount"] for line in got["lines"])
    assert got["total_tax"] == sum(line["tax"] for line in got["lines"])
    assert got["total"] == got["total_net"] + got["total_tax"]
