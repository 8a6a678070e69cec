"""The personal centre shows what happens and why: "sent to" comes into sight after
sending (it lay below the fold at 1280x800), and a greyed-out action says why."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kiosk.flow.states import Screen
from tests.helpers.app import kiosk_gui
from tests.helpers.fit import shown_rect
from ui.screenshots import prepare_screen
from ui.widgets.keyboard import QT_LOG_IGNORE

pytestmark = pytest.mark.qt_log_ignore(*QT_LOG_IGNORE)

WAIT = 20_000


@pytest.fixture()
def gui(qtbot: Any, tmp_path: Path) -> Any:
    g = kiosk_gui(qtbot, tmp_path / "data", lang="zh_CN")
    yield g
    g.close()


def _in_view(widget: Any) -> bool:
    rect, cut = shown_rect(widget)
    return widget.isVisible() and cut is None and rect.size() == widget.size()


@pytest.mark.parametrize("large", [False, True])
def test_sent_to_comes_into_sight_after_sending(qtbot: Any, gui: Any, large: bool) -> None:
    gui.window.set_large_text(large)
    prepare_screen(gui, "centre_invoice")  # 1280x800: the kiosk run --windowed size
    page = gui.window.pages[Screen.CENTRE_INVOICE]
    gui.core.session.centre.send_email("lee@example.com")
    qtbot.waitUntil(page.mailed.isVisible, timeout=WAIT)
    assert "L***@example.com" in page.mailed.text() or "l***@example.com" in page.mailed.text()
    qtbot.waitUntil(lambda: _in_view(page.mailed), timeout=WAIT)


def test_submit_says_why_it_waits_for_a_cause(qtbot: Any, gui: Any) -> None:
    prepare_screen(gui, "centre_invoice")
    s = gui.core.session
    s.centre.change()
    qtbot.waitUntil(lambda: s.screen is Screen.CHANGE, timeout=WAIT)
    page = gui.window.pages[Screen.CHANGE]
    qtbot.waitUntil(lambda: page.primary.isVisible(), timeout=WAIT)
    assert not page.primary.isEnabled()
    assert page.submit_reason.isVisible() and page.submit_reason.text().strip()
    s.centre.set_what("returned")
    qtbot.waitUntil(page.primary.isEnabled, timeout=WAIT)
    assert not page.submit_reason.isVisible()
