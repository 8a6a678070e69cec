"""The come-back slip of a change left waiting (issue 12 item 6), in the person's language
like the claim slip: real ESC/POS bytes, parsed back and drawn at 58 and 80 mm."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from drivers.printer.escpos_render import EscPosRenderer
from drivers.printer.ops import Qr, Text
from drivers.printer.paper import Paper
from drivers.printer.parse import QR_STORE, TEXT, parse_all
from drivers.printer.render import render_escpos
from kiosk.documents.receipt import change_ops, op_width

SHOTS = os.environ.get("KIOSK_SHOTS_DIR", "")  # set it to keep the slips' PNGs for a look
REFERENCE = "C1A2B3C4"
ORIGINAL = "24110000000000012345"


def printed(lang: str, paper: int) -> bytes:
    ops = change_ops(REFERENCE, ORIGINAL, paper=Paper.for_width(paper), lang=lang)
    return EscPosRenderer(paper_width_mm=paper).render(ops)


def text_of(data: bytes) -> str:
    return " ".join(t.data.decode("gb18030").strip() for t in parse_all(data) if t.kind == TEXT)


@pytest.mark.parametrize("paper", [58, 80])
def test_english_slip_is_all_english(paper: int) -> None:
    text = text_of(printed("en", paper))
    assert "Invoice change slip" in text and "not an invoice" in text
    assert "72 hours" in text and REFERENCE in text and ORIGINAL in text
    assert not any("\u4e00" <= ch <= "\u9fff" for ch in text), text


@pytest.mark.parametrize("paper", [58, 80])
def test_chinese_slip(paper: int) -> None:
    text = text_of(printed("zh", paper))
    assert "发票更正凭条" in text and "最长 72" in text and "更正编号" in text
    assert "slip" not in text


@pytest.mark.parametrize(("lang", "paper"), [(x, p) for x in ("zh", "en") for p in (58, 80)])
def test_every_line_fits_the_paper_and_the_code_is_the_reference(lang: str, paper: int) -> None:
    ops = change_ops(REFERENCE, ORIGINAL, paper=Paper.for_width(paper), lang=lang)
    cols = Paper.for_width(paper).columns
    assert all(op_width(op) <= cols for op in ops if isinstance(op, Text)), [
        op.text for op in ops if isinstance(op, Text) and op_width(op) > cols]
    assert [op.data for op in ops if isinstance(op, Qr)] == [REFERENCE]
    data = printed(lang, paper)
    assert [t.data.decode() for t in parse_all(data) if t.kind == QR_STORE] == [REFERENCE]
    image = render_escpos(data, paper_width_mm=paper, encoding="GB18030")
    assert image.width == Paper.for_width(paper).dots and image.height > 200
    if SHOTS:
        image.save(Path(SHOTS) / f"change-slip-{lang}-{paper}mm.png")
