"""Text encoding for each printer encoding: yen rule, '?' with a warning, control stripping."""

from __future__ import annotations

import logging

import pytest
from hypothesis import given
from hypothesis import strategies as st

from drivers.printer.encoding import PROFILES, TextEncoder, profile_for, strip_controls


@pytest.mark.parametrize(
    ("encoding", "expected"),
    [
        ("GB18030", b"\xa3\xa412"),  # not the 4-byte 81 30 84 36 printer fonts lack
        ("GBK", b"\xa3\xa412"),
        ("Big5", b"\xa2\x4412"),  # Big5's only yen; Python names it U+00A5
        ("UTF-8", "￥12".encode()),
    ],
)
@pytest.mark.parametrize("yen", ["\u00a5", "\uffe5"])
def test_yen_becomes_the_encodings_yen(encoding: str, expected: bytes, yen: str) -> None:
    assert TextEncoder(encoding).encode(f"{yen}12") == expected


def test_yen_falls_back_to_rmb_when_the_encoding_has_no_yen() -> None:
    enc = TextEncoder("GBK")
    enc.profile = enc.profile.__class__("ASCII", "ascii", 1, False)
    assert enc.encode("¥5") == b"RMB5"


@pytest.mark.parametrize(
    ("encoding", "text", "expected"),
    [
        ("GB18030", "发票", b"\xb7\xa2\xc6\xb1"),
        ("GBK", "发票", b"\xb7\xa2\xc6\xb1"),
        ("Big5", "發票", b"\xb5o\xb2\xbc"),
        ("UTF-8", "发票", "发票".encode()),
    ],
)
def test_chinese_in_each_encoding(encoding: str, text: str, expected: bytes) -> None:
    assert TextEncoder(encoding).encode(text) == expected


@pytest.mark.parametrize(
    ("encoding", "text", "expected", "code_point"),
    [
        ("GB18030", "吉𠮷", b"\xbc\xaa?", "U+20BB7"),  # 4-byte GB18030: no printer glyph
        ("GBK", "\u263a9", b"?9", "U+263A"),  # ☺
        ("Big5", "发票", b"?\xb2\xbc", "U+53D1"),  # simplified 发 is not in Big5
        ("UTF-8", "\ud800x", b"?x", "U+D800"),  # a lone surrogate cannot be encoded
    ],
)
def test_unencodable_becomes_question_mark_and_warns(
    encoding: str, text: str, expected: bytes, code_point: str, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="drivers.printer"):
        assert TextEncoder(encoding).encode(text) == expected
    [record] = [r for r in caplog.records if getattr(r, "event", "") == "printer.text.unencodable"]
    assert code_point in record.getMessage()
    assert text not in record.getMessage()  # names code points, not the (maybe personal) text


def test_control_characters_are_removed_with_a_warning(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="drivers.printer"):
        assert TextEncoder("GBK").encode("A\x1b@B\x1d!\x00C\x10\x04\x01\n\x7f\x9b") == b"A@B!C"
    assert any(getattr(r, "count", 0) == 9 for r in caplog.records)


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=40))
def test_no_control_byte_ever_leaves_the_encoder(text: str) -> None:
    for name in PROFILES:
        data = TextEncoder(name).encode(text)
        assert not any(b < 0x20 or b == 0x7F for b in data), (name, text, data)


def test_substitutes_for_the_euro_sign() -> None:
    assert TextEncoder("GBK").encode("€9") == b"EUR9"
    assert TextEncoder("GB18030").encode("€9") == b"\xa2\xe39"


def test_strip_controls_keeps_ordinary_text() -> None:
    assert strip_controls("价税合计 ￥113.00") == "价税合计 ￥113.00"


def test_cells_count_double_width_characters() -> None:
    assert TextEncoder("GBK").text_cells("合计 ￥1") == 8
    assert TextEncoder("UTF-8").text_cells("合计 1") == 6


def test_unknown_encoding_is_refused() -> None:
    with pytest.raises(ValueError, match="unsupported printer encoding"):
        profile_for("latin-1")
    assert profile_for("gbk").name == "GBK"
