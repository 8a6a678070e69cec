"""Catalogue: search by name / initials / code prefix (escaped LIKE), and line arithmetic."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk import storage
from kiosk.catalogue import (
    DEMO_CATALOGUE,
    Catalogue,
    CatalogueItem,
    LineError,
    line_for,
    migrations,
    pinyin_initials,
    seed_demo_catalogue,
)
from kiosk.rules.fields import is_valid_tax_code
from kiosk.rules.tax import is_known_rate


@pytest.fixture()
def cat(tmp_path: Path) -> Catalogue:
    c = Catalogue(storage.open_database(tmp_path / "k.db", sets=[storage.core, migrations]))
    assert seed_demo_catalogue(c) == len(DEMO_CATALOGUE)
    return c


def _names(items: list[CatalogueItem]) -> list[str]:
    return [i.name for i in items]


def test_demo_catalogue_is_valid_and_covers_the_rates(cat: Catalogue) -> None:
    items = cat.all()
    assert len(items) == len(DEMO_CATALOGUE) >= 15
    assert all(is_valid_tax_code(i.tax_code) and is_known_rate(i.rate, i.rate_mark) for i in items)
    assert {(i.rate, i.rate_mark) for i in items} >= {
        (Decimal("0.13"), ""), (Decimal("0.09"), ""), (Decimal("0.06"), ""), (Decimal(0), "免税")}
    assert seed_demo_catalogue(cat) == 0  # only into an empty catalogue
    assert cat.get("S201") == next(i for i in DEMO_CATALOGUE if i.code == "S201")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("餐", ["餐费"]),
        ("住宿", ["住宿费"]),
        ("cyfw", ["餐费"]),  # pinyin initials of the short name 餐饮服务
        ("tcf", ["停车费"]),  # initials of the name
        ("TCF", ["停车费"]),
        ("30704", ["餐费", "住宿费"]),  # tax code prefix, in code order
        ("3070402000000000000", ["住宿费"]),
        ("s20", ["餐费", "住宿费", "软件开发服务", "技术咨询费", "会议服务费"]),  # item code
        ("Ａ4", ["A4复印纸", "激光打印机"]),  # full-width folds; spec matches too
        ("a4", ["A4复印纸", "激光打印机"]),
        ("不存在的东西", []),
    ],
)
def test_search(cat: Catalogue, query: str, expected: list[str]) -> None:
    found = _names(cat.search(query))
    assert sorted(found) == sorted(expected)
    if query == "30704":
        assert found == expected


def test_empty_query_lists_everything_sorted_by_code(cat: Catalogue) -> None:
    items = cat.search("   ")
    assert len(items) == len(DEMO_CATALOGUE)
    assert [i.tax_code for i in items] == sorted(i.tax_code for i in items)


@pytest.mark.parametrize("query", ["%", "_", "%%", "\\", "'; DROP TABLE catalogue_items; --",
                                   "3%", "1_9"])
def test_like_wildcards_and_quotes_match_literally(cat: Catalogue, query: str) -> None:
    assert cat.search(query) == []
    assert cat.count() == len(DEMO_CATALOGUE)


def test_wildcards_in_names_match_themselves(cat: Catalogue) -> None:
    cat.add(CatalogueItem("X1", "折扣100%_特价", "餐饮服务", "3070401000000000000", "份", "",
                          Decimal("1.00"), Decimal("0.06")))
    assert _names(cat.search("100%_")) == ["折扣100%_特价"]
    assert _names(cat.search("0%")) == ["折扣100%_特价"]


def test_add_refuses_bad_items(cat: Catalogue) -> None:
    good = DEMO_CATALOGUE[0]
    for bad in (
        CatalogueItem("B", "x", "y", "123", "", "", Decimal(1), Decimal("0.13")),
        CatalogueItem("B", "x", "y", good.tax_code, "", "", Decimal(1), Decimal("0.14")),
        CatalogueItem("B", "x", "y", good.tax_code, "", "", Decimal(1), Decimal("0.13"), "免税"),
        CatalogueItem("B", "", "y", good.tax_code, "", "", Decimal(1), Decimal("0.13")),
        CatalogueItem("B", "x", "y", good.tax_code, "", "", Decimal(-1), Decimal("0.13")),
    ):
        with pytest.raises(ValueError):
            cat.add(bad)


def test_pinyin_initials() -> None:
    assert pinyin_initials("餐饮服务") == "cyfw"
    assert pinyin_initials("A4复印纸") == "a4fyz"


# -- line arithmetic ---------------------------------------------------------------

PARKING = next(i for i in DEMO_CATALOGUE if i.code == "S101")  # 5.00 / hour, 9%
PETROL = next(i for i in DEMO_CATALOGUE if i.code == "G004")  # 7.89 / litre
MEAL = next(i for i in DEMO_CATALOGUE if i.code == "S201")  # no fixed price
EGGS = next(i for i in DEMO_CATALOGUE if i.code == "E302")  # 免税


def test_line_defaults_to_one_at_catalogue_price() -> None:
    line = line_for(PARKING)
    assert (line.quantity, line.unit_price, line.amount) == (1, Decimal("5.00"), Decimal("5.00"))
    assert (line.name, line.short_name, line.tax_code, line.rate, line.unit) == (
        "停车费", "经营租赁", "3040502020200000000", Decimal("0.09"), "小时")


def test_quantity_times_price_rounds_half_up_to_the_fen() -> None:
    line = line_for(PETROL, quantity="3.333")
    assert line.amount == Decimal("26.30")  # 26.29737
    line = line_for(PETROL, quantity=Decimal("0.5"), unit_price="0.01")
    assert line.amount == Decimal("0.01")  # 0.005 -> half up


def test_amount_alone_keeps_the_catalogue_price_and_derives_quantity() -> None:
    line = line_for(PETROL, amount="300")
    assert line.unit_price == Decimal("7.89")
    assert line.quantity == Decimal("38.0228136882129")  # 13 decimals
    assert abs(line.quantity * line.unit_price - line.amount) <= Decimal("0.01")


def test_amount_alone_without_catalogue_price_is_quantity_one() -> None:
    line = line_for(MEAL, amount="128.50")
    assert (line.quantity, line.unit_price, line.amount) == (1, Decimal("128.50"), Decimal("128.50"))


def test_quantity_and_amount_derive_a_long_price() -> None:
    line = line_for(MEAL, quantity="3", amount="100")
    assert line.unit_price == Decimal("33.3333333333333")
    line = line_for(MEAL, quantity="4", amount="100")
    assert line.unit_price == Decimal("25.00")


def test_price_and_amount_derive_quantity() -> None:
    line = line_for(EGGS, unit_price="11.60", amount="29.00")
    assert line.quantity == Decimal("2.5") and line.rate_mark == "免税" and line.rate == 0


def test_all_three_must_agree() -> None:
    assert line_for(PETROL, quantity="2", unit_price="7.89", amount="15.78").amount == Decimal("15.78")
    assert line_for(PETROL, quantity="2", unit_price="7.89", amount="15.79").amount == Decimal("15.79")
    with pytest.raises(LineError) as err:
        line_for(PETROL, quantity="2", unit_price="7.89", amount="15.80")
    assert "0.01" in err.value.message_zh


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"quantity": "0"}, "more than zero"),
        ({"quantity": "-1"}, "more than zero"),
        ({"amount": "abc"}, "not a number"),
        ({"amount": "NaN"}, "more than zero"),
        ({"amount": "1.005"}, "two decimals"),
        ({"quantity": "1." + "1" * 14}, "13 decimals"),
        ({"quantity": "0.001", "unit_price": "1"}, "less than one fen"),
    ],
)
def test_bad_values_give_clear_messages(kwargs: dict[str, str], fragment: str) -> None:
    with pytest.raises(LineError) as err:
        line_for(PETROL, **kwargs)
    assert fragment in err.value.message_en and err.value.message_zh


def test_item_without_price_needs_price_or_amount() -> None:
    with pytest.raises(LineError, match="no fixed price"):
        line_for(MEAL, quantity="2")


@given(q=st.decimals(min_value=Decimal("0.001"), max_value=Decimal("10000"), places=3),
       p=st.decimals(min_value=Decimal("0.01"), max_value=Decimal("100000"), places=2))
def test_derived_lines_stay_within_the_vendor_tolerance(q: Decimal, p: Decimal) -> None:
    try:
        line = line_for(MEAL, quantity=q, unit_price=p)
    except LineError:
        assert (q * p) < Decimal("0.005")
        return
    assert abs(line.quantity * line.unit_price - line.amount) <= Decimal("0.01")
    back = line_for(MEAL, quantity=line.quantity, amount=line.amount)
    assert abs(back.quantity * back.unit_price - back.amount) <= Decimal("0.01")
