"""What the diagnostics screens share: the base page, a job runner, colours, image conversion.

Every blocking call goes through :class:`~ui.diagnostics.relay.Jobs` on
diagnostics' own ``QThreadPool`` (results come back on the UI thread as posted
events), so closing can wait for exactly diagnostics' jobs.
Labels are bilingual (technicians read either language) and go through
``self.tr`` so a translation file can still change them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from drivers.base import StatusEvent
from drivers.problem import Problem
from kiosk.messages import text_for
from ui.diagnostics.relay import Jobs
from ui.screens.base import button, label

__all__ = ["DiagPage", "button", "label", "pil_to_qimage", "problem_words", "status_words",
           "STATE_COLOURS", "fill_table", "make_table", "state_of"]

# Board colours by check grade (ok / warn / fail) and their text marks.
STATE_COLOURS = {"ok": QColor("#d7f5df"), "warn": QColor("#fff1c2"), "fail": QColor("#ffd9d6")}
MARKS = {"ok": "✔ OK", "warn": "⚠ WARN", "fail": "✖ FAIL"}
NAV_HEIGHT = 64


def state_of(status: str) -> str:
    return status if status in MARKS else "warn"


class DiagPage(QWidget):
    """One diagnostics screen: a title, a body; ``enter``/``leave`` when shown/hidden."""

    title_text = ""

    def __init__(self, runner: Jobs, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.active = False
        self.outer = QVBoxLayout(self)
        self.outer.setContentsMargins(24, 16, 24, 16)
        self.outer.setSpacing(12)
        self.title = label("title")
        self.outer.addWidget(self.title)

    def enter(self) -> None:
        """The page is now on show: start what it watches, load what it shows."""
        self.active = True

    def leave(self) -> None:
        """The page is hidden or the mode closes: stop everything it started."""
        self.active = False

    def run(self, name: str, work: Callable[[], Any], done: Callable[[Any, BaseException | None],
                                                               None]) -> None:
        """Run ``work`` on the pool; ``done(result, error)`` on the UI thread."""
        self.runner.submit(f"diagnostics.{name}", work, done)

    def retranslate(self) -> None:
        self.title.setText(self.tr(self.title_text))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt API)
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)


def make_table(headers: int, *, stretch_last: bool = True) -> QTableWidget:
    table = QTableWidget(0, headers)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.verticalHeader().setVisible(False)
    table.setWordWrap(True)
    table.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setStretchLastSection(stretch_last)
    table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.verticalHeader().setMinimumSectionSize(48)  # rows a finger can pick
    return table


def fill_table(table: QTableWidget, rows: Sequence[Sequence[str]],
               colours: Sequence[QColor | None] | None = None) -> None:
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        colour = colours[r] if colours else None
        for c, text in enumerate(row):
            item = QTableWidgetItem(text)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
            if colour is not None:
                item.setBackground(colour)
            table.setItem(r, c, item)


def problem_words(problem: Problem) -> str:
    """A problem in both languages (technicians read either)."""
    words = text_for(problem)
    return f"{words.zh} {words.en}"


def status_words(event: StatusEvent) -> str:
    """A device's problem in both languages, with its technical detail (for technicians)."""
    if event.problem is None:
        return event.detail
    return problem_words(event.problem) + (f" ({event.detail})" if event.detail else "")


def pil_to_qimage(image: Any) -> QImage:
    """A PIL image as a QImage owning its pixels."""
    rgb = image.convert("RGB")
    data = rgb.tobytes("raw", "RGB")
    qimage = QImage(data, rgb.width, rgb.height, rgb.width * 3, QImage.Format.Format_RGB888)
    return qimage.copy()


def status_label() -> QLabel:
    lab = label("big")
    lab.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
    return lab
