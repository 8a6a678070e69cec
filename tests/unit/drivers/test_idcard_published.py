"""The SAM reader against public implementations' bytes: statuses, other card layouts, stray headers.

Public implementations read (not copied):

- status tables: 新中新 Synjones ``SynjonesIDCardRetCode`` (C#), 华旭 ``HxReaderInternal`` (C#)
  and the ``SDT_*`` JNI wrapper's comment table: 0x47 取随机数失败, 0x91 居民身份证中无此项内容,
  0x37 指纹信息验证错误, 0x3F 信息长度错误 (0x34: domain.md, an authentication fault);
- text-block layouts: ``Johann356/readinfo`` ``PCSCGetData.h``, ``t_idcardinfor`` (港澳台居民
  居住证: ... pass number 18, issue count 4, reserved 6, type 2, reserved 6) and ``t_idforeigner``
  (外国人永久居留证: English name 120, sex 2, number 30, nationality 6, Chinese name 30, from 16,
  to 16, birth 16, version 4, authority 8, type 2, reserved 6); type mark at byte 248;
- frames: ``AA AA AA 96 69 00 03 20 01 22`` (find card) as every implementation sends it.

The reader side runs the real ``SamReader`` over a real pty against the emulated module.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from drivers.idcard import (
    SamCardTypeError,
    SamReader,
    SamStatusError,
    UnsupportedCardType,
)
from drivers.idcard import protocol as p
from drivers.idcard.emulated import DEMO_CARDS, EmulatedSamReader
from drivers.idcard.identity import build_text_block, card_type, parse_text_block
from kiosk.messages import text_for


def _ucs2(value: str, size: int) -> bytes:
    raw = value.encode("utf-16-le")
    return raw + " ".encode("utf-16-le") * ((size - len(raw)) // 2)


# A 港澳台居民居住证 text block laid out field by field as t_idcardinfor declares it.
PERMIT_BLOCK = b"".join(_ucs2(v, n) for v, n in (
    ("陈大文", 30), ("1", 2), ("", 4), ("19880808", 16), ("广东省深圳市福田区福华三路100号", 70),
    ("810000198808080013", 36), ("深圳市公安局", 30), ("20210301", 16), ("20260301", 16),
    ("H12345678", 18), ("01", 4), ("", 6), ("J", 2), ("", 6)))
# A 外国人永久居留证 text block as t_idforeigner declares it.
FOREIGNER_BLOCK = b"".join(_ucs2(v, n) for v, n in (
    ("SMITH, JOHN", 120), ("1", 2), ("USA110075041201", 30), ("USA", 6), ("约翰史密斯", 30),
    ("20200601", 16), ("20300601", 16), ("19750412", 16), ("01", 4), ("1500", 8), ("I", 2),
    ("", 6)))


@pytest.fixture
def emulator() -> Iterator[EmulatedSamReader]:
    emu = EmulatedSamReader()
    yield emu
    emu.close()


@pytest.fixture
def reader(emulator: EmulatedSamReader) -> Iterator[SamReader]:
    r = SamReader(emulator.port_name, poll_interval=0.01)
    yield r
    r.close()


@pytest.mark.parametrize(("sw3", "words"), [
    (0x47, "取随机数失败"), (0x91, "无内容"), (0x34, "认证失败"), (0x37, "指纹信息验证错误"),
    (0x3F, "信息长度错误"),
])
def test_published_status_words(sw3: int, words: str) -> None:
    assert words in p.sw3_meaning(sw3) and "unknown" not in p.sw3_meaning(sw3)


def test_0x47_is_a_random_number_fault_on_the_wire(emulator: EmulatedSamReader,
                                                    reader: SamReader) -> None:
    emulator.place_card("male")
    emulator.faults.read_status = 0x47
    with pytest.raises(SamStatusError) as info:
        reader.read_card(timeout=3)
    assert info.value.sw3 == 0x47 and "random-number fetch failed" in str(info.value)
    text = text_for(info.value.problem)
    assert "取随机数失败" in text.zh and "47" in text.en


def test_type_marks_sit_at_byte_248() -> None:
    assert len(PERMIT_BLOCK) == len(FOREIGNER_BLOCK) == 256
    assert PERMIT_BLOCK[248:250] == "J".encode("utf-16-le")
    assert FOREIGNER_BLOCK[248:250] == "I".encode("utf-16-le")
    assert (card_type(PERMIT_BLOCK), card_type(FOREIGNER_BLOCK)) == ("J", "I")
    assert card_type(build_text_block(DEMO_CARDS["male"])) == ""


def test_residence_permit_layout_decodes() -> None:
    card = parse_text_block(PERMIT_BLOCK)
    assert (card.card_type, card.name, card.sex, card.id_number) == (
        "J", "陈大文", "男", "810000198808080013")
    assert (card.pass_number, card.issue_count, card.authority) == ("H12345678", "01", "深圳市公安局")
    assert card.address == "广东省深圳市福田区福华三路100号" and card.nation == ""
    assert build_text_block(card) == PERMIT_BLOCK


def test_foreigners_card_layout_decodes() -> None:
    card = parse_text_block(FOREIGNER_BLOCK)
    assert (card.card_type, card.name, card.english_name, card.nationality) == (
        "I", "约翰史密斯", "SMITH, JOHN", "USA")
    assert (card.id_number, card.authority, card.version) == ("USA110075041201", "1500", "01")
    assert card.birth.isoformat() == "1975-04-12" and card.valid_to is not None
    assert build_text_block(card) == FOREIGNER_BLOCK


@pytest.mark.parametrize(("key", "block"), [("hk_permit", PERMIT_BLOCK),
                                             ("foreigner", FOREIGNER_BLOCK)])
def test_both_layouts_are_read_over_the_pty(emulator: EmulatedSamReader, reader: SamReader,
                                            key: str, block: bytes) -> None:
    emulator.place_card(key)
    card = reader.read_card(timeout=3)
    assert card is not None and card == DEMO_CARDS[key].__class__(
        **{**parse_text_block(block).__dict__, "photo": card.photo})


def test_another_card_type_says_use_another_way(emulator: EmulatedSamReader,
                                                reader: SamReader) -> None:
    newer = FOREIGNER_BLOCK[:248] + "Y".encode("utf-16-le") + FOREIGNER_BLOCK[250:]  # 2023 card
    with pytest.raises(UnsupportedCardType):
        parse_text_block(newer)
    emulator.place_text_block(newer)
    with pytest.raises(SamCardTypeError) as info:
        reader.read_card(timeout=3)
    assert "card type not supported here, please use another way to identify" in str(info.value)
    text = text_for(info.value.problem)
    assert text.zh == "本机暂不支持此类证件，请使用其他方式识别"
    assert "another way to identify" in text.en and "malformed" not in str(info.value)


# --- issue 15 item 8: a stray header must not swallow the real frame -------------------------

FIND_OK = p.encode_response(p.SW_CARD_FOUND, b"\x00" * 4)
STRAY = bytes.fromhex("AA AA AA 96 69 05 08")  # a header claiming a 1288-byte read answer


def test_stray_header_then_real_frame_decodes_the_real_frame() -> None:
    response, rest = p.decode_response(STRAY + FIND_OK)
    assert response is not None and response.sw3 == p.SW_CARD_FOUND and rest == b""


def test_stray_short_header_whose_checksum_fails_resyncs_at_the_next_preamble() -> None:
    stray = bytes.fromhex("AA AA AA 96 69 00 04")  # claims 4 bytes: eats the real preamble
    response, rest = p.decode_response(stray + FIND_OK)
    assert response is not None and response.sw3 == p.SW_CARD_FOUND and rest == b""


def test_split_stray_then_frame_arriving_byte_by_byte() -> None:
    buf = b""
    got = None
    for byte in STRAY + FIND_OK:
        buf += bytes([byte])
        got, buf = p.decode_response(buf)
        if got is not None:
            break
    assert got is not None and got.sw3 == p.SW_CARD_FOUND


def test_a_real_read_answer_is_not_cut_by_the_rule() -> None:
    frame = p.encode_response(p.SW_OK, p.read_answer_data(PERMIT_BLOCK, bytes(1024)))
    for cut in (7, 100, len(frame) - 1):
        response, rest = p.decode_response(frame[:cut])
        assert response is None and rest == frame[:cut]
    response, _ = p.decode_response(frame)
    assert response is not None and p.split_read_answer(response.data)[0] == PERMIT_BLOCK


def test_stray_header_before_every_answer_on_a_real_pty(emulator: EmulatedSamReader,
                                                        reader: SamReader) -> None:
    """Before the fix the card was never read and read_card ran to its timeout with no error."""
    emulator.place_card("male")
    emulator.faults.garbage = STRAY
    card = reader.read_card(timeout=3)
    assert card is not None and card.id_number == DEMO_CARDS["male"].id_number
