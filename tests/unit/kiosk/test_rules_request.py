"""Field rules, the request id, special-invoice eligibility and validate_request."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.model import Buyer, BuyerType, InvoiceKind, OrderLine
from kiosk.rules import (
    gbk_length,
    is_valid_bank_account,
    is_valid_email,
    is_valid_phone,
    is_valid_tax_code,
    item_full_name,
    may_receive_special,
    request_id_for,
    validate_request,
)
from tests.helpers.invoices import COMPANY_BUYER, PERSON_BUYER, SELLER_TAX_ID, sample_request

D = Decimal
TODAY = dt.date(2026, 3, 15)


def codes(request: object) -> list[str]:
    return [e.code for e in validate_request(request, today=TODAY)]  # type: ignore[arg-type]


def test_gbk_length() -> None:
    assert gbk_length("abc") == 3
    assert gbk_length("餐费") == 4
    assert gbk_length("￥") == 2


@pytest.mark.parametrize("phone, ok", [
    ("010-62345678", True), ("(010)62345678", True), ("（010）62345678", True),
    ("13800138000", True), ("+86 138", False), ("010 6234", False), ("12", False), ("", False),
    ("ext.12", False),
])
def test_phone(phone: str, ok: bool) -> None:
    assert is_valid_phone(phone) is ok


@pytest.mark.parametrize("email, ok", [
    ("a@example.com", True), ("zhang.san+inv@mail.example.cn", True), ("a@b", False),
    ("a@@example.com", False), ("a b@example.com", False), (".a@example.com", False),
    ("a..b@example.com", False), ("a@-example.com", False), ("", False),
])
def test_email(email: str, ok: bool) -> None:
    assert is_valid_email(email) is ok


@pytest.mark.parametrize("account, ok", [
    ("6222021234567890123", True), ("1219 0000 0010 001", True), ("12-345678-9", True),
    ("12345", False), ("6222abc", False), ("", False),
])
def test_bank_account(account: str, ok: bool) -> None:
    assert is_valid_bank_account(account) is ok


def test_item_full_name() -> None:
    assert item_full_name("餐饮服务", "餐费") == "*餐饮服务*餐费"
    assert item_full_name("*汽油*", " 92号车用汽油 ") == "*汽油*92号车用汽油"
    assert item_full_name("汽油", "*汽油*92号车用汽油") == "*汽油*92号车用汽油"
    with pytest.raises(ValueError):
        item_full_name("", "餐费")


@pytest.mark.parametrize("code, ok", [
    ("3070401000000000000", True), ("1070101010100000000", True), ("6000000000000000000", True),
    ("7070401000000000000", False), ("0070401000000000000", False), ("307040100000000000", False),
    ("30704010000000000000", False), ("307040100000000000A", False),
])
def test_tax_code(code: str, ok: bool) -> None:
    assert is_valid_tax_code(code) is ok


def test_request_id_is_deterministic_and_order_free() -> None:
    a = request_id_for(["SO2", "SO1"], SELLER_TAX_ID)
    assert a == request_id_for(["SO1", "SO2", "SO1"], SELLER_TAX_ID)
    assert a == request_id_for([" SO1", "SO2 "], SELLER_TAX_ID)
    assert a != request_id_for(["SO1"], SELLER_TAX_ID)
    assert a != request_id_for(["SO1", "SO2"], "91350200776049653A")
    assert a.startswith("RQ") and len(a) == 32
    with pytest.raises(ValueError):
        request_id_for([], SELLER_TAX_ID)


@given(st.lists(st.text(min_size=1, max_size=12).filter(str.strip), min_size=1, max_size=6))
def test_request_id_ignores_order_permutations(orders: list[str]) -> None:
    assert request_id_for(orders, "X") == request_id_for(list(reversed(orders)), "X")


def test_may_receive_special() -> None:
    assert may_receive_special(COMPANY_BUYER) == (True, "")
    ok, reason = may_receive_special(PERSON_BUYER)
    assert not ok and "个人" in reason and "natural person" in reason
    ok, reason = may_receive_special(replace(COMPANY_BUYER, tax_id=""))
    assert not ok and "tax ID" in reason
    ok, _ = may_receive_special(replace(COMPANY_BUYER, tax_id="12345"))
    assert not ok
    # an individual business may use its owner's resident ID number
    assert may_receive_special(replace(COMPANY_BUYER, tax_id="11010519491231002X"))[0]


def test_sample_requests_validate() -> None:
    for kind in InvoiceKind:
        for n in (1, 5, 100):
            assert codes(sample_request(n, kind)) == []
    assert codes(sample_request(3, InvoiceKind.NORMAL, "person")) == []


def test_special_for_person_refused() -> None:
    assert codes(sample_request(1, InvoiceKind.SPECIAL, "person")) == ["E_SPECIAL_PERSON"]


def test_too_many_lines() -> None:
    assert "E_TOO_MANY_LINES" in codes(sample_request(101))


def test_no_lines_no_orders() -> None:
    req = replace(sample_request(1), lines=(), order_nos=())
    assert set(codes(req)) == {"E_NO_LINES", "E_NO_ORDERS"}


def test_tax_id_failed_check_needs_confirmation() -> None:
    buyer = replace(COMPANY_BUYER, tax_id="91350200776049653B")
    errors = validate_request(sample_request(1, buyer=buyer), today=TODAY)
    assert [(e.code, e.severity) for e in errors] == [("E_TAXID_UNCONFIRMED", "warning")]
    assert codes(sample_request(1, buyer=replace(buyer, tax_id_confirmed=True))) == []


def test_tax_id_errors() -> None:
    assert codes(sample_request(1, buyer=replace(COMPANY_BUYER, tax_id="1234"))) == ["E_TAXID"]
    assert codes(sample_request(1, buyer=replace(COMPANY_BUYER, tax_id=""))) == ["E_TAXID_REQUIRED"]
    person = Buyer(type=BuyerType.PERSON, name="个人")
    assert codes(sample_request(1, buyer=person)) == []


def test_gbk_limits() -> None:
    long_name = "示" * 51  # 102 bytes
    assert codes(sample_request(1, buyer=replace(COMPANY_BUYER, name=long_name))) == ["E_TOO_LONG"]
    assert codes(sample_request(1, buyer=replace(COMPANY_BUYER, name="示" * 50))) == []
    addr = replace(COMPANY_BUYER, address="地" * 45, phone="010-62345678901")  # 90 + 15
    assert codes(sample_request(1, buyer=addr)) == ["E_TOO_LONG"]
    bank = replace(COMPANY_BUYER, bank="银" * 45, account="12345678901")  # 90 + 11
    assert codes(sample_request(1, buyer=bank)) == ["E_TOO_LONG"]
    emoji = replace(COMPANY_BUYER, name="示例公司😀")
    errors = validate_request(sample_request(1, buyer=emoji), today=TODAY)
    assert [e.code for e in errors] == ["E_CHARSET"] and "U+1F600" in errors[0].message_en
    assert codes(sample_request(1, buyer=replace(COMPANY_BUYER, name=""))) == ["E_BUYER_NAME"]


def test_contact_fields() -> None:
    assert codes(sample_request(1, buyer=replace(COMPANY_BUYER, phone="call me"))) == ["E_PHONE"]
    assert codes(sample_request(1, buyer=replace(COMPANY_BUYER, email="x@"))) == ["E_EMAIL"]
    assert codes(sample_request(1, buyer=replace(COMPANY_BUYER, account="abc"))) == ["E_BANK_ACCOUNT"]


def _with_lines(*lines: OrderLine) -> object:
    return replace(sample_request(1), lines=lines)


def test_line_rules() -> None:
    (line,) = sample_request(1).lines
    assert codes(_with_lines(replace(line, tax_code="123"))) == ["E_TAX_CODE"]
    assert codes(_with_lines(replace(line, rate=D("0.05")))) == ["E_RATE"]
    assert codes(_with_lines(replace(line, rate=D("0.06"), rate_mark="免税"))) == ["E_RATE"]
    assert codes(_with_lines(replace(line, amount=D("113.02")))) == ["E_LINE_AMOUNT"]
    assert codes(_with_lines(replace(line, amount=D("113.01")))) == []
    assert codes(_with_lines(replace(line, quantity=D("1.00000000000001")))) == ["E_DECIMALS"]
    assert codes(_with_lines(replace(line, quantity=D(0)))) == ["E_LINE_QTY"]
    assert codes(_with_lines(replace(line, quantity=D(0), unit_price=D(0)))) == []
    assert codes(_with_lines(replace(line, short_name=""))) == ["E_LINE_NAME"]


def test_exempt_lines_not_on_special_invoice() -> None:
    (line,) = sample_request(1).lines
    exempt = replace(line, rate=D(0), rate_mark="免税")
    req = replace(sample_request(1, InvoiceKind.SPECIAL), lines=(exempt,))
    assert codes(req) == ["E_SPECIAL_EXEMPT"]
    assert codes(replace(req, kind=InvoiceKind.NORMAL)) == []


def test_discount_placement_and_total() -> None:
    (line,) = sample_request(1).lines
    discount = replace(line, quantity=D(0), unit_price=D(0), amount=D("-13.00"))
    assert codes(_with_lines(line, discount)) == []
    assert codes(_with_lines(discount, line)) == ["E_DISCOUNT_PLACE"]
    assert "E_TOTAL" in codes(_with_lines(line, replace(discount, amount=D("-113.00"))))
