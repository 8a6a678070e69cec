"""The courtesy receipt ops and the fixed-width text helpers (kiosk.documents)."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from drivers.printer.encoding import TextEncoder
from drivers.printer.escpos_render import EscPosRenderer
from drivers.printer.ops import Align, Cut, Qr, Rule, Text
from kiosk.documents import display_width, ops_to_text, receipt_ops, sanitize_text, wrap_text
from kiosk.documents.receipt import YEN, columns_for, op_width
from kiosk.model import Buyer, BuyerType
from kiosk.rules import amount_in_words
from tests.helpers.invoices import (
    COMPANY_BUYER,
    PERSON_BUYER,
    PERSON_ID,
    sample_invoice,
    sample_red_invoice,
)

URL = "https://fp.example.com/d/Zx8k2Lq9P0aB7cD4"


def texts(ops: list) -> list[str]:
    return [op.text for op in ops if isinstance(op, Text)]


# --- text helpers -----------------------------------------------------------------


@pytest.mark.parametrize("raw, clean", [
    ("plain", "plain"),
    ("a\tb\nc\r\nd", "a b c d"),
    ("\x1b@\x1dV\x01name", "@Vname"),  # ESC @ / GS V: the control bytes go, the rest is text
    ("\x1c&中文\x1c.", "&中文."),  # FS &
    ("x\x00y\x7fz\x85w\x9bv", "xyz wv"),  # NUL, DEL, C1 NEL (a newline), C1 CSI
    ("a\u200bb\u202ec\ufeff", "abc"),  # zero-width space, bidi override, BOM
    ("  a   b  ", "a b"),
    ("全角\u3000空格", "全角 空格"),
    ("", ""),
])
def test_sanitize_text(raw: str, clean: str) -> None:
    assert sanitize_text(raw) == clean


@given(st.text())
def test_sanitize_leaves_no_control_character(raw: str) -> None:
    import unicodedata

    out = sanitize_text(raw)
    assert all(unicodedata.category(ch) not in ("Cc", "Cf", "Cs") for ch in out)
    assert "\n" not in out and "\t" not in out and out == out.strip()


@pytest.mark.parametrize("s, width", [
    ("abc", 3), ("中文", 4), ("￥1.00", 6), ("¥1.00", 5), ("e\u0301", 1), ("", 0), ("（）", 4),
])
def test_display_width(s: str, width: int) -> None:
    assert display_width(s) == width


def test_printer_width_counts_every_non_ascii_as_two() -> None:
    assert display_width("×·é", printer=True) == 6 and display_width("×·é") == 3


def test_wrap_never_splits_a_cjk_char() -> None:
    assert wrap_text("中文中文中", 5) == ["中文", "中文", "中"]
    assert wrap_text("hello world again", 11) == ["hello world", "again"]
    assert wrap_text("abcdefghij", 4) == ["abcd", "efgh", "ij"]
    assert wrap_text("", 4) == [""]
    with pytest.raises(ValueError):
        wrap_text("中", 1)


def test_wrap_never_starts_a_line_with_closing_punctuation() -> None:
    """A line of CJK text breaks before a character, not before "，" or "。": the
    character before the stop goes down with it (defect 7's slip)."""
    assert wrap_text("已保存，终端", 6) == ["已保", "存，终", "端"]
    assert wrap_text("开票平台暂时无法连接。请稍后", 20) == ["开票平台暂时无法连", "接。请稍后"]
    assert wrap_text("平台：RQ1", 4) == ["平", "台：", "RQ1"]


mixed = st.text(alphabet=st.sampled_from(list("abcXYZ019 -*()（）：中文发票名称餐饮服务¥￥×·é")),
                max_size=120)


@given(mixed, st.integers(2, 60))
def test_wrap_properties(s: str, width: int) -> None:
    lines = wrap_text(s, width)
    assert all(display_width(line) <= width for line in lines)
    assert "".join(lines).replace(" ", "") == s.replace(" ", "")


# --- the receipt ------------------------------------------------------------------


@pytest.mark.parametrize("paper", [58, 80])
def test_receipt_content(paper: int) -> None:
    inv = sample_invoice(3)
    ops = receipt_ops(inv, paper_width_mm=paper, fetch_url=URL)
    lines = texts(ops)
    joined = "\n".join(lines)
    assert "开票凭条" in lines[0]
    assert "本凭条不是发票" in joined and "This slip is not an invoice" in joined
    assert inv.seller.name in joined and inv.number in joined and "2026-03-15" in joined
    assert COMPANY_BUYER.name in joined and COMPANY_BUYER.tax_id in joined  # a company shows
    assert f"{YEN}{inv.total_net}" in joined and f"{YEN}{inv.total_tax}" in joined
    assert f"{YEN}{inv.total}" in joined
    assert amount_in_words(inv.total) in "".join(t.strip() for t in lines)
    assert "大写：" in joined and "\u00a5" not in joined and YEN == "\uffe5"
    assert [op.data for op in ops if isinstance(op, Qr)] == [URL]
    assert "扫码下载电子发票" in joined and "Scan to download the e-invoice" in joined
    assert isinstance(ops[-1], Cut) and any(isinstance(op, Rule) for op in ops)
    for line in inv.lines:  # every line's amount, right-aligned at the edge
        assert any(t.endswith(f"{line.amount}") for t in lines)


def test_person_data_is_masked() -> None:
    ops = receipt_ops(sample_invoice(1, buyer="person"), paper_width_mm=58, fetch_url=URL)
    joined = "\n".join(texts(ops))
    assert PERSON_BUYER.name not in joined and "张**" in joined
    assert PERSON_ID not in joined and "1101**********002X" in joined


def test_anonymous_person_title_is_not_masked() -> None:
    inv = sample_invoice(1, buyer=Buyer(type=BuyerType.PERSON, name="个人"))
    joined = "\n".join(texts(receipt_ops(inv, paper_width_mm=58, fetch_url=URL)))
    assert "购买方：个人" in joined and "税号" not in joined


def test_individual_business_id_masked_but_name_shown() -> None:
    buyer = replace(COMPANY_BUYER, name="王记小吃店", tax_id=PERSON_ID)
    ops = receipt_ops(sample_invoice(1, buyer=buyer), paper_width_mm=58, fetch_url=URL)
    joined = "\n".join(texts(ops))
    assert "王记小吃店" in joined and PERSON_ID not in joined


def test_red_receipt() -> None:
    red = sample_red_invoice()
    joined = "\n".join(texts(receipt_ops(red, paper_width_mm=80, fetch_url=URL)))
    assert "（负数）壹佰壹拾叁圆整" in joined and f"{YEN}-113.00" in joined
    assert red.original_number in joined and red.red_form_number in joined


def test_escape_bytes_in_buyer_name_never_reach_the_ops() -> None:
    buyer = Buyer(type=BuyerType.COMPANY, name="恶意\x1b@\x1d!\x77公司\x1c&\x10\x04\x01",
                  tax_id=COMPANY_BUYER.tax_id)
    inv = replace(sample_invoice(2, buyer=buyer), remark="\x1bi")
    for paper in (58, 80):
        ops = receipt_ops(inv, paper_width_mm=paper, fetch_url=URL + "\x1bp\x00")
        for op in ops:
            s = op.text if isinstance(op, Text) else op.data if isinstance(op, Qr) else ""
            assert not any(ord(ch) < 0x20 or 0x7F <= ord(ch) <= 0x9F for ch in s), s
        data = EscPosRenderer(encoding="GBK", paper_width_mm=paper).render(
            [op for op in ops if isinstance(op, Text) and "恶意" in op.text])
        assert b"\x1b@\x1d!" not in data[2:]  # only the job's own ESC @ at the start
    assert "恶意@!w公司&" in "".join(texts(receipt_ops(inv, paper_width_mm=58, fetch_url=URL)))


def test_unsupported_paper() -> None:
    with pytest.raises(ValueError, match="58 or 80"):
        receipt_ops(sample_invoice(), paper_width_mm=70, fetch_url=URL)
    assert (columns_for(58), columns_for(80)) == (32, 48)


def test_no_url_no_qr() -> None:
    ops = receipt_ops(sample_invoice(), paper_width_mm=58, fetch_url="")
    assert not any(isinstance(op, Qr) for op in ops)


def test_debug_dump_has_the_paper_width() -> None:
    dump = ops_to_text(receipt_ops(sample_invoice(5), paper_width_mm=58, fetch_url=URL), 58)
    rows = dump.splitlines()
    assert all(display_width(r) == 34 for r in rows if r.startswith("|") and r.endswith("|"))
    assert "TOO WIDE" not in dump


names = st.text(alphabet=st.sampled_from(
    list("ABCxyz0189 -_.()（）·×é中文发票名称餐饮服务有限公司张王李北京上海￥¥") + ["\x1b", "\x1d", "\n"]),
    min_size=1, max_size=90)


@settings(max_examples=60, deadline=None)
@given(names, names, st.sampled_from([58, 80]), st.booleans())
def test_receipt_lines_never_exceed_the_paper(buyer_name: str, item: str, paper: int,
                                              person: bool) -> None:
    inv = sample_invoice(2, buyer="person" if person else "company")
    inv = replace(inv, buyer=replace(inv.buyer, name=buyer_name),
                  seller=replace(inv.seller, name=item),
                  lines=(replace(inv.lines[0], name=item, unit=item[:3]), inv.lines[1]))
    ops = receipt_ops(inv, paper_width_mm=paper, fetch_url=URL)
    cols = columns_for(paper)
    gbk, utf8 = TextEncoder("GBK"), TextEncoder("UTF-8")
    for op in ops:
        if isinstance(op, Text):
            assert op_width(op) <= cols, op
            assert display_width(op.text) * op.width <= cols
            # and as the printer driver counts the cells
            assert gbk.text_cells(op.text) * op.width <= cols
            assert utf8.text_cells(op.text) * op.width <= cols
            assert op.align in Align
