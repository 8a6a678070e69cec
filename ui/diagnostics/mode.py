"""Diagnostics mode: the PIN screen, then the screens behind a side list, then back.

:class:`DiagnosticsMode` covers the main window (a child widget that follows
its size, so no second top-level window is needed under the cage
compositor). ``open()`` shows the PIN screen; the PIN is checked on the pool
by :class:`~kiosk.admin.AdminGate`; on OPEN the screens show. ``leave()``
(Cancel on the PIN screen, Exit on the screens) stops what the screens
started (status listeners, device taps, the ID reader, the camera preview
and timers) and emits ``closed`` at once; a job still on the pool (a print in
hand) finishes there and its result is dropped, so leaving never blocks;
:func:`app.diagnostics.install_diagnostics` connects that to wiping the
session, which shows the attract screen.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QThreadPool, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk.admin import GateOutcome
from kiosk.diagnostics import DiagnosticsService
from ui.diagnostics.board import StatusBoardPage
from ui.diagnostics.common import NAV_HEIGHT, DiagPage, button
from ui.diagnostics.devices import CameraPage, IdCardPage, ScannerPage
from ui.diagnostics.info import ConfigPage, LogsPage, PlatformPage, SystemPage
from ui.diagnostics.pin import PinPage
from ui.diagnostics.printer import PrinterPage
from ui.diagnostics.relay import Jobs
from ui.diagnostics.voice import VoicePage

log = logging.getLogger("ui.diagnostics")

PAGES = (
    ("board", StatusBoardPage), ("printer", PrinterPage), ("scanner", ScannerPage),
    ("idcard", IdCardPage), ("camera", CameraPage), ("platform", PlatformPage),
    ("voice", VoicePage), ("system", SystemPage), ("config", ConfigPage), ("logs", LogsPage),
)


class DiagnosticsMode(QWidget):
    opened = Signal()  # the PIN was accepted: the screens are on show
    closed = Signal()  # the mode was left (cancel or exit): back to the attract screen

    def __init__(self, service: DiagnosticsService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("diagnostics")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.service = service
        self.pool = QThreadPool()  # no Qt parent: outlives the widget for the closing wait
        self.pool.setMaxThreadCount(4)
        self.runner = Jobs(self.pool, self)
        self.stack = QStackedWidget()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)
        self.pin = PinPage()
        self.pin.submitted.connect(self._check_pin)
        self.pin.cancelled.connect(self.leave)
        self.stack.addWidget(self.pin)
        self.screens = QWidget()
        self.screens.setObjectName("diag_screens")
        self.stack.addWidget(self.screens)
        row = QHBoxLayout(self.screens)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        nav_panel = QWidget()
        nav_panel.setObjectName("diag_nav")
        nav_panel.setStyleSheet("QWidget#diag_nav { background: #e3e8ef; }")
        nav = QVBoxLayout(nav_panel)
        nav.setContentsMargins(8, 8, 8, 8)
        nav.setSpacing(6)
        self.nav_group = QButtonGroup(self)
        self.nav_buttons: dict[str, Any] = {}
        self.pages: dict[str, DiagPage] = {}
        self.page_stack = QStackedWidget()
        for i, (key, cls) in enumerate(PAGES):
            page = cls(service, self.runner)
            page.setObjectName(f"diag_{key}")
            self.pages[key] = page
            self.page_stack.addWidget(page)
            b = button(checkable=True)
            b.setObjectName(f"nav_{key}")
            b.setMinimumHeight(NAV_HEIGHT)
            b.setStyleSheet(f"min-height: {NAV_HEIGHT}px; text-align: left; padding: 0 12px;")
            self.nav_group.addButton(b, i)
            self.nav_buttons[key] = b
            nav.addWidget(b)
        nav.addStretch(1)
        self.exit_button = button("danger")
        self.exit_button.setObjectName("diag_exit")
        nav.addWidget(self.exit_button)
        scroll = QScrollArea()
        scroll.setWidget(nav_panel)
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setFixedWidth(300)
        row.addWidget(scroll)
        row.addWidget(self.page_stack, 1)
        self.nav_group.idClicked.connect(lambda i: self.show_page(PAGES[i][0]))
        self.exit_button.clicked.connect(self.leave)
        self.current: str | None = None
        self.is_open = False
        if parent is not None:
            parent.installEventFilter(self)
            keyboard = getattr(parent, "keyboard", None)
            if keyboard is not None and hasattr(keyboard, "shownChanged"):
                keyboard.shownChanged.connect(lambda _shown: self._cover() if self.is_open else None)
        self.retranslate()
        self.hide()

    # -- opening and leaving ------------------------------------------------------------
    def open(self) -> None:
        """Show the PIN screen over the window (again a no-op while open)."""
        if self.is_open:
            return
        self.is_open = True
        log.info("diagnostics PIN screen", extra={"event": "diagnostics.pin_screen"})
        self.pin.reset()
        self.stack.setCurrentWidget(self.pin)
        self._cover()
        self.show()
        self.raise_()

    def _check_pin(self, pin: str) -> None:
        self.runner.submit("diagnostics.pin", lambda: self.service.attempt_pin(pin), self._gate)

    def _gate(self, result: Any, error: BaseException | None) -> None:
        if not self.is_open:
            return
        if error is not None:
            log.error("PIN check failed: %s", error, extra={"event": "diagnostics.pin_error"})
            self.pin.show_error(str(error))
            return
        self.pin.show_result(result)
        if result.outcome is GateOutcome.OPEN:
            self.stack.setCurrentWidget(self.screens)
            self.show_page("board")
            self.opened.emit()

    def show_page(self, key: str) -> None:
        if self.current == key:
            return
        if self.current is not None:
            self.pages[self.current].leave()
        self.current = key
        self.nav_buttons[key].setChecked(True)
        self.page_stack.setCurrentWidget(self.pages[key])
        self.pages[key].enter()

    def leave(self) -> None:
        """Close the mode: stop everything the screens started, then emit ``closed``."""
        if not self.is_open:
            return
        if self.current is not None:
            self.pages[self.current].leave()
            self.current = None
        self.service.taps.clear()
        self.is_open = False
        self.hide()
        self.pin.reset()
        self.stack.setCurrentWidget(self.pin)
        log.info("diagnostics mode left", extra={"event": "diagnostics.left"})
        self.closed.emit()

    # -- covering the window ----------------------------------------------------------------
    def _cover(self) -> None:
        """Cover the window, except its docked on-screen keyboard while that is up."""
        parent = self.parentWidget()
        if parent is None:
            return
        rect = parent.rect()
        keyboard = getattr(parent, "keyboard", None)
        if keyboard is not None and keyboard.isVisible():
            rect.setBottom(keyboard.geometry().top() - 1)
        self.setGeometry(rect)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if watched is self.parentWidget() and event.type() == QEvent.Type.Resize and self.is_open:
            self._cover()
        return False

    def retranslate(self) -> None:
        names = {"board": self.tr("状态总览 Status"), "printer": self.tr("打印机 Printer"),
                 "scanner": self.tr("扫码器 Scanner"), "idcard": self.tr("身份证 ID reader"),
                 "camera": self.tr("摄像头 Camera"), "platform": self.tr("平台/待办 Platform"),
                 "system": self.tr("系统/串口 System"), "config": self.tr("配置 Config"),
                 "logs": self.tr("日志 Logs"),
                 "voice": "语音 Voice"}  # bilingual as written; not in the .ts files
        for key, b in self.nav_buttons.items():
            b.setText(names[key])
        self.exit_button.setText(self.tr("退出维护 Exit"))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt API)
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
