"""The OFD copy (GB/T 33190), checked by an independent reader: ofdkit (PyPI, Apache-2.0).

ofdkit is a separate project that reads OFD e-invoices (text in reading order, and the
invoice fields through ``Tags/CustomTags.xml`` -> ``CustomTag.xml`` ObjectRefs, as published
数电 OFD files carry them); it shares no code with ``kiosk.documents.ofd``. Every tagged field
it finds must equal the invoice the sandbox issued.
"""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
import zipfile
from decimal import Decimal
from pathlib import Path

import ofdkit
import pytest
from fontTools.ttLib import TTFont

from kiosk.documents.ofd import COPY_NOTE, OFD_NS, invoice_to_ofd
from kiosk.model import Invoice, InvoiceKind, RedReason
from kiosk.platform.sandbox import SANDBOX_WATERMARK
from tests.helpers.invoices import sample_invoice
from tests.helpers.platform import (
    COMPANY,
    MutableClock,
    goods,
    make_request,
    make_sandbox,
    meal,
)

NS = {"ofd": OFD_NS}


def _sandbox_invoices(tmp_path: Path) -> tuple[Invoice, Invoice]:
    sandbox = make_sandbox(tmp_path, MutableClock())
    try:
        blue = sandbox.issue(make_request("ORD-OFD", lines=[meal("113.00"), goods("56.50")],
                                          buyer=COMPANY, kind=InvoiceKind.SPECIAL))
        form = sandbox.file_red_form(blue.number, RedReason.ISSUED_IN_ERROR, "seller")
        form = sandbox.confirm_red_form(form.form_number)
        red = sandbox.issue_red_invoice(form.form_number)
        return blue, red
    finally:
        sandbox.close()


def _check_fields(invoice: Invoice, data: bytes) -> ofdkit.Invoice:
    read = ofdkit.extract_invoice(data)
    assert read is not None
    assert "custom_tags" in read.sources and read.warnings == []
    assert read.invoice_number == invoice.number
    assert read.issue_date == invoice.issued_at.date().isoformat()
    assert (read.buyer.name, read.buyer.tax_id) == (invoice.buyer.name, invoice.buyer.tax_id or None)
    assert (read.seller.name, read.seller.tax_id) == (invoice.seller.name, invoice.seller.tax_id)
    assert Decimal(read.amount_without_tax or "x") == invoice.total_net
    assert Decimal(read.tax_amount or "x") == invoice.total_tax
    assert Decimal(read.total_amount or "x") == invoice.total
    assert read.issuer == invoice.drawer and read.invoice_type == invoice.kind.invoice_title
    assert len(read.items) == len(invoice.lines)
    for item, line in zip(read.items, invoice.lines, strict=True):
        assert item.name == line.name
        assert Decimal(item.amount or "x") == line.amount
        assert Decimal(item.tax_amount or "x") == line.tax
    return read


def test_sandbox_invoice_opens_in_the_independent_reader(tmp_path: Path) -> None:
    blue, red = _sandbox_invoices(tmp_path)
    for invoice in (blue, red):
        data = invoice_to_ofd(invoice, watermark=SANDBOX_WATERMARK)
        _check_fields(invoice, data)
        with ofdkit.open(data) as doc:
            text = doc.text()
            assert doc.warnings == []
            assert COPY_NOTE in text and SANDBOX_WATERMARK in text  # marked as a copy
            assert doc.info.custom_data["发票号码"] == invoice.number
            assert doc.info.custom_data["副本"] == COPY_NOTE
    assert red.total < 0 and red.red_form_number[:6] == "110108"


def test_package_follows_gbt_33190(tmp_path: Path) -> None:
    data = invoice_to_ofd(sample_invoice(3))
    z = zipfile.ZipFile(io.BytesIO(data))
    names = set(z.namelist())
    assert {"OFD.xml", "Doc_0/Document.xml", "Doc_0/PublicRes.xml", "Doc_0/DocumentRes.xml",
            "Doc_0/Pages/Page_0/Content.xml", "Doc_0/Tags/CustomTags.xml",
            "Doc_0/Tags/CustomTag.xml", "Doc_0/Res/font_1.otf", "Doc_0/Res/qr.png"} <= names
    root = ET.fromstring(z.read("OFD.xml"))
    assert root.tag == f"{{{OFD_NS}}}OFD" and root.get("DocType") == "OFD"
    assert root.findtext("ofd:DocBody/ofd:DocRoot", namespaces=NS) == "Doc_0/Document.xml"
    tag = ET.fromstring(z.read("Doc_0/Tags/CustomTag.xml"))
    assert tag.findtext("ofd:IsCopy", namespaces=NS) == "true"
    # The embedded font is a subset: every character on the page, and not the whole face.
    font = TTFont(io.BytesIO(z.read("Doc_0/Res/font_1.otf")))
    cmap = font.getBestCmap()
    content = z.read("Doc_0/Pages/Page_0/Content.xml").decode()
    page_text = "".join(el.text or "" for el in ET.fromstring(content).iter(f"{{{OFD_NS}}}TextCode"))
    assert {ord(ch) for ch in page_text} <= set(cmap)
    assert len(cmap) < 400 and len(z.read("Doc_0/Res/font_1.otf")) < 200_000


def test_many_lines_continue_on_more_pages() -> None:
    invoice = sample_invoice(30)
    data = invoice_to_ofd(invoice)
    with ofdkit.open(data) as doc:
        assert len(doc.pages) == 3
    _check_fields(invoice, data)


@pytest.mark.parametrize("nasty", ["示例\x1b@\x00公司", "A&B <公司>"])
def test_markup_and_control_characters_cannot_break_it(nasty: str) -> None:
    invoice = sample_invoice(1)
    from dataclasses import replace

    odd = replace(invoice, buyer=replace(invoice.buyer, name=nasty))
    read = ofdkit.extract_invoice(invoice_to_ofd(odd))
    assert read is not None and "\x1b" not in (read.buyer.name or "")
    assert (read.buyer.name or "").replace("@", "") in {"示例公司", "A&B <公司>"}
