"""A QR code as a QPixmap (``qrcode`` makes the matrix; Qt paints it crisp, no resampling)."""

from __future__ import annotations

import qrcode
from PySide6.QtCore import QRect, Qt, QTimer
from PySide6.QtGui import QColor, QPainter, QPixmap
from PySide6.QtWidgets import QLabel, QScrollArea


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


def show_qr(label: QLabel, text: str, size: int = 280) -> None:
    """Show ``text`` as a QR code on ``label``, which never gets smaller than the code: a
    layout short of room would squeeze the label and cut rows off the code (it did on the
    printer-problem page in large text), and a cut code does not scan. The page scrolls
    instead."""
    pixmap = qr_pixmap(text, size)
    label.setPixmap(pixmap)
    label.setMinimumSize(pixmap.deviceIndependentSize().toSize())
    QTimer.singleShot(0, label, lambda: _relayout(label))


def _relayout(label: QLabel) -> None:
    """Lay out again the scrolling page holding ``label``, once it has its final size.
    Qt's scroll area left the page's columns at the height of an earlier pass (word-wrapped
    labels, a scroll bar coming) and the code was drawn over the button under it."""
    widget = label.parentWidget()
    while widget is not None:
        viewport = widget.parentWidget()
        if viewport is not None and isinstance(viewport.parentWidget(), QScrollArea):
            layout = widget.layout()
            if layout is not None:
                layout.invalidate()
                layout.activate()
            return
        widget = widget.parentWidget()
