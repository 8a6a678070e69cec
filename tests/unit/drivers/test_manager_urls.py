"""The manager opens each device through its URL's scheme; emulated faults come from settings."""

from __future__ import annotations

from typing import Any

from drivers.base import DeviceStatus
from drivers.disabled import DisabledCamera
from drivers.manager import DeviceManager
from drivers.printer.emulated import EmulatedPrinter
from drivers.problem import Problem
from kiosk.config import config_from_dict


def devices(**sections: dict[str, Any]) -> Any:
    off = {"backend": "none"}
    return config_from_dict({"devices": {"printer": off, "scanner": off, "idcard": off,
                                         "camera": off, **sections}}).devices


def test_urls_name_each_devices_transport() -> None:
    mgr = DeviceManager(devices(printer={"backend": "emulated", "url": "paper=near_end"},
                                scanner={"backend": "serial", "url": "/dev/kiosk-scanner"}))
    try:
        assert mgr.urls() == {"printer": "emulated:?paper=near_end",
                              "scanner": "serial:/dev/kiosk-scanner", "idcard": "none:",
                              "camera": "none:"}
        assert isinstance(mgr.printer, EmulatedPrinter) and mgr.emulators.printer is mgr.printer
        assert mgr.printer.status().status is DeviceStatus.PAPER_LOW  # the fault, from settings
    finally:
        mgr.stop()


def test_a_bad_emulated_fault_is_a_config_error_not_a_crash() -> None:
    mgr = DeviceManager(devices(printer={"backend": "emulated", "url": "paper=soggy"}))
    event = mgr.statuses()["printer"]
    assert event.status is DeviceStatus.ERROR
    assert event.problem == Problem.of("printer.config_error") and "soggy" in event.detail
    mgr.stop()


def test_a_missing_decoder_format_for_pyzbar_is_a_camera_error() -> None:
    mgr = DeviceManager(devices(camera={"backend": "emulated", "decoder": "pyzbar",
                                        "formats": "qr,data_matrix"}))
    assert isinstance(mgr.camera, DisabledCamera)
    assert mgr.statuses()["camera"].problem == Problem.of("camera.decoder_unavailable")
    mgr.stop()
