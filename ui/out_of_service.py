"""The out-of-service window shown when the kiosk cannot start (e.g. a configuration error
under systemd): no traceback, a calm message in both languages, no way out to the desktop."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QApplication, QLabel, QVBoxLayout, QWidget

from ui import theme


class OutOfServiceWindow(QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        for text, role in (("暂停服务", "title"), ("This kiosk is out of service", "title"),
                           ("请联系工作人员。", "big"), ("Please ask staff for help.", "big")):
            lab = QLabel(text)
            lab.setProperty("role", role)
            lab.setAlignment(Qt.AlignmentFlag.AlignCenter)
            layout.addWidget(lab)
        layout.addStretch(1)

    def closeEvent(self, event: QCloseEvent) -> None:
        event.ignore()  # nothing to go back to; systemd restarts the kiosk after a fix


def show_out_of_service(app: QApplication, *, windowed: bool) -> OutOfServiceWindow:
    theme.apply(app, large_text=False)
    window = OutOfServiceWindow()
    if windowed:
        window.resize(1280, 800)
        window.show()
    else:
        window.setWindowFlags(Qt.WindowType.FramelessWindowHint)
        window.showFullScreen()
    return window
