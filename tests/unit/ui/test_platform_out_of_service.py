"""The whole kiosk (Qt runner, main window, emulated devices) over the fake Nuonuo platform:
a walk-in whose invoice meets a lapsed clerk session sees 暂停服务 with the reason, by touch;
the pump brings the kiosk back to the attract screen when the platform's health is ok."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from app.core import pump_on
from kiosk.flow.states import Screen
from kiosk.platform.nuonuo_fake import FakeNuonuo
from tests.helpers.app import make_config, qr_for
from tests.helpers.fake_nuonuo import gateway_for, running_fake
from tests.helpers.platform import SELLER, MutableClock, make_sandbox
from tests.unit.ui.test_main_window import Clicker, wait_screen


@pytest.fixture()
def fake(tmp_path: Path) -> Iterator[FakeNuonuo]:
    sandbox = make_sandbox(tmp_path, MutableClock())
    try:
        with running_fake(sandbox) as server:
            yield server
    finally:
        sandbox.close()


@pytest.fixture()
def gui(qtbot: Any, tmp_path: Path, fake: FakeNuonuo) -> Iterator[Any]:
    from PySide6.QtWidgets import QApplication

    from app.gui import build_gui
    from drivers.manager import DeviceManager
    from kiosk.logs import setup_logging

    config = make_config(tmp_path / "data", seller={"name": SELLER.name, "tax_id": SELLER.tax_id})
    setup_logging(config.data_path, level="INFO", stderr=False)
    gw = gateway_for(fake, tmp_path / "data")
    g = build_gui(config, QApplication.instance(), lang="zh_CN", kiosk_mode=False,
                  devices=DeviceManager(config.devices, printer_poll_s=None), keyboard=False,
                  documents_process=False, voice=False, gateway=gw)
    g.window.resize(1280, 800)
    g.window.show()
    yield g
    g.close()


def test_a_lapsed_clerk_session_shows_out_of_service_and_the_pump_lifts_it(
        qtbot: Any, gui: Any, fake: FakeNuonuo) -> None:
    win, click = gui.window, Clicker(qtbot)
    fake.lapse_operator_session()
    gui.devices.emulators.scanner.scan(qr_for(gui, 0))  # the real pty scanner
    wait_screen(qtbot, gui, Screen.REVIEW)  # 个人, ordinary, electronic preselected
    click(win.pages[Screen.REVIEW].primary)  # confirm & issue
    wait_screen(qtbot, gui, Screen.OUT_OF_SERVICE, timeout=30000)
    page = win.pages[Screen.OUT_OF_SERVICE]
    assert "暂停服务" in page.text.text() and "人脸认证" in page.text.text()
    assert page.text.isVisible() and page.head.isVisible()
    assert gui.core.session.data.request is None  # the person's data is gone
    gui.core.gateway.session.recheck_s = 0  # the clerk signed in; the next check may tell
    fake.lapse_operator_session(False)
    pump_on(gui.core, gui.runner)
    wait_screen(qtbot, gui, Screen.ATTRACT, timeout=30000)
