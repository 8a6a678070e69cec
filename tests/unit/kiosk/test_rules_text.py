"""One text rule for everything typed, scanned or received (issue 15, item 9).

No control character (ESC, NUL, ...), format character, line or paragraph
separator (U+2028/U+2029) or unassigned code point gets into a name or title;
ASCII digits where digits are printed into invoice numbers; the same limits at
import as at issuing; an invalid e-mail is masked in the CLI's error line.
"""

from __future__ import annotations

import unicodedata
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.config import ConfigError, config_from_dict
from kiosk.model import Buyer, BuyerType
from kiosk.orders import parse_orders
from kiosk.rules import validate_buyer
from kiosk.rules.text import FORBIDDEN_CATEGORIES, check_text, forbidden_chars, is_ascii_digits
from tests.helpers.invoices import COMPANY_BUYER, sample_request

BAD = ["\x1b", "\x00", "\u2028", "\u2029", "\x7f", "\u202e", "\ufeff", "\x85"]


def _forbidden(ch: str) -> bool:
    return unicodedata.category(ch) in FORBIDDEN_CATEGORIES


@given(st.text())
def test_forbidden_chars_are_exactly_the_forbidden_categories(text: str) -> None:
    found = forbidden_chars(text)
    assert set(found) == {ch for ch in text if _forbidden(ch)}
    assert len(found) == len(set(found))
    assert (check_text(text, "f", "字段", "Field") == []) == (not found)


@given(st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cf", "Cs", "Co", "Cn",
                                                            "Zl", "Zp"))))
def test_ordinary_text_passes(text: str) -> None:
    assert check_text(text, "f", "字段", "Field") == []


CLEAN = st.text(alphabet=st.characters(blacklist_categories=tuple(FORBIDDEN_CATEGORIES)))


@given(CLEAN, st.sampled_from(BAD), CLEAN)
def test_a_bad_character_anywhere_is_named_by_code_point(before: str, bad: str, after: str) -> None:
    errors = check_text(before + bad + after, "buyer.name", "名称", "Name")
    assert [e.code for e in errors] == ["E_CONTROL_CHAR"]
    assert f"U+{ord(bad):04X}" in errors[0].message_en
    assert bad not in errors[0].message_en and bad not in errors[0].message_zh


@given(st.text(max_size=4))
def test_ascii_digits_only(text: str) -> None:
    assert is_ascii_digits(text) == (text != "" and all(c in "0123456789" for c in text))


@pytest.mark.parametrize("bad", BAD)
@pytest.mark.parametrize("field", ["name", "address", "phone", "bank", "account"])
def test_the_core_buyer_validation_refuses_control_characters(bad: str, field: str) -> None:
    base = Buyer(BuyerType.COMPANY, COMPANY_BUYER.name, COMPANY_BUYER.tax_id,
                 address="北京市海淀区", phone="010-1234", bank="工商银行", account="123456789")
    buyer = replace(base, **{field: getattr(base, field)[:2] + bad + getattr(base, field)[2:]})
    codes = {(e.code, e.field) for e in validate_buyer(buyer)}
    assert ("E_CONTROL_CHAR", f"buyer.{field}") in codes


def test_a_title_with_a_line_separator_cannot_be_issued() -> None:
    from kiosk.rules import validate_request

    request = replace(sample_request(), buyer=replace(COMPANY_BUYER, name="厦门示例\u2028贸易有限公司"))
    assert "E_CONTROL_CHAR" in {e.code for e in validate_request(request)}


@pytest.mark.parametrize("section, key, value", [
    ("seller", "region_code", "١١"),  # Arabic-Indic digits: \d matched them
    ("seller", "region_code", "１１"),  # full-width
    ("platform.sandbox", "channel", "٢"),
    ("platform.sandbox", "monthly_quota", "Infinity"),
    ("platform.sandbox", "monthly_quota", "NaN"),
    ("platform.sandbox", "monthly_quota", "1e999999"),
    ("devices.scanner", "suffix", ""),
    ("seller", "name", "北京\x1b示例"),
    ("seller", "drawer", "自助\u2029终端"),
])
def test_config_refuses_values_that_break_later(section: str, key: str, value: str) -> None:
    data: dict[str, Any] = {}
    node = data
    for part in section.split("."):
        node = node.setdefault(part, {})
    node[key] = value
    with pytest.raises(ConfigError) as err:
        config_from_dict(data)
    assert key in str(err.value)
    assert "\x1b" not in str(err.value) and "\u2029" not in str(err.value)


def _line(**over: Any) -> dict[str, Any]:
    line = {"name": "午餐套餐", "short_name": "餐饮服务", "tax_code": "3070401000000000000",
            "quantity": "1", "unit_price": "38.00", "amount": "38.00", "rate": "0.06"}
    line.update(over)
    return line


def _order(lines: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{"order_no": "SO1", "paid_at": "2024-06-01T12:30:00+08:00", "lines": lines}]


@pytest.mark.parametrize("lines, expect", [
    ([_line()] * 101, "at most 100"),
    ([_line(name="午餐😀")], "U+1F600"),
    ([_line(name="午餐\u2028套餐")], "U+2028"),
    ([_line(short_name="餐饮\x00服务")], "U+0000"),
    ([_line(name="餐" * 101)], "longer than 100"),
])
def test_import_refuses_orders_that_can_never_be_invoiced(lines: list[dict[str, Any]],
                                                          expect: str) -> None:
    orders, errors = parse_orders(_order(lines))
    assert orders == [] and any(expect in e for e in errors), errors


def test_import_accepts_an_order_at_the_limits() -> None:
    orders, errors = parse_orders(_order([_line(name="餐" * 100)] * 100))
    assert errors == [] and len(orders[0].lines) == 100


def test_the_cli_masks_an_invalid_email(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from kiosk.cli import main

    assert main(["issue", "--order", "X1", "--buyer-name", "个人", "--email",
                 "zhang.san.secret@@example.com"]) != 0
    err = capsys.readouterr().err
    assert "zhang.san.secret" not in err and "z***" in err
