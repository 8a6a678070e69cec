"""The real ``SamReader`` against the emulated SAM module over a real pty."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from drivers.idcard import SamChecksumError, SamPortError, SamReader, SamStatusError
from drivers.idcard import protocol as p
from drivers.idcard.emulated import DEMO_CARDS, EmulatedSamReader, demo_photo


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


def test_reads_every_field_of_a_long_term_card(emulator, reader) -> None:
    emulator.place_card("long_term")
    card = reader.read_card(timeout=3)
    expected = DEMO_CARDS["long_term"]
    assert card is not None
    assert (card.name, card.sex, card.nation) == ("王秀英", "女", "汉")
    assert card.birth == expected.birth
    assert card.address == expected.address
    assert card.id_number == "11010519491231002X"
    assert card.authority == expected.authority
    assert card.valid_from == expected.valid_from
    assert card.valid_to is None  # 长期
    assert card.photo == demo_photo(expected) and len(card.photo) == 1024


def test_exact_request_sequence_on_the_wire(emulator, reader) -> None:
    emulator.place_card("male")
    assert reader.read_card(timeout=3) is not None
    assert emulator.requests[-3:] == [
        bytes.fromhex("AA AA AA 96 69 00 03 20 01 22"),
        bytes.fromhex("AA AA AA 96 69 00 03 20 02 21"),
        bytes.fromhex("AA AA AA 96 69 00 03 30 01 32"),
    ]


def test_no_card_returns_none_within_the_timeout(emulator, reader) -> None:
    t0 = time.monotonic()
    assert reader.read_card(timeout=0.2) is None
    elapsed = time.monotonic() - t0
    assert elapsed < 0.2 + 1.0  # bounded (generous margin for a loaded machine)
    assert reader.answered  # the module answered "no card"
    assert set(emulator.requests) == {p.encode_request(*p.FIND_CARD)}


def test_card_left_on_the_reader_is_not_read_again(emulator, reader) -> None:
    emulator.place_card("male")
    assert reader.read_card(timeout=3) is not None
    assert reader.read_card(timeout=0.2) is None
    emulator.remove_card()
    emulator.place_card("male")  # taken away and presented again
    assert reader.read_card(timeout=3) is not None


def test_driver_dedupes_a_module_that_keeps_answering_found() -> None:
    with EmulatedSamReader(DEMO_CARDS["tibetan"], halt_after_read=False) as emu, \
            SamReader(emu.port_name, poll_interval=0.01) as reader:
        card = reader.read_card(timeout=3)
        assert card is not None and card.nation == "藏"
        assert reader.read_card(timeout=0.2) is None  # same card, never left the field
        emu.remove_card()
        assert reader.read_card(timeout=0.1) is None  # the field is seen empty
        emu.place_card("tibetan")
        assert reader.read_card(timeout=3) == card


def test_noise_before_every_answer_is_skipped(emulator, reader) -> None:
    emulator.faults.garbage = bytes.fromhex("00 FF AA AA 96 13 AA")
    emulator.place_card("long_term")
    card = reader.read_card(timeout=3)
    assert card is not None and card.id_number == "11010519491231002X"


def test_one_bad_checksum_is_retried(emulator, reader) -> None:
    emulator.place_card("male")
    emulator.faults.bad_checksum = 1
    card = reader.read_card(timeout=3)
    assert card is not None and card.name == "张伟"
    assert reader.checksum_errors == 1


def test_persistent_bad_checksum_raises_never_wrong_data(emulator, reader) -> None:
    emulator.place_card("male")
    emulator.faults.bad_checksum = -1
    with pytest.raises(SamChecksumError, match="checksum"):
        reader.read_card(timeout=3)


@pytest.mark.parametrize(
    ("fault", "status", "words"),
    [("select_status", 0x81, "select card failed"), ("read_status", 0x41, "read card failed")],
)
def test_error_status_raises_with_its_meaning(emulator, reader, fault, status, words) -> None:
    emulator.place_card("male")
    setattr(emulator.faults, fault, status)
    with pytest.raises(SamStatusError, match=words) as info:
        reader.read_card(timeout=3)
    assert info.value.sw3 == status


def test_slow_module_is_bounded_by_the_timeout(emulator, reader) -> None:
    emulator.place_card("male")
    emulator.faults.delay_s = 5.0
    t0 = time.monotonic()
    assert reader.read_card(timeout=0.2) is None
    assert time.monotonic() - t0 < 2.0  # far below the 5 s the module would take


def test_unplugged_module_gives_none_and_no_answer(emulator, reader) -> None:
    emulator.unplug()
    emulator.place_card("male")
    assert reader.read_card(timeout=0.2) is None
    assert not reader.answered
    assert reader.sam_status(timeout=0.1) is False
    emulator.replug()
    assert reader.sam_status(timeout=2) is True
    assert reader.read_card(timeout=3) is not None


def test_missing_port_is_a_port_error(tmp_path) -> None:
    with pytest.raises(SamPortError, match="unavailable"):
        SamReader(str(tmp_path / "no-such-tty"))


def test_port_that_vanishes_is_a_port_error() -> None:
    emu = EmulatedSamReader()
    reader = SamReader(emu.port_name)
    emu.close()  # the pty disappears under the driver
    with pytest.raises(SamPortError):
        reader.read_card(timeout=1)
    reader.close()
