"""``IdCardDevice``: the worker thread, callbacks and statuses, on the emulated module."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from drivers.base import DeviceStatus
from drivers.idcard import IdCardDevice
from drivers.idcard.emulated import EmulatedSamReader
from drivers.problem import Problem
from tests.helpers.devices import Recorder, StatusRecorder


@pytest.fixture
def emulator() -> Iterator[EmulatedSamReader]:
    emu = EmulatedSamReader()
    yield emu
    emu.close()


@pytest.fixture
def device(emulator: EmulatedSamReader) -> Iterator[tuple[IdCardDevice, StatusRecorder]]:
    dev = IdCardDevice(emulator.port_name, read_timeout=0.2, health_interval=0.1)
    statuses = StatusRecorder()
    dev.publisher.add_listener(statuses)
    dev.start()
    yield dev, statuses
    dev.stop()
    assert not dev.running


def test_armed_device_emits_the_card_once(emulator, device) -> None:
    dev, statuses = device
    statuses.wait_for(DeviceStatus.READY)
    cards = Recorder()
    dev.on_card(cards)
    dev.arm()
    emulator.place_card("long_term")
    card = cards.get(timeout=5)
    assert card.id_number == "11010519491231002X"
    cards.assert_nothing(within=0.3)  # left on the reader: not emitted again


def test_disarmed_device_does_not_read(emulator, device) -> None:
    dev, statuses = device
    statuses.wait_for(DeviceStatus.READY)
    cards = Recorder()
    dev.on_card(cards)
    emulator.place_card("male")
    cards.assert_nothing(within=0.3)
    dev.arm()
    assert cards.get(timeout=5).name == "张伟"


def test_read_fault_goes_to_on_error_and_the_worker_carries_on(emulator, device) -> None:
    dev, statuses = device
    statuses.wait_for(DeviceStatus.READY)
    errors, cards = Recorder(), Recorder()
    dev.on_error(errors)
    dev.on_card(cards)
    emulator.faults.read_status = 0x41
    emulator.place_card("male")
    dev.arm()
    problem = errors.get(timeout=5)
    assert problem.code == "idcard.status" and problem.param("status")  # the reader's own code
    emulator.faults.read_status = None
    assert cards.get(timeout=5).name == "张伟"
    assert dev.running


def test_unplugged_reader_goes_offline_while_idle(emulator, device) -> None:
    dev, statuses = device
    statuses.wait_for(DeviceStatus.READY)
    emulator.unplug()
    event = statuses.wait_for(DeviceStatus.OFFLINE)
    assert event.problem == Problem.of("idcard.no_answer")
    dev.stop()
    assert not dev.running


def test_unplugged_reader_goes_offline_while_armed(emulator, device) -> None:
    dev, statuses = device
    statuses.wait_for(DeviceStatus.READY)
    dev.arm()
    emulator.unplug()
    statuses.wait_for(DeviceStatus.OFFLINE)


def test_missing_port_is_offline(tmp_path) -> None:
    dev = IdCardDevice(str(tmp_path / "ttyNONE"))
    statuses = StatusRecorder()
    dev.publisher.add_listener(statuses)
    dev.start()
    event = statuses.wait_for(DeviceStatus.OFFLINE)
    assert event.problem == Problem.of("idcard.offline") and "ttyNONE" in event.detail
    dev.stop()


def test_callback_exception_does_not_kill_the_worker(emulator, device) -> None:
    dev, statuses = device
    statuses.wait_for(DeviceStatus.READY)
    got = threading.Event()

    def broken(card: object) -> None:
        got.set()
        raise RuntimeError("consumer bug")

    dev.on_card(broken)
    dev.arm()
    emulator.place_card("male")
    assert got.wait(5)
    emulator.remove_card()
    later = Recorder()
    dev.on_card(later)
    emulator.place_card("tibetan")
    assert later.get(timeout=5).nation == "藏"
