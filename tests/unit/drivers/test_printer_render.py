"""ESC/POS -> PNG: the QR decodes back, text and images land where a printer puts them."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import zxingcpp
from PIL import Image

from drivers.printer.emulated import EmulatedPrinter
from drivers.printer.escpos_render import EscPosRenderer
from drivers.printer.ops import Align, Cut, Feed, Qr, Text
from drivers.printer.render import render_escpos
from tests.helpers.printer import QR_URL, sample_receipt_ops


def _ink(image: Image.Image) -> np.ndarray:
    return np.asarray(image.convert("L")) < 128


@pytest.mark.parametrize("qr_mode", ["native", "image"])
@pytest.mark.parametrize(("width_mm", "dots"), [(58, 384), (80, 576)])
@pytest.mark.parametrize("encoding", ["GB18030", "GBK", "UTF-8"])
def test_receipt_png_has_paper_width_and_its_qr_decodes(
        tmp_path: Path, qr_mode: str, width_mm: int, dots: int, encoding: str) -> None:
    printer = EmulatedPrinter(encoding=encoding, paper_width_mm=width_mm, qr_mode=qr_mode,
                              status_timeout_s=0.3)
    printer.print_ops(sample_receipt_ops())
    path = tmp_path / "receipt.png"
    printer.render_png(str(path))
    image = Image.open(path)
    assert image.width == dots
    assert _ink(image).mean() > 0.02  # not blank
    codes = zxingcpp.read_barcodes(image)
    assert [c.text for c in codes] == [QR_URL]
    x = [p.x for p in (codes[0].position.top_left, codes[0].position.top_right)]
    assert abs((x[0] + x[1]) / 2 - dots / 2) < 12  # centred as the op asks, in both QR modes


def test_big5_receipt_renders_traditional_text() -> None:
    data = EscPosRenderer("Big5", 58).render([Text("發票", align=Align.CENTER), Qr("TW-1")])
    image = render_escpos(data, paper_width_mm=58, encoding="Big5")
    assert [c.text for c in zxingcpp.read_barcodes(image)] == ["TW-1"]


def _row_ink(data: bytes, width_mm: int = 58) -> np.ndarray:
    return _ink(render_escpos(data, paper_width_mm=width_mm, encoding="GBK"))


def _columns_with_ink(ink: np.ndarray) -> np.ndarray:
    return np.flatnonzero(ink.any(axis=0))


def test_alignment_places_text() -> None:
    r = EscPosRenderer("GBK", 58)
    left = _columns_with_ink(_row_ink(r.render([Text("AB")])))
    center = _columns_with_ink(_row_ink(r.render([Text("AB", align=Align.CENTER)])))
    right = _columns_with_ink(_row_ink(r.render([Text("AB", align=Align.RIGHT)])))
    assert left.max() < 24 and right.min() >= 384 - 24
    assert 192 - 24 < center.min() < 192 < center.max() < 192 + 24


def test_sizes_and_bold() -> None:
    r = EscPosRenderer("GBK", 80)
    small = _row_ink(r.render([Text("发票")]), 80)
    wide = _row_ink(r.render([Text("发票", width=2)]), 80)
    tall = _row_ink(r.render([Text("发票", width=2, height=2)]), 80)
    bold = _row_ink(r.render([Text("发票", bold=True)]), 80)
    assert _columns_with_ink(wide).max() > 1.7 * _columns_with_ink(small).max()
    assert tall.shape[0] > 1.7 * small.shape[0] and wide.shape[0] == small.shape[0]
    assert bold.sum() > 1.2 * small.sum()


def test_long_text_wraps_at_the_paper_width() -> None:
    one = _row_ink(EscPosRenderer("GBK", 58).render([Text("x" * 32)]))
    two = _row_ink(EscPosRenderer("GBK", 58).render([Text("x" * 33)]))
    assert two.shape[0] == 2 * one.shape[0]


def test_feed_and_cut_add_paper() -> None:
    plain = render_escpos(b"A\n", paper_width_mm=58, encoding="GBK")
    fed = render_escpos(b"A\n" + EscPosRenderer().render_op(Feed(3)), paper_width_mm=58,
                        encoding="GBK")
    cut = render_escpos(b"A\n" + EscPosRenderer().render_op(Cut()), paper_width_mm=58,
                        encoding="GBK")
    assert fed.height == plain.height + 90
    assert cut.height > fed.height
    last = np.asarray(cut)[-30:]
    assert (last < 200).any()  # the dashed cut line


def test_unknown_commands_and_garbage_are_skipped() -> None:
    image = render_escpos(b"\x1b\xff\x1d\xfe\x07\x1c\xfdA\x1b", paper_width_mm=58, encoding="GBK")
    assert image.width == 384 and _ink(image).any()
    assert render_escpos(b"", paper_width_mm=80, encoding="GBK").width == 576


def test_raster_bits_are_drawn() -> None:
    # one row of 16 dots: 0xF0 0x0F -> black 0..3 and 12..15
    image = render_escpos(bytes.fromhex("1d763000 0200 0100 f00f"), paper_width_mm=58,
                          encoding="GBK")
    row = np.asarray(image)[0]
    assert list(np.flatnonzero(row[:16] == 0)) == [0, 1, 2, 3, 12, 13, 14, 15]


def test_last_receipt_image_is_the_last_cut_one() -> None:
    printer = EmulatedPrinter(paper_width_mm=58, status_timeout_s=0.3)
    printer.print_ops([Qr("first"), Cut()])
    printer.print_ops([Qr("second"), Cut()])
    assert [c.text for c in zxingcpp.read_barcodes(printer.last_receipt_image())] == ["second"]


@pytest.mark.parametrize("width_mm", [58, 80])
def test_the_kiosks_receipt_layout_prints_and_its_qr_decodes(width_mm: int) -> None:
    receipt = pytest.importorskip("kiosk.documents.receipt")
    invoices = pytest.importorskip("tests.helpers.invoices")
    url = "https://inv.example.cn/f/24112000000135114086"
    ops = receipt.receipt_ops(invoices.sample_invoice(lines=3, buyer="person"),
                              paper_width_mm=width_mm, fetch_url=url)
    printer = EmulatedPrinter(encoding="GBK", paper_width_mm=width_mm, status_timeout_s=0.3)
    printer.print_ops(ops)
    image = printer.last_receipt_image()
    assert image.width == {58: 384, 80: 576}[width_mm]
    assert [c.text for c in zxingcpp.read_barcodes(image)] == [url]
    assert "￥572.90".encode("gbk") in printer.receipts[0]
