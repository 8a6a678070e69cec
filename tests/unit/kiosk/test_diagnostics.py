"""``kiosk.diagnostics`` without Qt: helpers, the service over emulated devices and the sandbox."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from typing import Any

import pytest

from drivers.base import DeviceStatus
from drivers.idcard.emulated import DEMO_CARDS
from drivers.manager import DeviceManager
from drivers.printer import DisabledPrinter, EmulatedPrinter
from drivers.printer.ops import Cut, Text
from kiosk.admin import GateOutcome
from kiosk.config import config_from_dict
from kiosk.diagnostics import (
    DiagnosticsService,
    apply_printer_encoding,
    flatten,
    hex_and_text,
    masked_card,
)
from kiosk.overrides import overrides
from kiosk.platform.factory import build_gateway
from kiosk.storage import open_database
from tests.helpers.devices import Recorder, StatusRecorder

pytestmark = pytest.mark.timeout(60)


@pytest.fixture
def rig() -> Iterator[tuple[DiagnosticsService, DeviceManager, Any]]:
    cfg = config_from_dict({"mail": {"backend": "maildir"}})
    open_database(cfg.data_path / "kiosk.db").conn.close()  # migrated, as the app leaves it
    devices = DeviceManager(cfg.devices, backoff_initial=0.05, backoff_max=0.2,
                            printer_poll_s=0.1, idcard_health_s=0.1, emulated_camera_fps=30)
    gateway = build_gateway(cfg)
    service = DiagnosticsService(cfg, devices, gateway=gateway)
    devices.start()
    yield service, devices, gateway
    service.close()
    devices.stop()
    close = getattr(gateway, "close", None)
    if close:
        close()


def test_hex_and_text_escapes_control_bytes_and_bad_utf8() -> None:
    assert hex_and_text(b"AB\x1b\r\n") == ("41 42 1B 0D 0A", "AB\\x1b\\r\\n")
    hexed, text = hex_and_text("发".encode() + b"\xff")
    assert hexed == "E5 8F 91 FF" and text == "发\ufffd"


def test_masked_card_hides_name_id_birth_and_address() -> None:
    card = DEMO_CARDS["long_term"]
    shown = dict(masked_card(card))
    text = " ".join(shown.values())
    assert card.id_number not in text and card.name not in text and card.address not in text
    assert shown["公民身份号码 ID number"] == card.id_number[:4] + "*" * 10 + card.id_number[-4:]
    assert shown["出生 Birth"].endswith("-**-**")


def test_flatten_gives_dotted_keys() -> None:
    assert flatten({"a": {"b": 1, "c": {"d": "x"}}, "e": True}) == [
        ("a.b", "1"), ("a.c.d", "x"), ("e", "True")]


def test_apply_printer_encoding_changes_the_next_job_only() -> None:
    printer = EmulatedPrinter(encoding="GB18030")
    printer.print_ops([Text("发票"), Cut()])
    assert apply_printer_encoding(printer, "UTF-8") is True
    printer.print_ops([Text("发票"), Cut()])
    assert "发票".encode("gb18030") in printer.receipts[0]
    assert "发票".encode() in printer.receipts[1]
    disabled = DisabledPrinter()
    assert apply_printer_encoding(disabled, "UTF-8") is True  # kept for when it is turned on
    assert disabled.encoding == "UTF-8"


def test_save_encoding_persists_applies_and_audits(rig) -> None:
    service, devices, _ = rig
    assert service.save_encoding("Big5") is True
    assert overrides(service.db) == {"devices.printer.encoding": "Big5"}
    assert devices.printer.encoding == "Big5"
    again = DiagnosticsService(service.config, devices, gateway=service.gateway)
    try:
        assert again.encoding == "Big5"  # survives a restart
    finally:
        again.close()
    with pytest.raises(ValueError):
        service.save_encoding("EBCDIC")
    assert overrides(service.db) == {"devices.printer.encoding": "Big5"}
    actions = [r["action"] for r in service.db.query("SELECT action FROM audit_log")]
    assert actions == ["admin.printer_encoding"]


def test_pin_attempts_go_through_the_gate(rig) -> None:
    service, _, _ = rig
    assert service.attempt_pin("0000").outcome is GateOutcome.WRONG
    assert service.attempt_pin("246810").outcome is GateOutcome.OPEN


def test_device_checks_follow_the_devices(rig) -> None:
    service, devices, _ = rig
    statuses = StatusRecorder()
    devices.add_listener(statuses)
    statuses.wait_for(DeviceStatus.READY, "printer")
    devices.emulators.printer.set_paper("out")
    statuses.wait_for(DeviceStatus.PAPER_OUT, "printer")
    checks = service.device_checks()
    assert [c.name for c in checks] == ["device printer", "device scanner", "device ID reader",
                                        "device camera"]
    assert checks[0].status == "fail" and "paper_out" in checks[0].detail


def test_health_checks_use_the_running_gateway_without_closing_it(rig) -> None:
    service, _, gateway = rig
    checks = service.health_checks()
    assert [c.name for c in checks] == ["platform", "outbox", "data dir", "database",
                                        "audit chain", "logs"]
    assert checks[0].status == "ok" and "quota" in checks[0].detail
    assert gateway.health().ok  # still usable: check_platform closed only the proxy


def test_printing_the_test_page_and_calibration(rig) -> None:
    service, devices, _ = rig
    service.print_test_page()
    assert b"TEST PAGE" in devices.emulators.printer.receipts[-1]
    service.print_calibration()
    page = devices.emulators.printer.receipts[-1]
    for number, name in enumerate(("GB18030", "GBK", "Big5", "UTF-8"), start=1):
        assert f"{number}. {name}:".encode() in page
    assert service.printed_image().width == 576  # 80 mm at 203 dpi


def test_log_entries_filter_and_keep_the_last(rig) -> None:
    service, _, _ = rig
    folder = service.config.data_path / "logs"
    folder.mkdir(parents=True, exist_ok=True)
    rows = [{"ts": f"2026-01-01T00:00:{i:02d}+00:00", "level": "ERROR" if i % 2 else "INFO",
             "event": f"device.e{i}", "msg": str(i)} for i in range(10)]
    (folder / "kiosk.jsonl").write_text("\n".join(map(json.dumps, rows)) + "\nnot json\n")
    assert [e["msg"] for e in service.log_entries(3)] == ["7", "8", "9"]
    assert [e["msg"] for e in service.log_entries(2, level="ERROR")] == ["7", "9"]
    assert [e["msg"] for e in service.log_entries(10, event="device.e4")] == ["4"]


def test_system_rows_and_serial_ports(rig) -> None:
    service, _, _ = rig
    text = " ".join(f"{k} {v}" for k, v in service.system_rows())
    for part in ("kiosk", "python", "PySide6", "zxing-cpp", "OpenCV", "free", "uptime"):
        assert part in text
    for device, ids, _desc in service.serial_ports():
        assert device.startswith("/dev/") and (ids == "" or ":" in ids)


def test_taps_forward_only_while_a_sink_is_set(rig) -> None:
    service, devices, _ = rig
    statuses = StatusRecorder()
    devices.add_listener(statuses)
    if devices.statuses()["scanner"].status is not DeviceStatus.READY:
        statuses.wait_for(DeviceStatus.READY, "scanner")
    got = Recorder()
    codes = Recorder()
    devices.scanner.on_code(codes)
    devices.emulators.scanner.scan("BEFORE")
    assert codes.get() == "BEFORE"
    got.assert_nothing(0.05)
    service.taps.scanner_sink = got
    devices.emulators.scanner.scan("DURING")
    kinds = set()
    while "code" not in kinds:
        item = got.get()
        kinds.add(item.kind)
    assert "raw" in kinds
    service.taps.clear()
    done = threading.Event()
    devices.scanner.on_code(lambda _t: done.set())
    devices.emulators.scanner.scan("AFTER")
    assert done.wait(5)
    assert all(i.data != b"AFTER" for i in got.history)
