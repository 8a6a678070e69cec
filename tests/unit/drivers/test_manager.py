"""``DeviceManager`` on the emulated backends: wiring, statuses, reconnect, clean stop."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from typing import Any

import pytest

from drivers.base import DeviceStatus
from drivers.disabled import DisabledScanner
from drivers.manager import Backoff, DeviceManager
from drivers.problem import Problem
from drivers.serialport import PtyPair
from kiosk.config import config_from_dict
from tests.helpers.devices import Recorder, StatusRecorder, new_threads


def devices(**sections: dict[str, Any]) -> Any:
    return config_from_dict({"devices": sections}).devices


@pytest.fixture
def manager() -> Iterator[tuple[DeviceManager, StatusRecorder, set[threading.Thread]]]:
    before = set(threading.enumerate())
    mgr = DeviceManager(devices(), backoff_initial=0.05, backoff_max=0.2, printer_poll_s=0.2,
                        idcard_health_s=0.1, emulated_camera_fps=60)
    statuses = StatusRecorder()
    mgr.add_listener(statuses)
    mgr.start()
    yield mgr, statuses, before
    mgr.stop()
    leftover = new_threads(before)
    assert not leftover, f"threads left running: {leftover}"


def wait_all_ready(statuses: StatusRecorder, names: set[str]) -> None:
    pending = set(names)
    while pending:
        event = statuses.get(timeout=10)
        if event.status == DeviceStatus.READY:
            pending.discard(event.device)


def test_emulated_devices_work_end_to_end(manager) -> None:
    mgr, statuses, _ = manager
    wait_all_ready(statuses, {"scanner", "idcard", "camera", "printer"})
    assert {k: v.status for k, v in mgr.statuses().items()} == {
        "printer": DeviceStatus.READY, "scanner": DeviceStatus.READY,
        "idcard": DeviceStatus.READY, "camera": DeviceStatus.READY}

    codes, cards, camera_codes = Recorder(), Recorder(), Recorder()
    mgr.scanner.on_code(codes)
    mgr.idcard.on_card(cards)
    mgr.camera.on_code(camera_codes)

    mgr.emulators.scanner.scan("ORD-42")
    assert codes.get() == "ORD-42"
    mgr.idcard.arm()
    mgr.emulators.idcard.place_card("long_term")
    assert cards.get().id_number == "11010519491231002X"
    mgr.emulators.camera.show_code("CAM-7")
    assert camera_codes.get() == "CAM-7"
    assert mgr.emulators.printer is mgr.printer


def test_scanner_reconnects_after_an_unplug(manager) -> None:
    mgr, statuses, _ = manager
    statuses.wait_for(DeviceStatus.READY, "scanner")
    codes = Recorder()
    mgr.scanner.on_code(codes)
    mgr.emulators.scanner.unplug()
    statuses.wait_for(DeviceStatus.OFFLINE, "scanner")
    mgr.emulators.scanner.replug()
    statuses.wait_for(DeviceStatus.READY, "scanner")
    assert mgr.reconnect_attempts["scanner"] >= 1
    mgr.emulators.scanner.scan("AFTER-REPLUG")
    assert codes.get() == "AFTER-REPLUG"


def test_idcard_reader_reconnects_after_an_unplug(manager) -> None:
    mgr, statuses, _ = manager
    statuses.wait_for(DeviceStatus.READY, "idcard")
    mgr.emulators.idcard.unplug()
    statuses.wait_for(DeviceStatus.OFFLINE, "idcard")
    mgr.emulators.idcard.replug()
    statuses.wait_for(DeviceStatus.READY, "idcard")


def test_camera_reconnects_after_an_unplug(manager) -> None:
    mgr, statuses, _ = manager
    statuses.wait_for(DeviceStatus.READY, "camera")
    mgr.emulators.camera.unplug()
    statuses.wait_for(DeviceStatus.OFFLINE, "camera")
    mgr.emulators.camera.replug()
    statuses.wait_for(DeviceStatus.READY, "camera")


def test_serial_scanner_that_appears_later_is_picked_up(tmp_path) -> None:
    link = tmp_path / "ttyKioskScanner"
    mgr = DeviceManager(
        devices(scanner={"backend": "serial", "url": str(link), "baudrate": 115200},
                printer={"backend": "none"}, idcard={"backend": "none"},
                camera={"backend": "none"}),
        backoff_initial=0.02, backoff_max=0.1)
    statuses = StatusRecorder()
    mgr.add_listener(statuses)
    before = set(threading.enumerate())
    pty: PtyPair | None = None
    mgr.start()
    try:
        statuses.wait_for(DeviceStatus.OFFLINE, "scanner")
        pty = PtyPair(link)  # the device is plugged in: its udev-style link appears
        statuses.wait_for(DeviceStatus.READY, "scanner")
        codes = Recorder()
        mgr.scanner.on_code(codes)
        pty.write(b"LATE\r\n")
        assert codes.get() == "LATE"
    finally:
        mgr.stop()
        if pty is not None:
            pty.close()
    assert not new_threads(before)


def test_none_backends_are_disabled_and_start_no_threads() -> None:
    before = set(threading.enumerate())
    mgr = DeviceManager(devices(printer={"backend": "none"}, scanner={"backend": "none"},
                                idcard={"backend": "none"}, camera={"backend": "none"}))
    mgr.start()
    statuses = {k: v.status for k, v in mgr.statuses().items()}
    assert statuses == dict.fromkeys(("printer", "scanner", "idcard", "camera"),
                                     DeviceStatus.DISABLED)
    assert mgr.emulators.scanner is None and mgr.emulators.idcard is None
    future = mgr.printer_worker.submit_print([])  # a worker exists: it refuses the job
    with pytest.raises(Exception, match="turned off"):
        future.result(timeout=5)
    mgr.stop()
    assert not new_threads(before)


def test_serial_backend_without_url_is_an_error_with_a_message() -> None:
    mgr = DeviceManager(devices(printer={"backend": "none"}, scanner={"backend": "serial"},
                                idcard={"backend": "serial"}, camera={"backend": "none"}))
    assert isinstance(mgr.scanner, DisabledScanner)
    scanner, idcard = mgr.statuses()["scanner"], mgr.statuses()["idcard"]
    assert scanner.status == idcard.status == DeviceStatus.ERROR
    assert (scanner.problem, idcard.problem) == (Problem.of("scanner.no_port"),
                                                 Problem.of("idcard.no_port"))
    assert "devices.scanner.url" in scanner.message
    assert "devices.idcard.url" in idcard.message
    mgr.stop()


def test_stop_removes_the_emulators_device_links() -> None:
    mgr = DeviceManager(devices(printer={"backend": "none"}, camera={"backend": "none"}))
    link = mgr.emulators.scanner.device_path
    assert os.path.islink(link)
    mgr.start()
    mgr.stop()
    assert not os.path.exists(link)


def test_backoff_doubles_up_to_the_cap_and_resets() -> None:
    b = Backoff(0.5, 4.0)
    assert [b.next_delay() for _ in range(6)] == [0.5, 1.0, 2.0, 4.0, 4.0, 4.0]
    b.reset()
    assert b.next_delay() == 0.5


def test_wedge_backend_without_a_wedge_factory_is_an_error() -> None:
    """drivers import no Qt: the wedge (ui.wedge.WedgeScanner) is handed in by the app."""
    mgr = DeviceManager(devices(printer={"backend": "none"}, scanner={"backend": "wedge"},
                                idcard={"backend": "none"}, camera={"backend": "none"}))
    event = mgr.statuses()["scanner"]
    assert event.status == DeviceStatus.ERROR
    assert event.problem == Problem.of("scanner.needs_qt")
    mgr.stop()
