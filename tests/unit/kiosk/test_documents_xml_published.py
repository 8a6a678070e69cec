"""Our XML against published 数电 files: tags, labels, bureau, and an element-by-element round trip.

Published sources (read, not copied):

- a Jiangsu invoice quoted in a public Go test (``TestParseInvoiceXMLToExtracted_EInvoice``):
  ``EIid 25327000001739485410``, ``EInvoiceTag SWEI3200``, ``Version 0.2``, seller 昆山京东尚信
  贸易有限公司 ``913205830880018839``, buyer 乌洪军, 5838.94 + 759.06 = 6598.00, one line of two
  air conditioners (``KFR-35GW/NhAe1BAj``, 套, ``2.00000000``), ``RequestTime 2025-12-29 13:02:50``;
- a Zhejiang toll invoice quoted in a public Go test: ``EIid 26337904450900255091`` with
  ``EInvoiceTag SWEI3300`` and ``Version 0.32``;
- the full published shape of a public parser fixture (``sample_einvoice.xml``):
  ``EInvoiceType/LabelName 电子发票`` with the kind in ``GeneralOrSpecialVAT``, per-line
  ``TotaltaxIncludedAmount``, ``TaxSupervisionInfo/{TaxBureauCode 13200000000, TaxBureauName}``;
- a public Electron app's type of the published XML (``XMLJSONData``): Header/Version and the
  order of the elements.

``samples/published_einvoice_2532.xml`` is the Jiangsu invoice in that full shape. Filled in
where the quote was abridged: the labels, unit price, tax code, drawer, issue date and the bureau
(Jiangsu's, as the fixture's code says). ``TaxpayerType`` is placed among the labels: we found
no published file that shows where it sits.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pytest

from kiosk.documents.xml import (
    IN_ISSU_TYPE_NAME,
    e_invoice_tag,
    invoice_from_xml,
    invoice_to_xml,
    parse_invoice_xml,
    tax_bureau,
)
from kiosk.model import Colour, InvoiceKind
from tests.helpers.invoices import sample_invoice, sample_red_invoice

SAMPLE = Path(__file__).parent / "samples" / "published_einvoice_2532.xml"
# What only the platform writes (its own version, the bureau's signature and seller check).
PLATFORM_ONLY = {"Header/Version"}


@pytest.mark.parametrize(("number", "tag"), [
    ("25327000001739485410", "SWEI3200"),  # Jiangsu, published
    ("26337904450900255091", "SWEI3300"),  # Zhejiang, published
    ("26112000000000000001", "SWEI1100"),  # Beijing, as domain.md states
    ("25952000000064642836", "SWEI9500"),  # Shenzhen
])
def test_einvoice_tag_follows_the_numbers_region(number: str, tag: str) -> None:
    assert e_invoice_tag(number) == tag


def test_tax_bureau_matches_the_published_code() -> None:
    assert tax_bureau("25327000001739485410") == ("13200000000", "国家税务总局江苏省税务局")
    assert tax_bureau("26112000000000000001") == ("11100000000", "国家税务总局北京市税务局")
    assert tax_bureau("26992000000000000001") == ("19900000000", "")  # unknown: no invented name


def test_labels_are_as_published() -> None:
    for inv in (sample_invoice(2, InvoiceKind.SPECIAL), sample_red_invoice()):
        root = ET.fromstring(invoice_to_xml(inv))
        labels = root.find("Header/InherentLabel")
        assert labels is not None
        assert labels.findtext("InIssuType/LabelName") == IN_ISSU_TYPE_NAME
        assert labels.findtext("InIssuType/LabelCode") == ("Y" if inv.colour is Colour.BLUE else "N")
        assert labels.findtext("EInvoiceType/LabelName") == "电子发票"  # never the kind twice
        kind = "增值税专用发票" if inv.kind is InvoiceKind.SPECIAL else "普通发票"
        assert labels.findtext("GeneralOrSpecialVAT/LabelName") == kind
        assert root.findtext("Header/EInvoiceTag") == "SWEI" + inv.number[2:4] + "00"
        assert root.findtext("Header/Version")
        for item in root.findall("EInvoiceData/IssuItemInformation"):
            assert Decimal(item.findtext("TotaltaxIncludedAmount") or "x") == (
                Decimal(item.findtext("Amount") or "x") + Decimal(item.findtext("ComTaxAm") or "x"))


def _leaves(root: ET.Element) -> dict[str, str]:
    """Every leaf element by its path, repeated siblings numbered: ``A/B[2]/C`` -> text."""
    out: dict[str, str] = {}

    def walk(el: ET.Element, path: str) -> None:
        children = list(el)
        if not children:
            out[path] = (el.text or "").strip()
            return
        seen: dict[str, int] = {}
        for child in children:
            seen[child.tag] = seen.get(child.tag, 0) + 1
            walk(child, f"{path}/{child.tag}[{seen[child.tag]}]")

    walk(root, root.tag)
    return out


def _same(a: str, b: str) -> bool:
    if a == b:
        return True
    try:  # numbers as numbers: 2.00000000 is 2, 0.130000 is 0.13
        return Decimal(a) == Decimal(b)
    except InvalidOperation:
        return False


def test_published_sample_round_trips_element_by_element() -> None:
    published = SAMPLE.read_bytes()
    parsed = parse_invoice_xml(published)
    assert (parsed["tag"], parsed["version"], parsed["taxpayer_type"]) == ("SWEI3200", "0.2", "01")
    assert (parsed["tax_bureau_code"], parsed["tax_bureau_name"]) == (
        "13200000000", "国家税务总局江苏省税务局")
    assert parsed["lines"][0]["total"] == Decimal("6598.00")

    ours = invoice_to_xml(invoice_from_xml(published))
    theirs_leaves = _leaves(ET.fromstring(published))
    our_leaves = _leaves(ET.fromstring(ours))
    differ = {
        path: (value, our_leaves.get(path))
        for path, value in theirs_leaves.items()
        if path.replace("[1]", "").split("/", 1)[1] not in PLATFORM_ONLY
        and not _same(value, our_leaves.get(path, "\0missing"))
    }
    assert differ == {}
    extra = {p: v for p, v in our_leaves.items() if p not in theirs_leaves and v}
    assert extra == {}  # whatever we add beyond the sample is empty
    # And what we wrote reads back to the same invoice.
    assert invoice_from_xml(ours) == invoice_from_xml(published)
