"""The queued page (issue 11 item 7) on the real core: the platform is down, the page
offers "e-mail me when it is issued", says where the invoice will go, and a next
person never sees the previous person's address."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from kiosk.flow.states import Screen
from tests.helpers.app import CoreRig, kiosk_core
from ui.screens.failures import QueuedPage
from ui.widgets.keyboard import QT_LOG_IGNORE

pytestmark = pytest.mark.qt_log_ignore(*QT_LOG_IGNORE)


@pytest.fixture
def rig(tmp_path: Path) -> Iterator[CoreRig]:
    r = kiosk_core(tmp_path / "data")
    yield r
    r.close()


def queue(rig: CoreRig, order: int = 0) -> None:
    s = rig.session
    rig.core.gateway.faults.set(unavailable=True)
    s.code_scanned(rig.qr(rig.orders()[order]), "scanner")
    s.orders.next()
    s.buyer.next()
    s.review.confirm()
    assert s.screen is Screen.PLATFORM_QUEUED


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_the_queued_page_takes_an_address_for_the_invoice_to_follow(
        qtbot: Any, rig: CoreRig, lang: str) -> None:
    s = rig.session
    page = QueuedPage(s)
    qtbot.addWidget(page)
    s.add_listener(lambda session: page.show_view(session.view(), lang)
                   if session.screen is Screen.PLATFORM_QUEUED else None)
    page.resize(1280, 800)
    page.show()
    queue(rig)
    assert not page.email.isHidden() and not page.send.isHidden() and page.send.isEnabled()
    assert s.data.claim_id in page.reference.text()
    assert not page.qr.isHidden() and not page.qr.pixmap().isNull()  # the slip's code
    assert not page.qr_caption.isHidden()
    assert page.notice.isHidden()  # no red notice repeating the page
    assert page.back.isHidden()  # "back" from a saved request went nowhere
    qtbot.keyClicks(page.email, "buyer@example.com")
    qtbot.mouseClick(page.send, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.email.isHidden(), timeout=10000)
    assert "buyer@example.com" in page.mail_label.text() and not page.mail_label.isHidden()
    assert page.mail_label.property("role") == "ok"
    # The next person queues another order: an empty field, not the last address.
    s.finish()
    queue(rig, 1)
    assert page.email.text() == "" and not page.email.isHidden()


def test_a_slip_being_looked_up_says_so_on_the_issuing_page(qtbot: Any) -> None:
    from kiosk.flow.views import Frame, PlainView
    from kiosk.flow.words import say
    from tests.helpers.fake_services import FakeKiosk
    from ui.screens.review import IssuingPage

    page = IssuingPage(FakeKiosk().session())
    qtbot.addWidget(page)
    checking = say("flow.claim_checking")
    page.show_view(PlainView(Frame(Screen.ISSUING, checking)), "en")
    assert page.head.text() == checking.en and page.notice.isHidden()
    page.show_view(PlainView(Frame(Screen.ISSUING)), "en")
    assert page.head.text() == page.tr("Issuing your invoice…")
