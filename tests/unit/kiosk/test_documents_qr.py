"""The PDF's QR payload keeps the published layout; field 8 is our own check (docs/invoice-qr.md).

Published payloads (read in public repositories' tests and parsers):
``01,32,,26427000000316294884,100.76,20260330,,5F98`` (a parser's docstring, "全电发票格式：
版本号,发票种类,发票代码,发票号码,金额,开票日期,校验码,加密字段"),
``01,31,,24922000000012341234,666.00,20240208,,76A1`` and
``01,32,,26337906210400590013,10.01,20260422,,349F``.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import replace
from pathlib import Path

import pytest

from kiosk.documents.qr import invoice_qr_payload
from kiosk.model import InvoiceKind
from tests.helpers.invoices import sample_invoice, sample_red_invoice

PUBLISHED = (
    "01,32,,26427000000316294884,100.76,20260330,,5F98",
    "01,31,,24922000000012341234,666.00,20240208,,76A1",
    "01,32,,26337906210400590013,10.01,20260422,,349F",
)
SHAPE = re.compile(r"01,3[12],,\d{20},-?\d+\.\d{2},\d{8},,[0-9A-F]{4}")
DOC = Path(__file__).parents[3] / "docs" / "invoice-qr.md"


@pytest.mark.parametrize("payload", PUBLISHED)
def test_published_payloads_have_the_shape(payload: str) -> None:
    assert SHAPE.fullmatch(payload)


def test_ours_has_the_published_shape_and_fields() -> None:
    for inv in (sample_invoice(2), sample_invoice(3, InvoiceKind.SPECIAL), sample_red_invoice()):
        payload = invoice_qr_payload(inv)
        assert SHAPE.fullmatch(payload), payload
        fields = payload.split(",")
        assert fields[1] == ("31" if inv.kind is InvoiceKind.SPECIAL else "32")
        assert (fields[3], fields[4], fields[5]) == (
            inv.number, f"{inv.total:.2f}", inv.issued_at.strftime("%Y%m%d"))


def test_field_8_is_our_crc_and_catches_an_edited_field() -> None:
    inv = sample_invoice(2)
    payload = invoice_qr_payload(inv)
    head, check = payload.rsplit(",", 1)
    assert int(check, 16) == zlib.crc32(head.encode("ascii")) & 0xFFFF
    edited = invoice_qr_payload(replace(inv, number=inv.number[:-1] + "9"))
    assert edited.rsplit(",", 1)[1] != check


def test_the_docs_say_which_field_is_ours() -> None:
    text = DOC.read_text(encoding="utf-8")
    assert "Field 8 is our own check value" in text
    assert invoice_qr_payload(sample_invoice(1)) in text  # the doc's example is real output
