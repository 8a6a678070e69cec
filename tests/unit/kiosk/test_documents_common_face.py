"""The common CJK face: invoices whose every character it holds are drawn with it (PDF
and OFD, the same text as with the whole face), any other with the whole face, so a rare
hanzi in a name is never a box. The face is built once per machine (scripts/setup.sh);
the fixture builds it where it is missing."""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from fontTools.ttLib import TTFont
from pypdf import PdfReader

from kiosk.documents import fonts, ofd, pdf
from kiosk.documents.fonts import CjkFont, build_common_face, common_chars, find_cjk_font
from kiosk.platform.sandbox import SANDBOX_WATERMARK
from tests.helpers.invoices import sample_invoice

RARE = "堃"  # in GBK, not in GB2312: a name may hold it


@pytest.fixture(scope="module")
def common() -> CjkFont:
    return build_common_face(find_cjk_font())


def _text(data: bytes) -> str:
    """The PDF's text as pypdf reads it (it puts a NUL before each of fpdf2's 2-byte codes,
    whichever face: dropped, as test_documents_pdf does)."""
    pages = PdfReader(io.BytesIO(data)).pages
    return re.sub(r"[\s\x00]+", "", "".join(page.extract_text() for page in pages))


def _faces(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The font files the PDF layout opens, in order."""
    opened: list[Path] = []
    draw = pdf._draw

    def spy(invoice: Any, font: CjkFont, watermark: str) -> Any:
        opened.append(font.path)
        return draw(invoice, font, watermark)

    monkeypatch.setattr(pdf, "_draw", spy)
    return opened


def test_the_common_face_holds_the_layouts_own_words_and_no_control() -> None:
    chars = set(common_chars())
    layouts = (Path(pdf.__file__).read_text(encoding="utf-8")
               + Path(ofd.__file__).read_text(encoding="utf-8"))
    assert {c for c in layouts if unicodedata.category(c) != "Cc"} <= chars
    assert "\u3000" in chars and "¥" in chars and "￥" in chars  # the PDF's label spaces
    assert "啊" in chars and "齄" in chars and RARE not in chars  # GB2312's first and last
    assert not any(unicodedata.category(c) == "Cc" for c in chars)


def test_an_invoice_of_common_characters_is_drawn_with_the_common_face(
        common: CjkFont, monkeypatch: pytest.MonkeyPatch) -> None:
    invoice = sample_invoice(3)
    opened = _faces(monkeypatch)
    quick = pdf.invoice_to_pdf(invoice, watermark=SANDBOX_WATERMARK)
    assert opened == [common.path]
    whole = pdf.invoice_to_pdf(invoice, font=find_cjk_font(), watermark=SANDBOX_WATERMARK)
    assert _text(quick) == _text(whole)


def test_a_rare_hanzi_is_drawn_with_the_whole_face(common: CjkFont,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    invoice = sample_invoice(1)
    invoice = replace(invoice, buyer=replace(invoice.buyer, name=f"王{RARE}"))
    opened = _faces(monkeypatch)
    data = pdf.invoice_to_pdf(invoice)
    assert opened == [common.path, find_cjk_font().path]
    assert f"王{RARE}" in _text(data)


def _ofd_font(data: bytes) -> TTFont:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return TTFont(io.BytesIO(z.read("Doc_0/Res/font_1.otf")))


def test_the_ofd_cuts_its_font_from_the_common_face_when_it_holds_every_character(
        common: CjkFont, monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[str] = []
    real = ofd.TTFont

    def spy(path: str, *args: Any, **kwargs: Any) -> Any:
        opened.append(path)
        return real(path, *args, **kwargs)

    monkeypatch.setattr(ofd, "TTFont", spy)
    plain = sample_invoice(2)
    quick = ofd.invoice_to_ofd(plain)
    assert opened == [str(common.path)]
    assert quick == ofd.invoice_to_ofd(plain)  # the same bytes each time
    opened.clear()
    rare = replace(plain, buyer=replace(plain.buyer, name=f"王{RARE}"))
    data = ofd.invoice_to_ofd(rare)
    assert opened == [str(common.path), str(find_cjk_font().path)]
    assert ord(RARE) in _ofd_font(data).getBestCmap()


def test_without_the_common_face_the_whole_face_draws(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KIOSK_FONT_CACHE", str(tmp_path / "empty"))
    assert fonts.common_face(find_cjk_font()) is None
    opened = _faces(monkeypatch)
    pdf.invoice_to_pdf(sample_invoice(1))
    assert opened == [find_cjk_font().path]


def test_the_cache_folder_follows_the_environment() -> None:
    assert fonts.font_cache_dir({"KIOSK_FONT_CACHE": "/x"}) == Path("/x")
    assert fonts.font_cache_dir({"XDG_CACHE_HOME": "/c"}) == Path("/c/kiosk/fonts")
    assert fonts.font_cache_dir({}).parts[-3:] == (".cache", "kiosk", "fonts")
