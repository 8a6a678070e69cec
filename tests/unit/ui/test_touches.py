"""Touch budgets on the real window (issue 11): taps counted on real widgets, emulated
devices over real ptys, from the receipt scan to the receipt bytes at the printer."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kiosk.flow.states import Screen
from kiosk.model import Buyer, BuyerType
from kiosk.titleqr import make_title_qr
from tests.helpers.app import COMPANY, COMPANY_TAX_ID, kiosk_gui, qr_for
from tests.helpers.touches import TouchCounter
from ui.widgets.keyboard import QT_LOG_IGNORE

pytestmark = pytest.mark.qt_log_ignore(*QT_LOG_IGNORE)

TITLE_QR = make_title_qr(Buyer(BuyerType.COMPANY, COMPANY, COMPANY_TAX_ID))


@pytest.fixture
def gui(qtbot: Any, tmp_path: Path) -> Iterator[Any]:
    g = kiosk_gui(qtbot, tmp_path / "data")
    yield g
    g.close()


def test_old_personal(qtbot: Any, gui: Any) -> None:
    t = TouchCounter(qtbot, gui)
    t.scan(qr_for(gui, 0), then=Screen.ORDERS)
    t.tap(t.page(Screen.ORDERS).primary)
    t.tap(t.page(Screen.BUYER).primary)
    t.tap(t.page(Screen.REVIEW).primary)
    t.wait_receipt()
    print("OLD personal", t.summary())


def test_old_company_scanned(qtbot: Any, gui: Any) -> None:
    t = TouchCounter(qtbot, gui)
    t.scan(qr_for(gui, 0), then=Screen.ORDERS)
    t.tap(t.page(Screen.ORDERS).primary)
    t.wait_screen(Screen.BUYER)
    t.scan(TITLE_QR, then=Screen.OPTIONS)
    t.tap(t.page(Screen.OPTIONS).primary)
    t.tap(t.page(Screen.REVIEW).primary)
    t.wait_receipt()
    print("OLD company scanned", t.summary())


def test_old_remembered(qtbot: Any, gui: Any) -> None:
    s = gui.core.session
    account = gui.core.accounts.find("demo")
    gui.core.accounts.remember_title(account.id, Buyer(BuyerType.COMPANY, COMPANY, COMPANY_TAX_ID))
    s.identify.begin("login")
    s.identify.accept_terms()
    s.identify.login("demo", "demo1234")
    t = TouchCounter(qtbot, gui)
    t.wait_screen(Screen.ORDERS)
    t.scan(qr_for(gui, 0))
    qtbot.waitUntil(lambda: bool(s.data.orders))
    t.tap(t.page(Screen.ORDERS).primary)
    t.wait_screen(Screen.BUYER)
    t.tap(t.page(Screen.BUYER).title_buttons[0])
    t.wait_screen(Screen.OPTIONS)
    t.tap(t.page(Screen.OPTIONS).primary)
    t.tap(t.page(Screen.REVIEW).primary)
    t.wait_receipt()
    print("OLD remembered", t.summary())
