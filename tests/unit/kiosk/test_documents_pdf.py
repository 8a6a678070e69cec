"""The invoice PDF: text extracted with pypdf, pages, QR, fonts (kiosk.documents.pdf).

With Noto Sans CJK's CFF subset fpdf2 writes an embedded encoding CMap; pypdf
does not apply it and yields a NUL (or space) beside every glyph, while
poppler's pdftotext extracts clean text. So the checks compare the text with
all whitespace and NULs removed.
"""

from __future__ import annotations

import io
import re
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
import zxingcpp
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from kiosk.documents import FontNotFound, find_cjk_font, invoice_qr_payload, invoice_to_pdf
from kiosk.documents.fonts import CANDIDATES, CjkFont
from kiosk.model import InvoiceKind
from kiosk.rules import amount_in_words
from tests.helpers.invoices import (
    BLUE_NUMBER,
    COMPANY_BUYER,
    PERSON_BUYER,
    RED_FORM_NUMBER,
    SELLER,
    sample_invoice,
    sample_red_invoice,
)


def pages_text(pdf: bytes) -> list[str]:
    return [re.sub(r"[\s\x00]+", "", page.extract_text()) for page in PdfReader(io.BytesIO(pdf)).pages]


@pytest.fixture(scope="module")
def blue_pdf() -> bytes:
    return invoice_to_pdf(sample_invoice(5, InvoiceKind.SPECIAL))


def test_blue_invoice_text(blue_pdf: bytes) -> None:
    inv = sample_invoice(5, InvoiceKind.SPECIAL)
    (text,) = pages_text(blue_pdf)
    for expected in ("电子发票（增值税专用发票）", "发票号码：" + BLUE_NUMBER, "开票日期：2026年03月15日",
                     "购买方信息", "销售方信息", "名称：" + COMPANY_BUYER.name, "名称：" + SELLER.name,
                     "统一社会信用代码/纳税人识别号：" + COMPANY_BUYER.tax_id, SELLER.tax_id,
                     "项目名称规格型号单位数量单价金额税率/征收率税额",
                     f"¥{inv.total_net}", f"¥{inv.total_tax}",
                     "价税合计（大写）⊗" + amount_in_words(inv.total), f"（小写）¥{inv.total}",
                     "备注", "开票人：李收银"):
        assert expected in text, expected
    for line in inv.lines:
        assert f"{line.amount}" in text and f"{line.tax}" in text


def test_page_is_210_by_140_mm(blue_pdf: bytes) -> None:
    box = PdfReader(io.BytesIO(blue_pdf)).pages[0].mediabox
    assert (round(float(box.width) / 72 * 25.4), round(float(box.height) / 72 * 25.4)) == (210, 140)


def test_normal_title_and_person_buyer() -> None:
    (text,) = pages_text(invoice_to_pdf(sample_invoice(1, buyer="person")))
    assert "电子发票（普通发票）" in text and "增值税专用发票" not in text
    assert PERSON_BUYER.name in text


def test_long_item_name_wraps_and_nothing_is_lost() -> None:
    inv = sample_invoice(3)
    (text,) = pages_text(invoice_to_pdf(inv))
    long_name = inv.lines[2].name
    assert len(long_name) > 40
    assert re.sub(r"\s+", "", long_name) in text  # all of it, over several lines
    assert "ISBN978-7-115-61327-9" in text


def test_long_buyer_name_and_remark_with_address_bank() -> None:
    buyer = replace(COMPANY_BUYER, name="示" * 50, show_address_bank=True)
    inv = sample_invoice(1, buyer=buyer, remark="备注内容" * 30)
    (text,) = pages_text(invoice_to_pdf(inv))
    assert "示" * 50 in text
    assert "备注内容" * 30 in text
    assert "购方开户银行：" + buyer.bank in text and buyer.account in text


def test_red_invoice() -> None:
    red = sample_red_invoice(sample_invoice(2))
    (text,) = pages_text(invoice_to_pdf(red))
    assert "（负数）" + amount_in_words(-red.total) in text
    assert f"（小写）¥{red.total}" in text and red.total < 0
    assert f"¥{red.total_net}" in text and "-" in f"{red.total_net}"
    assert "被红冲蓝字数电发票号码：" + BLUE_NUMBER in text
    assert "红字发票信息确认单编号：" + RED_FORM_NUMBER in text


def test_hundred_lines_continue_over_pages() -> None:
    inv = sample_invoice(100)
    texts = pages_text(invoice_to_pdf(inv))
    n = len(texts)
    assert n > 1
    for i, text in enumerate(texts, start=1):
        assert f"第{i}页/共{n}页" in text
        assert BLUE_NUMBER in text and "项目名称" in text
        assert ("（续下页）" in text) == (i < n)
        assert ("价税合计（大写）" in text) == (i == n)
    whole = "".join(texts)
    assert whole.count("*餐饮服务*餐费") == 20  # every line printed once
    assert f"（小写）¥{inv.total}" in texts[-1]


def test_qr_code_decodes_to_the_invoice_key_data(blue_pdf: bytes) -> None:
    inv = sample_invoice(5, InvoiceKind.SPECIAL)
    images = PdfReader(io.BytesIO(blue_pdf)).pages[0].images
    decoded = [b.text for img in images for b in zxingcpp.read_barcodes(img.image)]
    assert decoded == [invoice_qr_payload(inv)]
    assert decoded[0].startswith(f"01,31,,{BLUE_NUMBER},{inv.total},20260315,,")


def test_qr_payload_shape() -> None:
    payload = invoice_qr_payload(sample_red_invoice())
    fields = payload.split(",")
    assert fields[:7] == ["01", "32", "", "26112000000135119921", "-113.00", "20260317", ""]
    assert re.fullmatch(r"[0-9A-F]{4}", fields[7])


def test_control_characters_do_not_reach_the_pdf() -> None:
    inv = sample_invoice(1)
    nasty = replace(inv, buyer=replace(inv.buyer, name="示例\x1b@公司\n分部"))
    (text,) = pages_text(invoice_to_pdf(nasty))
    assert "示例@公司分部" in text


def test_watermark() -> None:
    (text,) = pages_text(invoice_to_pdf(sample_invoice(1), watermark="样票 SANDBOX"))
    assert "样票SANDBOX" in text


def test_wenquanyi_font_also_works() -> None:
    wqy = next(f for f in CANDIDATES if "wqy" in str(f.path))
    if not wqy.path.is_file():
        pytest.skip("fonts-wqy-microhei not installed")
    pdf = invoice_to_pdf(sample_invoice(1), font=wqy)
    (text,) = pages_text(pdf)
    assert "电子发票（普通发票）" in text and str(sample_invoice(1).total) in text


def test_font_finder(tmp_path: Path) -> None:
    font = find_cjk_font(env={})
    assert font.path.is_file()
    fake = tmp_path / "x.ttc"
    fake.write_bytes(b"")
    assert find_cjk_font(env={"KIOSK_CJK_FONT": f"{fake}#3"}) == CjkFont(fake, 3, "x")
    with pytest.raises(FontNotFound, match="does not exist"):
        find_cjk_font(tmp_path / "missing.ttc")


def test_font_finder_says_how_to_fix(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr("kiosk.documents.fonts.CANDIDATES", (CjkFont(tmp_path / "no.ttc", 0, "no"),))
    with pytest.raises(FontNotFound, match="fonts-noto-cjk") as info:
        find_cjk_font(env={"KIOSK_CJK_FONT": str(tmp_path / "gone.ttc")})
    assert "gone.ttc" in str(info.value) and "no.ttc" in str(info.value)


def test_exempt_line_prints_word_and_stars() -> None:
    inv = sample_invoice(1)
    (line,) = inv.lines
    exempt = replace(line, rate=Decimal(0), rate_mark="免税", tax=Decimal("0.00"))
    (text,) = pages_text(invoice_to_pdf(replace(inv, lines=(exempt,))))
    assert "免税***" in text and "0%" not in text


def test_same_invoice_same_bytes(blue_pdf: bytes) -> None:
    """Deterministic (creation date = issue time), so a re-generated PDF equals the stored one."""
    assert invoice_to_pdf(sample_invoice(5, InvoiceKind.SPECIAL)) == blue_pdf
    assert invoice_to_pdf(sample_invoice(4, InvoiceKind.SPECIAL)) != blue_pdf


def test_an_item_taller_than_a_page_is_split_not_lost() -> None:
    from kiosk.documents.pdf import FRAME_BOTTOM, ITEMS_TOP, _paginate, _Row

    tall = _Row([([f"name{i}" for i in range(40)], 8.0), (["1.00"], 8.0)], 40 * 3.6 + 0.8)
    short = _Row([(["x"], 8.0), (["2.00"], 8.0)], 4.4)
    pages = _paginate([short, tall, short], last_capacity=40.0)
    rows = [row for page in pages for row in page]
    assert [line for row in rows[1:-1] for line in row.cells[0][0]] == [f"name{i}" for i in range(40)]
    assert [line for row in rows[1:-1] for line in row.cells[1][0]] == ["1.00"]
    assert all(sum(r.height for r in page) <= FRAME_BOTTOM - ITEMS_TOP for page in pages)
    assert sum(r.height for r in pages[-1]) <= 40.0

    inv = sample_invoice(2)
    huge = replace(inv.lines[0], name="*餐饮服务*" + "".join(f"菜品{i:03d}" for i in range(150)))
    texts = pages_text(invoice_to_pdf(replace(inv, lines=(huge, inv.lines[1]))))
    assert len(texts) > 1 and "菜品149" in "".join(texts) and "（小写）¥" in texts[-1]


def test_an_absurd_remark_is_cut_with_a_pointer_to_the_xml() -> None:
    inv = sample_invoice(1, remark="很长的备注" * 400)
    (text,) = pages_text(invoice_to_pdf(inv))
    assert "备注过长，全文见XML" in text and "（小写）¥113.00" in text


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(1, 60), max_size=120), st.floats(3 * 3.6 + 1, 72.0))
def test_pagination_properties(depths: list[int], last_capacity: float) -> None:
    from kiosk.documents.pdf import FRAME_BOTTOM, ITEMS_TOP, LINE_H, _paginate, _Row

    rows = [_Row([([f"r{k}l{i}" for i in range(d)], 8.0)], d * LINE_H + 0.8)
            for k, d in enumerate(depths)]
    pages = _paginate(rows, last_capacity)
    placed = [line for page in pages for row in page for line in row.cells[0][0]]
    assert placed == [line for row in rows for line in row.cells[0][0]]  # all, in order
    assert all(sum(r.height for r in page) <= FRAME_BOTTOM - ITEMS_TOP + 1e-9 for page in pages)
    assert sum(r.height for r in pages[-1]) <= last_capacity + 1e-9
    assert all(pages[:-1]) and (rows == [] or pages[-1])


def test_a_non_ascii_invoice_number_does_not_crash_the_pdf() -> None:
    """Issue 15 item 9: a platform-supplied number with Arabic-Indic digits (or a control
    byte) crashed the QR payload's CRC; the PDF is built and the number shown cleaned."""
    for number in ("26١١٢000000000000001", "2611200000\x1b000000001"):
        (text,) = pages_text(invoice_to_pdf(replace(sample_invoice(1), number=number)))
        assert "\x1b" not in text
    assert invoice_qr_payload(replace(sample_invoice(1), number="26١١٢0")).count(",") == 7
