"""What a finger can reach while the docked keyboard is up.

- 获取验证码 (send code) on the code-login and forgot-password pages: it was a button in
  the page body, under the field, so it sat behind the keyboard while the person typed
  the phone number or user name. It must be in sight above the keyboard.
- After the keyboard's hide key, tapping the still-focused field brings the keyboard
  back, on every screen with fields.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QLineEdit, QPushButton, QWidget

from kiosk.flow.states import Screen
from tests.helpers.app import kiosk_gui
from tests.helpers.sight import in_sight
from ui.screenshots import DEMO_ADMIN, _demo_enterprise, prepare_screen
from ui.widgets.keyboard import QT_LOG_IGNORE

pytestmark = pytest.mark.qt_log_ignore(*QT_LOG_IGNORE)

WAIT = 10000


@pytest.fixture
def gui(qtbot: Any, tmp_path: Path) -> Iterator[Any]:
    g = kiosk_gui(qtbot, tmp_path / "data", keyboard=True)
    qtbot.waitExposed(g.window)
    g.window.activateWindow()
    yield g
    g.close()


def send_code_buttons(page: QWidget) -> list[QPushButton]:
    """The page's visible buttons saying "send code", in the language on show."""
    text = QCoreApplication.translate(type(page).__name__, "Send code")
    return [b for b in page.findChildren(QPushButton) if b.isVisible() and b.text() == text]


@pytest.mark.parametrize(("name", "field", "wrong", "typed"), [
    ("code_login", "phone", "1380000000", "13800000002"),
    ("forgot_password", "user", "nobody", DEMO_ADMIN)])
@pytest.mark.parametrize(("lang", "large"), [("zh_CN", False), ("en", True)])
def test_send_code_is_in_sight_above_the_keyboard(qtbot: Any, tmp_path: Path, name: str,
                                                  field: str, wrong: str, typed: str, lang: str,
                                                  large: bool) -> None:
    g = kiosk_gui(qtbot, tmp_path / "data", keyboard=True, lang=lang, large_text=large)
    try:
        qtbot.waitExposed(g.window)
        _demo_enterprise(g)  # wang, with the mobile 13800000002
        prepare_screen(g, name)
        page = g.window.pages[Screen(name)]
        kb = g.window.keyboard
        edit: QLineEdit = getattr(page, field)
        qtbot.waitUntil(lambda: g.window.stack.currentWidget() is page, timeout=WAIT)
        qtbot.mouseClick(edit, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: edit.hasFocus() and in_sight(edit, kb) == "", timeout=WAIT)
        buttons = send_code_buttons(page)
        assert len(buttons) == 1, [b.text() for b in buttons]
        send = buttons[0]
        qtbot.waitUntil(lambda: in_sight(send, kb) == "", timeout=WAIT)
        # A mistyped number or name first: the error banner takes room above the footer.
        edit.setText(wrong)
        qtbot.mouseClick(send, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(page.notice.isVisible, timeout=WAIT)
        qtbot.mouseClick(edit, Qt.MouseButton.LeftButton)  # to put it right
        qtbot.waitUntil(lambda: edit.hasFocus() and kb.isVisible(), timeout=WAIT)
        edit.setText(typed)
        qtbot.waitUntil(lambda: in_sight(edit, kb) == "" and in_sight(send, kb) == "",
                        timeout=WAIT)
        assert send.isEnabled() and send_code_buttons(page) == [send]
        qtbot.mouseClick(send, Qt.MouseButton.LeftButton)  # the code goes out
        qtbot.waitUntil(lambda: page.stage.isVisible(), timeout=WAIT)
        assert send_code_buttons(page) == []  # the code stage has its own action
    finally:
        g.close()
