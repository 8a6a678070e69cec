"""DLE EOT answers -> DeviceStatus, and the emulator's side of the same bits."""

from __future__ import annotations

import pytest

from drivers.base import DeviceStatus
from drivers.printer.status import NO_ANSWER, STATUS_REQUEST, decode_status, encode_status
from drivers.problem import Problem


def test_request_asks_printer_offline_cause_and_paper() -> None:
    assert STATUS_REQUEST == bytes.fromhex("100401 100402 100404")


@pytest.mark.parametrize(
    ("answer", "status"),
    [
        ("12 12 12", DeviceStatus.READY),
        ("12 12 1e", DeviceStatus.PAPER_LOW),  # near-end bits 2/3
        ("12 12 16", DeviceStatus.PAPER_LOW),  # one near-end bit is enough
        ("1a 32 7e", DeviceStatus.PAPER_OUT),  # out bits 5/6 + paper-end stop
        ("1a 12 72", DeviceStatus.PAPER_OUT),
        ("1a 32 12", DeviceStatus.PAPER_OUT),  # offline cause says paper end
        ("1a 16 12", DeviceStatus.COVER_OPEN),
        ("1a 36 7e", DeviceStatus.COVER_OPEN),  # cover first: closing it is the first step
        ("1a 52 12", DeviceStatus.ERROR),
        ("1a 12 12", DeviceStatus.OFFLINE),
    ],
)
def test_decode(answer: str, status: DeviceStatus) -> None:
    got, problem, detail = decode_status(bytes.fromhex(answer))
    assert got is status
    assert (problem is None and detail == "") == (status is DeviceStatus.READY)
    if problem is not None:
        assert problem.code.startswith("printer.")


def test_silence_is_unknown_never_ready() -> None:
    assert decode_status(b"") == (DeviceStatus.UNKNOWN, Problem.of("printer.unknown"), NO_ANSWER)
    assert not DeviceStatus.UNKNOWN.works


def test_partial_or_garbled_answers_are_unknown() -> None:
    assert decode_status(b"\x12")[0] is DeviceStatus.UNKNOWN
    status, problem, detail = decode_status(bytes.fromhex("ff 12 12"))
    assert status is DeviceStatus.UNKNOWN and "ff 12 12" in detail
    assert problem == Problem.of("printer.bad_answer")


@pytest.mark.parametrize(
    ("state", "status"),
    [
        ({}, DeviceStatus.READY),
        ({"paper": "near_end"}, DeviceStatus.PAPER_LOW),
        ({"paper": "out"}, DeviceStatus.PAPER_OUT),
        ({"cover_open": True}, DeviceStatus.COVER_OPEN),
        ({"offline": True}, DeviceStatus.OFFLINE),
        ({"error": True}, DeviceStatus.ERROR),
    ],
)
def test_encode_and_decode_agree(state: dict, status: DeviceStatus) -> None:
    b = encode_status(**state)
    assert decode_status(bytes([b[1], b[2], b[4]]))[0] is status


def test_encoded_bytes() -> None:
    assert encode_status(paper="out") == {1: 0x1A, 2: 0x32, 3: 0x12, 4: 0x7E}
    assert encode_status(cover_open=True) == {1: 0x1A, 2: 0x16, 3: 0x12, 4: 0x12}
