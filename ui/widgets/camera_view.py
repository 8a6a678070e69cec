"""The live camera picture, shown only while the user has the camera on (with its notice)."""

from __future__ import annotations

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QLabel


class CameraView(QLabel):
    def __init__(self, width: int = 400, height: int = 225) -> None:
        super().__init__()
        self.setFixedSize(width, height)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setStyleSheet("background: #10161f; border-radius: 8px;")
        self.last = QImage()

    def show_image(self, image: QImage) -> None:
        self.last = image
        self.setPixmap(QPixmap.fromImage(image).scaled(
            self.size(), Qt.AspectRatioMode.KeepAspectRatio,
            Qt.TransformationMode.SmoothTransformation))

    def clear_image(self) -> None:
        self.last = QImage()
        self.clear()

    def png(self) -> bytes:
        """The last frame as PNG bytes (b"" when there is none)."""
        if self.last.isNull():
            return b""
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        self.last.save(buffer, "PNG")  # type: ignore[call-overload]  # stubs say bytes; runtime wants str
        return bytes(data.data())
