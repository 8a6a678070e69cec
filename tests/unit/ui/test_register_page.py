"""The registration screen as a newcomer meets it (found walking the README on Xvfb):
the next person starts from "Person", and the credit code is checked as it is typed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from kiosk.flow.states import Screen
from tests.helpers.app import kiosk_gui
from ui.screenshots import prepare_screen
from ui.widgets.keyboard import QT_LOG_IGNORE

pytestmark = pytest.mark.qt_log_ignore(*QT_LOG_IGNORE)
WAIT = 20_000


@pytest.fixture()
def gui(qtbot: Any, tmp_path: Path) -> Any:
    g = kiosk_gui(qtbot, tmp_path / "data", lang="zh_CN")
    yield g
    g.close()


def tap(qtbot: Any, widget: Any) -> None:
    assert widget.isVisible() and widget.isEnabled(), widget.text()
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def test_the_next_person_registers_from_person_not_the_last_ones_enterprise(
        qtbot: Any, gui: Any) -> None:
    s = gui.core.session
    prepare_screen(gui, "register")
    page = gui.window.current
    tap(qtbot, page.enterprise)
    tap(qtbot, page.by_email)
    assert page.edits["tax_id"].isVisible()
    s.finish()  # this person leaves; the screen is wiped for the next one
    qtbot.waitUntil(lambda: s.screen is Screen.ATTRACT, timeout=WAIT)
    prepare_screen(gui, "register")
    assert gui.window.current is page
    assert page.person.isChecked() and not page.enterprise.isChecked()
    assert not page.edits["tax_id"].isVisible() and not page.edits["contact"].isVisible()
    assert page.labels["name"].text() == "您的姓名"
    assert not page.by_email.isChecked()


def test_the_credit_code_is_checked_as_it_is_typed(qtbot: Any, gui: Any) -> None:
    prepare_screen(gui, "register")
    page = gui.window.current
    tap(qtbot, page.enterprise)
    check = page.tax_id_check
    assert not check.isVisible()  # nothing typed, nothing said
    page.edits["tax_id"].setText("91350200776049653B")  # the check character is wrong
    qtbot.waitUntil(check.isVisible, timeout=WAIT)
    assert "第 1 至 8 位和第 18 位" in check.text()
    # The form has no confirm button: it never asks to "confirm and go on" (确认继续).
    assert "确认" not in check.text() and "营业执照" in check.text()
    assert check.property("role") == "error"
    page.edits["tax_id"].setText("9135020077")  # still typing: how many to go, not red
    assert "还差 8 位" in check.text() and check.property("role") == "hint"
    page.edits["tax_id"].setText("91350200776049653A")
    assert check.text() == "有效的统一社会信用代码。" and check.property("role") == "ok"
    tap(qtbot, page.person)  # a person has no credit code: nothing about it shows
    assert not check.isVisible()
