"""Is the field being typed into in sight, and is a message clear of what it is about?

Geometry checks in window coordinates for the docked on-screen keyboard (issue 11):
:func:`in_sight` says what hides a focused field (the keyboard, the window's edge, its
scroll area), :func:`banner_problems` what is wrong with a page's notice banner while
the keyboard is up (over a field or a button, under the header or the keyboard). Used
offscreen by the unit tests and on a real X server by :mod:`tests.helpers.keyboard_probe`.
"""

from __future__ import annotations

from PySide6.QtCore import QRect
from PySide6.QtWidgets import QAbstractButton, QLineEdit, QWidget

from tests.helpers.fit import shown_rect
from ui.widgets.text_input import scroll_areas_of


def rect_in_window(widget: QWidget) -> QRect:
    window = widget.window()
    return QRect(widget.mapTo(window, widget.rect().topLeft()), widget.size())


def in_sight(field: QWidget, keyboard: QWidget) -> str:
    """'' when the field is fully visible above the keyboard, else what is wrong."""
    window = field.window()
    rect = rect_in_window(field)
    if not keyboard.isVisible():
        return "the keyboard is not shown"
    if not window.rect().contains(rect_in_window(keyboard)):
        return "the keyboard is not laid out inside the window yet"
    top = rect_in_window(keyboard).top()
    if rect.bottom() >= top:
        return f"field bottom {rect.bottom()} is not above the keyboard's top {top}"
    if not window.rect().contains(rect):
        return f"field {rect.getRect()} is outside the window"
    for area in scroll_areas_of(field):
        seen = rect_in_window(area.viewport())
        if not seen.contains(rect):
            return f"field {rect.getRect()} is outside the visible area {seen.getRect()}"
    return ""


def _name(widget: QWidget) -> str:
    text = widget.text() if isinstance(widget, QLineEdit | QAbstractButton) else ""
    if isinstance(widget, QLineEdit):
        text = widget.placeholderText() if widget.echoMode() is not QLineEdit.EchoMode.Normal \
            or not text else text
    return f"{type(widget).__name__} {text[:40]!r}"


def banner_problems(page: QWidget, notice: QWidget, header: QWidget,
                    keyboard: QWidget) -> list[str]:
    """What is wrong with ``notice`` (the page's banner) while ``keyboard`` is up: it must
    show, whole, inside the window, below ``header`` and above the keyboard, and cover
    no part of a field or button the page shows (parts scrolled out of sight aside)."""
    if not notice.isVisible():
        return ["the banner is not shown"]
    window = page.window()
    banner = rect_in_window(notice)
    board = rect_in_window(keyboard)
    found = []
    if not window.rect().contains(banner):
        found.append(f"banner {banner.getRect()} is outside the window {window.rect().getRect()}")
    if keyboard.isVisible() and not window.rect().contains(board):
        found.append(f"the keyboard {board.getRect()} is pushed out of the window "
                     f"{window.rect().getRect()}")
    if keyboard.isVisible() and banner.bottom() >= board.top():
        found.append(f"banner bottom {banner.bottom()} reaches the keyboard's top {board.top()}")
    if banner.top() <= rect_in_window(header).bottom():
        found.append(f"banner top {banner.top()} is under the header")
    for widget in page.findChildren(QWidget):
        if not isinstance(widget, QLineEdit | QAbstractButton) or not widget.isVisible():
            continue
        seen, _cut = shown_rect(widget)
        common = seen.intersected(banner)
        if seen.isValid() and common.isValid() and not common.isEmpty():
            found.append(f"banner {banner.getRect()} covers {_name(widget)} at "
                         f"{seen.getRect()}")
    return found
