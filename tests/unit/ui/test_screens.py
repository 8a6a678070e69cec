"""Every screen, reached with demo data through the real flow, in both languages and in
large-text mode: it shows, its buttons are finger-sized, and nothing sticks out of the
window. (The PNGs of these screens were looked at by eye; ``kiosk run --screenshot``
makes them.)"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QAbstractButton, QLabel, QWidget

from kiosk.flow.states import Screen
from tests.helpers.app import kiosk_gui
from ui.screenshots import prepare_screen, save_screenshot
from ui.widgets.keyboard import QT_LOG_IGNORE

pytestmark = pytest.mark.qt_log_ignore(*QT_LOG_IGNORE)

MAIN = ("attract", "orders", "buyer", "review", "result", "platform_queued")
MIN_TOUCH_PX = 57  # 15 mm at 96 dpi


def check_page(gui: Any, screen: Screen) -> None:
    window = gui.window
    page = window.pages[screen]
    assert window.stack.currentWidget() is page
    width = window.width()
    for widget in page.findChildren(QWidget):
        if not widget.isVisible():
            continue
        if isinstance(widget, QAbstractButton) and widget.property("role") != "link":
            assert widget.height() >= MIN_TOUCH_PX, (
                f"{screen.value}: button {widget.text()!r} is {widget.height()} px high")
            assert widget.width() >= widget.sizeHint().width(), (
                f"{screen.value}: button {widget.text()!r} is cut off")
        if isinstance(widget, QLabel | QAbstractButton):
            right = widget.mapTo(window, widget.rect().topRight()).x()
            assert right <= width, f"{screen.value}: {widget.text()!r} sticks out ({right} px)"


@pytest.mark.parametrize("name", [s.value for s in Screen])
def test_every_screen_in_chinese(qtbot: Any, tmp_path: Path, name: str) -> None:
    gui = kiosk_gui(qtbot, tmp_path / "data", lang="zh_CN")
    try:
        prepare_screen(gui, name)
        save_screenshot(gui.window, tmp_path / f"{name}.png", (1280, 800))
        check_page(gui, Screen(name))
    finally:
        gui.close()


@pytest.mark.parametrize("large", [False, True], ids=["normal", "large"])
@pytest.mark.parametrize("name", MAIN)
def test_main_screens_in_english_and_large_text(qtbot: Any, tmp_path: Path, name: str,
                                                large: bool) -> None:
    gui = kiosk_gui(qtbot, tmp_path / "data", lang="en", large_text=large)
    try:
        prepare_screen(gui, name)
        save_screenshot(gui.window, tmp_path / f"{name}.png", (1280, 800))
        check_page(gui, Screen(name))
        assert gui.window.pages[Screen(name)].back.text() in ("< Back", "Decline", "No, thanks",
                                                              "No, start over", "Close")
    finally:
        gui.close()
