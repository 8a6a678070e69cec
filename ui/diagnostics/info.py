"""Platform and outbox, configuration, system and log screens (everything read on the pool).

- Platform: health, latency, remaining quota; the outbox's queued, sent and
  unknown requests with a retry (the platform is asked before any re-send).
- Configuration: the effective settings, secrets hidden, local overrides marked.
- System: versions, data folder space, uptimes, serial ports present.
- Logs: the last entries of the JSON log, by minimum level and event glob,
  read and formatted by :mod:`kiosk.logview` (``kiosk logs`` does the same).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QButtonGroup, QHBoxLayout, QLineEdit

from kiosk.diagnostics import DiagnosticsService
from kiosk.logview import entry_time
from kiosk.masking import mask_text
from ui.diagnostics.common import DiagPage, button, fill_table, label, make_table
from ui.diagnostics.relay import Jobs

OVERRIDE_COLOUR = QColor("#fff1c2")
COMPACT = "min-width: 0px; padding: 0 12px;"  # filter buttons: still finger-high
LEVEL_COLOURS = {"WARNING": QColor("#fff1c2"), "ERROR": QColor("#ffd9d6"),
                 "CRITICAL": QColor("#ffd9d6")}


class PlatformPage(DiagPage):
    title_text = "开票平台与待办 Platform and outbox"

    def __init__(self, service: DiagnosticsService, runner: Jobs) -> None:
        super().__init__(runner)
        self.service = service
        self.health = label("big")
        self.health.setObjectName("platform_health")
        self.outbox_title = label("big")
        self.table = make_table(6)
        self.table.setObjectName("outbox_table")
        row = QHBoxLayout()
        self.refresh_button = button()
        self.retry_button = button("primary")
        self.retry_button.setObjectName("outbox_retry")
        self.message = label()
        self.message.setObjectName("outbox_message")
        row.addWidget(self.refresh_button)
        row.addWidget(self.retry_button)
        row.addWidget(self.message, 1)
        self.outer.addWidget(self.health)
        self.outer.addWidget(self.outbox_title)
        self.outer.addWidget(self.table, 1)
        self.outer.addLayout(row)
        self.entries: list[Any] = []
        self.refresh_button.clicked.connect(self.refresh)
        self.retry_button.clicked.connect(self.retry_selected)
        self.table.itemSelectionChanged.connect(self._selection)
        self.retranslate()

    def enter(self) -> None:
        super().enter()
        self.refresh()

    def refresh(self) -> None:
        self.health.setText(self.tr("查询中… Asking…"))
        self.run("platform.health", self.service.platform_health, self._health)
        self.run("platform.outbox", self.service.outbox, self._outbox)

    def _health(self, health: Any, error: BaseException | None) -> None:
        if error is not None:
            self.health.setText(self.tr("查询失败 Failed: ") + str(error))
            return
        quota = "?" if health.quota is None else f"{health.quota}"
        state = self.tr("可用 reachable") if health.ok else self.tr("不可用 NOT reachable")
        self.health.setText(f"{state} · {health.latency_ms:.0f} ms · "
                            + self.tr("剩余额度 quota left: ") + quota
                            + (f"\n{health.message}" if health.message else ""))
        self.health.setProperty("role", "ok" if health.ok else "error")
        self.health.style().polish(self.health)

    def _outbox(self, entries: Any, error: BaseException | None) -> None:
        if error is not None:
            self.message.setText(str(error))
            return
        self.entries = list(entries)
        rows = [(e.request_id, str(e.status), ", ".join(e.order_nos), e.total, str(e.attempts),
                 mask_text(e.last_error or "")) for e in self.entries]
        fill_table(self.table, rows)
        self.outbox_title.setText(self.tr("待办开票请求 Requests not finished: ")
                                  + str(len(self.entries)))
        self._selection()

    def _selection(self) -> None:
        self.retry_button.setEnabled(bool(self.table.selectedItems()))

    def retry_selected(self) -> None:
        rows = {i.row() for i in self.table.selectedItems()}
        if not rows:
            return
        request_id = self.entries[min(rows)].request_id
        self.retry_button.setEnabled(False)
        self.message.setText(self.tr("重试中… Retrying… ") + request_id)
        self.run("outbox.retry", lambda: self.service.retry(request_id), self._retried)

    def _retried(self, outcome: Any, error: BaseException | None) -> None:
        if error is not None:
            self.message.setText(self.tr("重试失败 Retry failed: ") + str(error))
        else:
            self.message.setText(f"{outcome.status}: {outcome.message_zh} {outcome.message_en}")
        self.run("platform.outbox", self.service.outbox, self._outbox)

    def retranslate(self) -> None:
        super().retranslate()
        self.table.setHorizontalHeaderLabels([
            self.tr("请求 Request"), self.tr("状态 Status"), self.tr("订单 Orders"),
            self.tr("金额 Total"), self.tr("次数 Tries"), self.tr("错误 Last error")])
        self.refresh_button.setText(self.tr("刷新 Refresh"))
        self.retry_button.setText(self.tr("重试所选 Retry selected"))


class ConfigPage(DiagPage):
    title_text = "当前配置 Effective configuration"

    def __init__(self, service: DiagnosticsService, runner: Jobs) -> None:
        super().__init__(runner)
        self.service = service
        self.hint = label("hint")
        self.table = make_table(2)
        self.table.setObjectName("config_table")
        self.outer.addWidget(self.hint)
        self.outer.addWidget(self.table, 1)
        self.retranslate()

    def enter(self) -> None:
        super().enter()
        self.run("config", self.service.config_rows, self._rows)

    def _rows(self, result: Any, error: BaseException | None) -> None:
        if error is not None:
            self.hint.setText(str(error))
            return
        rows, found = result
        shown = [(k, v + ("   ← " + self.tr("本机覆盖 local override") if k in found else ""))
                 for k, v in rows]
        fill_table(self.table, shown, [OVERRIDE_COLOUR if k in found else None for k, _ in rows])

    def retranslate(self) -> None:
        super().retranslate()
        self.hint.setText(self.tr("密钥显示为 ***；黄色行为本机覆盖（保存在数据库）。"
                                  "Secrets show as ***; yellow rows are local overrides "
                                  "(kept in the database)."))
        self.table.setHorizontalHeaderLabels([self.tr("设置 Setting"), self.tr("值 Value")])


class SystemPage(DiagPage):
    title_text = "系统 System"

    def __init__(self, service: DiagnosticsService, runner: Jobs) -> None:
        super().__init__(runner)
        self.service = service
        self.table = make_table(2)
        self.table.setObjectName("system_table")
        self.ports_title = label("big")
        self.ports = make_table(3)
        self.ports.setObjectName("ports_table")
        self.refresh_button = button()
        self.outer.addWidget(self.table, 3)
        self.outer.addWidget(self.ports_title)
        self.outer.addWidget(self.ports, 2)
        self.outer.addWidget(self.refresh_button, 0, Qt.AlignmentFlag.AlignRight)
        self.refresh_button.clicked.connect(self.refresh)
        self.retranslate()

    def enter(self) -> None:
        super().enter()
        self.refresh()

    def refresh(self) -> None:
        self.run("system", self.service.system_rows, self._system)
        self.run("ports", self.service.serial_ports, self._ports)

    def _system(self, rows: Any, error: BaseException | None) -> None:
        fill_table(self.table, [("error", str(error))] if error else list(rows))

    def _ports(self, ports: Any, error: BaseException | None) -> None:
        if error is not None:
            fill_table(self.ports, [("error", str(error), "")])
            return
        fill_table(self.ports, list(ports) or [(self.tr("没有串口 none present"), "", "")])

    def retranslate(self) -> None:
        super().retranslate()
        self.table.setHorizontalHeaderLabels([self.tr("项目 Item"), self.tr("值 Value")])
        self.ports_title.setText(self.tr("串口 Serial ports"))
        self.ports.setHorizontalHeaderLabels([self.tr("设备 Device"), self.tr("USB id"),
                                              self.tr("描述 Description")])
        self.refresh_button.setText(self.tr("刷新 Refresh"))


class LogsPage(DiagPage):
    title_text = "日志 Logs"
    LEVELS = ("", "INFO", "WARNING", "ERROR")
    PRESETS = ("device.*", "printer.*", "admin.*", "issue*")
    LIMIT = 200

    def __init__(self, service: DiagnosticsService, runner: Jobs) -> None:
        super().__init__(runner)
        self.service = service
        row = QHBoxLayout()
        self.levels = QButtonGroup(self)
        for i, name in enumerate(self.LEVELS):
            b = button(checkable=True)
            b.setObjectName(f"log_level_{name or 'all'}")
            b.setText(name or "ALL")
            b.setStyleSheet(COMPACT)
            self.levels.addButton(b, i)
            row.addWidget(b)
        self.levels.button(0).setChecked(True)
        row.addSpacing(24)
        for pattern in self.PRESETS:  # common filters without typing
            b = button()
            b.setObjectName(f"log_preset_{pattern.rstrip('.*')}")
            b.setText(pattern)
            b.setStyleSheet(COMPACT)
            b.clicked.connect(lambda _c=False, p=pattern: self._preset(p))
            row.addWidget(b)
        row.addStretch(1)
        self.outer.addLayout(row)
        row = QHBoxLayout()
        self.event_field = QLineEdit()
        self.event_field.setObjectName("log_event")
        row.addWidget(self.event_field, 1)
        self.refresh_button = button("primary")
        self.refresh_button.setObjectName("log_refresh")
        row.addWidget(self.refresh_button)
        self.outer.addLayout(row)
        self.count = label("hint")
        self.table = make_table(4)
        self.table.setObjectName("log_table")
        self.outer.addWidget(self.count)
        self.outer.addWidget(self.table, 1)
        self.levels.idClicked.connect(lambda _i: self.refresh())
        self.event_field.returnPressed.connect(self.refresh)
        self.refresh_button.clicked.connect(self.refresh)
        self.entries: list[dict[str, Any]] = []
        self.retranslate()

    def enter(self) -> None:
        super().enter()
        self.refresh()

    def _preset(self, pattern: str) -> None:
        self.event_field.setText("" if self.event_field.text() == pattern else pattern)
        self.refresh()

    def refresh(self) -> None:
        level = self.LEVELS[max(0, self.levels.checkedId())]
        event = self.event_field.text().strip()
        self.run("logs", lambda: self.service.log_entries(self.LIMIT, level, event), self._shown)

    def _shown(self, entries: Any, error: BaseException | None) -> None:
        if error is not None:
            self.count.setText(str(error))
            return
        self.entries = list(reversed(entries))  # newest first
        rows = []
        colours = []
        for e in self.entries:
            ts = entry_time(e)
            when = ts.astimezone().strftime("%m-%d %H:%M:%S") if ts else ""
            level = str(e.get("level", ""))
            rows.append((when, level, str(e.get("event", "")), str(e.get("msg", ""))))
            colours.append(LEVEL_COLOURS.get(level.upper()))
        fill_table(self.table, rows, colours)
        self.count.setText(self.tr("最近 {0} 条（最新在上） Last {0} entries, newest first")
                           .format(len(self.entries)))

    def retranslate(self) -> None:
        super().retranslate()
        self.event_field.setPlaceholderText(self.tr("事件，如 device.* Event, e.g. device.*"))
        self.refresh_button.setText(self.tr("查看 Show"))
        self.table.setHorizontalHeaderLabels([self.tr("时间 Time"), self.tr("级别 Level"),
                                              self.tr("事件 Event"), self.tr("消息 Message")])
