"""What the composition root adds around the core: the documents' child process, the voice
kit, the out-of-service screen for demo secrets on a real kiosk, the pump's daily backup."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kiosk.documents.renderer import InlineRenderer, ProcessDocumentRenderer
from kiosk.flow.states import Screen
from kiosk.storage import DB_FILE
from tests.helpers.app import kiosk_core, kiosk_gui


@pytest.mark.qt_log_ignore("PulseAudioService")  # no sound card here: the kit says so itself
def test_kiosk_run_draws_documents_in_the_child_and_installs_the_voice_kit(
        qtbot: Any, tmp_path: Path) -> None:
    from PySide6.QtWidgets import QApplication

    from app.gui import build_gui
    from drivers.manager import DeviceManager
    from tests.helpers.app import make_config

    config = make_config(tmp_path)
    gui = build_gui(config, QApplication.instance(), kiosk_mode=False, keyboard=False,
                    devices=DeviceManager(config.devices, printer_poll_s=None))
    try:
        services = gui.core.core_services
        assert isinstance(services.issuing.recorder.renderer, ProcessDocumentRenderer)
        assert services.gateway.renderer is services.issuing.recorder.renderer  # type: ignore[attr-defined]
        assert gui.voice is not None
    finally:
        gui.close()


def test_tests_and_cli_keep_the_inline_renderer(qtbot: Any, tmp_path: Path) -> None:
    gui = kiosk_gui(qtbot, tmp_path)
    try:
        assert isinstance(gui.core.core_services.issuing.recorder.renderer, InlineRenderer)
        assert gui.voice is None
    finally:
        gui.close()


def test_a_real_kiosk_with_a_shipped_demo_secret_is_out_of_service(
        qtbot: Any, tmp_path: Path) -> None:
    gui = kiosk_gui(qtbot, tmp_path, kiosk={"demo": False})
    try:
        session = gui.core.session
        assert session.screen is Screen.OUT_OF_SERVICE
        assert session.out_of_service_reason is not None
    finally:
        gui.close()


@pytest.mark.parametrize("keep", [7, 0])
def test_the_pump_makes_the_daily_backup_unless_switched_off(tmp_path: Path, keep: int) -> None:
    rig = kiosk_core(tmp_path / "kiosk", storage={"data_dir": str(tmp_path / "kiosk"),
                                                  "backup_keep": keep})
    data = rig.core.config.data_path
    try:
        first = rig.core.pump()
        second = rig.core.pump()
        backups = sorted((data / "backups").glob("*.db")) if (data / "backups").exists() else []
    finally:
        rig.close()
    assert (data / DB_FILE).is_file()
    if keep:
        assert (first["backup"], second["backup"]) == (1, 0)  # daily: not again at once
        assert len(backups) == 1
    else:
        assert first["backup"] == second["backup"] == 0 and not backups


@pytest.mark.qt_log_ignore("PulseAudioService")
def test_presence_watches_the_frames_the_paused_camera_drops(qtbot: Any, tmp_path: Path) -> None:
    gui = kiosk_gui(qtbot, tmp_path, voice=True, presence={"enabled": True})
    try:
        camera = gui.devices.camera
        assert len(camera._idle) == 1  # the presence monitor's look at each idle frame
        attract = gui.window.pages[Screen.ATTRACT]
        assert gui.presence is not None and not attract.greeting.isVisible()
        gui.presence.changed.emit(True)  # someone stepped up: greeted, the page lights up
        assert attract.awake and attract.greeting.isVisible()
        assert "扫描" in attract.greeting.text()
        gui.presence.changed.emit(False)
        assert not attract.awake and not attract.greeting.isVisible()
    finally:
        gui.close()


def test_a_fleet_kiosk_publishes_from_start_and_stops_with_the_window(
        qtbot: Any, tmp_path: Path) -> None:
    """[fleet] on: the root starts the publisher (it keeps trying while NATS is away,
    never blocking the window) and stops it at close."""
    import socket
    import threading

    with socket.socket() as s:  # a port nobody listens on: the fleet is "offline"
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    gui = kiosk_gui(qtbot, tmp_path, fleet={"enabled": True, "kiosk_id": "test-kiosk",
                                            "nats_url": f"nats://127.0.0.1:{port}",
                                            "retry_s": 0.2})
    try:
        publishers = [t for t in threading.enumerate() if t.name == "fleet-publisher"]
        assert publishers and all(t.is_alive() for t in publishers)
        assert gui.core.session.screen is Screen.ATTRACT
    finally:
        gui.close()
    assert not any(t.is_alive() for t in publishers)


def test_a_fleet_kiosk_puts_stored_updates_in_force_and_feeds_its_metrics(
        qtbot: Any, tmp_path: Path) -> None:
    """Updates applied before a restart are in force from the first frame (catalogue,
    announcement on the attract screen), and a press on the window counts as a touch."""
    import json
    import socket

    from PySide6.QtCore import QPoint, Qt
    from PySide6.QtTest import QTest

    from kiosk.fleet.updates import UpdateStore
    from tests.helpers.app import make_config

    store = UpdateStore(make_config(tmp_path).data_path / "fleet", "test-kiosk", {})
    item = {"code": "P1", "name": "停车费", "short_name": "经营租赁",
            "tax_code": "3040502020200000000", "unit": "小时", "unit_price": "5", "rate": "0.09"}
    assert store.apply("catalogue", 1, json.dumps({"items": [item]}).encode()).ok  # type: ignore[union-attr]
    assert store.apply("announcements.test-kiosk", 2, json.dumps({"items": [
        {"id": "a", "zh": "今晚系统维护", "en": "Maintenance tonight"}]}).encode()).ok  # type: ignore[union-attr]
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    gui = kiosk_gui(qtbot, tmp_path, fleet={"enabled": True, "kiosk_id": "test-kiosk",
                                            "nats_url": f"nats://127.0.0.1:{port}",
                                            "retry_s": 0.2})
    try:
        assert gui.fleet is not None
        assert [i.code for i in gui.core.catalogue.search("")] == ["P1"]
        page = gui.window.pages[Screen.ATTRACT]
        qtbot.waitUntil(lambda: page.announcement.isVisible(), timeout=10_000)
        assert page.announcement.text() == "今晚系统维护"
        metrics = gui.fleet.fleet.metrics
        before = metrics.registry.get_sample_value("kiosk_touches_total") or 0
        QTest.mouseClick(gui.window.windowHandle(), Qt.MouseButton.LeftButton, pos=QPoint(5, 5))
        assert metrics.registry.get_sample_value("kiosk_touches_total") == before + 1
        gui.fleet.sample(gui.core, gui.devices, gui.runner)
        state = gui.devices.statuses()["printer"].status.value
        assert metrics.registry.get_sample_value(
            "kiosk_device_state", {"device": "printer", "state": state}) == 1
    finally:
        gui.close()
