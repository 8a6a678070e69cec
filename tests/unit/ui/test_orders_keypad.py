"""The order-number keypad, tapped as a person does (issue 11 item 4): the README's own
example order number (``SO2026...``, letters S and O) can be typed, and after a
wrong number the error banner leaves Clear and OK in view."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, Qt

from kiosk.flow.states import Screen
from tests.helpers.app import kiosk_gui
from tests.helpers.fit import shown_rect
from ui.widgets.keyboard import QT_LOG_IGNORE

pytestmark = pytest.mark.qt_log_ignore(*QT_LOG_IGNORE)

README = Path(__file__).resolve().parents[3] / "README.md"


def readme_orders() -> list[dict[str, Any]]:
    """The JSON the README shows for ``kiosk orders import``."""
    block = re.search(r"`orders import` takes.*?```json\n(.*?)```", README.read_text("utf-8"),
                      re.S)
    assert block, "the README's orders import example moved"
    orders: list[dict[str, Any]] = json.loads(block.group(1))
    return orders


def _to_orders(gui: Any) -> Any:
    s = gui.core.session
    s.identify.begin("type")
    s.identify.accept_terms()
    assert s.screen is Screen.ORDERS
    page = gui.window.pages[Screen.ORDERS]
    QCoreApplication.processEvents()
    return page


def _tap(qtbot: Any, widget: Any) -> None:
    assert widget.isVisible() and widget.isEnabled(), widget.text()
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def test_readme_order_number_is_typed_by_taps(qtbot: Any, tmp_path: Path) -> None:
    gui = kiosk_gui(qtbot, tmp_path / "data")
    try:
        example = readme_orders()
        report = gui.core.orders.import_orders(example)
        number = example[0]["order_no"]
        assert report.imported == [number] and number.startswith("SO")
        page = _to_orders(gui)
        _tap(qtbot, page.order_no)  # the field brings up the keypad
        qtbot.waitUntil(page.keypad.isVisible)
        for ch in number:
            _tap(qtbot, page.keypad.key(ch))
        assert page.order_no.text() == number
        _tap(qtbot, page.keypad.key("ok"))
        qtbot.waitUntil(lambda: gui.core.session.data.order_nos == (number,))
    finally:
        gui.close()


@pytest.mark.parametrize("size", [(1280, 800), (1920, 1080)], ids=["1280x800", "1920x1080"])
@pytest.mark.parametrize("large", [False, True], ids=["standard", "large"])
def test_error_banner_leaves_clear_and_ok_in_view(qtbot: Any, tmp_path: Path, large: bool,
                                                  size: tuple[int, int]) -> None:
    gui = kiosk_gui(qtbot, tmp_path / "data", large_text=large)
    try:
        gui.window.resize(*size)
        page = _to_orders(gui)
        _tap(qtbot, page.order_no)
        qtbot.waitUntil(page.keypad.isVisible)
        for ch in "SO1":
            _tap(qtbot, page.keypad.key(ch))
        _tap(qtbot, page.keypad.key("ok"))
        qtbot.waitUntil(page.notice.isVisible)

        def in_view(name: str) -> bool:
            key = page.keypad.key(name)
            rect, cut = shown_rect(key)
            return cut is None and rect.size() == key.size()

        for name in ("clear", "ok", "backspace"):  # not hidden below the banner
            qtbot.waitUntil(lambda n=name: in_view(n), timeout=10000)
        _tap(qtbot, page.keypad.key("clear"))  # and it still works
        assert page.order_no.text() == ""
    finally:
        gui.close()
