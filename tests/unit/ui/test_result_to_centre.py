"""The result screen leads an identified person to the personal centre (我的发票), where
the new invoice is; a walk-in, who has no centre, sees no such button."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from kiosk.flow.states import Screen
from tests.helpers.app import kiosk_gui
from ui.screenshots import _to_review, prepare_screen
from ui.widgets.keyboard import QT_LOG_IGNORE

pytestmark = pytest.mark.qt_log_ignore(*QT_LOG_IGNORE)

WAIT = 20_000


def test_an_identified_person_goes_from_the_result_to_my_invoices(qtbot: Any,
                                                                  tmp_path: Path) -> None:
    gui = kiosk_gui(qtbot, tmp_path / "data", lang="zh_CN")
    try:
        s = gui.core.session
        page = gui.window.pages[Screen.RESULT]
        s.identify.begin("login")
        s.identify.accept_terms()
        s.identify.login("demo", "demo1234")
        _to_review(gui)
        s.review.confirm()
        qtbot.waitUntil(lambda: s.screen is Screen.RESULT, timeout=WAIT)
        qtbot.waitUntil(page.my_invoices.isVisible, timeout=WAIT)
        qtbot.mouseClick(page.my_invoices, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: s.screen is Screen.CENTRE, timeout=WAIT)
    finally:
        gui.close()


def test_a_walk_in_has_no_way_to_a_centre(qtbot: Any, tmp_path: Path) -> None:
    gui = kiosk_gui(qtbot, tmp_path / "data", lang="zh_CN")
    try:
        prepare_screen(gui, "result")  # nobody identified
        assert gui.window.stack.currentWidget().isVisible()
        assert not gui.window.pages[Screen.RESULT].my_invoices.isVisible()
    finally:
        gui.close()
