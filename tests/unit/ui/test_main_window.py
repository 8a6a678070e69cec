"""The kiosk window end to end in-process: emulated devices over real ptys, the Qt runner,
the sandbox platform. Asserts on signals and state, never sleeps."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QCloseEvent, QColor
from PySide6.QtWidgets import QLineEdit

from kiosk.flow.states import Screen
from kiosk.model import BuyerType
from kiosk.rules import amount_in_words
from tests.helpers.app import COMPANY, COMPANY_TAX_ID, kiosk_gui, qr_for
from ui.widgets.keyboard import QT_LOG_IGNORE

pytestmark = pytest.mark.qt_log_ignore(*QT_LOG_IGNORE)


@pytest.fixture
def gui(qtbot: Any, tmp_path: Path) -> Iterator[Any]:
    g = kiosk_gui(qtbot, tmp_path / "data")
    yield g
    g.close()


class Clicker:
    """Clicks a button like a finger would, and counts the touches."""

    def __init__(self, qtbot: Any) -> None:
        self.qtbot = qtbot
        self.count = 0

    def __call__(self, widget: Any) -> None:
        assert widget.isVisible() and widget.isEnabled(), widget.text()
        assert widget.height() >= 64, f"{widget.text()!r} is only {widget.height()} px high"
        self.count += 1
        self.qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def wait_screen(qtbot: Any, gui: Any, screen: Screen, timeout: int = 15000) -> None:
    qtbot.waitUntil(lambda: gui.core.session.screen is screen, timeout=timeout)
    assert gui.window.stack.currentWidget() is gui.window.pages[screen]


def test_walk_in_personal_invoice_by_touch(qtbot: Any, gui: Any) -> None:
    """Scan on the attract screen, then one touch; the receipt prints by itself (the
    budgets are counted in test_touches.py)."""
    win, click = gui.window, Clicker(qtbot)
    with qtbot.waitSignal(win.screenShown, timeout=10000) as shown:
        gui.devices.emulators.scanner.scan(qr_for(gui, 0))  # the real pty scanner
    assert shown.args == ["review"]  # 个人, ordinary, electronic preselected
    with qtbot.waitSignal(win.screenShown, timeout=15000,
                          check_params_cb=lambda name: name == "result"):
        click(win.pages[Screen.REVIEW].primary)  # confirm & issue (async)
        assert gui.core.session.screen is Screen.ISSUING
    qtbot.waitUntil(lambda: gui.core.session.data.printed, timeout=15000)
    assert gui.devices.emulators.printer.wait_for_receipts(1, timeout=5)
    number = gui.core.session.data.invoice.number
    assert number in win.pages[Screen.RESULT].number.text()
    assert click.count == 1
    click(win.pages[Screen.RESULT].primary)  # finish
    wait_screen(qtbot, gui, Screen.ATTRACT)


def test_company_invoice_with_typed_title(qtbot: Any, gui: Any) -> None:
    win, click, s = gui.window, Clicker(qtbot), gui.core.session
    gui.devices.emulators.scanner.scan(qr_for(gui, 2))
    wait_screen(qtbot, gui, Screen.REVIEW)
    click(win.pages[Screen.REVIEW].edit_buyer)  # the title asks for personal data:
    wait_screen(qtbot, gui, Screen.TERMS)  # the privacy notice first
    click(win.pages[Screen.TERMS].primary)
    wait_screen(qtbot, gui, Screen.BUYER)
    page = win.pages[Screen.BUYER]
    click(page.company)
    assert s.data.buyer.type is BuyerType.COMPANY and page.name.text() == ""
    page.name.setFocus()
    page.name.insert(COMPANY)  # what the pinyin keyboard commits (tested in its own module)
    qtbot.mouseClick(page.tax_id, Qt.MouseButton.LeftButton)
    assert page.keypad.isVisible()  # the tax ID's own keypad
    for ch in COMPANY_TAX_ID[:-1] + "B":
        click(page.keypad.key(ch))
    assert page.feedback.isVisible() and page.confirm.isVisible()  # live: check digit warning
    click(page.keypad.key("backspace"))
    click(page.keypad.key("A"))
    assert page.feedback.property("role") == "ok" and not page.confirm.isVisible()
    click(page.primary)
    wait_screen(qtbot, gui, Screen.REVIEW)
    click(win.pages[Screen.REVIEW].edit_options)  # kind, paper or electronic
    wait_screen(qtbot, gui, Screen.OPTIONS)
    click(win.pages[Screen.OPTIONS].special)
    click(win.pages[Screen.OPTIONS].primary)
    review = win.pages[Screen.REVIEW]
    assert review.buyer_name.text() == COMPANY and COMPANY_TAX_ID in review.buyer_tax.text()
    assert amount_in_words(s.data.total) in review.words.text()
    click(review.primary)
    wait_screen(qtbot, gui, Screen.RESULT)
    assert s.data.invoice.kind.value == "special"


def test_id_card_after_consent_shows_the_name_masked(qtbot: Any, gui: Any) -> None:
    win, click, s = gui.window, Clicker(qtbot), gui.core.session
    click(win.pages[Screen.ATTRACT].idcard)
    click(win.pages[Screen.TERMS].primary)
    wait_screen(qtbot, gui, Screen.IDCARD_CONSENT)
    gui.devices.emulators.idcard.place_card("male")
    click(win.pages[Screen.IDCARD_CONSENT].primary)  # only now is the reader armed
    wait_screen(qtbot, gui, Screen.ORDERS)
    assert s.data.buyer.name == "张伟"
    assert win.pages[Screen.ORDERS].header.who.text().endswith("张*")


def test_language_switch_retranslates_every_screen(qtbot: Any, gui: Any) -> None:
    win = gui.window
    attract = win.pages[Screen.ATTRACT]
    assert attract.big.text() == "扫描小票二维码开票"
    with qtbot.waitSignal(win.languageChanged):
        qtbot.mouseClick(attract.header.language, Qt.MouseButton.LeftButton)
    assert attract.big.text() == "Scan your receipt's QR code to get an invoice"
    assert win.pages[Screen.REVIEW].primary.text() == "Confirm and issue"
    assert attract.header.language.text() == "简体中文"
    qtbot.mouseClick(attract.header.language, Qt.MouseButton.LeftButton)
    assert win.pages[Screen.REVIEW].primary.text() == "确认开票"


def test_large_text_mode_makes_buttons_bigger(qtbot: Any, gui: Any) -> None:
    button = gui.window.pages[Screen.ATTRACT].type_no
    before = button.sizeHint().height()
    qtbot.mouseClick(gui.window.pages[Screen.ATTRACT].header.large, Qt.MouseButton.LeftButton)
    assert gui.window.large_text and button.sizeHint().height() > before


def test_the_large_text_switch_shows_when_it_is_on(qtbot: Any, gui: Any) -> None:
    """Checked, the switch was drawn in the header bar's own blue, next to the other
    buttons' lighter blue: a person who turned large text on could not see it was on."""
    header = gui.window.pages[Screen.ATTRACT].header

    def face(btn: Any) -> QColor:  # the button's fill, beside its left edge, mid-height
        image = btn.grab().toImage()
        return QColor(image.pixel(image.width() // 10, image.height() // 2))

    off = face(header.large)
    qtbot.mouseClick(header.large, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: gui.window.large_text and header.large.isChecked())
    on = face(header.large)
    assert off.lightness() < 140 < 200 < on.lightness(), (off.name(), on.name())
    assert face(header.help).lightness() < 140  # the other buttons keep the bar's style


def test_bad_qr_then_type_the_order_number(qtbot: Any, gui: Any) -> None:
    win, click, s = gui.window, Clicker(qtbot), gui.core.session
    gui.devices.emulators.scanner.scan("https://u.wechat.com/abc")
    wait_screen(qtbot, gui, Screen.BAD_QR)
    assert "订单二维码" in win.pages[Screen.BAD_QR].text.text()
    click(win.pages[Screen.BAD_QR].action1)  # type the order number instead
    click(win.pages[Screen.TERMS].primary)
    page = win.pages[Screen.ORDERS]
    assert page.keypad.isVisible()
    order = sorted(gui.core.orders.list(), key=lambda o: o.order_no)[1]
    for ch in order.order_no:
        click(page.keypad.key(ch))
    click(page.keypad.key("ok"))
    assert s.data.order_nos == (order.order_no,)


def test_paper_out_mid_print_offers_the_qr(qtbot: Any, gui: Any) -> None:
    win, s = gui.window, gui.core.session
    gui.devices.emulators.printer.set_paper("out")
    gui.devices.emulators.scanner.scan(qr_for(gui, 0))
    wait_screen(qtbot, gui, Screen.REVIEW)
    s.review.confirm()
    wait_screen(qtbot, gui, Screen.PRINTER_PROBLEM)
    page = win.pages[Screen.PRINTER_PROBLEM]
    assert page.qr.isVisible() and page.email.isVisible()
    gui.devices.emulators.printer.set_paper("ok")
    qtbot.mouseClick(page.action1, Qt.MouseButton.LeftButton)
    wait_screen(qtbot, gui, Screen.RESULT)


def test_no_desktop_escape_in_kiosk_mode(qtbot: Any, gui: Any) -> None:
    win = gui.window
    win.allow_close = False
    event = QCloseEvent()
    win.closeEvent(event)
    assert not event.isAccepted()
    assert win.contextMenuPolicy() == Qt.ContextMenuPolicy.NoContextMenu


def test_five_taps_in_the_corner_ask_for_diagnostics(qtbot: Any, gui: Any) -> None:
    win = gui.window
    target = win.pages[Screen.ATTRACT].header
    with qtbot.waitSignal(win.diagnosticsRequested, timeout=2000):
        for _ in range(5):
            qtbot.mouseClick(target, Qt.MouseButton.LeftButton, pos=QPoint(10, 10))
    with qtbot.assertNotEmitted(win.diagnosticsRequested):
        for _ in range(4):
            qtbot.mouseClick(target, Qt.MouseButton.LeftButton, pos=QPoint(10, 10))


def test_idle_countdown_wipes_the_screen(qtbot: Any, gui: Any) -> None:
    s, win = gui.core.session, gui.window
    now = [1000.0]
    s.core.clock = lambda: now[0]
    s.core.last_activity = now[0]
    gui.devices.emulators.scanner.scan(qr_for(gui, 0))
    wait_screen(qtbot, gui, Screen.REVIEW)
    s.review.edit(Screen.ORDERS)
    wait_screen(qtbot, gui, Screen.ORDERS)
    win.pages[Screen.ORDERS].order_no.setText("D2026")
    win.pages[Screen.RESULT].email.setText("zhang.san@example.com")
    now[0] += s.core.idle_timeout_s + 1
    win._tick()
    wait_screen(qtbot, gui, Screen.IDLE_WARNING)
    assert "15" in win.pages[Screen.IDLE_WARNING].count.text()
    now[0] += s.core.countdown_s + 1
    win._tick()
    wait_screen(qtbot, gui, Screen.ATTRACT)
    assert s.data.orders == [] and win.pages[Screen.ORDERS].table.rowCount() == 0
    typed = [e.text() for p in win.pages.values() for e in p.findChildren(QLineEdit) if e.text()]
    assert typed == ["个人"]  # nothing personal left on screen: only the walk-in default


def test_help_and_support_on_every_step(qtbot: Any, gui: Any) -> None:
    win, s = gui.window, gui.core.session
    page = win.pages[Screen.ATTRACT]
    qtbot.mouseClick(page.header.help, Qt.MouseButton.LeftButton)
    assert page.helpbox.isVisible() and page.helpbox.text()
    qtbot.mouseClick(page.header.support, Qt.MouseButton.LeftButton)
    wait_screen(qtbot, gui, Screen.SUPPORT)
    assert gui.core.config.ui.support_phone in win.pages[Screen.SUPPORT].phone.text()
    qtbot.mouseClick(win.pages[Screen.SUPPORT].primary, Qt.MouseButton.LeftButton)
    wait_screen(qtbot, gui, Screen.ATTRACT)
    qtbot.mouseClick(page.tutorial, Qt.MouseButton.LeftButton)
    wait_screen(qtbot, gui, Screen.TUTORIAL)
    for _ in range(3):
        qtbot.mouseClick(win.pages[Screen.TUTORIAL].primary, Qt.MouseButton.LeftButton)
    assert s.screen is Screen.ATTRACT


def test_camera_scan_with_its_notice_and_a_voucher_photo(qtbot: Any, gui: Any) -> None:
    win, click, s = gui.window, Clicker(qtbot), gui.core.session
    camera = gui.devices.emulators.camera
    with qtbot.assertNotEmitted(gui.bridge.code, wait=500):  # paused: nothing is decoded
        camera.show_code(qr_for(gui, 0))
    assert not gui.devices.camera.active and s.screen is Screen.ATTRACT
    click(win.pages[Screen.ATTRACT].camera)
    page = win.pages[Screen.ORDERS]
    assert page.camera_notice.isVisible()
    qtbot.waitUntil(lambda: len(s.data.orders) == 1, timeout=15000)  # decoded off the UI thread
    wait_screen(qtbot, gui, Screen.REVIEW)  # the receipt is read: the review, camera off
    assert not s.data.camera_on and not page.preview.isVisible()
    click(win.pages[Screen.REVIEW].edit_buyer)
    click(win.pages[Screen.TERMS].primary)  # the privacy notice before the title
    wait_screen(qtbot, gui, Screen.BUYER)
    buyer = win.pages[Screen.BUYER]
    click(buyer.photo)
    assert buyer.camera_notice.isVisible()
    qtbot.waitUntil(lambda: not buyer.preview.last.isNull(), timeout=15000)
    assert s.screen is Screen.BUYER  # the receipt code the camera still sees is not a scan
    click(buyer.take)
    assert s.data.attachment.startswith(b"\x89PNG") and not s.data.camera_on
    click(buyer.primary)
    assert s.screen is Screen.REVIEW, (s.screen, s.data.notice)
    click(win.pages[Screen.REVIEW].primary)
    assert s.screen is not Screen.REVIEW, (s.screen, s.data.notice)
    wait_screen(qtbot, gui, Screen.RESULT)
    number = s.data.invoice.number
    saved = gui.core.config.data_path / "documents" / f"{number}.attachment.png"
    assert saved.read_bytes() == s.data.attachment


def test_business_flow_by_touch(qtbot: Any, gui: Any) -> None:
    win, click, s = gui.window, Clicker(qtbot), gui.core.session
    click(win.pages[Screen.ATTRACT].business)
    click(win.pages[Screen.TERMS].primary)
    login = win.pages[Screen.LOGIN]
    login.user.insert("shop")
    login.password.insert("shop1234")
    click(login.primary)
    wait_screen(qtbot, gui, Screen.CATALOGUE)
    page = win.pages[Screen.CATALOGUE]
    assert page.results.count() > 0
    page.results.setCurrentRow(0)
    page.quantity.insert("3")
    click(page.add)
    assert len(s.data.catalogue_lines) == 1 and page.table.rowCount() == 1
    click(page.primary)
    buyer = win.pages[Screen.BUYER]
    click(buyer.company)
    buyer.name.insert(COMPANY)
    buyer.tax_id.insert(COMPANY_TAX_ID)
    click(buyer.primary)  # on to the review (the options are one touch away there)
    click(win.pages[Screen.REVIEW].primary)
    wait_screen(qtbot, gui, Screen.RESULT)
    line = s.data.invoice.lines[0]
    assert line.quantity == 3 and s.data.invoice.buyer.tax_id == COMPANY_TAX_ID


def test_garbage_from_the_scanner_is_explained(qtbot: Any, gui: Any) -> None:
    gui.devices.emulators.scanner.send_raw(b"\x01\x02\x1b[2J\r\n")  # noise on the real pty
    wait_screen(qtbot, gui, Screen.BAD_QR)
    assert "无法识别" in gui.window.pages[Screen.BAD_QR].text.text()


def test_the_next_walk_in_after_a_wipe_starts_from_the_defaults(qtbot: Any, gui: Any) -> None:
    s, win = gui.core.session, gui.window
    gui.devices.emulators.scanner.scan(qr_for(gui, 0))
    wait_screen(qtbot, gui, Screen.REVIEW)
    s.review.edit(Screen.BUYER)
    s.identify.accept_terms()
    wait_screen(qtbot, gui, Screen.BUYER)
    win.pages[Screen.BUYER].edits["email"].insert("zhang.san@example.com")
    assert s.data.buyer.email == "zhang.san@example.com"
    s.finish()
    gui.devices.emulators.scanner.scan(qr_for(gui, 1))
    wait_screen(qtbot, gui, Screen.REVIEW)
    s.review.edit(Screen.BUYER)
    assert s.screen is Screen.TERMS  # a new person: the notice again
    s.identify.accept_terms()
    assert s.data.buyer.name == "个人" and s.data.buyer.email == ""
    assert win.pages[Screen.BUYER].name.text() == "个人"


def test_language_and_large_text_go_back_to_the_defaults_for_the_next_person(
        qtbot: Any, gui: Any) -> None:
    win, s = gui.window, gui.core.session
    gui.devices.emulators.scanner.scan(qr_for(gui, 0))
    wait_screen(qtbot, gui, Screen.REVIEW)
    page = win.pages[Screen.REVIEW]
    qtbot.mouseClick(page.header.language, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(page.header.large, Qt.MouseButton.LeftButton)
    assert win.languages.current == "en" and win.large_text
    s.finish()
    wait_screen(qtbot, gui, Screen.ATTRACT)
    assert win.languages.current == "zh_CN" and not win.large_text
    assert win.pages[Screen.ATTRACT].big.text() == "扫描小票二维码开票"


def test_a_too_long_buyer_name_is_refused_on_the_buyer_screen(qtbot: Any, gui: Any) -> None:
    """60 characters are 120 GBK bytes: the buyer screen says the limit in words, as it is
    typed and when Next is tapped, and nothing is written to the outbox or sent."""
    s, win, click = gui.core.session, gui.window, Clicker(qtbot)
    gui.devices.emulators.scanner.scan(qr_for(gui, 0))
    wait_screen(qtbot, gui, Screen.REVIEW)
    click(win.pages[Screen.REVIEW].edit_buyer)
    click(win.pages[Screen.TERMS].primary)  # the privacy notice before the title
    wait_screen(qtbot, gui, Screen.BUYER)
    page = win.pages[Screen.BUYER]
    click(page.company)
    page.name.setText("厦" * 60)  # as typed: every change goes to the flow
    page.tax_id.setText(COMPANY_TAX_ID)
    assert page.problem_labels["name"].isVisible()
    assert "名称最多 100 字节（50 个汉字）" in page.problem_labels["name"].text()
    click(page.primary)
    assert s.screen is Screen.BUYER and page.notice.isVisible()
    assert page.notice.text().startswith("名称最多 100 字节（50 个汉字），现在是 120 字节")
    assert gui.core.issuing.outbox.entries() == []
    page.name.setText(COMPANY)
    assert not page.problem_labels["name"].isVisible()
    click(page.primary)
    assert s.screen is Screen.REVIEW


def test_the_catalogue_offers_the_rates_in_force(qtbot: Any, gui: Any) -> None:
    """A rate table pushed by the back office (issue 16) is what the rate list offers, and
    a picked item's new rate goes onto the line."""
    from decimal import Decimal

    from kiosk.catalogue import CatalogueItem
    from kiosk.rules.tax import RATES, TaxRate, set_rates_in_force

    set_rates_in_force((*RATES, TaxRate(Decimal("0.05"), "", "5%", "新税率", "a new rate")))
    gui.core.catalogue.replace_all([CatalogueItem(
        "P5", "停车费", "经营租赁", "3040502020200000000", "小时", "", Decimal("10"),
        Decimal("0.05"))])
    win, click, s = gui.window, Clicker(qtbot), gui.core.session
    click(win.pages[Screen.ATTRACT].business)
    click(win.pages[Screen.TERMS].primary)
    login = win.pages[Screen.LOGIN]
    login.user.insert("shop")
    login.password.insert("shop1234")
    click(login.primary)
    wait_screen(qtbot, gui, Screen.CATALOGUE)
    page = win.pages[Screen.CATALOGUE]
    page.search.setText("停车")
    rates = [page.rate.itemText(i) for i in range(page.rate.count())]
    assert "5%" in rates and "13%" in rates
    page.results.setCurrentRow(0)
    assert page.rate.currentText() == "5%"
    click(page.add)
    assert s.data.catalogue_lines[0].rate == Decimal("0.05")
