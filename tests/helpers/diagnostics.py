"""Test helpers for diagnostics mode: a whole kiosk on emulated devices with the mode installed.

    kiosk = DiagKiosk.build(qapp)        # gui, devices, mode (install_diagnostics)
    kiosk.unlock(qtbot)                   # PIN typed on the keypad, screens on show
    kiosk.close()
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

DEMO_PIN = "246810"  # the default admin.pin_hash (kiosk.config.AdminConfig)
WAIT_MS = 10000


@dataclass
class DiagKiosk:
    gui: Any
    devices: Any
    mode: Any

    @classmethod
    def build(cls, qapp: Any, **config: Any) -> DiagKiosk:
        from app.diagnostics import install_diagnostics
        from app.gui import build_gui
        from drivers.manager import DeviceManager
        from kiosk.config import config_from_dict

        data = {"mail": {"backend": "maildir"},
                "admin": {"max_attempts": 3, "lockout_s": 600}}
        data.update(config)
        cfg = config_from_dict(data)
        devices = DeviceManager(cfg.devices, backoff_initial=0.05, backoff_max=0.2,
                                printer_poll_s=0.1, idcard_health_s=0.1,
                                emulated_camera_fps=30)
        gui = build_gui(cfg, qapp, kiosk_mode=False, devices=devices, lang="zh_CN",
                        keyboard=False, documents_process=False, voice=False)
        mode = install_diagnostics(gui)
        gui.window.resize(1280, 800)
        return cls(gui, devices, mode)

    @property
    def session(self) -> Any:
        return self.gui.core.session

    @property
    def emulators(self) -> Any:
        return self.devices.emulators

    def type_pin(self, qtbot: QtBot, pin: str) -> None:
        """Type ``pin`` on the keypad, press OK, wait for the gate's answer."""
        pad = self.mode.pin.keypad
        for digit in pin:
            qtbot.mouseClick(pad.key(digit), Qt.MouseButton.LeftButton)
        with self.job(qtbot, "pin"):
            qtbot.mouseClick(pad.key("ok"), Qt.MouseButton.LeftButton)

    def unlock(self, qtbot: QtBot) -> None:
        self.gui.window.diagnosticsRequested.emit()
        with qtbot.waitSignal(self.mode.opened, timeout=WAIT_MS):
            self.type_pin(qtbot, DEMO_PIN)

    def job(self, qtbot: QtBot, name: str) -> Any:
        """``with kiosk.job(qtbot, "printer.test_page"):`` waits for that job's result."""
        return qtbot.waitSignal(self.mode.runner.settled, timeout=WAIT_MS,
                                check_params_cb=lambda done: done == f"diagnostics.{name}")

    def settle(self, qtbot: QtBot) -> None:
        """Wait until diagnostics has no job on its pool."""
        qtbot.waitUntil(lambda: self.mode.runner.active == 0, timeout=WAIT_MS)

    def close(self) -> None:
        if self.mode.is_open:
            self.mode.leave()
        self.mode.pool.waitForDone(WAIT_MS)
        self.gui.close()
