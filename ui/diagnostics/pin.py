"""The technician's PIN screen: masked dots, the touch keypad, what the gate answered.

It only collects the PIN: :class:`~ui.diagnostics.mode.DiagnosticsMode`
checks it off the UI thread (scrypt takes tens of milliseconds) and calls
:meth:`PinPage.show_result`.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QVBoxLayout, QWidget

from kiosk.admin import GateOutcome, GateResult
from ui.screens.base import button, label
from ui.widgets.keypad import NumericKeypad

MAX_PIN = 12


class PinPage(QWidget):
    submitted = Signal(str)
    cancelled = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("diag_pin")
        outer = QHBoxLayout(self)
        outer.setContentsMargins(48, 32, 48, 32)
        outer.setSpacing(48)
        left = QVBoxLayout()
        left.setSpacing(16)
        self.title = label("title")
        self.hint = label("hint")
        self.field = QLineEdit()
        self.field.setObjectName("pin_field")
        self.field.setEchoMode(QLineEdit.EchoMode.Password)  # dots, never the digits
        self.field.setMaxLength(MAX_PIN)
        self.field.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.field.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        self.field.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the keypad types; no pinyin keyboard
        self.message = label("notice")
        self.message.setObjectName("pin_message")
        self.message.hide()
        self.cancel = button("danger")
        self.cancel.setObjectName("pin_cancel")
        left.addWidget(self.title)
        left.addWidget(self.hint)
        left.addWidget(self.field)
        left.addWidget(self.message)
        left.addStretch(1)
        left.addWidget(self.cancel)
        outer.addLayout(left, 1)
        self.keypad = NumericKeypad()
        self.keypad.attach(self.field)
        self.keypad.setMinimumWidth(420)
        outer.addWidget(self.keypad, 1)
        self.field.returnPressed.connect(self._submit)
        # A lambda, not cancelled.emit: connecting clicked(bool) straight to a no-argument
        # signal's emit loses a reference to False per click in PySide6 6.12 (crash later).
        self.cancel.clicked.connect(lambda: self.cancelled.emit())
        self.busy = False
        self.retranslate()

    def reset(self) -> None:
        self.field.clear()
        self.message.hide()
        self.set_busy(False)

    def set_busy(self, busy: bool) -> None:
        self.busy = busy
        self.keypad.setEnabled(not busy)
        self.field.setReadOnly(busy)

    def _submit(self) -> None:
        pin = self.field.text()
        if self.busy or not pin:
            return
        self.field.clear()
        self.set_busy(True)
        self.submitted.emit(pin)

    def show_result(self, result: GateResult) -> None:
        self.set_busy(False)
        if result.outcome is GateOutcome.OPEN:
            self.message.hide()
            return
        self.message.setText(f"{result.message_zh}\n{result.message_en}")
        self.message.show()

    def show_error(self, text: str) -> None:
        self.set_busy(False)
        self.message.setText(text)
        self.message.show()

    def retranslate(self) -> None:
        self.title.setText(self.tr("维护模式 Technician mode"))
        # Name the key by its own label (确定 in Chinese, OK in English), in both lines.
        ok = self.keypad.tr("OK")
        self.hint.setText(f"输入维护 PIN，按“{ok}”。\nEnter the technician PIN and press “{ok}”.")
        self.cancel.setText(self.tr("取消 Cancel"))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt API)
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
