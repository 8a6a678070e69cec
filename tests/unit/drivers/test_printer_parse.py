"""The streaming ESC/POS tokenizer: chunking, lengths, unknown commands."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from drivers.printer import parse as P
from drivers.printer.escpos_render import EscPosRenderer
from tests.helpers.printer import sample_receipt_ops


def test_tokens_of_a_receipt_round_trip_their_bytes() -> None:
    data = EscPosRenderer("GB18030").render(sample_receipt_ops())
    tokens = P.parse_all(data)
    assert b"".join(t.raw for t in tokens) == data
    assert [t.kind for t in tokens][:2] == [P.INIT, P.CHINESE_ON]
    assert [t.data for t in tokens if t.kind == P.QR_STORE] == [
        b"https://inv.example.cn/q/24112000000135114086"]
    assert tokens[-1].kind == P.CUT


def test_byte_by_byte_feeding_gives_the_same_commands() -> None:
    data = EscPosRenderer("GBK", qr_mode="image").render(sample_receipt_ops())
    parser = P.EscPosParser()
    tokens = [t for i in range(len(data)) for t in parser.feed(data[i:i + 1])]
    assert parser.pending == b""
    assert [t for t in tokens if t.kind != P.TEXT] == [
        t for t in P.parse_all(data) if t.kind != P.TEXT]
    assert b"".join(t.raw for t in tokens) == data


def test_status_request_inside_raster_data_is_data() -> None:
    raster = bytes.fromhex("1d763000 0100 0300") + b"\x10\x04\x01"
    tokens = P.parse_all(raster + b"\x10\x04\x04")
    assert [t.kind for t in tokens] == [P.RASTER, P.STATUS]
    assert tokens[0].data == b"\x10\x04\x01" and tokens[1].value == 4


def test_incomplete_command_waits_for_the_rest() -> None:
    parser = P.EscPosParser()
    assert parser.feed(b"\x1d\x28\x6b\x05\x00\x31\x50") == []
    [token] = parser.feed(b"\x30AB")
    assert (token.kind, token.data) == (P.QR_STORE, b"AB")


def test_unknown_commands_are_skipped() -> None:
    tokens = P.parse_all(b"\x1b\xffA\x1d\xfeB\x1c\xfdC\x07D\x10\x99E")
    assert [t.data for t in tokens if t.kind == P.TEXT] == [b"A", b"B", b"C", b"D", b"\x99E"]


def test_cut_with_feed_parameter_and_barcodes() -> None:
    tokens = P.parse_all(b"\x1dVA\x03\x1dk\x04123\x00\x1dkI\x0212X")
    assert [(t.kind, t.raw) for t in tokens] == [
        (P.CUT, b"\x1dVA\x03"), (P.OTHER, b"\x1dk\x04123\x00"), (P.OTHER, b"\x1dkI\x0212"),
        (P.TEXT, b"X")]


def test_truncated_tail_becomes_other() -> None:
    tokens = P.parse_all(b"A\x1b")
    assert [(t.kind, t.raw) for t in tokens] == [(P.TEXT, b"A"), (P.OTHER, b"\x1b")]


@given(st.binary(max_size=200))
def test_any_bytes_parse_without_error_and_keep_every_byte(data: bytes) -> None:
    parser = P.EscPosParser()
    tokens = parser.feed(data)
    assert b"".join(t.raw for t in tokens) + parser.pending == data
