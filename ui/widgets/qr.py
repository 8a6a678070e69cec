"""A QR code as a QPixmap (``qrcode`` makes the matrix; Qt paints it crisp, no resampling)."""

from __future__ import annotations

import qrcode
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QPainter, QPixmap


def qr_pixmap(text: str, size: int = 280) -> QPixmap:
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=4)
    qr.add_data(text)
    qr.make(fit=True)
    matrix = qr.get_matrix()
    n = len(matrix)
    module = max(1, size // n)
    pixmap = QPixmap(module * n, module * n)
    pixmap.fill(QColor("white"))
    painter = QPainter(pixmap)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor("black"))
    for y, row in enumerate(matrix):
        for x, dark in enumerate(row):
            if dark:
                painter.drawRect(QRect(x * module, y * module, module, module))
    painter.end()
    return pixmap
