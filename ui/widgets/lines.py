"""A read-only table of invoice or order lines, sized for reading at arm's length.

Every cell is shown whole: the item column wraps a long name onto a second line
instead of eliding it, the figures' columns are as wide as their widest figure,
and each row is as tall as its text in the current font (large text included).
The table is as tall as its rows, up to ``max_rows`` of them; only beyond that does it
scroll by itself (with its scroll bar showing).
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
)


class LinesTable(QTableWidget):
    def __init__(self, columns: int, *, max_rows: int = 8) -> None:
        super().__init__(0, columns)
        self.max_rows = max_rows  # rows shown before the table scrolls
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        self.setWordWrap(True)
        self.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.verticalHeader().hide()
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self._fit()

    def set_rows(self, rows: Sequence[Sequence[str]]) -> None:
        self.setRowCount(len(rows))
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                item = QTableWidgetItem(text)
                if c > 0:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                else:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
                self.setItem(r, c, item)
        self._fit()

    def _fit(self) -> None:
        """Rows as tall as their text at the current column widths; the table as tall as
        its first ``max_rows`` rows (one empty row's height when there are none)."""
        self.resizeRowsToContents()
        header = self.horizontalHeader()
        shown = min(self.rowCount(), self.max_rows)
        rows = sum(self.rowHeight(r) for r in range(shown))
        if shown == 0:
            rows = self.fontMetrics().height() + 16
        height = header.sizeHint().height() + rows + 2 * self.frameWidth()
        if self.height() != height or self.minimumHeight() != height:
            self.setFixedHeight(height)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt API)
        super().resizeEvent(event)
        if event.oldSize().width() != event.size().width():
            self._fit()  # a new width wraps names differently

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt API)
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._fit()  # large text: taller rows
