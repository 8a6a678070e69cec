"""Exact ESC/POS bytes for each receipt op, per encoding and paper width."""

from __future__ import annotations

import numpy as np
import pytest
import zxingcpp
from escpos.image import EscposImage
from hypothesis import given
from hypothesis import strategies as st

from drivers.printer.escpos_render import EscPosRenderer
from drivers.printer.ops import Align, Cut, Feed, Op, Qr, Rule, Text
from drivers.printer.parse import LF, TEXT, parse_all


def test_job_header_per_encoding() -> None:
    assert EscPosRenderer("GB18030").job_header() == bytes.fromhex("1b40 1c26")
    assert EscPosRenderer("GBK").job_header() == bytes.fromhex("1b40 1c26")
    assert EscPosRenderer("Big5").job_header() == bytes.fromhex("1b40 1c26")
    assert EscPosRenderer("UTF-8").job_header() == bytes.fromhex("1b40 1c2e 1c2843020030 02")


@pytest.mark.parametrize(
    ("op", "expected"),
    [
        (Text("Hi"), "1d2100 1b4500 1b6100 4869 0a"),
        (Text("合计", align=Align.CENTER, bold=True), "1d2100 1b4501 1b6101 bacfbcc6 0a"),
        (Text("¥1", align=Align.RIGHT, width=2, height=3), "1d2112 1b4500 1b6102 a3a431 0a"),
        (Text("x", width=9, height=0), "1d2170 1b4500 1b6100 78 0a"),  # clamped to 8x1
        (Feed(3), "1b6403"),
        (Feed(300), "1b64ff"),
        (Cut(), "1b6406 1d5600"),
        (Cut(partial=True), "1b6406 1d5601"),
        (Qr("AB", size=4), "1b6101 1d286b0400314132 00 1d286b03003143 04 1d286b03003145 31"
                           " 1d286b0500315030 4142 1d286b03003151 30"),
        (Qr("AB", size=40, align=Align.LEFT),
         "1b6100 1d286b0400314132 00 1d286b03003143 10 1d286b03003145 31"
         " 1d286b0500315030 4142 1d286b03003151 30"),
    ],
)
def test_op_bytes(op: object, expected: str) -> None:
    assert EscPosRenderer("GBK").render_op(op) == bytes.fromhex(expected)  # type: ignore[arg-type]


@pytest.mark.parametrize(("width_mm", "columns"), [(58, 32), (80, 48)])
def test_rule_fills_the_paper(width_mm: int, columns: int) -> None:
    r = EscPosRenderer("GBK", width_mm)
    assert r.render_op(Rule()) == bytes.fromhex("1d2100 1b4500 1b6100") + b"-" * columns + b"\n"
    # a double-width character counts two columns
    assert r.render_op(Rule("═")) == bytes.fromhex("1d2100 1b4500 1b6100") \
        + "═".encode("gbk") * (columns // 2) + b"\n"


def test_qr_data_is_utf8_and_stripped_of_controls() -> None:
    out = EscPosRenderer("GBK").render_op(Qr("票\x1b1"))
    store = bytes.fromhex("1d286b0700315030") + "票1".encode()
    assert store in out and b"\x1b1" not in out.split(store)[0][-2:]


def test_empty_qr_prints_nothing() -> None:
    assert EscPosRenderer().render_op(Qr("\x00")) == b""


def test_small_receipt_exact_bytes() -> None:
    ops: list[Op] = [Text("发票", align=Align.CENTER, bold=True, width=2, height=2), Rule("="),
           Text("合计 ¥113.00", align=Align.RIGHT), Feed(1), Qr("https://e.cn/q/1", size=3), Cut()]
    expected = (
        "1b40 1c26"
        " 1d2111 1b4501 1b6101 b7a2c6b1 0a"
        " 1d2100 1b4500 1b6100" + "3d" * 32 + "0a"
        " 1d2100 1b4500 1b6102 bacfbcc6 20 a3a4 3131332e3030 0a"
        " 1b6401"
        " 1b6101 1d286b0400314132 00 1d286b03003143 03 1d286b03003145 31"
        " 1d286b1300315030" + b"https://e.cn/q/1".hex() + " 1d286b03003151 30"
        " 1b6406 1d5600"
    )
    assert EscPosRenderer("GB18030", 58).render(ops) == bytes.fromhex(expected)


def test_utf8_receipt_bytes() -> None:
    out = EscPosRenderer("UTF-8", 80).render([Text("合计 ¥1")])
    assert out == bytes.fromhex("1b40 1c2e 1c284302003002 1d2100 1b4500 1b6100") \
        + "合计 ￥1".encode() + b"\n"


def test_image_qr_is_a_paper_wide_raster_that_decodes() -> None:
    r = EscPosRenderer("GBK", 58, qr_mode="image")
    out = r.render_op(Qr("https://e.cn/q/1", size=4, align=Align.CENTER))
    assert out[:7] == bytes.fromhex("1b6100 1d763000")
    out = out[3:]
    width_bytes, height = int.from_bytes(out[4:6], "little"), int.from_bytes(out[6:8], "little")
    band = r.qr_band("https://e.cn/q/1", 4, Align.CENTER)
    assert len(out) == 8 + width_bytes * height
    assert band.size == (width_bytes * 8, height)
    assert out[8:] == EscposImage(band).to_raster_format()
    ink = np.flatnonzero((np.asarray(band.convert("L")) < 128).any(axis=0))
    left, right = ink.min(), 384 - 1 - ink.max()
    assert abs(left - right) <= 8  # centred on the paper by its left margin
    assert r.qr_band("x", 4, Align.LEFT).width < 100
    assert r.qr_band("x", 4, Align.RIGHT).width == 384
    [code] = zxingcpp.read_barcodes(band.convert("L"))
    assert code.text == "https://e.cn/q/1"


def test_oversized_image_qr_shrinks_to_fit_the_paper() -> None:
    r = EscPosRenderer("GBK", 58, qr_mode="image")
    band = r.qr_band("x" * 300, 16, Align.LEFT)
    assert band.width <= 384


def test_unknown_qr_mode_is_refused() -> None:
    with pytest.raises(ValueError, match="qr_mode"):
        EscPosRenderer(qr_mode="svg")


@given(st.text(max_size=30), st.sampled_from(["GB18030", "GBK", "Big5", "UTF-8"]))
def test_control_bytes_in_text_never_reach_the_printer(text: str, encoding: str) -> None:
    hostile = f"\x1b@\x1dV\x00{text}\x10\x04\x01\x1c&"
    tokens = parse_all(EscPosRenderer(encoding).render([Text(hostile, bold=True)]))
    kinds = [t.kind for t in tokens]
    header = ["init", "chinese_off", "other"] if encoding == "UTF-8" else ["init", "chinese_on"]
    # our header and style commands, then only text, then one line feed: nothing else
    text_runs = len(kinds) - len(header) - 4
    assert kinds == header + ["size", "bold", "align"] + [TEXT] * text_runs + [LF]
    body = [t for t in tokens if t.kind == TEXT]
    assert all(b >= 0x20 and b != 0x7F for t in body for b in t.data)
