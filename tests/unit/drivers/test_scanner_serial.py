"""The real ``SerialScanner`` reading from the emulated scanner over a real pty."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from drivers.base import DeviceStatus
from drivers.problem import Problem
from drivers.scanner import EmulatedScanner, Rejected, SerialScanner
from tests.helpers.devices import Recorder, StatusRecorder


class Rig:
    def __init__(self, **framing: str) -> None:
        self.emulator = EmulatedScanner(**framing)
        self.scanner = SerialScanner(self.emulator.port_name, baudrate=9600, **framing)
        self.codes, self.errors, self.statuses = Recorder(), Recorder(), StatusRecorder()
        self.scanner.on_code(self.codes)
        self.scanner.on_error(self.errors)
        self.scanner.publisher.add_listener(self.statuses)
        self.scanner.start()

    def close(self) -> None:
        self.scanner.stop()
        self.emulator.close()


@pytest.fixture
def rig() -> Iterator[Rig]:
    r = Rig()
    yield r
    r.close()


def test_scanned_codes_arrive_in_order(rig: Rig) -> None:
    rig.statuses.wait_for(DeviceStatus.READY)
    rig.emulator.scan("https://example.invalid/o/ORD-20260101-0001?sig=abc")
    rig.emulator.scan("$01base64$")
    rig.emulator.scan("发票抬头")
    assert rig.codes.get() == "https://example.invalid/o/ORD-20260101-0001?sig=abc"
    assert rig.codes.get() == "$01base64$"
    assert rig.codes.get() == "发票抬头"


@pytest.mark.parametrize("framing", [{"suffix": "\r"}, {"suffix": "\n"},
                                     {"prefix": "STX", "suffix": "ETX"}])
def test_prefix_and_suffix_settings(framing: dict[str, str]) -> None:
    r = Rig(**framing)
    try:
        r.emulator.scan("CODE-1")
        r.emulator.scan("CODE-2")
        assert [r.codes.get(), r.codes.get()] == ["CODE-1", "CODE-2"]
    finally:
        r.close()


def test_garbage_is_reported_and_dropped_the_worker_lives_on(rig: Rig) -> None:
    rig.emulator.send_raw(b"\xff\xfe\xfd\r\n")
    rig.emulator.send_raw(b"\x00\x01\x02\r\n")
    rig.emulator.send_raw(b"A" * 5000)
    rig.emulator.send_raw(b"\r\n")
    rig.emulator.scan("AFTER")
    reasons = [rig.errors.get().reason for _ in range(3)]
    assert reasons == ["not_utf8", "control_chars", "too_long"]
    assert all(isinstance(e, Rejected) for e in rig.errors.history)
    assert rig.codes.get() == "AFTER"
    assert rig.scanner.running


def test_unplug_gives_offline_and_start_reconnects_after_replug(rig: Rig) -> None:
    rig.statuses.wait_for(DeviceStatus.READY)
    rig.emulator.unplug()
    event = rig.statuses.wait_for(DeviceStatus.OFFLINE)
    assert event.problem == Problem.of("scanner.lost")
    rig.emulator.replug()
    rig.scanner.url = rig.emulator.port_name  # a fresh pty (the manager uses a stable link)
    rig.scanner.start()
    rig.statuses.wait_for(DeviceStatus.READY)
    rig.emulator.scan("BACK")
    assert rig.codes.get() == "BACK"


def test_missing_port_is_offline_not_an_exception(tmp_path) -> None:
    scanner = SerialScanner(str(tmp_path / "ttyGONE"))
    statuses = StatusRecorder()
    scanner.publisher.add_listener(statuses)
    scanner.start()
    assert statuses.wait_for(DeviceStatus.OFFLINE).problem == Problem.of("scanner.offline")
    assert not scanner.running
    scanner.stop()


def test_stop_joins_the_reader_thread(rig: Rig) -> None:
    rig.statuses.wait_for(DeviceStatus.READY)
    rig.scanner.stop()
    assert not rig.scanner.running
    rig.statuses.assert_nothing(within=0.1)  # a deliberate stop is not OFFLINE


def test_callback_exception_does_not_kill_the_reader(rig: Rig) -> None:
    def broken(code: str) -> None:
        raise RuntimeError("consumer bug")

    rig.scanner.on_code(broken)
    rig.emulator.scan("ONE")
    rig.emulator.scan("TWO")
    assert [rig.codes.get(), rig.codes.get()] == ["ONE", "TWO"]
    assert rig.scanner.running


def test_port_error_outside_read_still_ends_offline() -> None:
    """An ioctl OSError (USB adapter pulled) must not kill the reader silently."""
    from serial.urlhandler.protocol_loop import Serial as LoopSerial

    from drivers.scanner.serial_scanner import _ReaderThread, _ScanProtocol

    class PulledAdapter(LoopSerial):
        @property
        def in_waiting(self) -> int:
            raise OSError(5, "Input/output error")

    scanner = SerialScanner("loop://")
    statuses = StatusRecorder()
    scanner.publisher.add_listener(statuses)
    port = PulledAdapter("loop://", timeout=None)
    reader = _ReaderThread(port, lambda: _ScanProtocol(scanner))
    reader.start()
    reader.join(5)
    assert not reader.is_alive()
    assert statuses.wait_for(DeviceStatus.OFFLINE).device == "scanner"
    port.close()
