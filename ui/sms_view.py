"""The simulator panel's "latest SMS" box: the newest message of the ``sms/`` folder.

With the default SMS backend (:mod:`kiosk.messaging.folder`) codes are files in
``<data_dir>/sms``; this box shows the newest one (number masked, code in
full: it is the test phone's screen) so anyone can walk registration and
phone-code login on emulated devices. A file-system watcher refreshes it.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QFileSystemWatcher
from PySide6.QtWidgets import QGroupBox, QLabel, QPushButton, QVBoxLayout, QWidget

from kiosk.masking import mask_email, mask_phone
from kiosk.messaging.folder import latest_sms


class LatestSms(QGroupBox):
    def __init__(self, folder: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("latestSms")
        self.folder = Path(folder)
        self.text = QLabel()
        self.text.setObjectName("latestSmsText")
        self.text.setWordWrap(True)
        self.refresh_button = QPushButton()
        self.refresh_button.setObjectName("sms_refresh")
        self.refresh_button.clicked.connect(self.refresh)
        box = QVBoxLayout(self)
        box.addWidget(self.text)
        box.addWidget(self.refresh_button)
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError:
            pass  # shown as "no message yet"; the kiosk reports an unwritable data folder
        self.watcher = QFileSystemWatcher([str(self.folder)], self)
        self.watcher.directoryChanged.connect(lambda _path: self.refresh())
        self._retranslate()
        self.refresh()

    def refresh(self) -> None:
        msg = latest_sms(self.folder)
        if msg is None:
            self.text.setText(self.tr("No message yet."))
            return
        to = str(msg.get("to", ""))
        shown_to = mask_email(to) if "@" in to else mask_phone(to)
        self.text.setText(f"{shown_to}  {msg.get('at', '')}\n"
                          + self.tr("Code: %1").replace("%1", str(msg.get("code", "")))
                          + f"\n{msg.get('text_zh', '')}")

    def _retranslate(self) -> None:
        self.setTitle(self.tr("Latest SMS (sms/ folder)"))
        self.refresh_button.setText(self.tr("Refresh"))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt API)
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
            self.refresh()
        super().changeEvent(event)
