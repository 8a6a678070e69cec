"""The on-screen keyboard draws its keys on the FIRST show (issue 11, defect 1).

A fresh panel, hidden until a text field takes the focus, used to open as a blank
area (offscreen) or a black one (X11) whose taps did nothing, until the pinyin
candidate bar had changed its height once. Here the keyboard area of the window is
grabbed on that first show and every key row must have its caps drawn, and the keys
must lie inside the view and the window. The same check runs against a real X server
in ``test_keyboard_xvfb.py``.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QLineEdit, QPushButton, QVBoxLayout, QWidget
from pytestqt.exceptions import TimeoutError
from pytestqt.qtbot import QtBot

from tests.helpers.keyboard_pixels import band_stats, keyboard_drawn
from ui.widgets.keyboard import QT_LOG_IGNORE, KeyboardPanel

pytestmark = pytest.mark.qt_log_ignore(*QT_LOG_IGNORE)


class Window(QWidget):
    def __init__(self) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.start = QPushButton("start")  # has the focus first, as a screen's button does
        self.field = QLineEdit()
        layout.addWidget(self.start)
        layout.addWidget(self.field)
        layout.addStretch(1)
        self.keyboard = KeyboardPanel(self)
        layout.addWidget(self.keyboard)
        self.resize(1280, 800)


@pytest.fixture()
def window(qtbot: QtBot) -> Iterator[Window]:
    w = Window()
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    w.start.setFocus()
    yield w


def grab_keyboard(window: Window) -> QImage:
    return window.grab(window.keyboard.geometry()).toImage()


def test_keys_are_drawn_on_the_first_show(window: Window, qtbot: QtBot) -> None:
    kb = window.keyboard
    assert kb.available and not kb.isVisible()
    window.field.setFocus()
    qtbot.waitUntil(kb.isVisible, timeout=10000)
    try:
        qtbot.waitUntil(lambda: keyboard_drawn(grab_keyboard(window)), timeout=15000)
    except TimeoutError:
        raise AssertionError(
            f"keyboard not drawn on first show: rows {band_stats(grab_keyboard(window))}, "
            f"view {kb.view().size().toTuple()}, keys end at {kb.keys_bottom()}") from None
    view = kb.view()
    assert 0 < kb.keys_bottom() <= view.height() + 0.5, "the bottom key row is cut off"
    assert window.rect().contains(kb.geometry()), "the keyboard sticks out of the window"
    root = view.rootObject()
    assert root is not None and round(root.height()) == view.height()


def test_keys_still_inside_after_candidates_came_and_went(window: Window,
                                                         qtbot: QtBot) -> None:
    """The candidate bar changing the height must not cut off the bottom row later."""
    kb = window.keyboard
    window.field.setFocus()
    qtbot.waitUntil(kb.isVisible, timeout=10000)
    kb.type_text("zhong")
    qtbot.waitUntil(lambda: bool(kb.candidates()), timeout=10000)
    kb.select_candidate(0)
    qtbot.waitUntil(lambda: window.field.text() != "", timeout=10000)
    kb.press_backspace()  # what follows the committed word goes too
    qtbot.waitUntil(lambda: window.field.text() == "", timeout=10000)
    qtbot.waitUntil(lambda: keyboard_drawn(grab_keyboard(window)), timeout=15000)
    qtbot.waitUntil(lambda: 0 < kb.keys_bottom() <= kb.view().height() + 0.5
                    and kb.geometry().bottom() <= window.rect().bottom(), timeout=10000)
