"""The device simulator panel: each button drives the REAL emulator behind it.

The panel is built on a ``DeviceManager`` with every device emulated (not
started: the tests read the emulators' outputs directly). The scanner test
reads the bytes off the emulated scanner's pty with pyserial; the camera test
decodes the emulated frame with zxing-cpp.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import serial
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGroupBox
from pytestqt.qtbot import QtBot

from drivers.camera import make_decoder
from drivers.manager import DeviceManager, Emulators
from kiosk.config import DevicesConfig
from kiosk.demo import demo_orders
from kiosk.orderqr import OrderQrError, QrProblem, verify_order_qr
from kiosk.titleqr import TitleQrKind, parse_title_qr
from ui.simulator import GARBAGE, SimulatorPanel, default_samples, sample_codes

SECRET = "test-secret"


@pytest.fixture()
def manager() -> Iterator[DeviceManager]:
    # Frozen config vs the manager's settable Protocol members: a typing gap only.
    m = DeviceManager(DevicesConfig(), printer_poll_s=None)  # type: ignore[arg-type]
    yield m
    m.stop()


@pytest.fixture()
def panel(qtbot: QtBot, manager: DeviceManager) -> SimulatorPanel:
    import datetime as dt

    samples = sample_codes(demo_orders(dt.datetime(2026, 3, 2, 4, tzinfo=dt.UTC))[:2], SECRET)
    p = SimulatorPanel(manager, samples)
    qtbot.addWidget(p)
    return p


def _click(qtbot: QtBot, panel: SimulatorPanel, name: str) -> str:
    with qtbot.waitSignal(panel.acted) as blocker:
        qtbot.mouseClick(panel.buttons[name], Qt.MouseButton.LeftButton)
    return str(blocker.args[0])


def test_sample_codes_are_what_they_claim() -> None:
    import datetime as dt

    orders = demo_orders(dt.datetime(2026, 3, 2, 4, tzinfo=dt.UTC))[:2]
    codes = {c.kind: c for c in sample_codes(orders, SECRET)}
    genuine = [c for c in sample_codes(orders, SECRET) if c.kind == "order"]
    assert [verify_order_qr(c.text, SECRET).order_no for c in genuine] == [o.order_no for o in orders]
    assert verify_order_qr(genuine[0].text, SECRET).amount == orders[0].total
    for kind in ("forged", "altered"):
        with pytest.raises(OrderQrError) as err:
            verify_order_qr(codes[kind].text, SECRET)
        assert err.value.kind is QrProblem.ALTERED
    title = parse_title_qr(codes["title"].text)
    assert title.ok and title.buyer is not None and title.buyer.tax_id == "91350200776049653A"
    assert parse_title_qr(codes["wechat"].text).kind is TitleQrKind.WECHAT
    assert parse_title_qr(codes["alipay"].text).kind is TitleQrKind.ALIPAY
    with pytest.raises(OrderQrError):
        verify_order_qr(codes["foreign"].text, SECRET)
    assert any(c.kind == "order" for c in default_samples())


def test_idcard_buttons_place_and_remove_cards(qtbot: QtBot, panel: SimulatorPanel,
                                               manager: DeviceManager) -> None:
    emu = manager.emulators.idcard
    assert emu is not None
    assert _click(qtbot, panel, "idcard_place_male").startswith("✓")
    assert emu.card is not None and emu.card.id_number == "110101199003071233"
    _click(qtbot, panel, "idcard_place_long_term")
    assert emu.card is not None and emu.card.name == "王秀英"
    _click(qtbot, panel, "idcard_remove")
    assert emu.card is None
    _click(qtbot, panel, "idcard_unplug")
    assert emu.faults.unplugged
    _click(qtbot, panel, "idcard_replug")
    assert not emu.faults.unplugged


def test_scanner_buttons_write_codes_and_garbage_to_the_port(qtbot: QtBot, panel: SimulatorPanel,
                                                              manager: DeviceManager) -> None:
    emu = manager.emulators.scanner
    assert emu is not None
    port = serial.serial_for_url(emu.device_path, timeout=5)
    try:
        _click(qtbot, panel, "scanner_0")
        assert port.read_until(b"\r\n") == panel.samples[0].text.encode() + b"\r\n"
        title_index = next(i for i, s in enumerate(panel.samples) if s.kind == "title")
        _click(qtbot, panel, f"scanner_{title_index}")
        assert port.read_until(b"\r\n").decode().strip() == panel.samples[title_index].text
        panel.typed.setText("ORDER-TYPED-1")
        _click(qtbot, panel, "scanner_typed")
        assert port.read_until(b"\r\n") == b"ORDER-TYPED-1\r\n"
        _click(qtbot, panel, "scanner_garbage")
        assert port.read(len(GARBAGE)) == GARBAGE
    finally:
        port.close()
    _click(qtbot, panel, "scanner_unplug")
    assert not emu.plugged
    message = _click(qtbot, panel, "scanner_0")  # scanning an unplugged scanner: shown, not raised
    assert message.startswith("✗") and "unplugged" in message
    assert panel.status.text() == message
    _click(qtbot, panel, "scanner_replug")
    assert emu.plugged


def test_camera_buttons_show_a_decodable_code(qtbot: QtBot, panel: SimulatorPanel,
                                              manager: DeviceManager) -> None:
    emu = manager.emulators.camera
    assert emu is not None
    decoder = make_decoder("zxing")
    index = next(i for i, s in enumerate(panel.samples) if s.kind == "title")
    panel.camera_choice.setCurrentIndex(index)
    _click(qtbot, panel, "camera_show")
    emu.open()
    try:
        frame = emu.read()
        assert frame is not None
        gray = frame if frame.ndim == 2 else frame[..., 0]
        assert decoder.decode(gray) == [panel.samples[index].text]
        _click(qtbot, panel, "camera_clear")
        frame = emu.read()
        assert frame is not None
        assert decoder.decode(frame if frame.ndim == 2 else frame[..., 0]) == []
    finally:
        emu.close()
    _click(qtbot, panel, "camera_unplug")
    assert not emu.plugged
    _click(qtbot, panel, "camera_replug")
    assert emu.plugged


def test_printer_buttons_set_the_faults(qtbot: QtBot, panel: SimulatorPanel,
                                        manager: DeviceManager) -> None:
    printer = manager.emulators.printer
    assert printer is not None
    emulator = printer.emulator
    for state in ("near_end", "out", "ok"):
        _click(qtbot, panel, f"printer_paper_{state}")
        assert emulator.paper == state
    _click(qtbot, panel, "printer_cover_open")
    assert emulator.cover_open and not emulator.can_print
    _click(qtbot, panel, "printer_cover_close")
    assert not emulator.cover_open
    _click(qtbot, panel, "printer_offline")
    assert emulator.offline
    _click(qtbot, panel, "printer_online")
    assert not emulator.offline


def test_every_button_has_a_label(panel: SimulatorPanel) -> None:
    assert all(b.text().strip() for b in panel.buttons.values())
    assert panel.windowTitle()


def test_devices_that_are_not_emulated_are_disabled(qtbot: QtBot) -> None:
    p = SimulatorPanel(Emulators(), samples=[])
    qtbot.addWidget(p)
    for key in ("idcard", "scanner", "camera", "printer"):
        box = p.findChild(QGroupBox, f"group_{key}")
        assert box is not None and not box.isEnabled()
    assert p.buttons == {}


def test_sample_codes_without_orders() -> None:
    kinds = [c.kind for c in sample_codes([], SECRET)]
    assert kinds == ["title", "wechat", "alipay", "foreign"]
