"""Diagnostics mode on a whole kiosk with emulated devices: the PIN gate, leaving cleanly,
and the screens that show what the devices deliver."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QPushButton
from pytestqt.qtbot import QtBot

from kiosk.flow.states import Screen
from tests.helpers.diagnostics import DiagKiosk

pytestmark = pytest.mark.timeout(60)


@pytest.fixture
def kiosk(qapp: QApplication) -> Iterator[DiagKiosk]:
    k = DiagKiosk.build(qapp)
    yield k
    k.close()


def click(qtbot: QtBot, widget) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def test_the_gesture_opens_the_pin_screen_and_cancel_returns_to_attract(kiosk, qtbot) -> None:
    kiosk.session.identify.begin("scan")  # a half-done customer session under the gesture
    assert kiosk.session.screen is not Screen.ATTRACT
    kiosk.gui.window.diagnosticsRequested.emit()
    assert kiosk.mode.is_open and not kiosk.mode.isHidden()
    assert kiosk.mode.stack.currentWidget() is kiosk.mode.pin
    assert kiosk.mode.geometry() == kiosk.gui.window.rect()  # covers the whole window
    with qtbot.waitSignal(kiosk.mode.closed):
        click(qtbot, kiosk.mode.pin.cancel)
    assert kiosk.mode.isHidden()
    assert kiosk.session.screen is Screen.ATTRACT


def test_wrong_pins_say_attempts_left_then_lock_and_the_right_pin_is_refused(kiosk, qtbot) -> None:
    pin = kiosk.mode.pin
    kiosk.gui.window.diagnosticsRequested.emit()
    kiosk.type_pin(qtbot, "1111")
    assert pin.field.echoMode() == pin.field.EchoMode.Password
    assert pin.field.text() == ""  # cleared after each attempt
    assert "2" in pin.message.text() and "attempt(s) left" in pin.message.text()
    kiosk.type_pin(qtbot, "2222")
    assert "1 attempt(s) left" in pin.message.text()
    kiosk.type_pin(qtbot, "3333")
    assert "locked until" in pin.message.text() and "锁定" in pin.message.text()
    kiosk.type_pin(qtbot, "246810")  # the right PIN, but locked
    assert "locked until" in pin.message.text()
    assert kiosk.mode.stack.currentWidget() is pin
    actions = [r["action"] for r in kiosk.mode.service.db.query(
        "SELECT action FROM audit_log ORDER BY seq")]
    assert actions == ["admin.pin_failed", "admin.pin_failed", "admin.pin_lockout",
                       "admin.pin_locked"]


def test_the_right_pin_opens_the_status_board(kiosk, qtbot) -> None:
    kiosk.unlock(qtbot)
    assert kiosk.mode.stack.currentWidget() is kiosk.mode.screens
    board = kiosk.mode.pages["board"]
    qtbot.waitUntil(lambda: len(board.checks) == 6, timeout=10000)
    assert board.state("platform") == "ok"
    names = [board.table.item(r, 0).text() for r in range(board.table.rowCount())]
    assert names[:4] == ["打印机 Printer", "扫码器 Scanner", "身份证阅读器 ID reader", "摄像头 Camera"]
    assert any("Platform" in n for n in names)


def test_leaving_returns_to_attract_with_nothing_left_open(kiosk, qtbot) -> None:
    before = len(kiosk.devices._listeners)
    printer_listeners = len(kiosk.devices.printer.publisher._listeners)
    kiosk.unlock(qtbot)
    assert len(kiosk.devices._listeners) == before + 1  # the board listens live
    kiosk.mode.show_page("printer")
    kiosk.mode.show_page("scanner")
    assert kiosk.mode.service.taps.scanner_sink is not None
    kiosk.mode.show_page("camera")
    camera = kiosk.mode.pages["camera"]
    qtbot.waitUntil(lambda: camera.previews > 0, timeout=10000)  # the preview runs
    kiosk.mode.show_page("idcard")
    click(qtbot, kiosk.mode.pages["idcard"].read)
    assert kiosk.devices.idcard.armed
    with qtbot.waitSignal(kiosk.mode.closed):
        click(qtbot, kiosk.mode.exit_button)
    assert kiosk.session.screen is Screen.ATTRACT
    assert kiosk.mode.isHidden() and not kiosk.mode.is_open
    assert not kiosk.devices.idcard.armed
    assert not kiosk.mode.service.taps.active  # no scanner, card or preview tap
    assert len(kiosk.devices._listeners) == before
    assert len(kiosk.devices.printer.publisher._listeners) == printer_listeners
    assert not camera.fps_timer.isActive() and not kiosk.mode.pages["idcard"].timer.isActive()
    seen = camera.previews
    kiosk.emulators.camera.wait_frames(5)
    kiosk.settle(qtbot)
    qtbot.wait(50)  # let any queued preview signal arrive: it must be ignored
    assert camera.previews == seen
    assert kiosk.mode.stack.currentWidget() is kiosk.mode.pin  # next time: the PIN again


def test_scanner_screen_shows_raw_bytes_in_hex_and_text(kiosk, qtbot) -> None:
    kiosk.unlock(qtbot)
    kiosk.mode.show_page("scanner")
    log = kiosk.mode.pages["scanner"].log
    kiosk.emulators.scanner.send_raw(b"AB\x1b\r\n")
    qtbot.waitUntil(lambda: "DROP" in log.toPlainText(), timeout=10000)
    text = log.toPlainText()
    raw = [line.split("RAW", 1)[1].split("|")[0].split() for line in text.splitlines()
           if "  RAW  " in line]
    assert [b for chunk in raw for b in chunk] == ["41", "42", "1B", "0D", "0A"]  # in chunks
    assert "\\x1b" in text and "\x1b" not in text  # the control byte is shown, never sent on
    kiosk.emulators.scanner.scan("ORDER-9")
    qtbot.waitUntil(lambda: "CODE  ORDER-9" in log.toPlainText(), timeout=10000)
    # The bridge's queued slot ran before the tap's posted event: the technician's test
    # scans never reached the customer session underneath (no bad-QR screen there).
    assert kiosk.session.screen is Screen.ATTRACT


def test_id_reader_test_read_shows_the_card_masked(kiosk, qtbot) -> None:
    kiosk.unlock(qtbot)
    kiosk.mode.show_page("idcard")
    page = kiosk.mode.pages["idcard"]
    click(qtbot, page.read)
    kiosk.emulators.idcard.place_card("long_term")
    qtbot.waitUntil(lambda: page.table.rowCount() > 0, timeout=10000)
    shown = " ".join(page.table.item(r, 1).text() for r in range(page.table.rowCount()))
    assert "1101**********002X" in shown
    assert "11010519491231002X" not in shown
    assert not kiosk.devices.idcard.armed  # disarmed after the read
    assert kiosk.session.screen is Screen.ATTRACT  # the card never reached the session


def test_camera_screen_outlines_decoded_codes_and_shows_rates(kiosk, qtbot) -> None:
    kiosk.unlock(qtbot)
    kiosk.emulators.camera.show_code("ORD-CAM-1")
    kiosk.mode.show_page("camera")
    page = kiosk.mode.pages["camera"]
    qtbot.waitUntil(lambda: any(t == "ORD-CAM-1" for t, _ in page.found), timeout=10000)
    corners = dict(page.found)["ORD-CAM-1"]
    assert len(corners) == 4
    qtbot.waitUntil(lambda: page.camera_fps > 0, timeout=5000)
    assert "fps" in page.stats.text() and "ms" in page.stats.text()
    assert page.view.pixmap() is not None and not page.view.pixmap().isNull()


def test_config_screen_hides_secrets(kiosk, qtbot) -> None:
    kiosk.unlock(qtbot)
    kiosk.mode.show_page("config")
    table = kiosk.mode.pages["config"].table
    qtbot.waitUntil(lambda: table.rowCount() > 10, timeout=10000)
    rows = {table.item(r, 0).text(): table.item(r, 1).text() for r in range(table.rowCount())}
    assert rows["admin.pin_hash"] == "***"
    assert not any("scrypt$" in v for v in rows.values())


def test_system_screen_lists_versions_disk_and_serial_ports(kiosk, qtbot) -> None:
    kiosk.unlock(qtbot)
    kiosk.mode.show_page("system")
    page = kiosk.mode.pages["system"]
    qtbot.waitUntil(lambda: page.table.rowCount() > 5 and page.ports.rowCount() > 0,
                    timeout=10000)
    text = " ".join(page.table.item(r, c).text() for r in range(page.table.rowCount())
                    for c in range(2))
    for part in ("kiosk", "python", "Qt", "PySide6", "zxing-cpp", "OpenCV", "free", "uptime"):
        assert part.lower() in text.lower(), part


def test_logs_screen_filters_by_level(kiosk, qtbot, tmp_path) -> None:
    import json

    folder = kiosk.gui.core.config.data_path / "logs"
    folder.mkdir(parents=True, exist_ok=True)
    lines = [{"ts": f"2026-01-01T00:00:0{i}+00:00", "level": lvl, "event": ev, "msg": f"m{i}"}
             for i, (lvl, ev) in enumerate([("INFO", "device.status"), ("WARNING", "admin.x"),
                                            ("ERROR", "device.lost")])]
    (folder / "kiosk.jsonl").write_text("\n".join(json.dumps(x) for x in lines) + "\n")
    kiosk.unlock(qtbot)
    kiosk.mode.show_page("logs")
    page = kiosk.mode.pages["logs"]
    qtbot.waitUntil(lambda: page.table.rowCount() == 3, timeout=10000)
    assert page.table.item(0, 3).text() == "m2"  # newest first
    with kiosk.job(qtbot, "logs"):
        click(qtbot, page.levels.button(2))  # WARNING and up
    assert [page.table.item(r, 3).text() for r in range(page.table.rowCount())] == ["m2", "m1"]
    page.event_field.setText("device.*")
    with kiosk.job(qtbot, "logs"):
        click(qtbot, page.refresh_button)
    assert [page.table.item(r, 3).text() for r in range(page.table.rowCount())] == ["m2"]
    preset = page.findChild(QPushButton, "log_preset_admin")
    with kiosk.job(qtbot, "logs"):
        click(qtbot, preset)  # a preset, no typing needed
    assert page.event_field.text() == "admin.*"
    assert [page.table.item(r, 3).text() for r in range(page.table.rowCount())] == ["m1"]


def test_outbox_shows_unfinished_requests_and_retry_asks_the_platform_first(kiosk, qtbot) -> None:
    import datetime as dt

    from kiosk.model import RequestStatus
    from tests.helpers.platform import make_request

    core = kiosk.gui.core
    request = make_request("ORD-DIAG-1")
    now = dt.datetime.now(dt.UTC)
    core.issuing.outbox.record(request, now)
    core.issuing.outbox.set_status(request.request_id, RequestStatus.SENT, now, attempt=True)
    core.gateway.faults.set(unavailable=True)  # the answer was lost, the platform is down
    kiosk.unlock(qtbot)
    kiosk.mode.show_page("platform")
    page = kiosk.mode.pages["platform"]
    qtbot.waitUntil(lambda: page.table.rowCount() == 1, timeout=10000)
    assert page.table.item(0, 0).text() == request.request_id
    assert page.table.item(0, 2).text() == "ORD-DIAG-1"
    page.table.selectRow(0)
    with kiosk.job(qtbot, "outbox.retry"):
        click(qtbot, page.retry_button)
    assert page.message.text().startswith("unknown")  # asked, no answer: nothing re-sent
    core.gateway.faults.clear()
    kiosk.settle(qtbot)
    page.table.selectRow(0)
    with kiosk.job(qtbot, "outbox.retry"):
        click(qtbot, page.retry_button)
    assert page.message.text().startswith("issued")
    qtbot.waitUntil(lambda: page.table.rowCount() == 0, timeout=10000)
    assert [i.order_nos for i in core.issuing.outbox.entries((RequestStatus.ISSUED,))] == \
        [("ORD-DIAG-1",)]
    actions = [r["action"] for r in kiosk.mode.service.db.query("SELECT action FROM audit_log")]
    assert actions.count("admin.outbox_retry") == 2


def test_a_slow_printer_never_blocks_the_screens(kiosk, qtbot) -> None:
    kiosk.unlock(qtbot)
    kiosk.mode.show_page("printer")
    kiosk.settle(qtbot)
    kiosk.emulators.printer.set_slow(0.6)  # every answer late (still inside its 1 s timeout)
    page = kiosk.mode.pages["printer"]
    click(qtbot, page.test_page)
    assert not page.test_page.isEnabled()  # the job is on the pool...
    click(qtbot, kiosk.mode.nav_buttons["system"])  # ...and the screens still answer
    assert kiosk.mode.current == "system"
    assert kiosk.mode.runner.active >= 1  # while the print is still in hand
    kiosk.emulators.printer.set_slow(0)
    kiosk.settle(qtbot)
    assert b"TEST PAGE" in kiosk.emulators.printer.receipts[-1]


def test_every_screen_works_with_all_devices_turned_off(qapp, qtbot) -> None:
    off = {name: {"backend": "none"} for name in ("printer", "scanner", "idcard", "camera")}
    kiosk = DiagKiosk.build(qapp, devices=off)
    try:
        kiosk.unlock(qtbot)
        board = kiosk.mode.pages["board"]
        assert [board.state(n) for n in ("printer", "scanner", "idcard", "camera")] == ["ok"] * 4
        assert "disabled" in board.table.item(0, 2).text()
        for key in ("printer", "scanner", "idcard", "camera", "platform", "system", "config",
                    "logs"):
            kiosk.mode.show_page(key)
            kiosk.settle(qtbot)
        printer = kiosk.mode.pages["printer"]
        kiosk.mode.show_page("printer")
        with kiosk.job(qtbot, "printer.test_page"):
            click(qtbot, printer.test_page)
        assert "This kiosk has no printer" in printer.message.text()  # the catalogue's words
        with qtbot.waitSignal(kiosk.mode.closed):
            click(qtbot, kiosk.mode.exit_button)
    finally:
        kiosk.close()
