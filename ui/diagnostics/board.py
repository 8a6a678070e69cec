"""The status board: every device (live) and ``kiosk doctor``'s checks of the rest.

Device rows follow the devices' status events: the manager calls the
listener on device threads, the listener only posts the event to the UI
thread (:class:`~ui.diagnostics.relay.Relay`), which repaints. The other rows (platform, outbox,
data folder, database, audit chain, logs) are ``kiosk doctor``'s own checks,
run on the pool when the board is shown and on "refresh".
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QHBoxLayout

from drivers.base import StatusEvent
from kiosk.diagnostics import DEVICES, DiagnosticsService, device_check
from kiosk.doctor import Check
from ui.diagnostics.common import (
    MARKS,
    STATE_COLOURS,
    DiagPage,
    button,
    fill_table,
    label,
    make_table,
    state_of,
)
from ui.diagnostics.relay import Jobs, Relay

DEVICE_NAMES = {"printer": "打印机 Printer", "scanner": "扫码器 Scanner",
                "idcard": "身份证阅读器 ID reader", "camera": "摄像头 Camera"}
CHECK_NAMES = {"platform": "开票平台 Platform", "outbox": "待办开票 Outbox",
               "data dir": "数据目录 Data dir", "database": "数据库 Database",
               "audit chain": "审计链 Audit chain", "logs": "日志 Logs"}


class StatusBoardPage(DiagPage):
    title_text = "状态总览 Status board"

    def __init__(self, service: DiagnosticsService, runner: Jobs) -> None:
        super().__init__(runner)
        self.service = service
        self.table = make_table(3)
        self.table.setObjectName("board_table")
        self.outer.addWidget(self.table, 1)
        row = QHBoxLayout()
        self.note = label("hint")
        self.refresh_button = button()
        self.refresh_button.setObjectName("board_refresh")
        row.addWidget(self.note, 1)
        row.addWidget(self.refresh_button)
        self.outer.addLayout(row)
        self.devices: dict[str, Check] = {}
        self.checks: list[Check] = []
        self._relay = Relay(self)
        self._listener = self._from_device_thread  # the same object to remove later
        self.listening = False
        self.refresh_button.clicked.connect(self.refresh)
        self.retranslate()

    # -- life cycle -----------------------------------------------------------------
    def enter(self) -> None:
        super().enter()
        if not self.listening:
            self.service.devices.add_listener(self._listener)
            self.listening = True
        self.devices = {c_name: c for c_name, c in zip(DEVICES, self.service.device_checks(),
                                                       strict=True)}
        self.refresh()
        self._paint()

    def leave(self) -> None:
        super().leave()
        if self.listening:
            self.service.devices.remove_listener(self._listener)
            self.listening = False

    def refresh(self) -> None:
        self.note.setText(self.tr("检查中… Checking…"))
        self.refresh_button.setEnabled(False)
        self.run("health", self.service.health_checks, self._checked)
        if self.service.devices.printer_worker is not None:
            # Ask the printer now rather than at its next idle poll; the answer arrives as a
            # status event (the listener above), a failure to ask is itself a status.
            self.run("printer.status", self.service.printer_status, lambda _r, _e: None)

    # -- updates --------------------------------------------------------------------
    def _from_device_thread(self, event: StatusEvent) -> None:
        self._relay.post(self._on_status, event)  # runs on the UI thread

    def _on_status(self, event: StatusEvent) -> None:
        if not self.listening or event.device not in DEVICE_NAMES:
            return
        self.devices[event.device] = device_check(event, self.service.backend(event.device))
        self._paint()

    def _checked(self, checks: Any, error: BaseException | None) -> None:
        self.refresh_button.setEnabled(True)
        if error is not None:
            self.note.setText(self.tr("检查失败 Check failed: ") + str(error))
            return
        self.checks = list(checks)
        self.note.setText(self.tr("设备状态实时更新；其余项在刷新时检查。"
                                  "Devices update live; the rest is checked on refresh."))
        self._paint()

    def state(self, key: str) -> str:
        """The grade shown for a device name or a check name (tests and screenshots read it)."""
        if key in self.devices:
            return self.devices[key].status
        for check in self.checks:
            if check.name == key:
                return check.status
        raise KeyError(key)

    def _paint(self) -> None:
        rows: list[tuple[str, ...]] = []
        colours = []
        for name in DEVICES:
            check = self.devices.get(name)
            if check is None:
                continue
            grade = state_of(check.status)
            rows.append((self.tr(DEVICE_NAMES[name]), MARKS[grade], check.detail))
            colours.append(STATE_COLOURS[grade])
        for check in self.checks:
            grade = state_of(check.status)
            rows.append((self.tr(CHECK_NAMES.get(check.name, check.name)), MARKS[grade],
                         check.detail))
            colours.append(STATE_COLOURS[grade])
        fill_table(self.table, rows, colours)

    def retranslate(self) -> None:
        super().retranslate()
        self.table.setHorizontalHeaderLabels([self.tr("项目 Item"), self.tr("状态 State"),
                                              self.tr("详情 Detail")])
        self.refresh_button.setText(self.tr("刷新 Refresh"))
        if self.devices:
            self._paint()
