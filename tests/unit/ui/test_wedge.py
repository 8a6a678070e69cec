"""The keyboard-wedge event filter, fed by key events sent through the application."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLineEdit

from drivers.base import DeviceStatus
from tests.helpers.devices import Recorder
from ui.wedge import WedgeScanner


def send_keys(target: QLineEdit, text: str, start_ms: int, step_ms: int) -> int:
    t = start_ms
    for ch in text:
        if ch == "\r":
            event = QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_Return,
                              Qt.KeyboardModifier.NoModifier, "\r")
        else:
            event = QKeyEvent(QEvent.Type.KeyPress, 0, Qt.KeyboardModifier.NoModifier, ch)
        event.setTimestamp(t)
        QCoreApplication.sendEvent(target, event)
        t += step_ms
    return t


@pytest.fixture
def edit(qtbot) -> QLineEdit:
    widget = QLineEdit()
    qtbot.addWidget(widget)
    widget.show()
    widget.activateWindow()
    widget.setFocus()
    qtbot.waitUntil(widget.hasFocus)
    return widget


@pytest.fixture
def wedge(qtbot):
    scanner = WedgeScanner(min_length=4, max_interval_ms=30)
    scanner.start()
    yield scanner
    scanner.stop()


def test_fast_burst_is_a_scan_and_never_reaches_the_widget(qtbot, edit, wedge) -> None:
    codes = Recorder()
    wedge.on_code(codes)
    with qtbot.waitSignal(wedge.codeScanned, timeout=2000) as blocker:
        send_keys(edit, "ORD-0001\r", 10_000, 4)
    assert blocker.args == ["ORD-0001"]
    assert codes.get(timeout=1) == "ORD-0001"
    assert edit.text() == ""
    assert wedge.publisher.status.status == DeviceStatus.READY


def test_slow_typing_passes_through(qtbot, edit, wedge) -> None:
    with qtbot.assertNotEmitted(wedge.codeScanned, wait=100):
        send_keys(edit, "abc", 10_000, 200)
        qtbot.waitUntil(lambda: edit.text() == "abc", timeout=2000)


def test_short_fast_burst_with_enter_is_typing(qtbot, edit, wedge) -> None:
    returns = []
    edit.returnPressed.connect(lambda: returns.append(edit.text()))
    with qtbot.assertNotEmitted(wedge.codeScanned):
        send_keys(edit, "ok\r", 10_000, 3)
    assert edit.text() == "ok"
    assert returns == ["ok"]  # the Enter reached the widget after the held text


def test_held_keys_are_released_when_the_burst_goes_stale(qtbot, edit, wedge) -> None:
    send_keys(edit, "xy", 10_000, 3)  # fast, but no Enter follows
    assert edit.text() == ""  # held while it may still be a scan
    qtbot.waitUntil(lambda: edit.text() == "xy", timeout=2000)


def test_typing_then_scan_keeps_the_typing(qtbot, edit, wedge) -> None:
    t = send_keys(edit, "12", 10_000, 300)
    with qtbot.waitSignal(wedge.codeScanned, timeout=2000) as blocker:
        send_keys(edit, "QRCODE99\r", t + 300, 2)
    assert blocker.args == ["QRCODE99"]
    assert edit.text() == "12"


def test_stop_removes_the_filter(qtbot, edit, wedge) -> None:
    wedge.stop()
    with qtbot.assertNotEmitted(wedge.codeScanned):
        send_keys(edit, "ABCDEF\r", 10_000, 2)
    assert edit.text() == "ABCDEF"


def test_the_device_manager_opens_the_wedge_it_is_handed(qtbot) -> None:
    from drivers.manager import DeviceManager
    from kiosk.config import config_from_dict

    cfg = config_from_dict({"devices": {
        "printer": {"backend": "none"}, "scanner": {"backend": "wedge"},
        "idcard": {"backend": "none"}, "camera": {"backend": "none"}}}).devices
    mgr = DeviceManager(cfg, wedge=lambda interval_ms: WedgeScanner(max_interval_ms=interval_ms))
    mgr.start()
    try:
        assert isinstance(mgr.scanner, WedgeScanner)
        assert mgr.statuses()["scanner"].status == DeviceStatus.READY
        assert mgr.scanner.running
    finally:
        mgr.stop()
    assert not mgr.scanner.running
