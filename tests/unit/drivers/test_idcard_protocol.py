"""The SAM frame codec and the text block: exact bytes, resync, checksum, parsing."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from drivers.idcard import protocol as p
from drivers.idcard.emulated import DEMO_CARDS, demo_photo
from drivers.idcard.identity import (
    TEXT_BLOCK_LEN,
    TextBlockError,
    build_text_block,
    parse_text_block,
)
from drivers.idcard.nations import NATIONS, nation_name


def test_find_card_request_exact_bytes() -> None:
    assert p.encode_request(0x20, 0x01) == bytes.fromhex("AA AA AA 96 69 00 03 20 01 22")
    assert p.encode_request(*p.SELECT_CARD) == bytes.fromhex("AA AA AA 96 69 00 03 20 02 21")
    assert p.encode_request(*p.READ_CARD) == bytes.fromhex("AA AA AA 96 69 00 03 30 01 32")
    assert p.encode_request(*p.SAM_STATUS) == bytes.fromhex("AA AA AA 96 69 00 03 11 FF ED")


def test_response_exact_bytes_and_roundtrip() -> None:
    frame = p.encode_response(0x9F, b"\x00" * 4)
    # LEN = 3 status + 4 data + 1 chk = 8; CHK = 00^08^00^00^9F = 97
    assert frame == bytes.fromhex("AA AA AA 96 69 00 08 00 00 9F 00 00 00 00 97")
    response, rest = p.decode_response(frame + b"\xAA\xAA")
    assert response == p.Response(0, 0, 0x9F, b"\x00" * 4)
    assert rest == b"\xAA\xAA"  # may be the start of the next preamble


def test_decode_skips_noise_before_preamble() -> None:
    noise = bytes.fromhex("00 FF AA 96 AA AA 13 37")
    response, rest = p.decode_response(noise + p.encode_response(0x80))
    assert response is not None and response.sw3 == 0x80
    assert rest == b""


def test_decode_waits_for_a_split_frame() -> None:
    frame = p.encode_response(0x90, b"abc")
    for cut in range(len(frame)):
        response, rest = p.decode_response(frame[:cut])
        assert response is None
        response, _ = p.decode_response(rest + frame[cut:])
        assert response == p.Response(0, 0, 0x90, b"abc")


def test_bad_checksum_raises_with_the_rest() -> None:
    frame = bytearray(p.encode_response(0x90))
    frame[-1] ^= 0xFF
    with pytest.raises(p.FrameChecksumError) as info:
        p.decode_response(bytes(frame) + b"tail")
    assert info.value.rest == b"tail"


def test_impossible_length_is_treated_as_noise() -> None:
    fake_header = p.PREAMBLE + b"\xFF\xFF"
    response, _ = p.decode_response(fake_header + p.encode_response(0x80))
    assert response is not None and response.sw3 == 0x80


def test_request_decoding_matches_encoding() -> None:
    request, rest = p.decode_request(p.encode_request(0x30, 0x01) + b"x")
    assert request == p.Request(0x30, 0x01, b"")
    assert rest == b"x"


def test_sw3_meanings() -> None:
    assert "no card" in p.sw3_meaning(0x80)
    assert "read card failed" in p.sw3_meaning(0x41)
    assert "select card failed" in p.sw3_meaning(0x81)
    assert "unknown status 77" in p.sw3_meaning(0x77)


def test_nation_table_is_complete() -> None:
    assert len([c for c in NATIONS if int(c) <= 56]) == 56
    assert [f"{i:02d}" for i in range(1, 57)] == sorted(c for c in NATIONS if int(c) <= 56)
    assert nation_name("01") == "汉"
    assert nation_name("05") == "维吾尔"
    assert nation_name("56") == "基诺"
    assert nation_name("97") == "其他"
    assert nation_name("98") == "外国血统"


def test_text_block_layout_is_exact() -> None:
    card = DEMO_CARDS["long_term"]
    block = build_text_block(card)
    assert len(block) == TEXT_BLOCK_LEN == 256
    assert block[0:6] == "王秀英".encode("utf-16-le")
    assert block[6:30] == b" \x00" * 12  # space-padded
    assert block[30:32] == b"2\x00"  # sex 2 = female
    assert block[32:36] == "01".encode("utf-16-le")  # 汉
    assert block[36:52] == "19491231".encode("utf-16-le")
    assert block[122:158] == "11010519491231002X".encode("utf-16-le")
    assert block[188:204] == "20120801".encode("utf-16-le")
    assert block[204:220] == "长期".encode("utf-16-le") + b" \x00" * 6


def test_text_block_roundtrip_incl_long_term() -> None:
    for card in DEMO_CARDS.values():
        photo = demo_photo(card)
        parsed = parse_text_block(build_text_block(card), photo)
        assert parsed == dataclasses.replace(card, photo=photo)
    parsed = parse_text_block(build_text_block(DEMO_CARDS["long_term"]))
    assert parsed.valid_to is None
    assert parsed.sex == "女"
    assert parsed.birth == dt.date(1949, 12, 31)


@pytest.mark.parametrize(
    ("offset", "replacement", "message"),
    [
        (30, "3".encode("utf-16-le"), "sex"),
        (32, "99".encode("utf-16-le"), "nation"),
        (36, "19491331".encode("utf-16-le"), "birth"),
        (204, "2099XX01".encode("utf-16-le"), "valid-to"),
    ],
)
def test_malformed_text_block_is_rejected(offset: int, replacement: bytes, message: str) -> None:
    block = bytearray(build_text_block(DEMO_CARDS["male"]))
    block[offset:offset + len(replacement)] = replacement
    with pytest.raises(TextBlockError, match=message):
        parse_text_block(bytes(block))


def test_wrong_block_size_is_rejected() -> None:
    with pytest.raises(TextBlockError, match="255 bytes"):
        parse_text_block(b"\x20" * 255)


def test_repr_masks_name_and_id_number() -> None:
    card = DEMO_CARDS["long_term"]
    text = repr(card)
    assert "11010519491231002X" not in text
    assert "1101**********002X" in text
    assert "王秀英" not in text and "秀英" not in text
    assert "王**" in text
    assert "长期" in text
    assert card.address not in text
    assert str(card) == text
