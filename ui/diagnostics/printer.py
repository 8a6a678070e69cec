"""The printer screen: status and paper, test page, encoding calibration, what was printed.

Calibration: print the page (the same sample in GB18030, GBK, Big5 and UTF-8,
numbered 1-4), pick the number whose line reads clearly, save. Saving keeps
the choice in the database (it outlives a restart) and switches the running
printer to it, so the next receipt uses it. For the emulated printer the
right-hand side shows the last receipt it printed, rendered from its bytes.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QButtonGroup, QGridLayout, QHBoxLayout, QScrollArea, QVBoxLayout

from drivers.base import DeviceStatus, StatusEvent
from drivers.printer.encoding import ENCODINGS
from drivers.problem import ProblemError
from kiosk.diagnostics import DiagnosticsService
from ui.diagnostics.common import (
    DiagPage,
    button,
    label,
    pil_to_qimage,
    problem_words,
    status_words,
)
from ui.diagnostics.relay import Jobs, Relay

PAPER_TEXT = {
    DeviceStatus.READY: "纸张正常 Paper OK",
    DeviceStatus.BUSY: "纸张正常 Paper OK",
    DeviceStatus.PAPER_LOW: "纸将用完，请准备换纸 Paper low: reload soon",
    DeviceStatus.PAPER_OUT: "缺纸：请装纸 Paper out: load a new roll",
    DeviceStatus.COVER_OPEN: "纸仓盖打开：请合上 Cover open: close it",
}


class PrinterPage(DiagPage):
    title_text = "打印机 Printer"

    def __init__(self, service: DiagnosticsService, runner: Jobs) -> None:
        super().__init__(runner)
        self.service = service
        body = QHBoxLayout()
        self.outer.addLayout(body, 1)
        left = QVBoxLayout()
        left.setSpacing(10)
        body.addLayout(left, 1)
        self.status = label("big")
        self.status.setObjectName("printer_status")
        self.paper = label()
        self.paper.setObjectName("printer_paper")
        self.ask = button()
        self.test_page = button("primary")
        self.test_page.setObjectName("printer_test_page")
        self.encoding_title = label("big")
        self.calibrate = button()
        self.calibrate.setObjectName("printer_calibrate")
        self.choices = QButtonGroup(self)
        grid = QGridLayout()
        self.choice_buttons: dict[str, Any] = {}
        for i, name in enumerate(ENCODINGS):
            b = button(checkable=True)
            b.setObjectName(f"encoding_{i + 1}")
            b.setText(f"{i + 1}. {name}")
            self.choices.addButton(b, i)
            self.choice_buttons[name] = b
            grid.addWidget(b, i // 2, i % 2)
        self.save = button("primary")
        self.save.setObjectName("printer_save_encoding")
        self.message = label()
        self.message.setObjectName("printer_message")
        row = QHBoxLayout()
        row.addWidget(self.ask)
        row.addWidget(self.test_page)
        for w in (self.status, self.paper):
            left.addWidget(w)
        left.addLayout(row)
        left.addWidget(self.encoding_title)
        left.addWidget(self.calibrate)
        left.addLayout(grid)
        left.addWidget(self.save)
        left.addWidget(self.message)
        left.addStretch(1)
        right = QVBoxLayout()
        body.addLayout(right, 1)
        self.preview_title = label("hint")
        self.preview = label(wrap=False)
        self.preview.setObjectName("printer_preview")
        self.preview.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(self.preview)
        self.preview_scroll = scroll
        scroll.viewport().installEventFilter(self)  # refit the receipt when the width changes
        right.addWidget(self.preview_title)
        right.addWidget(scroll, 1)
        self._relay = Relay(self)
        self._listener = self._relay_status
        self.listening = False
        self.ask.clicked.connect(self.ask_status)
        self.test_page.clicked.connect(self.print_test_page)
        self.calibrate.clicked.connect(self.print_calibration)
        self.save.clicked.connect(self.save_encoding)
        self.choices.idToggled.connect(lambda _i, _on: self._choice_changed())
        self.emulated = service.emulated_printer is not None
        self.printed: QImage | None = None
        self.retranslate()

    # -- life cycle -------------------------------------------------------------------
    def enter(self) -> None:
        super().enter()
        publisher = self.service.printer.publisher
        if not self.listening:
            publisher.add_listener(self._listener)
            self.listening = True
        self._show_status(publisher.status)
        self.choice_buttons[self.service.encoding].setChecked(True)
        self._choice_changed()
        self._show_printed()
        self.ask_status()

    def leave(self) -> None:
        super().leave()
        if self.listening:
            self.service.printer.publisher.remove_listener(self._listener)
            self.listening = False

    # -- status -------------------------------------------------------------------------
    def _relay_status(self, event: StatusEvent) -> None:
        self._relay.post(self._show_status, event)

    def _show_status(self, event: StatusEvent) -> None:
        text = self.tr("状态 Status: ") + event.status.value.upper()
        if event.message:
            text += f" — {status_words(event)}"
        self.status.setText(text)
        self.paper.setText(self.tr(PAPER_TEXT.get(event.status, "纸张状态未知 Paper: unknown")))
        self.paper.setProperty("role", "ok" if event.status.works else "error")
        self.paper.style().polish(self.paper)

    def ask_status(self) -> None:
        self.run("printer.status", self.service.printer_status, self._asked)

    def _asked(self, event: Any, error: BaseException | None) -> None:
        if error is not None:
            self._say(str(error), ok=False)
        elif event is not None:
            self._show_status(event)

    # -- printing ------------------------------------------------------------------------
    def print_test_page(self) -> None:
        self._busy(True)
        self._say(self.tr("打印测试页… Printing the test page…"))
        self.run("printer.test_page", self.service.print_test_page,
                 lambda _r, e: self._printed(e, self.tr("测试页已打印 Test page printed")))

    def print_calibration(self) -> None:
        self._busy(True)
        self._say(self.tr("打印校准页… Printing the calibration page…"))
        self.run("printer.calibration", self.service.print_calibration,
                 lambda _r, e: self._printed(e, self.tr(
                     "校准页已打印：选择清晰的一行的编号，然后保存。"
                     "Calibration printed: pick the number of the clear line, then save.")))

    def _printed(self, error: BaseException | None, ok_text: str) -> None:
        self._busy(False)
        if error is not None:
            self._say(self.tr("打印失败 Printing failed: ") + _message(error), ok=False)
        else:
            self._say(ok_text)
        self._show_printed()

    def _busy(self, busy: bool) -> None:
        for b in (self.test_page, self.calibrate, self.save):
            b.setEnabled(not busy)
        if not busy:
            self._choice_changed()

    def _show_printed(self) -> None:
        if not self.emulated:
            self.preview_title.setText(self.tr("真实打印机：请看打印出的纸。"
                                               "Real printer: look at the paper it printed."))
            return
        # Rendering a receipt (text and QR) is CPU work: on the pool, not the UI thread.
        self.run("printer.preview", self.service.printed_image, self._preview_ready)

    def _preview_ready(self, image: Any, error: BaseException | None) -> None:
        if error is not None:
            self.preview_title.setText(self.tr("预览失败 Preview failed: ") + str(error))
            return
        if image is None:
            self.preview_title.setText(self.tr("模拟打印机：尚未打印 Emulated printer: nothing "
                                               "printed yet"))
            self.preview.clear()
            self.printed = None
            return
        self.preview_title.setText(self.tr("模拟打印机打印的最后一张 Last receipt the emulated "
                                           "printer printed"))
        self.printed = pil_to_qimage(image)
        self._fit_preview()

    def _fit_preview(self) -> None:
        """The receipt scaled to the preview's width (it scrolls down, never sideways)."""
        if self.printed is None:
            return
        width = max(100, self.preview_scroll.viewport().width() - 8)
        image = self.printed
        if image.width() > width:
            image = image.scaledToWidth(width, Qt.TransformationMode.SmoothTransformation)
        self.preview.setPixmap(QPixmap.fromImage(image))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if watched is self.preview_scroll.viewport() and event.type() == QEvent.Type.Resize:
            self._fit_preview()
        return False

    # -- encoding -----------------------------------------------------------------------
    def chosen(self) -> str:
        return ENCODINGS[self.choices.checkedId()] if self.choices.checkedId() >= 0 else ""

    def _choice_changed(self) -> None:
        self.save.setEnabled(bool(self.chosen()) and self.chosen() != self.service.encoding)

    def save_encoding(self) -> None:
        encoding = self.chosen()
        if not encoding:
            return
        self._busy(True)
        self.run("printer.encoding", lambda: self.service.save_encoding(encoding),
                 lambda applied, e: self._saved(encoding, applied, e))

    def _saved(self, encoding: str, applied: Any, error: BaseException | None) -> None:
        self._busy(False)
        if error is not None:
            self._say(self.tr("保存失败 Not saved: ") + str(error), ok=False)
        elif applied:
            self._say(self.tr("已保存并生效 Saved and in use: ") + encoding)
        else:
            self._say(self.tr("已保存，重启后生效 Saved; used after a restart: ") + encoding)
        self._choice_changed()
        self.encoding_title.setText(self.tr("打印编码 Encoding: ") + self.service.encoding)

    def _say(self, text: str, *, ok: bool = True) -> None:
        self.message.setText(text)
        self.message.setProperty("role", "ok" if ok else "error")
        self.message.style().polish(self.message)

    def retranslate(self) -> None:
        super().retranslate()
        self.ask.setText(self.tr("查询 Ask"))
        self.test_page.setText(self.tr("测试页 Test page"))
        self.encoding_title.setText(self.tr("打印编码 Encoding: ") + self.service.encoding)
        self.calibrate.setText(self.tr("打印编码校准页 Print calibration page"))
        self.save.setText(self.tr("保存所选编码 Save chosen encoding"))


def _message(error: BaseException) -> str:
    if isinstance(error, ProblemError):
        return problem_words(error.problem)
    return str(error)
