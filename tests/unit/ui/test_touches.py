"""Touch budgets on the real window (issue 11): taps counted on real widgets, emulated
devices over real ptys, from the receipt scan to the receipt bytes at the printer.

Before issue 11 the same walks took 3 (personal), 3 (company 普票, scanned title: the
title was never shown) and 4 touches (remembered title, 普票; 5 with a special invoice).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kiosk.flow.states import Screen
from kiosk.model import Buyer, BuyerType, InvoiceKind
from kiosk.titleqr import make_title_qr
from tests.helpers.app import COMPANY, COMPANY_TAX_ID, kiosk_gui, qr_for
from tests.helpers.touches import TouchCounter
from ui.widgets.keyboard import QT_LOG_IGNORE

pytestmark = pytest.mark.qt_log_ignore(*QT_LOG_IGNORE)

TITLE = Buyer(BuyerType.COMPANY, COMPANY, COMPANY_TAX_ID)
OTHER = Buyer(BuyerType.COMPANY, "福建另一家有限公司", "91350100M000100Y43")


@pytest.fixture
def gui(qtbot: Any, tmp_path: Path) -> Iterator[Any]:
    g = kiosk_gui(qtbot, tmp_path / "data")
    yield g
    g.close()


def test_personal_e_invoice_in_one_touch(qtbot: Any, gui: Any) -> None:
    t = TouchCounter(qtbot, gui)
    t.scan(qr_for(gui, 0), then=Screen.REVIEW)
    review = t.page(Screen.REVIEW)
    assert review.buyer_name.text() == "个人" and review.buyer_name.isVisible()
    for figure in (review.table, review.sums, review.words, review.meta):
        assert figure.isVisible()
    t.tap(review.primary)  # 确认开票
    receipt = t.wait_receipt()
    invoice = t.session.data.invoice
    assert invoice is not None and invoice.number.encode() in receipt
    assert invoice.buyer.name == "个人" and invoice.kind is InvoiceKind.NORMAL
    assert t.count == 1, t.summary()
    assert not t.session.data.terms_accepted  # no personal data was asked for


@pytest.mark.parametrize("title_first", [False, True], ids=["receipt_first", "title_first"])
def test_company_with_scanned_title_in_one_touch(qtbot: Any, gui: Any,
                                                 title_first: bool) -> None:
    t = TouchCounter(qtbot, gui)
    if title_first:
        t.scan(make_title_qr(TITLE), then=Screen.ORDERS)
        assert COMPANY in t.page(Screen.ORDERS).notice.text()  # read back: now the receipt
        t.scan(qr_for(gui, 2), then=Screen.REVIEW)
    else:
        t.scan(qr_for(gui, 2), then=Screen.REVIEW)
        t.scan(make_title_qr(TITLE))
    review = t.page(Screen.REVIEW)
    qtbot.waitUntil(lambda: review.buyer_name.text() == COMPANY, timeout=15000)
    assert review.buyer_name.property("role") == "title"  # the title in large type
    assert not review.offer.isVisible()  # a blank 个人 title is filled without asking
    t.tap(review.primary)
    receipt = t.wait_receipt()
    invoice = t.session.data.invoice
    assert invoice is not None and invoice.number.encode() in receipt
    assert invoice.buyer.tax_id == COMPANY_TAX_ID and invoice.kind is InvoiceKind.NORMAL
    assert t.count == 1, t.summary()


def test_company_with_remembered_title_in_two_touches(qtbot: Any, gui: Any) -> None:
    s = gui.core.session
    account = gui.core.accounts.find("demo")
    gui.core.accounts.remember_title(account.id, TITLE)
    s.identify.begin("login")  # identified before the scan (not counted)
    s.identify.accept_terms()
    s.identify.login("demo", "demo1234")
    t = TouchCounter(qtbot, gui)
    t.wait_screen(Screen.ORDERS)
    t.scan(qr_for(gui, 0), then=Screen.REVIEW)
    review = t.page(Screen.REVIEW)
    # the demo account also has its two seeded titles (issue 11 item 13)
    qtbot.waitUntil(lambda: any(COMPANY in b.text() for b in review.title_buttons),
                    timeout=15000)
    mine = next(b for b in review.title_buttons if COMPANY in b.text())
    t.tap(mine)  # the saved title, on the review
    assert s.screen is Screen.REVIEW and review.buyer_name.text() == COMPANY
    t.tap(review.primary)
    t.wait_receipt()
    assert s.data.invoice is not None and s.data.invoice.buyer.tax_id == COMPANY_TAX_ID
    assert t.count == 2, t.summary()


def test_title_code_over_a_title_asks_first_on_the_window(qtbot: Any, gui: Any) -> None:
    """Defect 11: the second title code is not taken silently; old and new are shown."""
    t = TouchCounter(qtbot, gui)
    s = gui.core.session
    t.scan(qr_for(gui, 0), then=Screen.REVIEW)
    review = t.page(Screen.REVIEW)
    t.scan(make_title_qr(TITLE))
    qtbot.waitUntil(lambda: review.buyer_name.text() == COMPANY, timeout=15000)
    t.scan(make_title_qr(OTHER))
    qtbot.waitUntil(review.offer.isVisible, timeout=15000)
    assert COMPANY in review.offer_old.text() and OTHER.name in review.offer_new.text()
    assert review.buyer_name.text() == COMPANY and not review.primary.isEnabled()
    t.tap(review.keep_title)
    assert not review.offer.isVisible() and s.data.buyer.name == COMPANY
    t.scan(make_title_qr(OTHER))
    qtbot.waitUntil(review.offer.isVisible, timeout=15000)
    t.tap(review.take_offer)
    assert not review.offer.isVisible() and review.buyer_name.text() == OTHER.name
    assert review.primary.isEnabled()


def test_a_wrong_order_is_removed_from_the_merge_on_the_window(qtbot: Any, gui: Any) -> None:
    """Defect 11: change items -> remove one order; the review's totals follow."""
    t = TouchCounter(qtbot, gui)
    s = gui.core.session
    t.scan(qr_for(gui, 0), then=Screen.REVIEW)
    first = s.data.total
    t.scan(qr_for(gui, 1))
    qtbot.waitUntil(lambda: len(s.data.orders) == 2, timeout=15000)
    wrong = s.data.order_nos[1]
    review = t.page(Screen.REVIEW)
    t.tap(review.edit_orders)
    t.wait_screen(Screen.ORDERS)
    orders = t.page(Screen.ORDERS)
    t.tap(orders.remove_buttons[wrong])
    assert s.data.order_nos and wrong not in s.data.order_nos
    assert list(orders.remove_buttons) == list(s.data.order_nos)
    assert f"{first:,.2f}" in orders.total.text()
    t.tap(orders.primary)
    t.wait_screen(Screen.REVIEW)
    assert f"{first:,.2f}" in review.sums.text()
    t.tap(review.primary)
    t.wait_receipt()
    assert s.data.invoice is not None and s.data.invoice.total == first
