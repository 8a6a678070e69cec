"""The printer-problem page when the printer holds half a receipt (cover opened after
its last status answer), in English large text in the 1280x800 window: the banner
takes two lines, and the QR code, the way to the invoice while the printer is down,
was squeezed to 112 px high (its top and bottom rows cut: it did not scan), then,
kept whole, drawn over the button under it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kiosk.flow.states import Screen
from tests.helpers.app import kiosk_gui, qr_for
from tests.helpers.fit import clipped
from ui.widgets.keyboard import QT_LOG_IGNORE

pytestmark = pytest.mark.qt_log_ignore(*QT_LOG_IGNORE)


@pytest.mark.parametrize(("lang", "large"), [("en", True), ("zh_CN", True), ("en", False)])
def test_the_qr_and_the_words_are_whole_while_the_receipt_is_held(
        qtbot: Any, tmp_path: Path, lang: str, large: bool) -> None:
    gui = kiosk_gui(qtbot, tmp_path / "data", lang=lang, large_text=large)
    try:
        s = gui.core.session
        printer = gui.devices.printer
        assert printer.status().status.works  # fresh: the next job is sent without asking
        gui.devices.emulators.printer.set_cover_open(True)
        s.code_scanned(qr_for(gui, 0), "scanner")
        s.review.confirm()
        qtbot.waitUntil(lambda: s.screen is Screen.PRINTER_PROBLEM, timeout=20000)
        page = gui.window.pages[Screen.PRINTER_PROBLEM]
        qtbot.waitUntil(lambda: page.qr.isVisible() and clipped(page) == [], timeout=5000)
        assert s.data.receipt_held
    finally:
        gui.devices.emulators.printer.set_cover_open(False)
        gui.close()
