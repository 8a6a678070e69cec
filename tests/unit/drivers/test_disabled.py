"""Per-capability stand-ins for devices that are off: the contract kept, one status, no threads."""

from __future__ import annotations

import threading

from drivers.base import DeviceStatus
from drivers.contract import CardReading, Device, Frames, Scanning
from drivers.disabled import DisabledCamera, DisabledCardReader, DisabledScanner
from drivers.printer.factory import DisabledPrinter
from drivers.printer.interface import Printer
from drivers.problem import Problem


def test_each_stand_in_keeps_its_capability_contract_only() -> None:
    scanner = DisabledScanner(DeviceStatus.DISABLED, Problem.of("scanner.disabled"))
    reader = DisabledCardReader(DeviceStatus.ERROR, Problem.of("idcard.no_port"), "no url")
    camera = DisabledCamera(DeviceStatus.DISABLED, Problem.of("camera.disabled"))
    assert isinstance(scanner, Scanning) and not isinstance(scanner, CardReading)
    assert isinstance(reader, CardReading) and not isinstance(reader, Frames)
    assert isinstance(camera, Frames) and not isinstance(camera, Scanning)
    assert isinstance(DisabledPrinter(), Printer)
    for device in (scanner, reader, camera):
        assert isinstance(device, Device) and not device.running
    assert reader.publisher.status.problem == Problem.of("idcard.no_port")
    assert reader.publisher.status.detail == "no url"


def test_stand_ins_start_no_threads_and_never_call_back() -> None:
    before = set(threading.enumerate())
    reader = DisabledCardReader(DeviceStatus.DISABLED, Problem.of("idcard.disabled"))
    calls: list[object] = []
    reader.on_card(calls.append)
    reader.on_error(calls.append)
    reader.start()
    reader.arm()
    reader.stop()
    assert calls == [] and set(threading.enumerate()) == before
