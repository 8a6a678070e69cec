"""A technician finds and fixes each emulated fault from diagnostics mode alone.

Each test injects the fault through the emulators, sees it on the status
board, does the fix (for hardware faults the physical act, which on the
emulators is the matching emulator call), and sees the board READY again.
The wrong printer encoding is fixed on the printer screen: print the
calibration page, pick the readable block, save; the next receipt uses it.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from drivers.printer.ops import Cut, Text
from kiosk.overrides import overrides
from tests.helpers.diagnostics import DiagKiosk

pytestmark = pytest.mark.timeout(60)
WAIT = 10000


@pytest.fixture
def kiosk(qapp: QApplication, qtbot: QtBot) -> Iterator[DiagKiosk]:
    k = DiagKiosk.build(qapp)
    k.unlock(qtbot)
    board = k.mode.pages["board"]
    qtbot.waitUntil(lambda: all(board.state(n) == "ok"
                                for n in ("printer", "scanner", "idcard", "camera")), timeout=WAIT)
    yield k
    k.close()


def board_shows(qtbot: QtBot, kiosk: DiagKiosk, device: str, grade: str, word: str) -> None:
    board = kiosk.mode.pages["board"]
    qtbot.waitUntil(lambda: board.state(device) == grade, timeout=WAIT)
    row = ["printer", "scanner", "idcard", "camera"].index(device)
    assert word in board.table.item(row, 2).text()


def test_paper_out_is_seen_on_the_board_and_clears_after_a_reload(kiosk, qtbot) -> None:
    kiosk.emulators.printer.set_paper("out")
    board_shows(qtbot, kiosk, "printer", "fail", "paper_out")
    kiosk.mode.show_page("printer")
    page = kiosk.mode.pages["printer"]
    qtbot.waitUntil(lambda: "Paper out" in page.paper.text(), timeout=WAIT)
    with kiosk.job(qtbot, "printer.test_page"):
        qtbot.mouseClick(page.test_page, Qt.MouseButton.LeftButton)
    assert "Printing failed" in page.message.text()  # refused, and says why
    kiosk.emulators.printer.set_paper("ok")  # the technician loads a roll
    qtbot.waitUntil(lambda: "Paper OK" in page.paper.text(), timeout=WAIT)
    kiosk.mode.show_page("board")
    board_shows(qtbot, kiosk, "printer", "ok", "ready")


def test_unplugged_scanner_is_seen_and_ready_again_when_plugged_back(kiosk, qtbot) -> None:
    kiosk.emulators.scanner.unplug()
    board_shows(qtbot, kiosk, "scanner", "fail", "offline")
    kiosk.emulators.scanner.replug()  # the technician plugs the cable back in
    board_shows(qtbot, kiosk, "scanner", "ok", "ready")
    kiosk.mode.show_page("scanner")
    kiosk.emulators.scanner.scan("AFTER-FIX")
    log = kiosk.mode.pages["scanner"].log
    qtbot.waitUntil(lambda: "CODE  AFTER-FIX" in log.toPlainText(), timeout=WAIT)


def test_camera_gone_is_seen_and_ready_again_when_plugged_back(kiosk, qtbot) -> None:
    kiosk.emulators.camera.unplug()
    board_shows(qtbot, kiosk, "camera", "fail", "offline")
    kiosk.emulators.camera.replug()
    board_shows(qtbot, kiosk, "camera", "ok", "ready")
    kiosk.emulators.camera.show_code("CAM-BACK")
    kiosk.mode.show_page("camera")
    page = kiosk.mode.pages["camera"]
    qtbot.waitUntil(lambda: any(t == "CAM-BACK" for t, _ in page.found), timeout=WAIT)


def test_wrong_printer_encoding_is_fixed_by_calibration(kiosk, qtbot) -> None:
    emu = kiosk.emulators.printer
    emu.emulator.encoding = "UTF-8"  # the fault: this printer's firmware reads UTF-8
    worker = kiosk.devices.printer_worker
    worker.submit_print([Text("发票"), Cut()]).result(WAIT / 1000)
    assert "发票".encode("gb18030") in emu.receipts[-1]  # sent as GB18030: mojibake on paper

    kiosk.mode.show_page("printer")
    page = kiosk.mode.pages["printer"]
    assert page.chosen() == "GB18030" and not page.save.isEnabled()
    kiosk.settle(qtbot)
    with kiosk.job(qtbot, "printer.preview"):
        qtbot.mouseClick(page.calibrate, Qt.MouseButton.LeftButton)
    assert b"4. UTF-8:" in emu.receipts[-1]  # the calibration page was printed
    shown = emu.last_receipt_image()  # as this printer's firmware reads it
    assert page.printed is not None and page.printed.size().toTuple() == shown.size
    assert not page.preview.pixmap().isNull()  # and is previewed
    qtbot.mouseClick(page.choice_buttons["UTF-8"], Qt.MouseButton.LeftButton)
    assert page.save.isEnabled()
    with kiosk.job(qtbot, "printer.encoding"):
        qtbot.mouseClick(page.save, Qt.MouseButton.LeftButton)
    assert "UTF-8" in page.message.text() and "in use" in page.message.text()

    worker.submit_print([Text("发票"), Cut()]).result(WAIT / 1000)  # the next receipt
    assert "发票".encode() in emu.receipts[-1]
    assert "发票".encode("gb18030") not in emu.receipts[-1]
    assert overrides(kiosk.mode.service.db) == {"devices.printer.encoding": "UTF-8"}
    kiosk.mode.show_page("config")
    table = kiosk.mode.pages["config"].table
    qtbot.waitUntil(lambda: table.rowCount() > 10, timeout=WAIT)
    rows = {table.item(r, 0).text(): table.item(r, 1).text() for r in range(table.rowCount())}
    assert rows["devices.printer.encoding"].startswith("UTF-8")
    assert "override" in rows["devices.printer.encoding"]
