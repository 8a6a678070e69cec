"""The allowance (折让) amounts line by line, as the core reads them (issue 12 item 6)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest

from kiosk.centre.changes import ChangeError, allowance_credits
from kiosk.model import Buyer, BuyerType, Colour, Invoice, InvoiceKind, InvoiceLine, Seller


def invoice() -> Invoice:
    lines = (InvoiceLine("*餐饮服务*咖啡", "3070401000000000000", D("2"), D("26.55"), D("53.10"),
                         D("0.06"), D("3.19")),
             InvoiceLine("*焙烤食品*蛋糕", "1030201000000000000", D("1"), D("30.97"), D("30.97"),
                         D("0.13"), D("4.03")))
    return Invoice("24000000000000000001", InvoiceKind.NORMAL, Colour.BLUE,
                   dt.datetime(2026, 3, 2, 9, 30), Seller("北京示例科技有限公司", "91110108MA01A"),
                   Buyer(BuyerType.PERSON, "张三"), lines, order_nos=("A1",))


def test_amounts_per_line_as_typed() -> None:
    assert allowance_credits(invoice(), {0: "￥3", 1: " 1.5 "}) == {0: D("3.00"), 1: D("1.50")}


def test_blank_and_zero_lines_are_skipped() -> None:
    assert allowance_credits(invoice(), {0: "", 1: "2"}) == {1: D("2.00")}
    assert allowance_credits(invoice(), {0: "0", 1: "0.10"}) == {1: D("0.10")}


def test_a_whole_line_may_be_taken_off() -> None:
    assert allowance_credits(invoice(), {1: "35.00"}) == {1: D("35.00")}


@pytest.mark.parametrize(("amounts", "code"), [
    ({}, "centre.change_needs_amount"),
    ({0: "", 1: " "}, "centre.change_needs_amount"),
    ({0: "0"}, "centre.change_needs_amount"),
    ({0: "abc"}, "centre.change_needs_amount"),
    ({0: "-1"}, "centre.change_needs_amount"),
    ({0: "NaN"}, "centre.change_needs_amount"),
    ({1: "35.01"}, "centre.change_bad_lines"),  # more than the line's 35.00 with tax
    ({2: "1"}, "centre.change_bad_lines"),  # no such line
])
def test_refusals(amounts: dict[int, str], code: str) -> None:
    with pytest.raises(ChangeError) as err:
        allowance_credits(invoice(), amounts)
    assert err.value.code == code
