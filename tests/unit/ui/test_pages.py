"""Pages one widget at a time: each renders a hand-made view model, without the main
window, the devices or the real services (the session behind the buttons is fake)."""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from typing import Any

import pytest
from PySide6.QtCore import Qt

from kiosk.flow.checks import FieldProblem
from kiosk.flow.states import Screen
from kiosk.flow.views import (
    Action,
    BuyerView,
    CatalogueView,
    Frame,
    OptionsView,
    OrderEntry,
    OrdersView,
    ResultView,
    ReviewView,
    Row,
)
from kiosk.messages import Text
from kiosk.model import BuyerType, InvoiceKind
from tests.helpers.fake_services import FakeKiosk
from ui.widgets.keyboard import QT_LOG_IGNORE

pytestmark = pytest.mark.qt_log_ignore(*QT_LOG_IGNORE)

LONG = Text("名称最多 100 字节（50 个汉字），现在是 120 字节",
            "The name: at most 100 bytes (50 Chinese characters); this is 120")


def page(qtbot: Any, cls: type) -> Any:
    widget = cls(FakeKiosk().session())
    qtbot.addWidget(widget)
    return widget


def buyer_view(name: str = "个人", **kw: Any) -> BuyerView:
    values = (("name", name), ("tax_id", ""), ("address", ""), ("phone", ""), ("bank", ""),
              ("account", ""), ("email", ""))
    return BuyerView(Frame(Screen.BUYER), values=values, **kw)


def test_buyer_page_shows_a_field_problem_under_the_field(qtbot: Any) -> None:
    from ui.screens.buyer import BuyerPage

    p = page(qtbot, BuyerPage)
    p.show_view(buyer_view("厦" * 60, type=BuyerType.COMPANY,
                           problems=(FieldProblem("name", LONG, "E_TOO_LONG"),)), "zh_CN")
    assert p.name.text() == "厦" * 60
    assert not p.problem_labels["name"].isHidden()
    assert p.problem_labels["name"].text() == LONG.zh
    assert p.company.isChecked() and not p.person.isChecked()
    p.show_view(buyer_view("厦" * 60, type=BuyerType.COMPANY,
                           problems=(FieldProblem("name", LONG, "E_TOO_LONG"),)), "en")
    assert p.problem_labels["name"].text() == LONG.en
    p.show_view(buyer_view("厦门", type=BuyerType.COMPANY), "en")
    assert p.problem_labels["name"].isHidden()


def test_a_keystroke_updates_the_field_not_the_whole_page(qtbot: Any) -> None:
    from ui.screens.buyer import BuyerPage

    p = page(qtbot, BuyerPage)
    p.show_view(buyer_view("张", titles=("厦门示例", "北京示例")), "zh_CN")
    buttons = list(p.title_buttons)
    assert [b.text() for b in buttons] == ["厦门示例", "北京示例"]
    p.show_view(buyer_view("张三", titles=("厦门示例", "北京示例")), "zh_CN")
    assert p.name.text() == "张三"
    assert p.title_buttons == buttons  # the same widgets: not rebuilt for a keystroke


def test_buyer_page_shows_the_tax_id_verdict_and_the_confirm_button(qtbot: Any) -> None:
    from ui.screens.buyer import BuyerPage

    p = page(qtbot, BuyerPage)
    verdict = Text("校验位不符", "The check digit does not match")
    p.show_view(buyer_view(tax_id_check=verdict, tax_id_role="warn",
                           confirm_tax_id=Action()), "en")
    assert p.feedback.text() == verdict.en and p.feedback.property("role") == "warn"
    assert not p.confirm.isHidden()
    p.show_view(buyer_view(), "en")
    assert p.feedback.isHidden() and p.confirm.isHidden()


def test_options_page_says_why_a_special_invoice_is_not_possible(qtbot: Any) -> None:
    from ui.screens.buyer import OptionsPage

    p = page(qtbot, OptionsPage)
    reason = Text("订单中有免税商品，免税项目不能开具增值税专用发票",
                  "The order has exempt (免税) items")
    p.show_view(OptionsView(Frame(Screen.OPTIONS), special=Action(enabled=False, reason=reason)),
                "zh_CN")
    assert not p.special.isEnabled() and p.special_hint.text() == reason.zh
    p.show_view(OptionsView(Frame(Screen.OPTIONS), kind=InvoiceKind.SPECIAL), "zh_CN")
    assert p.special.isEnabled() and p.special.isChecked()


def test_review_page_shows_the_sums_it_is_given(qtbot: Any) -> None:
    from ui.screens.review import ReviewPage

    p = page(qtbot, ReviewPage)
    view = ReviewView(Frame(Screen.REVIEW), buyer_name="个人",
                      rows=(Row("*餐饮服务*午餐", "2", "￥1.00", "6%", "￥0.06"),),
                      net=Decimal("1.00"), tax=Decimal("0.06"), total=Decimal("1.06"),
                      words="壹圆零陆分", issue_date="2026-03-15")
    p.show_view(view, "en")
    assert "1.00" in p.sums.text() and "0.06" in p.sums.text() and "1.06" in p.sums.text()
    assert "壹圆零陆分" in p.words.text() and "2026-03-15" in p.meta.text()
    assert p.table.rowCount() == 1 and p.table.item(0, 4).text() == "￥0.06"


def test_orders_page_continue_needs_an_order(qtbot: Any) -> None:
    from ui.screens.orders import OrdersPage

    p = page(qtbot, OrdersPage)
    p.show_view(OrdersView(Frame(Screen.ORDERS), next=Action(enabled=False)), "en")
    assert not p.primary.isEnabled() and p.primary.text() == p.tr("Continue")
    p.show_view(OrdersView(Frame(Screen.ORDERS), rows=(Row("*餐饮服务*午餐", "2", "￥76.00"),),
                           order_nos=("D1",), total="￥76.00",
                           orders=(OrderEntry("D1", "￥76.00"),)), "en")
    assert p.primary.isEnabled() and p.primary.text() == p.tr("Continue")
    assert "D1" in p.numbers.text() and p.table.rowCount() == 1
    assert list(p.remove_buttons) == ["D1"]


def test_orders_page_asks_for_more_receipts_only_once_one_is_scanned(qtbot: Any) -> None:
    """A newcomer logged in with nothing scanned read "scan more receipts" (继续扫描其他小票)."""
    from ui.screens.orders import OrdersPage

    p = page(qtbot, OrdersPage)
    # in whatever language an earlier test left installed: the page's own words
    first = p.tr("Scan the QR code on your receipt, or type its order number")
    more = p.tr("Scan more receipts to put them on one invoice")
    p.show_view(OrdersView(Frame(Screen.ORDERS), next=Action(enabled=False)), "en")
    assert p.head.text() == first
    p.show_view(OrdersView(Frame(Screen.ORDERS), rows=(Row("*餐饮服务*午餐", "2", "￥76.00"),),
                           order_nos=("D1",), total="￥76.00",
                           orders=(OrderEntry("D1", "￥76.00"),)), "en")
    assert p.head.text() == more
    p.show_view(OrdersView(Frame(Screen.ORDERS), next=Action(enabled=False)), "en")
    assert p.head.text() == first


def test_orders_page_removes_an_order_from_the_merge(qtbot: Any) -> None:
    """Defect 11: each merged order has a remove button; the session's totals follow."""
    from ui.screens.orders import OrdersPage

    kiosk = FakeKiosk()
    s = kiosk.session()
    a, b = kiosk.orders[0], kiosk.orders[1]
    s.code_scanned(kiosk.qr(a), "scanner")
    s.code_scanned(kiosk.qr(b), "scanner")
    s.review.edit(Screen.ORDERS)
    p = OrdersPage(s)
    qtbot.addWidget(p)
    p.resize(1280, 800)
    p.show()
    s.add_listener(lambda session: p.show_view(session.view(Screen.ORDERS), "en"))
    p.show_view(s.view(), "en")
    assert set(p.remove_buttons) == {a.order_no, b.order_no}
    assert f"{a.total + b.total:,.2f}" in p.total.text()
    qtbot.mouseClick(p.remove_buttons[b.order_no], Qt.MouseButton.LeftButton)
    assert s.data.order_nos == (a.order_no,)
    assert list(p.remove_buttons) == [a.order_no]
    assert f"{a.total:,.2f}" in p.total.text() and p.table.rowCount() == len(a.lines)


def test_result_page_disables_a_reprint_without_a_printer(qtbot: Any) -> None:
    from ui.screens.review import ResultPage

    p = page(qtbot, ResultPage)
    p.show_view(ResultView(Frame(Screen.RESULT), invoice_number="26112000000135110001",
                           printed=True, reprint=Action(enabled=False)), "en")
    assert "26112000000135110001" in p.number.text() and not p.reprint.isEnabled()
    assert p.status.text() == p.tr("Receipt printed: take it from the slot below.")


def test_result_status_is_styled_as_what_it_says(qtbot: Any) -> None:
    """A printed receipt is good news; none printed is a warning, not the success green."""
    from ui.screens.review import ResultPage

    p = page(qtbot, ResultPage)
    for printing, printed, role in ((True, False, "hint"), (False, True, "ok"),
                                    (False, False, "warn")):
        p.show_view(ResultView(Frame(Screen.RESULT), invoice_number="26112000000135110001",
                               printing=printing, printed=printed), "en")
        assert p.status.property("role") == role, (printing, printed)


def test_idle_queued_and_out_of_service_pages_render_their_views(qtbot: Any) -> None:
    from kiosk.flow.views import IdleView, OutOfServiceView, QueuedView
    from ui.screens.failures import QueuedPage
    from ui.screens.overlays import IdleWarningPage, OutOfServicePage

    idle = page(qtbot, IdleWarningPage)
    idle.show_view(IdleView(Frame(Screen.IDLE_WARNING), seconds_left=12), "en")
    assert "12" in idle.count.text()
    queued = page(qtbot, QueuedPage)
    queued.show_view(QueuedView(Frame(Screen.PLATFORM_QUEUED), reference="RQ0123"), "en")
    assert "RQ0123" in queued.reference.text() and not queued.reference.isHidden()
    out = page(qtbot, OutOfServicePage)
    out.show_view(OutOfServiceView(Frame(Screen.OUT_OF_SERVICE),
                                   reason=Text("维护中", "Maintenance")), "zh_CN")
    assert out.text.text() == "维护中"


# --- every disabled action says why, in words (issue 11 item 5) ---------------------------

WHY = Text("这里说明为什么不能点", "This says why it cannot be tapped")
OFF = Action(enabled=False, reason=WHY)


def _says(p: Any, text: str) -> bool:
    from PySide6.QtWidgets import QLabel

    return any(lab.text() == text and lab.isVisibleTo(p) for lab in p.findChildren(QLabel))


@pytest.mark.parametrize("cls, view, button", [
    ("ui.screens.orders.OrdersPage", OrdersView(Frame(Screen.ORDERS), next=OFF), "primary"),
    ("ui.screens.orders.CataloguePage",
     CatalogueView(Frame(Screen.CATALOGUE), next=OFF), "primary"),
    ("ui.screens.review.ReviewPage", ReviewView(Frame(Screen.REVIEW), confirm=OFF), "primary"),
    ("ui.screens.review.ResultPage",
     ResultView(Frame(Screen.RESULT), invoice_number="1", send=OFF), "send"),
    ("ui.screens.review.ResultPage",
     ResultView(Frame(Screen.RESULT), invoice_number="1", reprint=OFF), "reprint"),
    ("ui.screens.failures.AlreadyInvoicedPage",
     ResultView(Frame(Screen.ALREADY_INVOICED), invoice_number="1", reprint=OFF), "action1"),
    ("ui.screens.failures.PrinterProblemPage",
     ResultView(Frame(Screen.PRINTER_PROBLEM), invoice_number="1", retry_print=OFF), "action1"),
    ("ui.screens.buyer.OptionsPage", OptionsView(Frame(Screen.OPTIONS), special=OFF), "special"),
], ids=["orders", "catalogue", "review", "result-send", "result-reprint", "already-reprint",
        "printer-retry", "options-special"])
def test_a_disabled_action_shows_its_reason(qtbot: Any, cls: str, view: Any, button: str) -> None:
    import importlib

    module, name = cls.rsplit(".", 1)
    p = page(qtbot, getattr(importlib.import_module(module), name))
    for lang in ("zh_CN", "en"):
        p.show_view(view, lang)
        assert not getattr(p, button).isEnabled()
        assert _says(p, WHY.get(lang)), f"{name}.{button}: no reason shown in {lang}"
    enabled = dataclasses.replace(view, **{f.name: Action() for f in dataclasses.fields(view)
                                           if getattr(view, f.name) is OFF})
    p.show_view(enabled, "en")
    assert getattr(p, button).isEnabled() and not _says(p, WHY.en)


def test_result_view_says_why_sending_and_printing_wait(qtbot: Any) -> None:
    """The flow's own disabled actions carry a reason (a busy mailer, a busy printer)."""
    from tests.helpers.fake_services import FakeKiosk

    kiosk = FakeKiosk()
    s = kiosk.session()
    core = s.core
    from types import SimpleNamespace

    core.data.invoice = SimpleNamespace(number="1", download_url="")  # type: ignore[assignment]
    core.data.mailing = True
    core.data.printing = True
    from kiosk.flow.views import result_view

    view = result_view(core)
    for action in (view.send, view.reprint, view.retry_print):
        assert not action.enabled and action.reason is not None
        assert action.reason.zh and action.reason.en


# --- stale or contradictory words (issue 11 items 8 and 9) ------------------------------

def test_printer_problem_page_says_the_invoice_was_already_mailed(qtbot: Any) -> None:
    from ui.screens.failures import PrinterProblemPage

    p = page(qtbot, PrinterProblemPage)
    view = ResultView(Frame(Screen.PRINTER_PROBLEM), invoice_number="1", mail_sent=True,
                      mailed_to="zhang.san@example.com")
    for lang, said in (("zh_CN", "发票已发送到邮箱"), ("en", "has been e-mailed")):
        p.show_view(view, lang)
        assert p.mailed.isVisibleTo(p) and said in p.mailed.text()
        assert "zhang.san@example.com" in p.mailed.text()
    p.show_view(ResultView(Frame(Screen.PRINTER_PROBLEM), invoice_number="1"), "en")
    assert not p.mailed.isVisibleTo(p)


@pytest.mark.parametrize("camera_ok", [True, False], ids=["camera", "no-camera"])
def test_attract_page_without_a_scanner_offers_the_other_ways(qtbot: Any, camera_ok: bool) -> None:
    from kiosk.flow.views import AttractView
    from ui.screens.start import AttractPage

    p = page(qtbot, AttractPage)
    p.show_view(AttractView(Frame(Screen.ATTRACT)), "en")
    assert p.sub.isVisibleTo(p) and not p.scanner_down.isVisibleTo(p)
    for lang, gone, way in (("zh_CN", "扫码器暂时不能使用", "摄像头" if camera_ok else "输入订单号"),
                            ("en", "scanner is not working", "camera" if camera_ok else "type")):
        p.show_view(AttractView(Frame(Screen.ATTRACT), scanner_ok=False, camera_ok=camera_ok),
                    lang)
        assert not p.sub.isVisibleTo(p)  # no "under the scanner below"
        assert p.scanner_down.isVisibleTo(p) and gone in p.scanner_down.text()
        assert way in p.scanner_down.text()
        assert p.camera.isVisibleTo(p) is camera_ok and p.type_no.isVisibleTo(p)


@pytest.mark.parametrize("lang, key", [("zh_CN", "确定"), ("en", "OK")])
def test_pin_prompt_names_the_ok_key_by_its_label(qtbot: Any, lang: str, key: str) -> None:
    from PySide6.QtWidgets import QApplication

    from ui.diagnostics.pin import PinPage
    from ui.i18n import Languages

    languages = Languages(QApplication.instance())  # type: ignore[arg-type]
    try:
        languages.set(lang)
        p = PinPage()
        qtbot.addWidget(p)
        assert p.keypad.key("ok").text() == key
        zh, en = p.hint.text().split("\n")
        assert f"“{key}”" in zh and f"“{key}”" in en  # not "press OK" on a key saying 确定
    finally:
        if languages._translator is not None:
            QApplication.instance().removeTranslator(languages._translator)  # type: ignore[union-attr]


def test_support_text_follows_the_language(qtbot: Any) -> None:
    from kiosk.flow.views import PlainView
    from ui.screens.overlays import SupportPage

    p = SupportPage(FakeKiosk().session(), "010-12366", "请联系大厅工作人员",
                    "Please ask the staff in the hall")
    qtbot.addWidget(p)
    p.show_view(PlainView(Frame(Screen.SUPPORT)), "en")
    assert p.text.text() == "Please ask the staff in the hall"
    p.show_view(PlainView(Frame(Screen.SUPPORT)), "zh_CN")
    assert p.text.text() == "请联系大厅工作人员"
