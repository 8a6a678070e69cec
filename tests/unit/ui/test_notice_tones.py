"""The page's banner looks like what it says (issue 11): good news ("the receipt was
printed again") in a calm green, a problem ("wrong password") in red. Driven through the
real window by touch; the colour is read from the banner as drawn, not from a property
alone, so a stylesheet without the tone's rule fails too."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QLabel

from kiosk.flow.states import Screen
from tests.helpers.app import kiosk_gui
from ui.screenshots import prepare_screen
from ui.widgets.keyboard import QT_LOG_IGNORE

pytestmark = pytest.mark.qt_log_ignore(*QT_LOG_IGNORE)


def background(banner: QLabel) -> QColor:
    """The banner's most common colour as drawn: its background."""
    image = banner.grab().toImage()
    counts = Counter(image.pixel(x, y) for x in range(0, image.width(), 3)
                     for y in range(0, image.height(), 3))
    return QColor.fromRgb(counts.most_common(1)[0][0])


def reddish(colour: QColor) -> bool:
    return colour.red() > colour.green() + 8 and colour.red() > colour.blue() + 8


def greenish(colour: QColor) -> bool:
    return colour.green() > colour.red() + 8 and colour.green() > colour.blue()


def test_a_reprint_says_so_in_the_good_news_style(qtbot: Any, tmp_path: Path) -> None:
    gui = kiosk_gui(qtbot, tmp_path / "data")
    try:
        s = gui.core.session
        prepare_screen(gui, "centre")
        page = gui.window.pages[Screen.CENTRE]
        qtbot.mouseClick(page.cards[0].reprint, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: s.data.centre.printed != "" and page.notice.isVisible(),
                        timeout=30000)
        assert page.notice.text() == "凭条已重新打印"
        assert page.notice.property("tone") == "ok"
        colour = background(page.notice)
        assert greenish(colour) and not reddish(colour), colour.name()
    finally:
        gui.close()


def test_a_wrong_password_stays_red(qtbot: Any, tmp_path: Path) -> None:
    gui = kiosk_gui(qtbot, tmp_path / "data")
    try:
        prepare_screen(gui, "login")
        page = gui.window.pages[Screen.LOGIN]
        qtbot.keyClicks(page.user, "demo")
        qtbot.keyClicks(page.password, "wrong")
        qtbot.mouseClick(page.primary, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(page.notice.isVisible, timeout=10000)
        assert page.notice.property("tone") == "problem"
        assert reddish(background(page.notice)), background(page.notice).name()
    finally:
        gui.close()
