"""The session state machine, without Qt, on the real services: demo orders in a real
SQLite file, the sandbox platform, the issuing service, the emulated printer."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.flow.ports import ManualRunner
from kiosk.flow.states import Screen, SessionData
from kiosk.model import BuyerType, InvoiceKind, Medium
from kiosk.titleqr import make_title_qr
from tests.helpers.app import COMPANY, COMPANY_TAX_ID, CoreRig, kiosk_core


class Touches:
    """Counts the user's touches: every intent a screen button sends goes through here."""

    def __init__(self, session: object) -> None:
        self.session = session
        self.count = 0

    def __call__(self, intent: str, *args: object) -> None:
        self.count += 1
        getattr(self.session, intent)(*args)


@pytest.fixture
def rig(tmp_path: Path) -> Iterator[CoreRig]:
    r = kiosk_core(tmp_path / "data")
    yield r
    r.close()


def test_walk_in_personal_invoice_in_three_touches(rig: CoreRig) -> None:
    s = rig.session
    touch = Touches(s)
    order = rig.orders()[0]
    s.code_scanned(rig.qr(order))  # the scan on the attract screen is not a touch
    assert s.screen is Screen.ORDERS and s.data.order_nos == (order.order_no,)
    assert not s.data.terms_accepted  # the notice is on the orders screen, not yet accepted
    touch("orders_continue")  # "accept & continue"
    assert s.data.terms_accepted and s.screen is Screen.BUYER
    assert s.data.buyer.type is BuyerType.PERSON and s.data.buyer.name == "个人"
    touch("buyer_continue")
    assert s.screen is Screen.REVIEW
    assert (s.data.kind, s.data.medium) == (InvoiceKind.NORMAL, Medium.ELECTRONIC)
    touch("confirm_issue")
    assert s.screen is Screen.RESULT
    assert s.data.invoice is not None and s.data.invoice.buyer.name == "个人"
    assert s.data.printed, "the receipt printed without another touch"
    assert rig.printer.wait_for_receipts(1, timeout=5)
    assert touch.count == 3 <= 4


def test_company_with_scanned_title_code_in_four_touches(rig: CoreRig) -> None:
    from kiosk.model import Buyer

    s = rig.session
    touch = Touches(s)
    s.code_scanned(rig.qr(rig.orders()[2]))
    touch("orders_continue")
    title = make_title_qr(Buyer(BuyerType.COMPANY, COMPANY, COMPANY_TAX_ID))
    s.code_scanned(title)  # scanned on the buyer screen: fills the title, goes to options
    assert s.screen is Screen.OPTIONS
    assert (s.data.buyer.type, s.data.buyer.name, s.data.buyer.tax_id) == (
        BuyerType.COMPANY, COMPANY, COMPANY_TAX_ID)
    touch("set_kind", InvoiceKind.SPECIAL)
    touch("options_continue")
    touch("confirm_issue")
    assert s.screen is Screen.RESULT
    assert s.data.invoice.kind is InvoiceKind.SPECIAL
    assert s.data.invoice.buyer.tax_id == COMPANY_TAX_ID
    assert touch.count == 4 <= 6


def test_company_with_remembered_title_in_five_touches(rig: CoreRig) -> None:
    from kiosk.model import Buyer

    account = rig.core.accounts.find("demo")
    rig.core.accounts.remember_title(account.id, Buyer(BuyerType.COMPANY, COMPANY, COMPANY_TAX_ID))
    s = rig.session
    s.begin("login")
    s.accept_terms()
    s.login("demo", "demo1234")
    assert s.screen is Screen.ORDERS and [t.name for t in s.data.titles] == [COMPANY]
    touch = Touches(s)
    s.code_scanned(rig.qr(rig.orders()[0]))
    touch("orders_continue")
    touch("use_title", 0)  # the saved titles show on the buyer screen whatever the type
    assert s.screen is Screen.OPTIONS
    touch("set_kind", InvoiceKind.SPECIAL)
    touch("options_continue")
    touch("confirm_issue")
    assert s.screen is Screen.RESULT and s.data.invoice.kind is InvoiceKind.SPECIAL
    assert touch.count == 5 <= 6


def test_several_orders_are_merged_into_one_invoice(rig: CoreRig) -> None:
    s = rig.session
    a, b = rig.orders()[0], rig.orders()[1]
    s.code_scanned(rig.qr(a))
    s.type_order_no(b.order_no)
    s.code_scanned(rig.qr(a))  # the same receipt again: not added twice
    assert s.data.order_nos == (a.order_no, b.order_no)
    assert s.data.notice is not None and "already" in s.data.notice.en
    assert s.data.total == a.total + b.total
    s.orders_continue()
    s.buyer_continue()
    s.confirm_issue()
    assert s.screen is Screen.RESULT
    assert set(s.data.invoice.order_nos) == {a.order_no, b.order_no}
    assert s.data.invoice.total == a.total + b.total


def test_typed_unknown_order_number_is_explained(rig: CoreRig) -> None:
    s = rig.session
    s.begin("type")
    s.accept_terms()
    s.type_order_no("NOPE-1")
    assert s.screen is Screen.ORDERS and s.data.orders == []
    assert "No order" in s.data.notice.en


def test_forged_and_foreign_codes_go_to_bad_qr(rig: CoreRig) -> None:
    s = rig.session
    order = rig.orders()[0]
    forged = rig.qr(order).replace(str(order.total), "1.00")
    s.code_scanned(forged)
    assert s.screen is Screen.BAD_QR and "altered" in s.data.notice.en
    s.back()
    assert s.screen is Screen.ATTRACT
    s.code_scanned("https://weixin.qq.com/x/whatever")
    assert s.screen is Screen.BAD_QR
    s.code_scanned(rig.qr(order))  # the right code from the failure screen: on we go
    assert s.screen is Screen.ORDERS


def test_already_invoiced_order_offers_reprint(rig: CoreRig) -> None:
    s = rig.session
    order = rig.orders()[0]
    s.code_scanned(rig.qr(order))
    s.orders_continue()
    s.buyer_continue()
    s.confirm_issue()
    number = s.data.invoice.number
    s.finish()
    s.code_scanned(rig.qr(order))
    assert s.screen is Screen.ALREADY_INVOICED and s.data.invoice.number == number
    s.print_receipt()
    assert rig.printer.wait_for_receipts(2, timeout=5)


def test_bad_tax_id_blocks_and_a_check_digit_warning_needs_confirmation(rig: CoreRig) -> None:
    s = rig.session
    s.code_scanned(rig.qr(rig.orders()[0]))
    s.orders_continue()
    s.set_buyer_type(BuyerType.COMPANY)
    s.set_buyer_field("name", COMPANY)
    s.set_buyer_field("tax_id", "12345")
    assert s.data.tax_id_feedback.severity.value == "error"  # live feedback while typing
    s.buyer_continue()
    assert s.screen is Screen.BUYER and "Wrong length" in s.data.notice.en
    s.set_buyer_field("tax_id", COMPANY_TAX_ID[:-1] + "B")
    s.buyer_continue()
    assert s.screen is Screen.BUYER and s.data.tax_id_feedback.needs_confirmation
    s.confirm_tax_id()
    assert s.screen is Screen.OPTIONS and s.data.buyer.tax_id_confirmed


def test_special_invoice_only_for_a_company_with_tax_id(rig: CoreRig) -> None:
    s = rig.session
    s.code_scanned(rig.qr(rig.orders()[0]))
    s.orders_continue()
    assert not s.may_be_special()
    s.set_kind(InvoiceKind.SPECIAL)
    assert s.data.kind is InvoiceKind.NORMAL and "special" in s.data.notice.en.lower()


def test_platform_unreachable_queues_with_a_claim_receipt(rig: CoreRig) -> None:
    rig.core.gateway.faults.set(unavailable=True)
    s = rig.session
    s.code_scanned(rig.qr(rig.orders()[0]))
    s.orders_continue()
    s.buyer_continue()
    s.confirm_issue()
    assert s.screen is Screen.PLATFORM_QUEUED
    assert s.data.request.request_id.startswith("RQ")
    assert rig.printer.wait_for_receipts(1, timeout=5)
    assert s.data.request.request_id.encode() in rig.printer.receipts[-1]


def test_unknown_result_then_check_again_with_the_same_request(rig: CoreRig) -> None:
    from tests.helpers.app import make_unknown

    s = rig.session
    s.code_scanned(rig.qr(rig.orders()[0]))
    s.orders_continue()
    s.buyer_continue()
    make_unknown(rig)
    s.confirm_issue()
    assert s.screen is Screen.RESULT_UNKNOWN
    first = s.data.request.request_id
    rig.core.gateway.faults.clear()
    s.retry_issue()
    assert s.screen is Screen.RESULT and s.data.invoice.request_id == first


def test_rejected_by_the_platform(rig: CoreRig) -> None:
    from decimal import Decimal

    rig.core.gateway.monthly_quota = Decimal("1.00")
    s = rig.session
    s.code_scanned(rig.qr(rig.orders()[0]))
    s.orders_continue()
    s.buyer_continue()
    s.confirm_issue()
    assert s.screen is Screen.REJECTED and s.data.notice is not None


def test_paper_out_mid_flow_offers_qr_and_email(rig: CoreRig) -> None:
    rig.printer.set_paper("out")
    s = rig.session
    s.code_scanned(rig.qr(rig.orders()[0]))
    s.orders_continue()
    s.buyer_continue()
    s.confirm_issue()
    assert s.screen is Screen.PRINTER_PROBLEM
    assert s.data.invoice is not None and "paper" in s.data.notice.en
    rig.printer.set_paper("ok")
    s.print_receipt()
    assert s.screen is Screen.RESULT and s.data.printed


def test_idle_countdown_then_wipe(tmp_path: Path) -> None:
    now = [1000.0]
    rig = kiosk_core(tmp_path / "d")
    try:
        s = rig.session
        s.clock = lambda: now[0]
        s.idle_timeout_s, s.countdown_s = 60, 10
        s.code_scanned(rig.qr(rig.orders()[0]))
        s.orders_continue()
        s.set_buyer_field("email", "zhang.san@example.com")
        now[0] += 59
        s.tick()
        assert s.screen is Screen.BUYER
        now[0] += 2
        s.tick()
        assert s.screen is Screen.IDLE_WARNING and s.countdown_left() == 10
        s.resume()  # "need more time?" -> yes
        assert s.screen is Screen.BUYER and s.data.buyer.email
        now[0] += 61
        s.tick()
        now[0] += 10
        s.tick()
        assert s.screen is Screen.ATTRACT
        assert_wiped(s)
        assert any(e["event"] == "session.wiped" and e["reason"] == "idle" for e in rig.events())
    finally:
        rig.close()


def assert_wiped(s: object) -> None:
    """Nothing personal anywhere on the session object after a wipe."""
    assert s.data == SessionData()  # type: ignore[attr-defined]
    dump = repr(vars(s))
    for secret in ("zhang.san", COMPANY, COMPANY_TAX_ID, "D20"):
        assert secret not in dump, secret


def test_finish_wipes_everything_personal(rig: CoreRig) -> None:
    s = rig.session
    s.code_scanned(rig.qr(rig.orders()[0]))
    s.orders_continue()
    s.set_buyer_type(BuyerType.COMPANY)
    s.set_buyer_field("name", COMPANY)
    s.set_buyer_field("tax_id", COMPANY_TAX_ID)
    s.set_buyer_field("email", "zhang.san@example.com")
    s.buyer_continue()
    s.options_continue()
    s.confirm_issue()
    assert s.screen is Screen.RESULT
    s.finish()
    assert s.screen is Screen.ATTRACT
    assert_wiped(s)


def test_id_card_is_read_only_after_consent(rig: CoreRig) -> None:
    s = rig.session
    s.begin("idcard")
    assert s.screen is Screen.TERMS
    s.accept_terms()
    assert s.screen is Screen.IDCARD_CONSENT
    s.idcard_read("张三", "11010519491231002X")  # a card before consent is ignored
    assert s.data.identity is None
    s.consent_idcard(True)
    s.idcard_read("张三", "11010519491231002X")
    assert s.screen is Screen.ORDERS and s.data.buyer.name == "张三"
    logged = repr(rig.events())
    assert "11010519491231002X" not in logged and "张三" not in logged


def test_business_flow_from_the_catalogue(rig: CoreRig) -> None:
    from decimal import Decimal

    s = rig.session
    s.begin("business")
    s.accept_terms()
    s.login("shop", "shop1234")
    assert s.screen is Screen.CATALOGUE
    items = s.catalogue_search("")
    assert items
    s.catalogue_add(items[0], Decimal("2"))
    s.catalogue_add(items[1], None, amount=Decimal("50.00"))
    s.catalogue_continue()
    s.set_buyer_type(BuyerType.COMPANY)
    s.set_buyer_field("name", COMPANY)
    s.set_buyer_field("tax_id", COMPANY_TAX_ID)
    s.buyer_continue()
    s.options_continue()
    s.confirm_issue()
    assert s.screen is Screen.RESULT
    assert len(s.data.invoice.lines) == 2
    assert s.data.invoice.total == s.data.total


def test_catalogue_is_refused_to_a_person_account(rig: CoreRig) -> None:
    s = rig.session
    s.begin("login")
    s.accept_terms()
    s.login("demo", "demo1234")
    s.catalogue_add(object(), None)
    assert "business" in s.data.notice.en


def test_wrong_password_is_explained(rig: CoreRig) -> None:
    s = rig.session
    s.begin("login")
    s.accept_terms()
    s.login("demo", "wrong")
    assert s.screen is Screen.LOGIN and s.data.notice is not None and s.data.identity is None


def test_issuing_is_asynchronous_and_a_wipe_drops_a_late_result(tmp_path: Path) -> None:
    runner = ManualRunner()
    rig = kiosk_core(tmp_path / "d", runner=runner)
    try:
        s = rig.session
        s.code_scanned(rig.qr(rig.orders()[0]))
        s.orders_continue()
        s.buyer_continue()
        s.confirm_issue()
        assert s.screen is Screen.ISSUING and [p[0] for p in runner.pending] == ["issue"]
        s.wipe("test")
        runner.run_all()
        assert s.screen is Screen.ATTRACT and s.data.invoice is None
    finally:
        rig.close()


def test_every_transition_is_a_logged_event_with_the_session_id(rig: CoreRig) -> None:
    s = rig.session
    s.code_scanned(rig.qr(rig.orders()[0]))
    sid = s.data.session_id
    s.orders_continue()
    s.set_buyer_field("email", "zhang.san@example.com")
    s.buyer_continue()
    s.confirm_issue()
    transitions = [e for e in rig.events() if e["event"] == "session.transition"]
    assert [(e["from"], e["to"]) for e in transitions] == [
        ("attract", "orders"), ("orders", "buyer"), ("buyer", "review"), ("review", "issuing"),
        ("issuing", "result")]
    assert all(e["session"] == sid for e in transitions)
    assert "zhang.san@example.com" not in repr(rig.events())


def test_personal_title_code_identifies_and_fills_the_title(rig: CoreRig) -> None:
    from kiosk.model import Buyer

    s = rig.session
    s.begin("qr")
    s.accept_terms()
    assert s.screen is Screen.IDENTIFY
    s.code_scanned(make_title_qr(Buyer(BuyerType.PERSON, "李四")))
    assert s.screen is Screen.ORDERS and s.data.identity.name == "李四"
    s.code_scanned(rig.qr(rig.orders()[0]))
    s.orders_continue()
    assert s.data.buyer.name == "李四"


def test_a_queued_request_is_issued_later_and_found_by_scanning_again(rig: CoreRig) -> None:
    rig.core.gateway.faults.set(unavailable=True)
    s = rig.session
    order = rig.orders()[0]
    s.code_scanned(rig.qr(order))
    s.orders_continue()
    s.buyer_continue()
    s.confirm_issue()
    assert s.screen is Screen.PLATFORM_QUEUED
    request_id = s.data.request.request_id
    s.finish()
    rig.core.gateway.faults.clear()  # the platform is back
    assert rig.core.pump(force=True)["requests"] == 1
    s.code_scanned(rig.qr(order))  # "scan your order again later"
    assert s.screen is Screen.ALREADY_INVOICED
    assert s.data.invoice.request_id == request_id


def test_unreadable_scan_and_failed_card_read_are_explained(rig: CoreRig) -> None:
    s = rig.session
    s.code_unreadable("control_chars")
    assert s.screen is Screen.BAD_QR and "could not be read" in s.data.notice.en
    s.back()
    s.begin("idcard")
    s.accept_terms()
    s.consent_idcard(True)
    s.idcard_failed("checksum")
    assert s.screen is Screen.IDCARD_READING and "ID card" in s.data.notice.en
