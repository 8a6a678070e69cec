"""Who holds the focus when the screen changes: nobody, and the keyboard is down.

A newcomer found the next person inheriting the previous person's keyboard: after a
password login and the end of that session (back to the attract screen, or idle), the
next person's login screen opened with the keyboard up and the focus in the password
field, so the first tap on the user name landed on a key. Qt restores a page's last
focused widget when the stacked widget shows that page again; the window must forget
it on every screen change and on the wipe.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QApplication

from kiosk.flow.states import Screen
from tests.helpers.app import kiosk_gui
from ui.screenshots import prepare_screen
from ui.widgets.keyboard import QT_LOG_IGNORE, is_text_field

pytestmark = pytest.mark.qt_log_ignore(*QT_LOG_IGNORE)

WAIT = 10000


@pytest.fixture
def gui(qtbot: Any, tmp_path: Path) -> Iterator[Any]:
    g = kiosk_gui(qtbot, tmp_path / "data", keyboard=True)
    qtbot.waitExposed(g.window)
    g.window.activateWindow()
    yield g
    g.close()


def settle() -> None:
    for _ in range(5):  # queued focus and show events
        QCoreApplication.processEvents()


def no_field_holds_focus(gui: Any) -> str:
    """'' when no text field of the window has the focus, nor would get it back when its
    page is shown (the page's remembered focus widget), and the keyboard is down."""
    found = []
    focused = QApplication.focusWidget()
    if is_text_field(focused):
        found.append(f"the focus is in {focused.placeholderText() or focused}")  # type: ignore[union-attr]
    for screen, page in gui.window.pages.items():
        remembered = page.focusWidget()
        if is_text_field(remembered):
            found.append(f"{screen.value} would give the focus back to "
                         f"{remembered.placeholderText() or remembered}")  # type: ignore[union-attr]
    if gui.window.keyboard.isVisible():
        found.append("the keyboard is up")
    return "; ".join(found)


def log_in_with_password(qtbot: Any, gui: Any) -> None:
    """The first person: taps the user name, types, taps the password, types, logs in."""
    page = gui.window.pages[Screen.LOGIN]
    kb = gui.window.keyboard
    prepare_screen(gui, "login")
    qtbot.waitUntil(lambda: gui.window.stack.currentWidget() is page, timeout=WAIT)
    qtbot.mouseClick(page.user, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.user.hasFocus() and kb.isVisible(), timeout=WAIT)
    page.user.setText("demo")
    qtbot.mouseClick(page.password, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.password.hasFocus() and kb.isVisible(), timeout=WAIT)
    page.password.setText("demo1234")
    page.password.returnPressed.emit()  # the keyboard's Enter key
    qtbot.waitUntil(lambda: gui.core.session.screen is Screen.ORDERS, timeout=WAIT)


def next_person_opens_login(qtbot: Any, gui: Any) -> None:
    s, page = gui.core.session, gui.window.pages[Screen.LOGIN]
    qtbot.waitUntil(lambda: s.screen is Screen.ATTRACT, timeout=WAIT)
    settle()
    prepare_screen(gui, "login")
    qtbot.waitUntil(lambda: gui.window.stack.currentWidget() is page, timeout=WAIT)
    settle()


@pytest.mark.parametrize("end", ["back", "idle"])
def test_next_person_gets_no_keyboard_and_no_focus(qtbot: Any, gui: Any, end: str) -> None:
    s, page, kb = gui.core.session, gui.window.pages[Screen.LOGIN], gui.window.keyboard
    log_in_with_password(qtbot, gui)
    if end == "back":
        s.back()  # 返回 on the orders screen: to the attract screen, the session wiped
    else:
        s.wipe("idle")
    next_person_opens_login(qtbot, gui)
    assert no_field_holds_focus(gui) == ""
    # The next person's first tap on the user name lands in the user name.
    qtbot.mouseClick(page.user, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.user.hasFocus() and kb.isVisible(), timeout=WAIT)
    assert not page.password.hasFocus()


def test_every_screen_change_leaves_no_field_focused(qtbot: Any, gui: Any) -> None:
    """Typing the password, then 注册 (register): no field of the register page takes the
    focus, the keyboard goes down; back on the login page nothing is focused either."""
    s, page, kb = gui.core.session, gui.window.pages[Screen.LOGIN], gui.window.keyboard
    prepare_screen(gui, "login")
    qtbot.waitUntil(lambda: gui.window.stack.currentWidget() is page, timeout=WAIT)
    qtbot.mouseClick(page.password, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.password.hasFocus() and kb.isVisible(), timeout=WAIT)
    qtbot.mouseClick(page.register, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: s.screen is Screen.REGISTER, timeout=WAIT)
    settle()
    assert no_field_holds_focus(gui) == ""
    register = gui.window.pages[Screen.REGISTER]
    qtbot.mouseClick(register.edits["username"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: register.edits["username"].hasFocus() and kb.isVisible(),
                    timeout=WAIT)
    s.back()
    qtbot.waitUntil(lambda: gui.window.stack.currentWidget() is page, timeout=WAIT)
    settle()
    assert no_field_holds_focus(gui) == ""
