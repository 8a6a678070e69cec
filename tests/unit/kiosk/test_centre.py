"""The personal centre and "change this invoice" on the REAL services (demo orders in a
real SQLite file, the sandbox platform, the issuing and corrections services, the
emulated printer), driven through the session's intents. Touches are counted: each
``tap`` is one press of a button; typing into a field is not a touch."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from kiosk.centre.changes import ChangeState
from kiosk.flow.states import Screen
from kiosk.flow.views_centre import CentreInvoiceView, CentreListView, ChangeStatusView, ChangeView
from kiosk.model import Colour, Medium, RedFormStatus
from kiosk.session import Session
from tests.helpers.app import COMPANY, COMPANY_TAX_ID, CoreRig, kiosk_core

ALICE = ("张三", "11010519491231002X")
BOB = ("李四", "110105194912310037")


class Taps:
    """Counts presses: ``taps(fn, *args)`` presses one button."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, fn: Callable[..., Any], *args: Any) -> None:
        self.count += 1
        fn(*args)


@pytest.fixture
def rig(tmp_path: Path) -> Iterator[CoreRig]:
    r = kiosk_core(tmp_path / "data")
    yield r
    r.close()


def idcard_login(s: Session, who: tuple[str, str]) -> None:
    s.identify.begin("idcard")
    if s.screen is Screen.TERMS:
        s.identify.accept_terms()
    s.identify.consent_idcard(True)
    s.idcard_read(*who)
    assert s.screen is Screen.ORDERS


def issue_for(rig: CoreRig, who: tuple[str, str] | None, order_index: int, *,
              company: bool = False, paper_address: str | None = None) -> str:
    """One walk-in: (ID card,) scan, accept, title, issue. Returns the invoice number."""
    s = rig.session
    if who is not None:
        idcard_login(s, who)
    s.code_scanned(rig.qr(rig.orders()[order_index]), "scanner")
    if not s.data.terms_accepted:
        s.identify.accept_terms()
    else:
        s.orders.next()
    if company:
        from kiosk.model import BuyerType

        s.buyer.set_type(BuyerType.COMPANY)
        s.buyer.set_field("name", COMPANY)
        s.buyer.set_field("tax_id", COMPANY_TAX_ID)
    s.buyer.next()
    if s.screen is Screen.OPTIONS:
        if paper_address is not None:
            s.data.medium = Medium.PAPER
            s.data.paper_by_post = bool(paper_address)
            s.data.paper_delivery = paper_address
        s.buyer.options_next() if hasattr(s.buyer, "options_next") else None
    assert s.screen is Screen.REVIEW, s.screen
    s.review.confirm()
    assert s.screen is Screen.RESULT and s.data.invoice is not None
    number = s.data.invoice.number
    s.finish()
    return number


def test_an_id_card_person_reprints_the_last_invoice_in_three_touches(rig: CoreRig) -> None:
    first = issue_for(rig, ALICE, 0)
    second = issue_for(rig, ALICE, 1)
    issue_for(rig, BOB, 2)
    s = rig.session
    idcard_login(s, ALICE)
    receipts = len(rig.printer.receipts)
    tap = Taps()
    tap(s.centre.open)
    view = s.view()
    assert isinstance(view, CentreListView)
    assert [r.number for r in view.rows] == [second, first]  # newest first, only hers
    tap(s.centre.reprint, view.rows[0].number)
    assert rig.printer.wait_for_receipts(receipts + 1, timeout=10)
    assert tap.count <= 3
    assert s.data.centre.printed == second


def test_who_sees_what(rig: CoreRig) -> None:
    mine = issue_for(rig, ALICE, 0)
    theirs = issue_for(rig, BOB, 1)
    s = rig.session
    idcard_login(s, BOB)
    s.centre.open()
    view = s.view()
    assert isinstance(view, CentreListView)
    assert [r.number for r in view.rows] == [theirs]
    s.centre.pick(mine)  # not in scope: refused in the core
    assert s.screen is Screen.CENTRE and s.data.notice is not None
    s.finish()
    # nobody: only the receipt just scanned
    s.code_scanned(rig.qr(rig.orders()[0]), "scanner")
    assert s.screen is Screen.ALREADY_INVOICED
    s.centre.open()
    view = s.view()
    assert isinstance(view, CentreListView)
    assert [r.number for r in view.rows] == [mine]


def test_search_by_invoice_order_date_and_amount(rig: CoreRig) -> None:
    numbers = [issue_for(rig, ALICE, i) for i in range(3)]
    s = rig.session
    idcard_login(s, ALICE)
    s.centre.open()
    order = rig.orders()[1]
    for query, expect in ((numbers[1], [numbers[1]]), (numbers[1][-8:], [numbers[1]]),
                          (order.order_no, [numbers[1]]), (f"{order.total:.2f}", None),
                          ("1999-01-01", [])):
        s.centre.search(query)
        view = s.view()
        assert isinstance(view, CentreListView)
        got = [r.number for r in view.rows]
        if expect is None:
            assert numbers[1] in got
        else:
            assert got == expect, query
    s.centre.search("")
    view = s.view()
    assert isinstance(view, CentreListView)
    today = view.rows[0].date
    s.centre.search(today)
    view = s.view()
    assert isinstance(view, CentreListView) and len(view.rows) == 3


def test_a_title_correction_on_a_personal_invoice_in_six_touches(rig: CoreRig) -> None:
    original = issue_for(rig, ALICE, 0)
    s = rig.session
    idcard_login(s, ALICE)
    tap = Taps()
    tap(s.centre.open)
    tap(s.centre.pick, original)
    tap(s.centre.change)
    tap(s.centre.set_what, "title")
    s.centre.set_buyer_field("name", COMPANY)  # typed
    s.centre.set_buyer_field("tax_id", COMPANY_TAX_ID)
    tap(s.centre.submit)
    assert tap.count <= 6
    view = s.view()
    assert isinstance(view, ChangeStatusView)
    change = s.data.centre.change
    assert change is not None and change.state is ChangeState.DONE, change
    red = rig.core.issuing.outbox.invoice(change.red_number)
    blue = rig.core.issuing.outbox.invoice(change.blue_number)
    assert red is not None and red.invoice.colour is Colour.RED
    assert red.invoice.original_number == original
    assert blue is not None and blue.invoice.buyer.name == COMPANY
    assert blue.invoice.buyer.tax_id == COMPANY_TAX_ID
    # the list shows the three, related
    s.centre.open()
    listed = s.view()
    assert isinstance(listed, CentreListView)
    by_number = {r.number: r for r in listed.rows}
    assert set(by_number) == {original, change.red_number, change.blue_number}
    assert by_number[change.red_number].red and by_number[change.red_number].relation
    assert by_number[original].state.en == "fully credited"
    # asking again changes nothing: exactly once
    again = rig.core.centre.changes.advance(change.reference)
    assert (again.red_number, again.blue_number) == (change.red_number, change.blue_number)


def test_a_change_left_waiting_is_resumed_after_a_restart(tmp_path: Path) -> None:
    data = tmp_path / "data"
    rig = kiosk_core(data)
    try:
        original = issue_for(rig, ALICE, 0, company=True)
        s = rig.session
        idcard_login(s, ALICE)
        s.centre.open()
        s.centre.pick(original)
        s.centre.change()
        s.centre.set_what("returned")
        s.centre.submit()
        change = s.data.centre.change
        assert change is not None and change.state is ChangeState.WAITING
        view = s.view()
        assert isinstance(view, ChangeStatusView) and view.waiting and view.slip.visible
        assert "72" in (view.words.en if view.words else "")
        s.centre.print_slip()
        assert s.data.centre.slip_printed
        reference = change.reference
        s.finish()
    finally:
        rig.close()
    rig = kiosk_core(data)  # a new process's services over the same data dir
    try:
        form = rig.core.centre.changes.get(reference)
        assert form is not None
        rig.core.corrections.confirm_red_form(form.form_number)  # the buyer confirms
        s = rig.session
        idcard_login(s, ALICE)
        s.centre.open()
        listed = s.view()
        assert isinstance(listed, CentreListView)
        assert [c.reference for c in listed.changes] == [reference]
        s.centre.resume(reference)
        change = s.data.centre.change
        assert change is not None and change.state is ChangeState.DONE, change
        assert rig.core.issuing.outbox.credited(original) == -rig.core.issuing.outbox.invoice(
            original).invoice.total  # type: ignore[union-attr]
        assert len(rig.core.issuing.outbox.reds_of(original)) == 1
        assert rig.core.issuing.outbox.form(form.form_number).status is \
            RedFormStatus.CONFIRMED  # type: ignore[union-attr]
    finally:
        rig.close()


def test_a_partial_return_credits_the_chosen_quantity(rig: CoreRig) -> None:
    index = next(i for i, o in enumerate(rig.orders()) if any(ln.quantity > 1 for ln in o.lines))
    original = issue_for(rig, ALICE, index)
    s = rig.session
    idcard_login(s, ALICE)
    s.centre.open()
    s.centre.pick(original)
    s.centre.change()
    s.centre.set_what("returned")
    s.centre.set_full(False)
    inv = s.data.centre.entry.invoice  # type: ignore[union-attr]
    line = next(i for i, ln in enumerate(inv.lines) if ln.quantity > 1)
    s.centre.set_quantity(line, 1)
    s.centre.submit()
    change = s.data.centre.change
    assert change is not None and change.state is ChangeState.DONE, change
    red = rig.core.issuing.outbox.invoice(change.red_number)
    assert red is not None and len(red.invoice.lines) == 1
    assert abs(red.invoice.lines[0].quantity) == 1


def test_the_invoice_screen_shows_the_pdf_and_resends(rig: CoreRig) -> None:
    original = issue_for(rig, ALICE, 0)
    s = rig.session
    idcard_login(s, ALICE)
    s.centre.open()
    s.centre.pick(original)
    s.centre.show_pdf()
    view = s.view()
    assert isinstance(view, CentreInvoiceView) and view.pdf_png.startswith(b"\x89PNG")
    s.centre.toggle_qr()
    s.centre.send_email("not-an-address")
    assert s.data.notice is not None
    s.centre.send_email("alice@example.com")
    view = s.view()
    assert isinstance(view, CentreInvoiceView)
    assert view.mailed_to and "alice" not in view.mailed_to[1:]  # masked
    assert view.qr_shown and view.download_url


def test_forget_me_deletes_titles_and_detaches_invoices(rig: CoreRig) -> None:
    original = issue_for(rig, ALICE, 0, company=True)
    s = rig.session
    idcard_login(s, ALICE)
    assert s.data.titles  # the company title was remembered
    s.centre.open()
    s.centre.forget_me()
    assert s.screen is Screen.ATTRACT
    assert rig.core.issuing.outbox.invoice(original) is not None  # kept
    idcard_login(s, ALICE)
    assert not s.data.titles
    s.centre.open()
    view = s.view()
    assert isinstance(view, CentreListView) and view.rows == ()  # detached


def test_an_account_deletes_itself(rig: CoreRig) -> None:
    s = rig.session
    s.identify.begin("login")
    s.identify.accept_terms()
    s.identify.login("demo", "demo1234")
    assert s.screen is Screen.ORDERS
    s.code_scanned(rig.qr(rig.orders()[0]), "scanner")
    s.orders.next()
    s.buyer.next()
    s.review.confirm()
    number = s.data.invoice.number  # type: ignore[union-attr]
    s.centre.open()
    view = s.view()
    assert isinstance(view, CentreListView) and view.forget.visible
    assert [r.number for r in view.rows] == [number]
    s.centre.forget_me()
    assert rig.core.accounts.find("demo") is None
    assert rig.core.issuing.outbox.invoice(number) is not None


def test_enterprise_members_see_the_enterprises_invoices(rig: CoreRig) -> None:
    """Roles reach the centre (issue 12 item 4/5): a member's invoice is the enterprise's,
    so the administrator, an issuer and a viewer see it; an outsider does not."""
    accounts = rig.core.core_services.accounts
    pw = "Kiosk-Test-2026!"
    accounts.create_account("acme", pw, "enterprise", name="北京某某科技有限公司",
                            tax_id="91350200776049653A")
    for user, role in (("ann", "issuer"), ("vic", "viewer")):
        accounts.create_account(user, pw, "person", name=user, enterprise="acme", role=role)
    accounts.create_account("sam", pw, "person", name="sam")
    s = rig.session

    def login(user: str) -> None:
        s.identify.begin("login")
        if s.screen is Screen.TERMS:
            s.identify.accept_terms()
        s.identify.login(user, pw)
        assert s.screen is Screen.ORDERS, s.screen

    def seen(user: str) -> list[str]:
        login(user)
        s.centre.open()
        view = s.view()
        assert isinstance(view, CentreListView)
        s.finish()
        return [r.number for r in view.rows]

    login("ann")
    number = issue_for(rig, None, 0)
    assert seen("ann") == [number]
    assert seen("vic") == [number]
    assert seen("acme") == [number]
    assert seen("sam") == []


def _paper(rig: CoreRig, who: tuple[str, str], order_index: int, address: str = "") -> str:
    """A paper invoice asked at the review: to collect at the counter, or by post."""
    s = rig.session
    idcard_login(s, who)
    s.code_scanned(rig.qr(rig.orders()[order_index]), "scanner")
    s.orders.next()
    s.buyer.next()
    assert s.screen is Screen.REVIEW, s.screen
    s.buyer.set_medium(Medium.PAPER)
    s.buyer.set_paper_delivery(bool(address), address or None)
    s.review.confirm()
    assert s.screen is Screen.RESULT and s.data.invoice is not None
    number = s.data.invoice.number
    s.finish()
    return number


def test_my_requests_lists_every_change_and_paper_request_with_its_state(rig: CoreRig) -> None:
    counter = _paper(rig, ALICE, 0)
    posted = _paper(rig, ALICE, 1, "福建省厦门市思明区软件园二期 1 号")
    waiting = issue_for(rig, ALICE, 2, company=True)  # a change that waits for the buyer
    done = issue_for(rig, ALICE, 3)  # a title change that completes at once
    _paper(rig, BOB, 4)  # not hers
    s = rig.session
    idcard_login(s, ALICE)
    s.centre.open()
    s.centre.pick(waiting)
    s.centre.change()
    s.centre.set_what("returned")
    s.centre.submit()
    assert s.data.centre.change.state is ChangeState.WAITING  # type: ignore[union-attr]
    s.centre.open()
    s.centre.pick(done)
    s.centre.change()
    s.centre.set_what("title")
    s.centre.set_buyer_field("name", COMPANY)
    s.centre.set_buyer_field("tax_id", COMPANY_TAX_ID)
    s.centre.submit()
    assert s.data.centre.change.state is ChangeState.DONE  # type: ignore[union-attr]
    s.centre.open()
    view = s.view()
    assert isinstance(view, CentreListView)
    rows = view.requests
    # newest first: the two changes (done last), then the two paper requests
    assert [(r.kind, r.state) for r in rows] == [
        ("change", "done"), ("change", "waiting"), ("paper", "done"), ("paper", "done")]
    assert [r.resume for r in rows] == [False, True, False, False]
    assert done in rows[0].title.en and "Wrong title" in rows[0].title.en
    assert rows[0].state_words.en == "done" and rows[0].state_words.zh == "已完成"
    assert rows[1].state_words.en == "waiting for the other party"
    assert "72 hours" in rows[1].detail.en
    assert "by post to 福建省厦门市思明区****" in rows[2].title.en and posted in rows[2].detail.en
    assert "软件园" not in rows[2].title.en + rows[2].title.zh  # a bystander reads no street
    assert rows[3].title.zh == "纸质发票，到柜台领取" and counter in rows[3].detail.en
    # only the open one is offered to continue, as before
    assert [c.original_number for c in view.changes] == [waiting]


def test_a_refused_change_is_listed_as_failed(rig: CoreRig) -> None:
    from kiosk.centre.requests import RequestState, my_requests

    original = issue_for(rig, ALICE, 0, company=True)
    s = rig.session
    idcard_login(s, ALICE)
    s.centre.open()
    s.centre.pick(original)
    s.centre.change()
    s.centre.set_what("returned")
    s.centre.submit()
    change = s.data.centre.change
    assert change is not None and change.state is ChangeState.WAITING
    rig.core.corrections.gateway.reject_red_form(change.form_number)  # the buyer says no
    s.centre.check_again()
    assert s.data.centre.change.state is ChangeState.REFUSED  # type: ignore[union-attr]
    scope = s.data.centre.scope
    assert scope is not None
    found = my_requests(rig.core.centre.store, scope)
    assert [(r.kind, r.state) for r in found] == [("change", RequestState.FAILED)]
    s.centre.open()
    view = s.view()
    assert isinstance(view, CentreListView)
    assert view.requests[0].state_words.en == "failed" and not view.requests[0].resume


def test_an_allowance_line_by_line(rig: CoreRig) -> None:
    """Issue 12 item 6: an allowance (折让) on several lines, each its own amount off."""
    from decimal import Decimal

    index = next(i for i, o in enumerate(rig.orders()) if len(o.lines) >= 2)
    original = issue_for(rig, ALICE, index)
    s = rig.session
    idcard_login(s, ALICE)
    s.centre.open()
    s.centre.pick(original)
    s.centre.change()
    s.centre.set_what("allowance")
    inv = s.data.centre.entry.invoice  # type: ignore[union-attr]
    last = len(inv.lines) - 1
    first_off = min(Decimal("3.00"), inv.lines[0].amount + inv.lines[0].tax)
    last_off = min(Decimal("1.50"), inv.lines[last].amount + inv.lines[last].tax)
    s.centre.set_allowance(f"￥{first_off}", 0)
    s.centre.set_allowance(str(last_off), last)
    view = s.view()
    assert isinstance(view, ChangeView)
    assert view.allowances[0] == f"￥{first_off}" and view.allowances[last] == str(last_off)
    assert len(view.line_totals) == len(inv.lines)
    s.centre.submit()
    change = s.data.centre.change
    assert change is not None and change.state is ChangeState.DONE, change
    assert change.credits == {0: first_off, last: last_off}
    red = rig.core.issuing.outbox.invoice(change.red_number)
    assert red is not None and len(red.invoice.lines) == 2
    grosses = sorted(abs(ln.amount + ln.tax) for ln in red.invoice.lines)
    assert grosses == sorted([first_off, last_off])
    assert rig.core.issuing.outbox.credited(original) == -(first_off + last_off)


def test_an_allowance_more_than_its_line_is_refused(rig: CoreRig) -> None:
    from decimal import Decimal

    from kiosk.centre.changes import ChangeError

    original = issue_for(rig, ALICE, 0)
    s = rig.session
    idcard_login(s, ALICE)
    s.centre.open()
    s.centre.pick(original)
    s.centre.change()
    s.centre.set_what("allowance")
    line = s.data.centre.entry.invoice.lines[0]  # type: ignore[union-attr]
    s.centre.set_allowance(str(line.amount + line.tax + Decimal("0.01")), 0)
    s.centre.submit()
    assert s.screen is Screen.CHANGE and "exceed" in s.data.notice.en  # type: ignore[union-attr]
    s.centre.set_allowance("", 0)
    s.centre.submit()
    assert s.screen is Screen.CHANGE and "amount" in s.data.notice.en  # type: ignore[union-attr]
    # the core refuses the same for any caller, not only the screen
    scope = s.data.centre.scope
    assert scope is not None
    with pytest.raises(ChangeError) as err:
        rig.core.centre.start_change(scope, original, "allowance",
                                     credits={0: line.amount + line.tax + 1})
    assert err.value.code == "centre.change_bad_lines"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_change_slip_prints_in_the_persons_language(rig: CoreRig, lang: str) -> None:
    from drivers.printer.parse import QR_STORE, TEXT, parse_all

    original = issue_for(rig, ALICE, 0, company=True)
    s = rig.session
    idcard_login(s, ALICE)
    s.set_language(lang)
    s.centre.open()
    s.centre.pick(original)
    s.centre.change()
    s.centre.set_what("returned")
    s.centre.submit()
    change = s.data.centre.change
    assert change is not None and change.state is ChangeState.WAITING
    before = len(rig.printer.receipts)
    s.centre.print_slip()
    assert rig.printer.wait_for_receipts(before + 1, timeout=10) and s.data.centre.slip_printed
    slip = rig.printer.receipts[-1]
    text = " ".join(t.data.decode("gb18030") for t in parse_all(slip) if t.kind == TEXT)
    codes = [t.data.decode() for t in parse_all(slip) if t.kind == QR_STORE]
    assert codes == [change.reference] and change.reference in text and original in text
    if lang == "en":
        assert "Invoice change slip" in text and "72 hours" in text
        assert not any("\u4e00" <= ch <= "\u9fff" for ch in text), text
    else:
        assert "发票更正凭条" in text and "更正编号" in text and "slip" not in text
