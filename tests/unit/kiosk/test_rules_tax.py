"""Rates, the price-inclusive split, invoice lines, tolerances, discounts (kiosk.rules)."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.model import InvoiceLine
from kiosk.rules import (
    RATES,
    VENDOR_LIMITS,
    check_invoice_lines,
    invoice_lines_from_order_lines,
    is_known_rate,
    net_unit_price,
    rate_label,
    split_tax,
    validate_discount_lines,
)
from tests.helpers.invoices import sample_invoice, sample_order_lines

D = Decimal


@pytest.mark.parametrize("gross, rate, net, tax", [
    ("113.00", "0.13", "100.00", "13.00"),
    ("100.00", "0.06", "94.34", "5.66"),
    ("1.00", "0.13", "0.88", "0.12"),
    ("10.00", "0.09", "9.17", "0.83"),
    ("-113", "0.13", "-100.00", "-13.00"),
    ("-100.00", "0.06", "-94.34", "-5.66"),
    ("50.00", "0", "50.00", "0.00"),
    ("0.01", "0.13", "0.01", "0.00"),
    ("103.00", "0.03", "100.00", "3.00"),
    ("101.00", "0.01", "100.00", "1.00"),
])
def test_split_tax_examples(gross: str, rate: str, net: str, tax: str) -> None:
    got = split_tax(D(gross), D(rate))
    assert (str(got[0]), str(got[1])) == (net, tax)  # also two decimals, exactly


rates = st.sampled_from([r.rate for r in RATES])
money = st.decimals(min_value=D("-1000000"), max_value=D("1000000"), places=2,
                    allow_nan=False, allow_infinity=False)


@given(money, rates)
def test_split_tax_sums_and_is_symmetric(gross: Decimal, rate: Decimal) -> None:
    net, tax = split_tax(gross, rate)
    assert net + tax == gross
    assert split_tax(-gross, rate) == (-net, -tax)
    assert abs(net * rate - tax) <= D("0.01")


@pytest.mark.parametrize("rate, mark, label", [
    ("0.13", "", "13%"), ("0.09", "", "9%"), ("0.06", "", "6%"), ("0", "", "0%"),
    ("0.03", "", "3%"), ("0.01", "", "1%"), ("0", "免税", "免税"), ("0", "不征税", "不征税"),
    ("0.015", "", "1.5%"),
])
def test_rate_label(rate: str, mark: str, label: str) -> None:
    assert rate_label(D(rate), mark) == label


def test_rates_table() -> None:
    assert is_known_rate(D("0.13")) and is_known_rate(D("0.010"))
    assert is_known_rate(D("0"), "免税") and not is_known_rate(D("0.05"))
    assert not is_known_rate(D("0.13"), "免税")
    with pytest.raises(ValueError):
        rate_label(D("0"), "零税率")


def test_net_unit_price_13_decimals_normalised() -> None:
    assert net_unit_price(D("100.00"), D("3")) == D("33.3333333333333")
    assert str(net_unit_price(D("100.00"), D("1"))) == "100"
    assert str(net_unit_price(D("250.00"), D("2"))) == "125"
    assert str(net_unit_price(D("0.50"), D("1"))) == "0.5"
    assert net_unit_price(D("10"), D("0")) == 0


def test_invoice_lines_from_order_lines() -> None:
    lines = invoice_lines_from_order_lines(sample_order_lines(2))
    first, second = lines
    assert first.name == "*餐饮服务*餐费"
    assert (first.amount, first.tax, first.unit_price) == (D("106.60"), D("6.40"), D("106.6"))
    assert second.name.startswith("*汽油*")
    assert second.amount + second.tax == D("280.10")
    assert abs(second.unit_price * second.quantity - second.amount) <= D("0.01")


@given(st.integers(1, 100))
def test_totals_are_sums_of_lines(n: int) -> None:
    inv = sample_invoice(lines=n)
    assert inv.total_net == sum(line.amount for line in inv.lines)
    assert inv.total_tax == sum(line.tax for line in inv.lines)
    gross = sum(line.amount for line in sample_order_lines(n))
    assert inv.total == gross
    assert check_invoice_lines(inv.lines) == []


def _line(**kw: object) -> InvoiceLine:
    base = InvoiceLine(name="*餐饮服务*餐费", tax_code="3070401000000000000", quantity=D(1),
                       unit_price=D("100"), amount=D("100.00"), rate=D("0.06"), tax=D("6.00"))
    return replace(base, **kw)  # type: ignore[arg-type]


def test_line_tolerances() -> None:
    assert check_invoice_lines([_line()]) == []
    assert check_invoice_lines([_line(amount=D("100.01"), tax=D("6.00"))]) == []
    codes = [e.code for e in check_invoice_lines([_line(amount=D("100.02"), tax=D("6.00"))])]
    assert codes == ["E_LINE_AMOUNT"]
    assert check_invoice_lines([_line(tax=D("6.06"))]) == []
    assert [e.code for e in check_invoice_lines([_line(tax=D("6.07"))])] == ["E_LINE_TAX"]


def test_invoice_tax_drift_limit() -> None:
    # 0.06 drift per line is fine for a line; 22 lines drift 1.32 > 1.27.
    lines = [_line(tax=D("6.06"))] * 21
    assert check_invoice_lines(lines) == []  # 1.26
    lines = [_line(tax=D("6.06"))] * 22
    errors = check_invoice_lines(lines)
    assert [e.code for e in errors] == ["E_INVOICE_TAX"]
    assert VENDOR_LIMITS.invoice_tax == D("1.27")


def test_discount_lines() -> None:
    item = _line()
    discount = _line(quantity=D(0), unit_price=D(0), amount=D("-10.00"), tax=D("-0.60"))
    assert validate_discount_lines([item, discount]) == []
    assert [e.code for e in validate_discount_lines([discount, item])] == ["E_DISCOUNT_PLACE"]
    assert [e.code for e in validate_discount_lines([item, discount, discount])] == ["E_DISCOUNT_PLACE"]
    other = replace(discount, tax_code="1070101010100000000")
    assert [e.code for e in validate_discount_lines([item, other])] == ["E_DISCOUNT_MATCH"]
    too_big = replace(discount, amount=D("-100.01"))
    assert [e.code for e in validate_discount_lines([item, too_big])] == ["E_DISCOUNT_EXCEEDS"]
    assert validate_discount_lines([item, replace(discount, amount=D("-100.00"))]) == []
