"""Fuzz the device parsers (issue 15 item 10): SAM frames, the ID card text block, scanner lines.

Each parser, whatever bytes arrive and however they are split, returns its
result or raises its own typed error - never anything else. Example counts are
modest (the suite runs on a busy 2-core CI machine).
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from drivers.idcard import protocol
from drivers.idcard.identity import TEXT_BLOCK_LEN, TextBlockError, parse_text_block
from drivers.scanner.framing import LineFramer, Rejected
from kiosk.rules.text import is_clean_text

FUZZ = settings(deadline=None)  # max_examples: the profile's (tests/conftest.py)

good_frames = st.builds(lambda sw3, data: protocol.encode_response(sw3, data),
                        st.integers(0, 255), st.binary(max_size=40))
noise = st.binary(max_size=24)
streams = st.lists(st.one_of(good_frames, noise, st.just(protocol.PREAMBLE),
                             st.just(protocol.PREAMBLE + b"\x00\x10")), max_size=8)


def _chunks(data: bytes, cuts: list[int]) -> list[bytes]:
    points = sorted({c % (len(data) + 1) for c in cuts})
    out, last = [], 0
    for p in points:
        out.append(data[last:p])
        last = p
    out.append(data[last:])
    return out


@FUZZ
@given(parts=streams, cuts=st.lists(st.integers(0, 10_000), max_size=6))
def test_sam_frames_decode_or_raise_their_checksum_error(parts: list[bytes],
                                                         cuts: list[int]) -> None:
    data = b"".join(parts)
    buf = b""
    frames = 0
    for chunk in _chunks(data, cuts):
        buf += chunk
        for _ in range(len(data) + 2):  # each step consumes at least a frame or stops
            try:
                response, buf = protocol.decode_response(buf)
            except protocol.FrameChecksumError as err:
                buf = err.rest
                continue
            if response is None:
                break
            frames += 1
            assert 0 <= response.sw3 <= 255
        assert len(buf) <= len(data)
    assert frames <= len(parts)


@FUZZ
@given(st.binary(max_size=80))
def test_sam_requests_and_read_answers_raise_only_value_errors(data: bytes) -> None:
    try:
        protocol.decode_request(data)
    except protocol.FrameChecksumError:
        pass
    try:
        text, photo = protocol.split_read_answer(data)
        assert len(text) + len(photo) + 4 == len(data)
    except ValueError:
        pass


ucs2_text = st.text(max_size=60).map(lambda s: s.encode("utf-16-le", "surrogatepass"))


@FUZZ
@given(st.one_of(st.binary(min_size=TEXT_BLOCK_LEN, max_size=TEXT_BLOCK_LEN),
                 ucs2_text.map(lambda b: (b + b" " * TEXT_BLOCK_LEN)[:TEXT_BLOCK_LEN]),
                 st.binary(max_size=300)), st.binary(max_size=40))
def test_id_card_text_blocks_parse_or_raise_text_block_error(text: bytes, photo: bytes) -> None:
    try:
        card = parse_text_block(text, photo)
    except TextBlockError:
        return
    assert card.name and len(card.id_number) == 18


@FUZZ
@given(data=st.lists(st.one_of(st.binary(max_size=30), st.just(b"\r\n"), st.just(b"\r"),
                               st.text(max_size=20).map(str.encode)), max_size=12),
       cuts=st.lists(st.integers(0, 10_000), max_size=5),
       suffix=st.sampled_from(["\r\n", "\r", "\n", "\t"]),
       prefix=st.sampled_from(["", "]Q"]))
def test_scanner_lines_give_clean_codes_or_rejections(data: list[bytes], cuts: list[int],
                                                      suffix: str, prefix: str) -> None:
    framer = LineFramer(prefix=prefix, suffix=suffix, max_length=64)
    for chunk in _chunks(b"".join(data), cuts):
        for item in framer.feed(chunk):
            if isinstance(item, Rejected):
                assert item.reason in ("too_long", "not_utf8", "control_chars", "missing_prefix")
                assert len(item.raw) <= 64
            else:
                assert item and is_clean_text(item)  # the kiosk's one text rule
                assert len(item.encode()) <= 64


def test_the_scanner_refuses_what_the_text_rule_refuses() -> None:
    from drivers.scanner import framing
    from kiosk.rules.text import FORBIDDEN_CATEGORIES

    assert framing._REFUSED == FORBIDDEN_CATEGORIES
    assert framing.LineFramer().feed("\ud7fc\r\n".encode("utf-8", "surrogatepass"))[0] == \
        Rejected("control_chars", b"\xed\x9f\xbc", "control characters, dropped")
