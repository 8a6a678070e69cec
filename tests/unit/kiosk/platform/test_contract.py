"""The issuing-gateway contract: the same tests against the sandbox, over HTTP, via Nuonuo
and via Baiwang.

Each test runs four times (``put.kind`` = "sandbox" / "remote" / "nuonuo" / "baiwang"):
calling SandboxPlatform directly, through RemoteGateway to a real
SandboxServer on loopback, and through NuonuoGateway / BaiwangGateway to the
fake Nuonuo / Baiwang platform (real HTTP, exact signatures, tokens) over the
same kind of sandbox. The backing sandbox's clock and faults are set in-process.
Red letters are not built for Baiwang (docs/baiwang.md): those tests say so
and are skipped for it.

Nuonuo's public API has no quota query, so for ``nuonuo`` the quota is read
from the backing sandbox (the provider's truth) by :func:`remaining`, and
``remaining_quota`` itself is tested to refuse with a catalogue code in
test_nuonuo.py. Confirming, rejecting and withdrawing a form go through
:func:`act` (for Nuonuo they happen outside the kiosk).
"""

from __future__ import annotations

import datetime as dt
import re
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from kiosk.model import Colour, InvoiceKind, InvoiceLine, RedFormStatus, RedLetterForm, RedReason
from kiosk.platform.gateway import (
    IssuingGateway,
    NotFound,
    OrderAlreadyInvoiced,
    PlatformRejected,
    PlatformTimeout,
    PlatformUnavailable,
    QuotaExceeded,
    RedFormStateError,
)
from tests.helpers.platform import (
    COMPANY,
    PERSON,
    PlatformUnderTest,
    count_invoices,
    goods,
    make_request,
    meal,
    platform_under_test,
)

D = Decimal
S = RedFormStatus
NUMBER = re.compile(r"^26112\d{15}$")


PROVIDERS = frozenset({"nuonuo", "baiwang"})  # real providers: no quota query, official files


@pytest.fixture(params=["sandbox", "remote", "nuonuo", "baiwang"])
def put(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[PlatformUnderTest]:
    with platform_under_test(request.param, tmp_path, quota="1000.00") as p:
        yield p


def remaining(put: PlatformUnderTest) -> Decimal:
    """The quota left, through the gateway where it can tell, else the backing platform's."""
    return put.sandbox.remaining_quota() if put.kind in PROVIDERS else put.gateway.remaining_quota()


def act(put: PlatformUnderTest, action: str, form_number: str) -> RedLetterForm:
    """Confirm / reject / withdraw a form. Through Nuonuo the counterparty does that in the
    e-tax bureau (and a withdrawal is made in 诺税通), so the test does it at the backing
    platform and the kiosk reads the new status through the gateway."""
    if put.kind == "nuonuo":
        getattr(put.sandbox, f"{action}_red_form")(form_number)
        return put.gateway.query_red_form(form_number)
    form: RedLetterForm = getattr(put.gateway, f"{action}_red_form")(form_number)
    return form


def needs_red(put: PlatformUnderTest) -> None:
    if put.kind == "baiwang":
        pytest.skip("red letters through Baiwang are not built (docs/baiwang.md)")


def codes_of(put: PlatformUnderTest, err: PlatformRejected) -> list[str]:
    """The refusal's codes; Nuonuo words the backing platform's codes into its describe."""
    if put.kind in PROVIDERS:
        return [c for e in err.errors for c in re.findall(r"[A-Z][A-Z_]{3,}", e.message_zh)]
    return err.codes


def seq(number: str) -> int:
    return int(number[5:])


def test_both_implement_the_protocol(put: PlatformUnderTest) -> None:
    assert isinstance(put.gateway, IssuingGateway)


# --- blue invoices ----------------------------------------------------------------------


def test_issue_records_a_numbered_split_invoice(put: PlatformUnderTest) -> None:
    inv = put.gateway.issue(make_request("A1", lines=[meal("113.00"), goods("10.00")]))
    assert NUMBER.match(inv.number) and seq(inv.number) == 1
    assert inv.colour is Colour.BLUE and inv.kind is InvoiceKind.NORMAL
    assert [ln.name for ln in inv.lines] == ["*餐饮服务*餐费", "*纸制品*打印纸"]
    assert [(ln.amount, ln.tax) for ln in inv.lines] == [(D("106.60"), D("6.40")),
                                                         (D("8.85"), D("1.15"))]
    assert inv.total == D("123.00")
    assert inv.order_nos == ("A1",) and inv.seller.tax_id == "91110108MA01ABCD2X"
    assert inv.issued_at == put.clock()
    suffix = r"\.pdf" if put.kind in PROVIDERS else ""  # Nuonuo's QR points at the official PDF
    assert re.match(re.escape(put.server.base_url) + r"/i/[A-Za-z0-9_-]{32}" + suffix + "$",
                    inv.download_url)
    assert put.gateway.get_invoice(inv.number) == inv
    assert put.gateway.query_request("RQ-A1") == inv
    assert put.gateway.query_order("A1") == inv


def test_same_request_id_returns_the_same_invoice_and_spends_no_number(put: PlatformUnderTest) -> None:
    first = put.gateway.issue(make_request("A1"))
    again = put.gateway.issue(make_request("A1"))
    assert again == first
    assert remaining(put) == D("887.00")  # counted once
    second = put.gateway.issue(make_request("A2"))
    assert seq(second.number) == seq(first.number) + 1
    assert count_invoices(put.sandbox) == 2


def test_an_order_is_invoiced_once(put: PlatformUnderTest) -> None:
    first = put.gateway.issue(make_request("A1", "A2"))
    with pytest.raises(OrderAlreadyInvoiced) as info:
        put.gateway.issue(make_request("A2", "A3", request_id="RQ-OTHER"))
    assert info.value.invoice_number == first.number and info.value.order_no == "A2"
    assert info.value.code == "ORDER_ALREADY_INVOICED"
    assert put.gateway.query_request("RQ-OTHER") is None
    assert put.gateway.query_order("A3") is None


def test_unknown_lookups_answer_none(put: PlatformUnderTest) -> None:
    assert put.gateway.query_request("RQ-NOPE") is None
    assert put.gateway.query_order("NOPE") is None
    assert put.gateway.get_invoice("26112000000000000099") is None
    with pytest.raises(NotFound):
        put.gateway.query_red_form("26112000000000000099")


@pytest.mark.parametrize(
    ("request_kwargs", "code"),
    [
        ({"buyer": PERSON, "kind": InvoiceKind.SPECIAL}, "E_SPECIAL_PERSON"),
        ({"lines": [meal()] * 101}, "E_TOO_MANY_LINES"),
        ({"lines": []}, "E_NO_LINES"),
        ({"buyer": replace(COMPANY, tax_id="")}, "E_TAXID_REQUIRED"),
        ({"request_id": ""}, "REQUEST_ID_INVALID"),
        ({"order_nos": ("BAD", "BAD")}, "ORDER_NOS_DUPLICATE"),
        ({"order_nos": ("BAD", "")}, "ORDER_NOS_MISSING"),
    ],
)
def test_validation_refuses_with_codes_and_records_nothing(
    put: PlatformUnderTest, request_kwargs: dict, code: str
) -> None:
    # every platform checks the same (kiosk.platform.gateway.request_problems): the
    # providers once sent a request naming one order twice
    kwargs = dict(request_kwargs)  # the parameter is shared by every platform's run
    request = make_request(*kwargs.pop("order_nos", ("BAD",)), **kwargs)
    with pytest.raises(PlatformRejected) as info:
        put.gateway.issue(request)
    assert code in info.value.codes
    assert all(e.message_zh and e.message_en for e in info.value.errors)
    assert count_invoices(put.sandbox) == 0
    assert seq(put.gateway.issue(make_request("GOOD")).number) == 1  # no number was spent


def test_bad_tax_code_names_the_line(put: PlatformUnderTest) -> None:
    bad = replace(meal(), tax_code="123")
    with pytest.raises(PlatformRejected) as info:
        put.gateway.issue(make_request("X", lines=[meal(), bad]))
    [err] = [e for e in info.value.errors if e.code == "E_TAX_CODE"]
    assert err.field.startswith("lines[1]")


def test_monthly_quota_is_enforced_and_resets_next_month(put: PlatformUnderTest) -> None:
    put.gateway.issue(make_request("A1", lines=[meal("900.00")]))
    assert remaining(put) == D("100.00")
    with pytest.raises(QuotaExceeded) as info:
        put.gateway.issue(make_request("A2", lines=[meal("100.01")]))
    if put.kind not in PROVIDERS:  # a provider's refusal does not carry the figures
        assert info.value.remaining == D("100.00") and info.value.requested == D("100.01")
    assert put.gateway.query_request("RQ-A2") is None
    assert put.gateway.issue(make_request("A3", lines=[meal("100.00")])).total == D("100.00")
    assert remaining(put) == D("0.00")
    put.clock.advance(days=30)  # 2026-04-09
    assert remaining(put) == D("1000.00")


def test_numbers_run_without_gaps_and_restart_each_year(put: PlatformUnderTest) -> None:
    numbers = []
    for i in range(3):
        numbers.append(put.gateway.issue(make_request(f"N{i}")).number)
        with pytest.raises(PlatformRejected):
            put.gateway.issue(make_request(f"BAD{i}", lines=[]))
        with pytest.raises(QuotaExceeded):
            put.gateway.issue(make_request(f"BIG{i}", lines=[meal("5000.00")]))
    assert [seq(n) for n in numbers] == [1, 2, 3]
    put.clock.set(put.clock().replace(year=2027, month=1, day=1, hour=0))
    nxt = put.gateway.issue(make_request("Y27")).number
    assert nxt == "27112" + "1".zfill(15)


# --- faults ---------------------------------------------------------------------------


def test_injected_failures_then_recovery(put: PlatformUnderTest) -> None:
    put.sandbox.faults.set(fail_next=1, fail_code="UNAVAILABLE")
    with pytest.raises(PlatformUnavailable):
        put.gateway.issue(make_request("F1"))
    assert put.gateway.issue(make_request("F1")).order_nos == ("F1",)
    put.sandbox.faults.set(unavailable=True)
    health = put.gateway.health()
    assert not health.ok and health.message
    put.sandbox.faults.clear()
    health = put.gateway.health()
    quota = None if put.kind in PROVIDERS else D("887.00")
    assert health.ok and health.quota == quota and health.latency_ms >= 0


def test_timeout_after_commit_leaves_exactly_one_invoice(put: PlatformUnderTest) -> None:
    put.sandbox.faults.set(timeout_after_commit=1)
    with pytest.raises(PlatformTimeout):
        put.gateway.issue(make_request("T1"))
    found = put.gateway.query_request("RQ-T1")  # the caller must ask before any retry
    assert found is not None and found.order_nos == ("T1",)
    assert put.gateway.issue(make_request("T1")) == found  # a retry of the same id is harmless
    assert count_invoices(put.sandbox) == 1


# --- red letters ----------------------------------------------------------------------


def test_seller_form_confirmed_by_buyer_then_red_invoice(put: PlatformUnderTest) -> None:
    needs_red(put)
    blue = put.gateway.issue(make_request("R1", lines=[meal("113.00"), goods("226.00", quantity="2")]))
    form = put.gateway.file_red_form(blue.number, RedReason.GOODS_RETURNED, "seller")
    assert form.status is S.SELLER_FILED and len(form.form_number) == 20
    assert [ln.amount for ln in form.lines] == [-ln.amount for ln in blue.lines]
    assert [ln.quantity for ln in form.lines] == [D("-1"), D("-2")]
    with pytest.raises(RedFormStateError):
        put.gateway.issue_red_invoice(form.form_number)  # not yet confirmed
    assert act(put, "confirm", form.form_number).status is S.CONFIRMED
    red = put.gateway.issue_red_invoice(form.form_number)
    assert red.colour is Colour.RED and red.total == -blue.total
    assert red.original_number == blue.number and red.red_form_number == form.form_number
    assert blue.number in red.remark and form.form_number in red.remark
    assert seq(red.number) == seq(blue.number) + 1  # one sequence for blue and red
    assert put.gateway.issue_red_invoice(form.form_number) == red  # idempotent per form
    assert put.gateway.query_red_form(form.form_number).red_invoice_number == red.number
    assert remaining(put) == D("1000.00")  # red gives the quota back
    assert put.gateway.query_order("R1") is None  # fully credited: the order is free again
    with pytest.raises(RedFormStateError) as info:
        put.gateway.file_red_form(blue.number, RedReason.ISSUED_IN_ERROR, "seller")
    assert info.value.code == "RED_NOTHING_LEFT"
    with pytest.raises(RedFormStateError):
        put.gateway.file_red_form(red.number, RedReason.ISSUED_IN_ERROR, "seller")


def test_person_buyer_needs_no_confirmation(put: PlatformUnderTest) -> None:
    needs_red(put)
    blue = put.gateway.issue(make_request("P1", buyer=PERSON))
    form = put.gateway.file_red_form(blue.number, RedReason.ISSUED_IN_ERROR, "seller")
    assert form.status is S.NO_CONFIRMATION_NEEDED
    assert put.gateway.issue_red_invoice(form.form_number).total == D("-113.00")


@pytest.mark.parametrize(
    ("filed_by", "first", "action", "after"),
    [
        ("seller", S.SELLER_FILED, "reject", S.REJECTED_BY_BUYER),
        ("buyer", S.BUYER_FILED, "reject", S.REJECTED_BY_SELLER),
        ("buyer", S.BUYER_FILED, "confirm", S.CONFIRMED),
        ("seller", S.SELLER_FILED, "withdraw", S.WITHDRAWN),
    ],
)
def test_form_transitions(put: PlatformUnderTest, filed_by: str, first: S, action: str,
                          after: S) -> None:
    needs_red(put)
    blue = put.gateway.issue(make_request("S1"))
    form = put.gateway.file_red_form(blue.number, RedReason.SERVICE_STOPPED, filed_by)
    assert form.status is first and form.filed_by == filed_by
    moved = act(put, action, form.form_number)
    assert moved.status is after
    assert put.gateway.query_red_form(form.form_number).status is after
    if not after.allows_red_invoice:
        with pytest.raises(RedFormStateError):
            put.gateway.issue_red_invoice(form.form_number)
        with pytest.raises(RedFormStateError):
            act(put, "confirm", form.form_number)
        # a closed form no longer blocks a new one
        assert put.gateway.file_red_form(blue.number, RedReason.SERVICE_STOPPED, filed_by)


def test_confirmed_form_withdrawn_is_void_after_confirmation(put: PlatformUnderTest) -> None:
    needs_red(put)
    blue = put.gateway.issue(make_request("V1"))
    form = put.gateway.file_red_form(blue.number, RedReason.ISSUED_IN_ERROR, "seller")
    act(put, "confirm", form.form_number)
    assert act(put, "withdraw", form.form_number).status is S.VOID_AFTER_CONFIRMATION
    with pytest.raises(RedFormStateError):
        put.gateway.issue_red_invoice(form.form_number)


def test_only_one_open_form_per_invoice(put: PlatformUnderTest) -> None:
    needs_red(put)
    blue = put.gateway.issue(make_request("O1"))
    first = put.gateway.file_red_form(blue.number, RedReason.ISSUED_IN_ERROR, "seller")
    with pytest.raises(RedFormStateError) as info:
        put.gateway.file_red_form(blue.number, RedReason.ISSUED_IN_ERROR, "buyer")
    assert info.value.code == "RED_FORM_OPEN"
    assert info.value.form_number == first.form_number  # names the form in the way


def test_unconfirmed_form_expires_after_72_hours(put: PlatformUnderTest) -> None:
    needs_red(put)
    blue = put.gateway.issue(make_request("E1"))
    form = put.gateway.file_red_form(blue.number, RedReason.ISSUED_IN_ERROR, "seller")
    put.clock.advance(hours=71, minutes=59)
    assert put.gateway.query_red_form(form.form_number).status is S.SELLER_FILED
    put.clock.advance(minutes=1)
    assert put.gateway.query_red_form(form.form_number).status is S.EXPIRED
    with pytest.raises(RedFormStateError):
        act(put, "confirm", form.form_number)
    with pytest.raises(RedFormStateError):
        put.gateway.issue_red_invoice(form.form_number)
    renewed = put.gateway.file_red_form(blue.number, RedReason.ISSUED_IN_ERROR, "seller")
    assert renewed.form_number != form.form_number and renewed.status is S.SELLER_FILED


def test_a_confirmed_form_does_not_expire(put: PlatformUnderTest) -> None:
    needs_red(put)
    blue = put.gateway.issue(make_request("E2"))
    form = put.gateway.file_red_form(blue.number, RedReason.ISSUED_IN_ERROR, "buyer")
    act(put, "confirm", form.form_number)
    put.clock.advance(hours=100)
    assert put.gateway.issue_red_invoice(form.form_number).colour is Colour.RED


def _credit(line: InvoiceLine, amount: str, tax: str, quantity: str = "0") -> InvoiceLine:
    return InvoiceLine(line.name, line.tax_code, D(quantity), line.unit_price, D(amount),
                       line.rate, D(tax))


def test_partial_red_follows_the_original_and_may_not_exceed_it(put: PlatformUnderTest) -> None:
    needs_red(put)
    blue = put.gateway.issue(make_request(
        "PR", lines=[meal("113.00"), goods("339.00", quantity="3"), meal("53.00", name="茶位费")]))
    l0, l1, l2 = blue.lines
    with pytest.raises(PlatformRejected) as info:  # out of the original order
        put.gateway.file_red_form(blue.number, RedReason.GOODS_RETURNED, "seller",
                                  [_credit(l2, "10.00", "0.60"), _credit(l0, "10.00", "0.60")])
    assert "RED_LINE_NOT_IN_ORIGINAL" in codes_of(put, info.value) + info.value.codes
    with pytest.raises(PlatformRejected) as info:  # more than the line holds
        put.gateway.file_red_form(blue.number, RedReason.GOODS_RETURNED, "seller",
                                  [_credit(l1, "300.01", "39.00", "3")])
    assert "RED_EXCEEDS_ORIGINAL" in codes_of(put, info.value)
    with pytest.raises(PlatformRejected) as info:  # tax does not fit amount x rate
        put.gateway.file_red_form(blue.number, RedReason.SALES_ALLOWANCE, "seller",
                                  [_credit(l0, "50.00", "0.50")])
    assert "E_LINE_TAX" in codes_of(put, info.value)
    # return one of three packs of paper (100.00 + 13.00)
    form = put.gateway.file_red_form(blue.number, RedReason.GOODS_RETURNED, "seller",
                                     [_credit(l1, "100.00", "13.00", "1")])
    assert [(ln.quantity, ln.amount, ln.tax) for ln in form.lines] == [(D("-1"), D("-100.00"),
                                                                        D("-13.00"))]
    act(put, "confirm", form.form_number)
    red = put.gateway.issue_red_invoice(form.form_number)
    assert red.total == D("-113.00") and remaining(put) == D("1000.00") - D("392.00")
    assert put.gateway.query_order("PR") == blue  # partly credited: still invoiced
    with pytest.raises(PlatformRejected):  # 2 packs are left, not 3
        put.gateway.file_red_form(blue.number, RedReason.GOODS_RETURNED, "seller",
                                  [_credit(l1, "300.00", "39.00", "3")])
    rest = put.gateway.file_red_form(blue.number, RedReason.ISSUED_IN_ERROR, "seller")
    assert [ln.amount for ln in rest.lines] == [-l0.amount, D("-200.00"), -l2.amount]
    assert [ln.quantity for ln in rest.lines] == [D("-1"), D("-2"), D("-1")]
    act(put, "confirm", rest.form_number)
    put.gateway.issue_red_invoice(rest.form_number)
    assert remaining(put) == D("1000.00")
    assert put.gateway.query_order("PR") is None


# --- the per-day listing -------------------------------------------------------------


def test_list_invoices_gives_a_beijing_day_blue_and_red(put: PlatformUnderTest) -> None:
    needs_red(put)
    put.clock.set(put.clock().replace(hour=0, minute=0, second=0))  # 2026-03-10 00:00 Beijing
    first = put.gateway.issue(make_request("L1", buyer=PERSON))  # 16:00 UTC on the 9th
    put.clock.set(put.clock().replace(hour=23, minute=59, second=59))
    form = put.gateway.file_red_form(first.number, RedReason.ISSUED_IN_ERROR, "seller")
    red = put.gateway.issue_red_invoice(form.form_number)
    second = put.gateway.issue(make_request("L2", lines=[goods("226.00")]))
    put.clock.advance(seconds=1)  # 2026-03-11 00:00 Beijing: the next day
    nxt = put.gateway.issue(make_request("L3"))
    day = put.clock().date() - dt.timedelta(days=1)
    listed = put.gateway.list_invoices(day)
    assert [i.number for i in listed] == [first.number, red.number, second.number]
    assert listed == [first, red, second]  # whole invoices, colours and all
    assert [i.colour for i in listed] == [Colour.BLUE, Colour.RED, Colour.BLUE]
    assert sum((i.total for i in listed), D("0")) == D("226.00")
    assert put.gateway.list_invoices(day + dt.timedelta(days=1)) == [nxt]
    assert put.gateway.list_invoices(day - dt.timedelta(days=1)) == []


def test_list_invoices_is_a_safe_query(put: PlatformUnderTest) -> None:
    inv = put.gateway.issue(make_request("L4"))
    put.sandbox.faults.set(fail_next=1, fail_code="UNAVAILABLE")
    if put.kind != "sandbox":  # the adapter retries a safe query by itself (Nuonuo: its ledger)
        assert put.gateway.list_invoices(put.clock().date()) == [inv]
    else:
        with pytest.raises(PlatformUnavailable):
            put.gateway.list_invoices(put.clock().date())
        assert put.gateway.list_invoices(put.clock().date()) == [inv]


# --- documents and health -------------------------------------------------------------


def test_documents_and_the_download_url(put: PlatformUnderTest) -> None:
    inv = put.gateway.issue(make_request("DOC"))
    docs = put.gateway.documents(inv.number)
    assert docs.number == inv.number
    assert docs.pdf.startswith(b"%PDF") and inv.number.encode() in docs.xml
    if put.kind in PROVIDERS:  # the QR points at the provider's official PDF; OFD and XML beside it
        base = inv.download_url.removesuffix(".pdf")
        with urllib.request.urlopen(inv.download_url, timeout=10) as resp:
            assert resp.read() == docs.pdf and resp.headers["Content-Type"] == "application/pdf"
        with urllib.request.urlopen(base + ".ofd", timeout=10) as resp:
            assert resp.read().startswith(b"PK")  # OFD is a ZIP container
    else:
        with urllib.request.urlopen(inv.download_url, timeout=10) as resp:  # no auth: the token
            page = resp.read().decode("utf-8")
            assert resp.headers["Content-Type"].startswith("text/html")
        assert inv.number in page and ".pdf" in page and ".xml" in page
        with urllib.request.urlopen(inv.download_url + ".pdf", timeout=10) as resp:
            assert resp.read() == docs.pdf and resp.headers["Content-Type"] == "application/pdf"
        base = inv.download_url
    with urllib.request.urlopen(base + ".xml", timeout=10) as resp:
        assert resp.read() == docs.xml
    wrong = base[:-4] + ("AAAA" if not base.endswith("AAAA") else "BBBB")
    with pytest.raises(urllib.error.HTTPError) as info:
        urllib.request.urlopen(wrong, timeout=10)
    assert info.value.code == 404
    with pytest.raises(NotFound):
        put.gateway.documents("26112000000000000099")


def test_health_reports_quota(put: PlatformUnderTest) -> None:
    health = put.gateway.health()
    quota = None if put.kind in PROVIDERS else D("1000.00")
    assert health.ok and health.quota == quota and health.message


def test_red_invoice_documents_name_the_blue_one(put: PlatformUnderTest) -> None:
    needs_red(put)
    from kiosk.documents.xml import parse_invoice_xml

    blue = put.gateway.issue(make_request("RD", buyer=PERSON))
    form = put.gateway.file_red_form(blue.number, RedReason.ISSUED_IN_ERROR, "seller")
    red = put.gateway.issue_red_invoice(form.form_number)
    parsed = parse_invoice_xml(put.gateway.documents(red.number).xml)
    assert parsed["number"] == red.number and parsed["colour"] == "red"
    assert parsed["original_number"] == blue.number
    assert parsed["red_form_number"] == form.form_number and parsed["total"] == -blue.total
