"""Every screen shows every text whole (issue 11 item 6): in Chinese and English,
standard and large text, on the kiosk's 1920x1080 screen (full screen in kiosk mode)
and in the 1280x800 window (``kiosk run --windowed``). A label whose text is wider or
taller than the label (font metrics, word wrap), a button too small for its text, a
table cell elided or cut off, a text cut by its parent or drawn over another one fails
(:mod:`tests.helpers.fit`). And the review shows every line, the sums, the words and
the buyer without scrolling for an order of up to five lines. The voice guidance's
controls float over every screen's footer: their texts are checked with each screen's,
voice off and on."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QScrollArea

from kiosk.flow.states import Screen
from tests.helpers.app import kiosk_gui
from tests.helpers.fit import clipped, shown_rect
from ui.screenshots import prepare_screen
from ui.widgets.keyboard import QT_LOG_IGNORE

# The voice controls' audio player finds no sound device on a test machine.
NO_AUDIO = (r"Couldn't (load|resolve) va", r"pa_context_connect", r"PulseAudioService",
            r"Using Qt multimedia with FFmpeg")
pytestmark = pytest.mark.qt_log_ignore(*QT_LOG_IGNORE, *NO_AUDIO)

KIOSK = (1920, 1080)  # the terminal's panel: the kiosk's full-screen window
WINDOWED = (1280, 800)  # kiosk run --windowed
# Large text outermost: switching it re-styles the whole window (ui.theme.apply), the
# slowest step of these tests; in this order each test switches it once.
MODES = [(lang, large) for large in (False, True) for lang in ("zh_CN", "en")]


def _show(gui: Any, lang: str, large: bool, size: tuple[int, int]) -> None:
    gui.window.set_language(lang)
    gui.window.set_large_text(large)
    gui.window.resize(*size)
    for _ in range(3):  # layout requests, then the scroll area's own update
        QCoreApplication.processEvents()


def _hold(gui: Any, name: str) -> None:
    """Reach ``name`` and keep it while the modes are switched. Two screens move on by
    themselves: issuing (the platform answers; here it waits until released) and the idle
    warning (its countdown; here a long one)."""
    if name == Screen.ISSUING.value:
        gui.core.gateway.faults.set(latency_s=600)  # released by faults.clear()
        s = gui.core.session
        prepare_screen(gui, "review")
        s.review.confirm()
        QCoreApplication.processEvents()
    elif name == Screen.IDLE_WARNING.value:
        gui.core.session.core.countdown_s = 3600
        prepare_screen(gui, name)
    else:
        prepare_screen(gui, name)


@pytest.mark.parametrize("name", [s.value for s in Screen])
def test_no_text_is_clipped(qtbot: Any, tmp_path: Path, name: str) -> None:
    gui = kiosk_gui(qtbot, tmp_path / "data", lang="zh_CN", voice=True)
    try:
        _hold(gui, name)
        page = gui.window.pages[Screen(name)]
        controls = gui.voice.controls
        found = []
        # Sizes outside, modes inside: a person switches language and large text on a
        # window that keeps its size (nothing then resizes what floats over the page).
        for size in (KIOSK, WINDOWED):
            for lang, large in MODES:
                _show(gui, lang, large, size)
                assert gui.window.stack.currentWidget() is page
                mode = f"{lang} {'large' if large else 'standard'} {size[0]}x{size[1]}"
                found += [f"{mode}: {f}" for f in clipped(page)]
                # As the mode switch left them (voice off: one toggle), then with the
                # voice on (repeat and volume too); set_muted refits them itself.
                found += [f"{mode}, voice off: {f}" for f in clipped(controls)]
                controls.set_muted(False)
                QCoreApplication.processEvents()
                found += [f"{mode}, voice on: {f}" for f in clipped(controls)]
                controls.set_muted(True)
        assert found == [], "\n".join(found)
    finally:
        gui.core.gateway.faults.clear()  # a held issue goes on (and ends) before the close
        gui.close()


def test_review_fits_without_scrolling(qtbot: Any, tmp_path: Path) -> None:
    gui = kiosk_gui(qtbot, tmp_path / "data", lang="zh_CN")
    try:
        prepare_screen(gui, "review")  # two demo orders: five lines
        page = gui.window.pages[Screen.REVIEW]
        assert page.table.rowCount() == 5
        scroll = page.findChild(QScrollArea)
        for lang, large in MODES:
            _show(gui, lang, large, KIOSK)
            mode = f"{lang} {'large' if large else 'standard'}"
            assert scroll.verticalScrollBar().maximum() == 0, f"{mode}: the review scrolls"
            for widget in (page.buyer_name, page.buyer_tax, page.table, page.sums, page.words,
                           page.meta, page.primary):
                rect, cut = shown_rect(widget)
                assert cut is None and rect.size() == widget.size(), (
                    f"{mode}: {widget.objectName() or type(widget).__name__} not all in view")
            viewport = page.table.viewport().rect()
            for row in range(5):
                cell = page.table.visualRect(page.table.model().index(row, 0))
                assert viewport.contains(cell), f"{mode}: line {row + 1} is hidden"
    finally:
        gui.close()
