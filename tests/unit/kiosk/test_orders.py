"""Orders: the JSON import (all or nothing, clear messages), the store, the CLI."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from kiosk.cli import main
from kiosk.orders import OrderExists, OrderStore, parse_orders
from tests.helpers.kioskenv import kiosk_db


def _line(**over: Any) -> dict[str, Any]:
    line = {"name": "午餐套餐", "short_name": "餐饮服务", "tax_code": "3070401000000000000",
            "quantity": "2", "unit_price": "38.00", "amount": "76.00", "rate": "0.06",
            "unit": "份"}
    line.update(over)
    return line


def _order(no: str = "2024060100017", **over: Any) -> dict[str, Any]:
    order = {"order_no": no, "paid_at": "2024-06-01T12:30:00+08:00", "lines": [_line()]}
    order.update(over)
    return order


@pytest.fixture()
def store(tmp_path: Path) -> OrderStore:
    return OrderStore(kiosk_db(tmp_path / "kiosk.db"))


def test_import_and_get_round_trip_exact_decimals(store: OrderStore) -> None:
    data = [_order(lines=[_line(), _line(name="图书", short_name="图书", tax_code="1060201010000000000",
                                         quantity="1", unit_price="58.00", amount="58.00", rate="免税")])]
    report = store.import_orders(data)
    assert not report.refused and report.imported == ["2024060100017"]
    order = store.get("2024060100017")
    assert order is not None
    assert order.total == Decimal("134.00")
    assert order.lines[0].unit_price == Decimal("38.00") and str(order.lines[0].amount) == "76.00"
    assert order.lines[1].rate == 0 and order.lines[1].rate_mark == "免税"
    # stored as TEXT, never REAL
    types = {r["t"] for r in store.db.query("SELECT typeof(amount) AS t FROM order_lines")}
    assert types == {"text"}
    assert store.get("nope") is None


def test_bad_amount_refuses_whole_file_naming_order_line_and_field(store: OrderStore) -> None:
    good = _order("A1")
    bad = _order("2024060100017", lines=[_line(), _line(amount="12.3x")])
    report = store.import_orders([good, bad])
    assert report.refused
    assert 'order 2024060100017 line 2: amount "12.3x" is not a decimal' in report.errors
    assert store.count() == 0  # nothing imported, not even the good order


def test_json_number_for_money_is_refused(store: OrderStore) -> None:
    report = store.import_orders([_order(lines=[_line(unit_price=38.0)])])
    assert report.refused
    assert "unit_price must be a decimal STRING" in report.errors[0]
    assert report.errors[0].startswith("order 2024060100017 line 1:")


@pytest.mark.parametrize(("over", "expect"), [
    ({"quantity": "3"}, "does not match amount"),
    ({"tax_code": "307040100000000000"}, "tax_code \"307040100000000000\" must be 19 digits"),
    ({"rate": "0.17"}, "not a rate in force"),
    ({"rate": "NaN"}, "is not a decimal"),
    ({"amount": "1e3"}, "is not a decimal"),
    ({"amount": "-5.00", "unit_price": "-2.50"}, "must be positive"),
    ({"name": "午餐\x1b[2J"}, "contains control characters"),
    ({"name": ""}, "name is missing"),
    ({"colour": "red"}, "unknown field 'colour'"),
])
def test_line_problems_are_named(store: OrderStore, over: dict[str, Any], expect: str) -> None:
    report = store.import_orders([_order(lines=[_line(**over)])])
    assert report.refused and store.count() == 0
    assert any(expect in e and e.startswith("order 2024060100017 line 1") for e in report.errors), \
        report.errors


def test_unit_price_times_quantity_within_tolerance(store: OrderStore) -> None:
    # 3 x 3.333 = 9.999, amount 10.00: within 0.01
    report = store.import_orders([_order(lines=[_line(quantity="3", unit_price="3.333",
                                                      amount="10.00")])])
    assert not report.refused, report.errors


@pytest.mark.parametrize(("data", "expect"), [
    ({"order_no": "x"}, "must hold a JSON list"),
    ([], "holds no orders"),
    (["nope"], "item 1: must be an object"),
    ([_order("bad|no")], "order_no \"bad|no\""),
    ([_order(paid_at="yesterday")], "paid_at \"yesterday\" is not an ISO datetime"),
    ([_order(lines=[])], "lines must be a non-empty list"),
    ([_order("A"), _order("A")], "order A: appears more than once"),
])
def test_file_level_problems(store: OrderStore, data: Any, expect: str) -> None:
    report = store.import_orders(data)
    assert report.refused and any(expect in e for e in report.errors), report.errors


def test_existing_order_reported_not_overwritten_rest_imported(store: OrderStore) -> None:
    store.import_orders([_order("A1")])
    report = store.import_orders([_order("A1", lines=[_line(quantity="1", amount="38.00")]),
                                  _order("A2")])
    assert not report.refused
    assert report.already_present == ["A1"] and report.imported == ["A2"]
    assert "order A1: already present, not overwritten" in report.messages()
    a1 = store.get("A1")
    assert a1 is not None and a1.total == Decimal("76.00")  # unchanged


def test_add_refuses_duplicate(store: OrderStore) -> None:
    orders, errors = parse_orders([_order("A1")])
    assert not errors
    store.add(orders[0])
    with pytest.raises(OrderExists):
        store.add(orders[0])
    assert [o.order_no for o in store.list()] == ["A1"]


def test_sql_in_fields_is_data(store: OrderStore) -> None:
    name = "x'); DROP TABLE orders; --"
    assert not store.import_orders([_order("A1", lines=[_line(name=name)])]).refused
    order = store.get("A1")
    assert order is not None and order.lines[0].name == name


# --- the CLI -------------------------------------------------------------------


def _write(tmp_path: Path, data: Any) -> Path:
    path = tmp_path / "orders.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_cli_import_ok_then_duplicate(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _write(tmp_path, [_order("A1"), _order("A2")])
    assert main(["orders", "import", str(path)]) == 0
    assert "imported 2 order(s)" in capsys.readouterr().out
    assert main(["orders", "import", str(path)]) == 0
    out = capsys.readouterr().out
    assert "order A1: already present, not overwritten" in out and "imported 0" in out
    assert main(["orders", "list"]) == 0
    listed = capsys.readouterr().out
    assert "A1" in listed and "76.00" in listed


def test_cli_import_refused_exit_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _write(tmp_path, [_order(lines=[_line(), _line(amount="12.3x")])])
    assert main(["orders", "import", str(path)]) == 1
    err = capsys.readouterr().err
    assert 'order 2024060100017 line 2: amount "12.3x" is not a decimal' in err
    assert "refused: nothing imported" in err


def test_cli_import_not_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "x.json"
    path.write_text("[{", encoding="utf-8")
    assert main(["orders", "import", str(path)]) == 1
    err = capsys.readouterr().err.strip()
    assert "not valid JSON" in err and err.count("\n") == 0


@pytest.mark.parametrize("text", ["[" * 100_000, '[{"lines": ' * 50_000])
def test_cli_import_deeply_nested_json_is_one_line(tmp_path: Path, text: str,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    """Issue 15 item 7: nesting that blows Python's recursion limit is a one-line error."""
    path = tmp_path / "deep.json"
    path.write_text(text, encoding="utf-8")
    assert main(["orders", "import", str(path)]) == 1
    err = capsys.readouterr().err.strip()
    assert "nested too deeply" in err and err.count("\n") == 0
