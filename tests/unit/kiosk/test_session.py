"""The session flow against fake ports (tests/helpers/fake_services.py): every walk-in
path, the touch budgets, failures and privacy, in well under a second each.

The real services behind the same ports are covered by test_session_real.py
(one walk-in on the real core) and the end-to-end tests."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest

from kiosk.flow.ports import ManualRunner
from kiosk.flow.states import Screen, SessionData
from kiosk.issuing import IssueStatus
from kiosk.model import Buyer, BuyerType, InvoiceKind, Medium
from kiosk.session import Session
from kiosk.titleqr import make_title_qr
from tests.helpers.app import COMPANY, COMPANY_TAX_ID
from tests.helpers.fake_services import EventLog, FakeKiosk, captured_events


class Touches:
    """Counts the user's touches: every intent a screen button sends goes through here."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.count = 0

    def __call__(self, intent: str, *args: object) -> None:
        self.count += 1
        target: Any = self.session
        for part in intent.split("."):
            target = getattr(target, part)
        target(*args)


def to_buyer(s: Session) -> None:
    """"Change title" on the review; the privacy notice first when not yet accepted."""
    assert s.screen is Screen.REVIEW
    s.review.edit(Screen.BUYER)
    if s.screen is Screen.TERMS:
        s.identify.accept_terms()
    assert s.screen is Screen.BUYER


@pytest.fixture
def kiosk() -> FakeKiosk:
    return FakeKiosk()


@pytest.fixture
def events() -> Iterator[EventLog]:
    with captured_events() as log:
        yield log


def test_walk_in_personal_invoice_in_one_touch(kiosk: FakeKiosk) -> None:
    """Issue 11: the scan opens the review with 个人, ordinary, electronic preselected; a
    个人 title asks for no personal data, so no notice stands in the way."""
    s = kiosk.session()
    touch = Touches(s)
    order = kiosk.orders[0]
    s.code_scanned(kiosk.qr(order), "scanner")  # the scan on the attract screen is not a touch
    assert s.screen is Screen.REVIEW and s.data.order_nos == (order.order_no,)
    assert s.data.buyer.type is BuyerType.PERSON and s.data.buyer.name == "个人"
    assert (s.data.kind, s.data.medium) == (InvoiceKind.NORMAL, Medium.ELECTRONIC)
    assert not s.data.terms_accepted  # nothing personal was asked
    touch("review.confirm")
    assert s.screen is Screen.RESULT
    assert s.data.invoice is not None and s.data.invoice.buyer.name == "个人"
    assert s.data.printed, "the receipt printed without another touch"
    assert kiosk.printer.receipts == [s.data.invoice]
    assert touch.count == 1


@pytest.mark.parametrize("title_first", [False, True], ids=["receipt_first", "title_first"])
def test_company_with_scanned_title_code_in_one_touch(kiosk: FakeKiosk,
                                                      title_first: bool) -> None:
    s = kiosk.session()
    touch = Touches(s)
    title = make_title_qr(Buyer(BuyerType.COMPANY, COMPANY, COMPANY_TAX_ID))
    receipt = kiosk.qr(kiosk.orders[2])
    if title_first:
        s.code_scanned(title, "scanner")  # on the attract screen: read back, receipt next
        assert s.screen is Screen.ORDERS and s.data.buyer.name == COMPANY
        assert s.data.notice is not None and COMPANY in s.data.notice.zh
        s.code_scanned(receipt, "scanner")
    else:
        s.code_scanned(receipt, "scanner")
        s.code_scanned(title, "scanner")  # a blank 个人 title is filled without asking
    assert s.screen is Screen.REVIEW and s.data.title_offer is None
    view = s.view()
    assert (view.buyer_name, view.buyer_type) == (COMPANY, BuyerType.COMPANY)
    touch("review.confirm")
    assert s.screen is Screen.RESULT and s.data.invoice is not None
    assert s.data.invoice.kind is InvoiceKind.NORMAL
    assert s.data.invoice.buyer.tax_id == COMPANY_TAX_ID
    assert s.data.printed and touch.count == 1


def test_company_with_remembered_title_in_two_touches(kiosk: FakeKiosk) -> None:
    kiosk.remember_for_account("demo", Buyer(BuyerType.COMPANY, COMPANY, COMPANY_TAX_ID))
    s = kiosk.session()
    s.identify.begin("login")
    s.identify.accept_terms()
    s.identify.login("demo", "demo1234")
    assert s.screen is Screen.ORDERS and [t.name for t in s.data.titles] == [COMPANY]
    touch = Touches(s)
    s.code_scanned(kiosk.qr(kiosk.orders[0]), "scanner")
    assert s.screen is Screen.REVIEW and s.view().titles == (COMPANY,)
    touch("buyer.use_title", 0)  # the saved titles are buttons on the review
    assert s.screen is Screen.REVIEW and s.view().buyer_name == COMPANY
    touch("review.confirm")
    assert s.screen is Screen.RESULT and s.data.invoice is not None
    assert s.data.invoice.buyer.tax_id == COMPANY_TAX_ID and s.data.printed
    assert touch.count == 2


def test_special_invoice_is_one_touch_away_from_the_review(kiosk: FakeKiosk) -> None:
    s = kiosk.session()
    s.code_scanned(kiosk.qr(kiosk.orders[2]), "scanner")
    s.code_scanned(make_title_qr(Buyer(BuyerType.COMPANY, COMPANY, COMPANY_TAX_ID)), "scanner")
    s.review.edit(Screen.OPTIONS)  # a company's options ask nothing personal: no notice
    assert s.screen is Screen.OPTIONS and not s.data.terms_accepted
    s.buyer.set_kind(InvoiceKind.SPECIAL)
    s.buyer.options_next()
    assert s.screen is Screen.REVIEW and s.view().kind is InvoiceKind.SPECIAL
    s.back()
    assert s.screen is Screen.ORDERS  # back from the review: the items


def test_privacy_notice_comes_where_personal_data_is_first_asked(kiosk: FakeKiosk) -> None:
    s = kiosk.session()
    s.code_scanned(kiosk.qr(kiosk.orders[0]), "scanner")
    assert s.screen is Screen.REVIEW and not s.data.terms_accepted
    s.review.edit(Screen.BUYER)  # the title asks for a name, phone, e-mail: notice first
    assert s.screen is Screen.TERMS
    s.back()  # "not now": back to the review, nothing lost
    assert s.screen is Screen.REVIEW and s.data.order_nos and not s.data.terms_accepted
    s.review.edit(Screen.OPTIONS)  # kind, paper or electronic: nothing personal yet
    assert s.screen is Screen.OPTIONS
    s.buyer.set_medium(Medium.PAPER)
    s.buyer.set_paper_delivery(True)  # by post: a person's mailing address
    assert s.screen is Screen.TERMS
    s.back()  # "not now": the options again, picked up at the counter
    assert s.screen is Screen.OPTIONS and not s.data.paper_by_post
    s.buyer.set_paper_delivery(True)
    s.identify.accept_terms()
    assert s.screen is Screen.OPTIONS and s.data.terms_accepted and s.data.paper_by_post
    s.buyer.set_paper_delivery(True, "厦门市思明区示例路1号")
    s.buyer.options_next()
    s.review.edit(Screen.BUYER)  # accepted once: straight there
    assert s.screen is Screen.BUYER


def test_email_after_a_one_touch_invoice_accepts_the_summarised_notice(
        kiosk: FakeKiosk) -> None:
    s = kiosk.session()
    s.code_scanned(kiosk.qr(kiosk.orders[0]), "scanner")
    s.review.confirm()
    assert s.screen is Screen.RESULT and not s.view().terms_accepted  # summary beside e-mail
    s.identify.show_terms()
    assert s.screen is Screen.TERMS
    s.back()
    assert s.screen is Screen.RESULT
    s.review.send_email("a@example.com")
    assert s.data.terms_accepted and s.view().terms_accepted


def test_title_code_on_the_review_asks_before_replacing(kiosk: FakeKiosk) -> None:
    """Defect 11: a title code scanned over a title on the review asks first, showing both."""
    other = Buyer(BuyerType.COMPANY, "福建另一家有限公司", "91350100M000100Y43")
    s = kiosk.session()
    s.code_scanned(kiosk.qr(kiosk.orders[0]), "scanner")
    s.code_scanned(make_title_qr(Buyer(BuyerType.COMPANY, COMPANY, COMPANY_TAX_ID)), "scanner")
    assert s.data.buyer.name == COMPANY  # blank 个人: filled without asking
    s.code_scanned(make_title_qr(other), "scanner")
    assert s.screen is Screen.REVIEW and s.data.buyer.name == COMPANY  # not replaced
    view = s.view()
    assert view.offer is not None
    assert (view.offer.old_name, view.offer.new_name) == (COMPANY, other.name)
    assert not view.confirm.enabled and view.confirm.reason is not None
    s.review.confirm()  # refused while the question is open
    assert s.screen is Screen.REVIEW and s.data.invoice is None
    s.buyer.keep_title()
    assert s.view().offer is None and s.data.buyer.name == COMPANY
    s.code_scanned(make_title_qr(other), "scanner")
    s.buyer.take_offer()
    assert s.view().offer is None and s.data.buyer.tax_id == other.tax_id
    s.review.confirm()
    assert s.data.invoice is not None and s.data.invoice.buyer.name == other.name


def test_title_code_on_the_options_asks_on_the_review(kiosk: FakeKiosk) -> None:
    s = kiosk.session()
    s.code_scanned(kiosk.qr(kiosk.orders[0]), "scanner")
    s.code_scanned(make_title_qr(Buyer(BuyerType.COMPANY, COMPANY, COMPANY_TAX_ID)), "scanner")
    s.review.edit(Screen.OPTIONS)
    s.code_scanned(make_title_qr(Buyer(BuyerType.COMPANY, "福建另一家有限公司",
                                       "91350100M000100Y43")), "scanner")
    assert s.screen is Screen.REVIEW and s.view().offer is not None
    assert s.data.buyer.name == COMPANY


def test_personal_title_code_before_consent_shows_the_notice(kiosk: FakeKiosk) -> None:
    s = kiosk.session()
    s.code_scanned(kiosk.qr(kiosk.orders[0]), "scanner")
    s.code_scanned(make_title_qr(Buyer(BuyerType.PERSON, "张三")), "scanner")
    assert s.screen is Screen.TERMS and s.data.buyer.name == "个人"  # a name: notice first
    s.identify.accept_terms()
    assert s.screen is Screen.REVIEW and s.data.buyer.name == "张三"


def test_personal_title_code_on_the_options_declined_keeps_the_walk_in(
        kiosk: FakeKiosk) -> None:
    s = kiosk.session()
    s.code_scanned(kiosk.qr(kiosk.orders[0]), "scanner")
    s.review.edit(Screen.OPTIONS)  # no notice needed for the options
    s.code_scanned(make_title_qr(Buyer(BuyerType.PERSON, "张三")), "scanner")
    assert s.screen is Screen.TERMS
    s.back()  # "not now": the walk-in goes on, the scanned name is dropped
    assert s.screen is Screen.REVIEW and s.data.order_nos and s.data.buyer.name == "个人"
    assert s.data.title_offer is None


def test_a_wrongly_added_order_is_removed_from_the_merge(kiosk: FakeKiosk) -> None:
    """Defect 11: remove one order of a merge; the totals and the invoice follow."""
    s = kiosk.session()
    a, b = kiosk.orders[0], kiosk.orders[1]
    s.code_scanned(kiosk.qr(a), "scanner")
    s.code_scanned(kiosk.qr(b), "scanner")
    assert s.screen is Screen.REVIEW and s.view().total == a.total + b.total
    s.review.edit(Screen.ORDERS)
    view = s.view()
    assert [e.order_no for e in view.orders] == [a.order_no, b.order_no]
    s.orders.remove(b.order_no)
    view = s.view()
    assert view.order_nos == (a.order_no,) and view.total == f"￥{a.total:,.2f}"
    s.orders.next()
    assert s.screen is Screen.REVIEW and s.view().total == a.total
    s.review.confirm()
    assert s.data.invoice is not None and s.data.invoice.order_nos == (a.order_no,)
    assert s.data.invoice.total == a.total


def test_several_orders_are_merged_into_one_invoice(kiosk: FakeKiosk) -> None:
    s = kiosk.session()
    a, b = kiosk.orders[0], kiosk.orders[1]
    s.code_scanned(kiosk.qr(a), "scanner")
    assert s.screen is Screen.REVIEW
    s.review.edit(Screen.ORDERS)  # "change items": the keypad is on the orders screen
    s.orders.type_order_no(b.order_no)
    assert s.screen is Screen.ORDERS
    s.code_scanned(kiosk.qr(a), "scanner")  # the same receipt again: not added twice
    assert s.data.order_nos == (a.order_no, b.order_no)
    assert s.data.notice is not None and "already" in s.data.notice.en
    assert s.data.total == a.total + b.total
    s.orders.next()
    s.buyer.next()
    s.review.confirm()
    assert s.screen is Screen.RESULT and s.data.invoice is not None
    assert set(s.data.invoice.order_nos) == {a.order_no, b.order_no}
    assert s.data.invoice.total == a.total + b.total


def test_typed_unknown_order_number_is_explained(kiosk: FakeKiosk) -> None:
    s = kiosk.session()
    s.identify.begin("type")
    s.identify.accept_terms()
    s.orders.type_order_no("NOPE-1")
    assert s.screen is Screen.ORDERS and s.data.orders == []
    assert s.data.notice is not None and "No order" in s.data.notice.en


def test_forged_and_foreign_codes_go_to_bad_qr(kiosk: FakeKiosk) -> None:
    s = kiosk.session()
    order = kiosk.orders[0]
    forged = kiosk.qr(order).replace(str(order.total), "1.00")
    s.code_scanned(forged, "scanner")
    assert s.screen is Screen.BAD_QR
    assert s.data.notice is not None and "altered" in s.data.notice.en
    s.back()
    assert s.screen is Screen.ATTRACT
    s.code_scanned("https://weixin.qq.com/x/whatever", "scanner")
    assert s.screen is Screen.BAD_QR
    s.code_scanned(kiosk.qr(order), "scanner")  # the right code from the failure screen: on we go
    assert s.screen is Screen.REVIEW


def test_too_many_orders_are_refused(kiosk: FakeKiosk) -> None:
    from kiosk.flow.orders import MAX_ORDERS

    s = kiosk.session()
    s.identify.begin("type")
    s.identify.accept_terms()
    template = kiosk.orders[1]
    for n in range(MAX_ORDERS + 1):
        order_no = f"X{n:04d}"
        kiosk.store[order_no] = type(template)(order_no, template.paid_at, template.lines)
        s.orders.type_order_no(order_no)
    assert len(s.data.orders) == MAX_ORDERS
    assert s.data.notice is not None and str(MAX_ORDERS) in s.data.notice.en


def test_already_invoiced_order_offers_reprint(kiosk: FakeKiosk) -> None:
    s = kiosk.session()
    order = kiosk.orders[0]
    s.code_scanned(kiosk.qr(order), "scanner")
    s.orders.next()
    s.buyer.next()
    s.review.confirm()
    assert s.data.invoice is not None
    number = s.data.invoice.number
    s.finish()
    s.code_scanned(kiosk.qr(order), "scanner")
    assert s.screen is Screen.ALREADY_INVOICED and s.data.invoice.number == number
    s.review.print_receipt()
    assert len(kiosk.printer.receipts) == 2


def test_bad_tax_id_blocks_and_a_check_digit_warning_needs_confirmation(kiosk: FakeKiosk) -> None:
    s = kiosk.session()
    s.code_scanned(kiosk.qr(kiosk.orders[0]), "scanner")
    to_buyer(s)
    s.buyer.set_type(BuyerType.COMPANY)
    s.buyer.set_field("name", COMPANY)
    s.buyer.set_field("tax_id", "12345")
    assert s.data.tax_id_feedback.severity.value == "error"  # live feedback while typing
    s.buyer.next()
    assert s.screen is Screen.BUYER
    assert s.data.notice is not None and "13 to go" in s.data.notice.en
    s.buyer.set_field("tax_id", COMPANY_TAX_ID[:-1] + "B")
    s.buyer.next()
    assert s.screen is Screen.BUYER and s.data.tax_id_feedback.needs_confirmation
    s.buyer.confirm_tax_id()
    assert s.screen is Screen.REVIEW and s.data.buyer.tax_id_confirmed


def test_special_invoice_only_for_a_company_with_tax_id(kiosk: FakeKiosk) -> None:
    s = kiosk.session()
    s.code_scanned(kiosk.qr(kiosk.orders[0]), "scanner")
    s.orders.next()
    assert not s.buyer.may_be_special()
    s.buyer.set_kind(InvoiceKind.SPECIAL)
    assert s.data.kind is InvoiceKind.NORMAL
    assert s.data.notice is not None and "special" in s.data.notice.en.lower()


def test_platform_unreachable_queues_with_a_claim_receipt(kiosk: FakeKiosk) -> None:
    kiosk.next_outcome(IssueStatus.QUEUED)
    s = kiosk.session()
    s.code_scanned(kiosk.qr(kiosk.orders[0]), "scanner")
    s.orders.next()
    s.buyer.next()
    s.review.confirm()
    assert s.screen is Screen.PLATFORM_QUEUED
    assert s.data.request is not None and s.data.request.request_id.startswith("RQ")
    assert [r.request_id for r, _ in kiosk.printer.claims] == [s.data.request.request_id]
    assert s.data.printed


def test_unknown_result_then_check_again_with_the_same_request(kiosk: FakeKiosk) -> None:
    kiosk.next_outcome(IssueStatus.UNKNOWN)
    s = kiosk.session()
    s.code_scanned(kiosk.qr(kiosk.orders[0]), "scanner")
    s.orders.next()
    s.buyer.next()
    s.review.confirm()
    assert s.screen is Screen.RESULT_UNKNOWN and s.data.request is not None
    first = s.data.request.request_id
    s.review.retry()
    assert s.screen is Screen.RESULT and s.data.invoice is not None
    assert s.data.invoice.request_id == first
    assert [r.request_id for r in kiosk.requests] == [first, first]


def test_issuing_that_raises_is_an_unknown_result(kiosk: FakeKiosk) -> None:
    kiosk.next_outcome(RuntimeError("connection reset"))
    s = kiosk.session()
    s.code_scanned(kiosk.qr(kiosk.orders[0]), "scanner")
    s.orders.next()
    s.buyer.next()
    s.review.confirm()
    assert s.screen is Screen.RESULT_UNKNOWN
    assert s.data.notice is not None and "do not issue again" in s.data.notice.en


def test_rejected_by_the_platform(kiosk: FakeKiosk) -> None:
    kiosk.next_outcome(IssueStatus.REJECTED)
    s = kiosk.session()
    s.code_scanned(kiosk.qr(kiosk.orders[0]), "scanner")
    s.orders.next()
    s.buyer.next()
    s.review.confirm()
    assert s.screen is Screen.REJECTED and s.data.notice is not None
    s.back()
    assert s.screen is Screen.REVIEW


def test_paper_out_mid_flow_offers_qr_and_email(kiosk: FakeKiosk) -> None:
    kiosk.printer.fail = "paper_out"
    s = kiosk.session()
    s.code_scanned(kiosk.qr(kiosk.orders[0]), "scanner")
    s.orders.next()
    s.buyer.next()
    s.review.confirm()
    assert s.screen is Screen.PRINTER_PROBLEM
    assert s.data.invoice is not None and s.data.notice is not None
    assert "paper" in s.data.notice.en
    kiosk.printer.fail = ""
    s.review.print_receipt()
    assert s.screen is Screen.RESULT and s.data.printed


def test_email_after_issue_and_a_failed_mail_is_explained(kiosk: FakeKiosk) -> None:
    s = kiosk.session()
    s.code_scanned(kiosk.qr(kiosk.orders[0]), "scanner")
    s.orders.next()
    s.buyer.next()
    s.review.confirm()
    s.review.send_email("not an address")
    assert s.data.notice is not None and "not valid" in s.data.notice.en
    s.review.send_email(" zhang.san@example.com ")
    assert s.data.mail_sent_to == "zhang.san@example.com" and not s.data.mailing
    assert s.data.invoice is not None
    assert kiosk.mails == [(s.data.invoice.number, "zhang.san@example.com")]
    kiosk.mail_fails = True
    s.review.send_email("li.si@example.com")
    assert s.data.notice is not None and "e-mail failed" in s.data.notice.en


def test_idle_countdown_then_wipe(kiosk: FakeKiosk, events: EventLog) -> None:
    now = [1000.0]
    s = kiosk.session(clock=lambda: now[0], idle_timeout_s=60, countdown_s=10)
    s.code_scanned(kiosk.qr(kiosk.orders[0]), "scanner")
    to_buyer(s)
    s.buyer.set_field("email", "zhang.san@example.com")
    now[0] += 59
    s.tick()
    assert s.screen is Screen.BUYER
    now[0] += 2
    s.tick()
    assert s.screen is Screen.IDLE_WARNING and s.overlays.countdown_left() == 10
    s.overlays.resume()  # "need more time?" -> yes
    assert s.screen is Screen.BUYER and s.data.buyer.email
    now[0] += 61
    s.tick()
    now[0] += 10
    s.tick()
    assert s.screen is Screen.ATTRACT
    assert_wiped(s)
    assert any(e["event"] == "session.wiped" and e["reason"] == "idle" for e in events.events)


def _dump(obj: object, seen: set[int] | None = None) -> str:
    """Everything reachable from the session's own objects (not its ports), as text."""
    seen = set() if seen is None else seen
    if id(obj) in seen:
        return ""
    seen.add(id(obj))
    module = type(obj).__module__
    if not (module.startswith("kiosk.flow") or module == "kiosk.session"):
        return repr(obj)
    parts = [repr(obj)]
    for name, value in vars(obj).items() if hasattr(obj, "__dict__") else ():
        if name in ("services", "ports", "runner") or callable(value):
            continue
        parts.append(_dump(value, seen))
    return "\n".join(parts)


def assert_wiped(s: Session) -> None:
    """Nothing personal anywhere on the session object after a wipe."""
    assert s.data == SessionData()
    dump = _dump(s)
    for secret in ("zhang.san", COMPANY, COMPANY_TAX_ID, "D20"):
        assert secret not in dump, secret


def test_finish_wipes_everything_personal(kiosk: FakeKiosk) -> None:
    s = kiosk.session()
    s.code_scanned(kiosk.qr(kiosk.orders[0]), "scanner")
    s.orders.next()
    s.buyer.set_type(BuyerType.COMPANY)
    s.buyer.set_field("name", COMPANY)
    s.buyer.set_field("tax_id", COMPANY_TAX_ID)
    s.buyer.set_field("email", "zhang.san@example.com")
    s.buyer.next()
    s.buyer.options_next()
    s.review.confirm()
    assert s.screen is Screen.RESULT
    s.finish()
    assert s.screen is Screen.ATTRACT
    assert_wiped(s)


def test_id_card_is_read_only_after_consent(kiosk: FakeKiosk, events: EventLog) -> None:
    s = kiosk.session()
    s.identify.begin("idcard")
    assert s.screen is Screen.TERMS
    s.identify.accept_terms()
    assert s.screen is Screen.IDCARD_CONSENT
    s.idcard_read("张三", "11010519491231002X")  # a card before consent is ignored
    assert s.data.identity is None
    s.identify.consent_idcard(True)
    s.idcard_read("张三", "11010519491231002X")
    assert s.screen is Screen.ORDERS and s.data.buyer.name == "张三"
    logged = repr(events.events)
    assert "11010519491231002X" not in logged and "张三" not in logged


def test_business_flow_from_the_catalogue(kiosk: FakeKiosk) -> None:
    s = kiosk.session()
    s.identify.begin("business")
    s.identify.accept_terms()
    s.identify.login("shop", "shop1234")
    assert s.screen is Screen.CATALOGUE
    items = s.catalogue.search("")
    assert items
    s.catalogue.add(items[0], Decimal("2"))
    s.catalogue.add(items[5], None, amount=Decimal("50.00"))
    s.catalogue.next()
    s.buyer.set_type(BuyerType.COMPANY)
    s.buyer.set_field("name", COMPANY)
    s.buyer.set_field("tax_id", COMPANY_TAX_ID)
    s.buyer.next()
    s.buyer.options_next()
    s.review.confirm()
    assert s.screen is Screen.RESULT and s.data.invoice is not None
    assert len(s.data.invoice.lines) == 2
    assert s.data.invoice.total == s.data.total
    assert s.data.request is not None
    assert s.data.request.order_nos == (f"BIZ-{s.data.session_id}",)


def test_catalogue_is_refused_to_a_person_account(kiosk: FakeKiosk) -> None:
    s = kiosk.session()
    s.identify.begin("login")
    s.identify.accept_terms()
    s.identify.login("demo", "demo1234")
    s.catalogue.add(kiosk.catalogue[0], None)
    assert s.data.notice is not None and "business" in s.data.notice.en


def test_wrong_password_is_explained(kiosk: FakeKiosk) -> None:
    s = kiosk.session()
    s.identify.begin("login")
    s.identify.accept_terms()
    s.identify.login("demo", "wrong")
    assert s.screen is Screen.LOGIN and s.data.notice is not None and s.data.identity is None
    assert s.data.login_failures == 1


def test_login_without_accounts_is_explained() -> None:
    s = FakeKiosk(with_accounts=False).session()
    s.identify.begin("login")
    s.identify.accept_terms()
    s.identify.login("demo", "demo1234")
    assert s.screen is Screen.LOGIN and s.data.notice is not None
    assert "not available" in s.data.notice.en


def test_issuing_is_asynchronous_and_a_wipe_drops_a_late_result(kiosk: FakeKiosk) -> None:
    runner = ManualRunner()
    s = kiosk.session(runner=runner)
    s.code_scanned(kiosk.qr(kiosk.orders[0]), "scanner")
    s.orders.next()
    s.buyer.next()
    s.review.confirm()
    assert s.screen is Screen.ISSUING and [p[0] for p in runner.pending] == ["issue"]
    s.wipe("test")
    runner.run_all()
    assert s.screen is Screen.ATTRACT and s.data.invoice is None


def test_every_transition_is_a_logged_event_with_the_session_id(
        kiosk: FakeKiosk, events: EventLog) -> None:
    s = kiosk.session()
    s.code_scanned(kiosk.qr(kiosk.orders[0]), "scanner")
    sid = s.data.session_id
    to_buyer(s)
    s.buyer.set_field("email", "zhang.san@example.com")
    s.buyer.next()
    s.review.confirm()
    transitions = [e for e in events.events if e["event"] == "session.transition"]
    assert [(e["from"], e["to"]) for e in transitions] == [
        ("attract", "review"), ("review", "terms"), ("terms", "buyer"), ("buyer", "review"),
        ("review", "issuing"), ("issuing", "result")]
    assert all(e["session"] == sid for e in transitions)
    assert transitions[4]["request_id"].startswith("RQ") and transitions[5]["status"] == "issued"
    assert "zhang.san@example.com" not in repr(events.events)


def test_personal_title_code_identifies_and_fills_the_title(kiosk: FakeKiosk) -> None:
    s = kiosk.session()
    s.identify.begin("qr")
    s.identify.accept_terms()
    assert s.screen is Screen.IDENTIFY
    s.code_scanned(make_title_qr(Buyer(BuyerType.PERSON, "李四")), "scanner")
    assert s.screen is Screen.ORDERS and s.data.identity is not None
    assert s.data.identity.name == "李四"
    s.code_scanned(kiosk.qr(kiosk.orders[0]), "scanner")
    s.orders.next()
    assert s.data.buyer.name == "李四"


def test_a_queued_request_is_issued_later_and_found_by_scanning_again(kiosk: FakeKiosk) -> None:
    kiosk.next_outcome(IssueStatus.QUEUED)
    s = kiosk.session()
    order = kiosk.orders[0]
    s.code_scanned(kiosk.qr(order), "scanner")
    s.orders.next()
    s.buyer.next()
    s.review.confirm()
    assert s.screen is Screen.PLATFORM_QUEUED and s.data.request is not None
    request = s.data.request
    s.finish()
    assert kiosk.issue(request).status is IssueStatus.ISSUED  # the pump, once the platform is back
    s.code_scanned(kiosk.qr(order), "scanner")  # "scan your order again later"
    assert s.screen is Screen.ALREADY_INVOICED and s.data.invoice is not None
    assert s.data.invoice.request_id == request.request_id


def test_unreadable_scan_and_failed_card_read_are_explained(kiosk: FakeKiosk) -> None:
    s = kiosk.session()
    s.code_unreadable("control_chars", "scanner")
    assert s.screen is Screen.BAD_QR
    assert s.data.notice is not None and "could not be read" in s.data.notice.en
    s.back()
    s.identify.begin("idcard")
    s.identify.accept_terms()
    s.identify.consent_idcard(True)
    s.idcard_failed("checksum")
    assert s.screen is Screen.IDCARD_READING
    assert s.data.notice is not None and "ID card" in s.data.notice.en


def test_a_card_kind_the_reader_cannot_decode_says_so_not_place_it_again(
        kiosk: FakeKiosk) -> None:
    """Issue 14 item 3: an unsupported card type asks for another way to identify."""
    from kiosk.messages import Problem

    s = kiosk.session()
    s.identify.begin("idcard")
    s.identify.accept_terms()
    s.identify.consent_idcard(True)
    s.idcard_failed(Problem.of("idcard.card_type_unsupported", mark="X"))
    assert s.screen is Screen.IDCARD_READING
    assert s.data.notice is not None and "其他方式" in s.data.notice.zh
    s.idcard_failed(Problem.of("idcard.read_failed"))
    assert s.data.notice is not None and "ID card" in s.data.notice.en


def test_overlays_cover_a_screen_and_go_back_to_it(kiosk: FakeKiosk) -> None:
    s = kiosk.session()
    s.code_scanned(kiosk.qr(kiosk.orders[0]), "scanner")
    s.overlays.open(Screen.SUPPORT)
    assert s.screen is Screen.SUPPORT and s.covered is Screen.REVIEW
    s.overlays.open(Screen.TUTORIAL)
    assert s.covered is Screen.REVIEW
    s.back()
    assert s.screen is Screen.REVIEW and s.covered is None


def test_camera_and_devices(kiosk: FakeKiosk) -> None:
    from kiosk.messages import Text

    s = kiosk.session()
    s.use_camera()
    assert s.screen is Screen.ORDERS and s.data.camera_on
    s.camera_status(False)
    assert s.screen is Screen.CAMERA_UNAVAILABLE and not s.data.camera_on
    s.back()
    assert s.screen is Screen.ORDERS
    s.use_camera()
    assert s.screen is Screen.CAMERA_UNAVAILABLE
    s.out_of_service(Text("维护中", "Maintenance"))
    assert s.screen is Screen.OUT_OF_SERVICE and s.data == SessionData()
    s.code_scanned(kiosk.qr(kiosk.orders[0]), "scanner")  # ignored while out of service
    assert s.screen is Screen.OUT_OF_SERVICE
    s.back_in_service()
    assert s.screen is Screen.ATTRACT and s.out_of_service_reason is None


def test_photo_is_kept_with_the_invoice_and_codes_on_it_are_ignored(kiosk: FakeKiosk) -> None:
    s = kiosk.session()
    s.code_scanned(kiosk.qr(kiosk.orders[0]), "scanner")
    s.orders.next()
    s.buyer.start_photo()
    assert s.data.camera_on and s.data.camera_for_photo
    s.code_scanned(kiosk.qr(kiosk.orders[1]), "camera")  # a code on the document: not a scan
    assert s.data.order_nos == (kiosk.orders[0].order_no,)
    s.buyer.attach_photo(b"\x89PNG fake")
    assert not s.data.camera_on
    s.buyer.next()
    s.review.confirm()
    assert s.data.invoice is not None
    assert kiosk.attachments == {s.data.invoice.number: b"\x89PNG fake"}


def test_paper_invoice_by_post_needs_an_address(kiosk: FakeKiosk) -> None:
    s = kiosk.session()
    s.code_scanned(kiosk.qr(kiosk.orders[0]), "scanner")
    to_buyer(s)
    s.buyer.set_type(BuyerType.COMPANY)
    s.buyer.set_field("name", COMPANY)
    s.buyer.set_field("tax_id", COMPANY_TAX_ID)
    s.buyer.next()
    s.review.edit(Screen.OPTIONS)
    s.buyer.set_medium(Medium.PAPER)
    s.buyer.set_paper_delivery(True)
    s.buyer.options_next()
    assert s.screen is Screen.OPTIONS and s.data.notice is not None
    s.buyer.set_paper_delivery(True, "厦门市思明区示例路1号")
    s.buyer.options_next()
    assert s.screen is Screen.REVIEW
    assert s.review.build_request().paper_delivery == "厦门市思明区示例路1号"


def test_a_too_long_buyer_name_is_refused_on_the_buyer_screen(kiosk: FakeKiosk) -> None:
    s = kiosk.session()
    s.code_scanned(kiosk.qr(kiosk.orders[0]), "scanner")
    to_buyer(s)
    s.buyer.set_type(BuyerType.COMPANY)
    s.buyer.set_field("name", "厦" * 60)  # 120 GBK bytes: the platform allows 100
    s.buyer.set_field("tax_id", COMPANY_TAX_ID)
    view = s.view()
    problem = view.problem("name")  # type: ignore[union-attr]
    assert problem is not None and "100 字节（50 个汉字）" in problem.zh
    assert "at most 100 bytes (50 Chinese characters)" in problem.en
    s.buyer.next()
    assert s.screen is Screen.BUYER
    assert s.data.notice is not None and s.data.notice.zh.startswith("名称最多 100 字节（50 个汉字）")
    assert "120" in s.data.notice.zh
    s.buyer.set_field("name", COMPANY)
    assert s.view().problem("name") is None  # type: ignore[union-attr]
    s.buyer.next()
    assert s.screen is Screen.REVIEW
    assert kiosk.requests == []  # nothing reached the issuing service meanwhile


def test_address_and_phone_share_one_limit_and_bad_characters_are_named(kiosk: FakeKiosk) -> None:
    s = kiosk.session()
    s.code_scanned(kiosk.qr(kiosk.orders[0]), "scanner")
    s.orders.next()
    s.buyer.set_field("address", "福" * 45)
    s.buyer.set_field("phone", "0592-12345678")  # 90 + 13 bytes > 100 together
    s.buyer.next()
    assert s.screen is Screen.BUYER and s.data.notice is not None
    assert "地址和电话合计最多 100 字节" in s.data.notice.zh
    s.buyer.set_field("address", "厦门市😀路")
    s.buyer.next()
    assert s.screen is Screen.BUYER and s.data.notice is not None and "😀" in s.data.notice.zh


def test_what_the_platform_would_refuse_never_leaves_the_review(kiosk: FakeKiosk) -> None:
    s = kiosk.session()
    s.code_scanned(kiosk.qr(kiosk.orders[0]), "scanner")
    s.orders.next()
    s.buyer.next()
    assert s.screen is Screen.REVIEW
    s.data.buyer.name = "厦" * 60  # changed behind the buyer step's back
    s.review.confirm()
    assert s.screen is Screen.BUYER and kiosk.requests == []


def test_views_say_why_a_special_invoice_is_not_possible(kiosk: FakeKiosk) -> None:
    from kiosk.flow.views import OptionsView

    s = kiosk.session()
    exempt = next(o for o in kiosk.orders if any(line.rate_mark for line in o.lines))
    s.code_scanned(kiosk.qr(exempt), "scanner")
    to_buyer(s)
    options = s.view(Screen.OPTIONS)
    assert isinstance(options, OptionsView) and not options.special.enabled
    assert options.special.reason is not None and "个人" in options.special.reason.zh
    s.buyer.set_type(BuyerType.COMPANY)
    s.buyer.set_field("name", COMPANY)
    s.buyer.set_field("tax_id", COMPANY_TAX_ID)
    s.buyer.next()
    s.review.edit(Screen.OPTIONS)
    options = s.view()
    assert isinstance(options, OptionsView) and not options.special.enabled
    assert options.special.reason is not None and "免税" in options.special.reason.zh
    assert "exempt" in options.special.reason.en
    s.buyer.set_kind(InvoiceKind.SPECIAL)
    assert s.data.kind is InvoiceKind.NORMAL and s.data.notice == options.special.reason


def test_the_review_view_sums_come_from_the_rules(kiosk: FakeKiosk) -> None:
    from kiosk.flow.views import ReviewView
    from kiosk.rules import invoice_lines_from_order_lines

    s = kiosk.session()
    s.code_scanned(kiosk.qr(kiosk.orders[2]), "scanner")
    s.orders.next()
    s.buyer.next()
    review = s.view()
    assert isinstance(review, ReviewView)
    lines = invoice_lines_from_order_lines(s.data.lines)
    assert review.net == sum(x.amount for x in lines) and review.tax == sum(x.tax for x in lines)
    assert review.total == kiosk.orders[2].total and len(review.rows) == len(lines)
    assert review.words.endswith(("整", "分", "角"))


def test_every_screen_has_a_view_at_every_step(kiosk: FakeKiosk) -> None:
    from kiosk.flow.views import BuyerView, OrdersView, ResultView

    s = kiosk.session()
    views = [s.view(screen) for screen in Screen]  # nothing entered yet: all empty
    assert all(v.frame.notice is None for v in views)
    s.code_scanned(kiosk.qr(kiosk.orders[0]), "scanner")
    orders = s.view(Screen.ORDERS)
    assert isinstance(orders, OrdersView) and orders.next.enabled and len(orders.rows) == 2
    assert len(orders.orders) == 1
    s.orders.next()
    s.buyer.next()
    s.review.confirm()
    assert all(s.view(screen).frame.screen is Screen.RESULT for screen in Screen)
    result = s.view()
    assert isinstance(result, ResultView) and result.printed and result.reprint.enabled
    assert isinstance(s.view(Screen.BUYER), BuyerView)


def test_a_receipt_after_a_stray_code_on_the_result_starts_afresh(kiosk: FakeKiosk) -> None:
    """Seen under Xvfb: result -> a title code (BAD_QR) -> the next receipt merged into the
    invoiced session's orders. The next receipt is a new walk-in."""
    s = kiosk.session()
    first, second = kiosk.orders[0], kiosk.orders[1]
    s.code_scanned(kiosk.qr(first), "scanner")
    s.review.confirm()
    assert s.screen is Screen.RESULT
    s.code_scanned("https://example.com/not-ours", "scanner")
    assert s.screen is Screen.BAD_QR
    s.code_scanned(kiosk.qr(second), "scanner")
    assert s.screen is Screen.REVIEW and s.data.order_nos == (second.order_no,)
    assert s.data.invoice is None
