"""价税合计（大写）: kiosk.rules.amount_in_words."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.rules import amount_in_words


@pytest.mark.parametrize("amount, words", [
    # domain.md worked examples
    ("113.00", "壹佰壹拾叁圆整"),
    ("0.00", "零圆整"),
    ("10.00", "壹拾圆整"),
    ("100500.00", "壹拾万零伍佰圆整"),
    ("100.07", "壹佰圆零柒分"),
    ("-113.00", "（负数）壹佰壹拾叁圆整"),
    # more
    ("1.00", "壹圆整"),
    ("15.00", "壹拾伍圆整"),
    ("100.00", "壹佰圆整"),
    ("101.00", "壹佰零壹圆整"),
    ("110.00", "壹佰壹拾圆整"),
    ("1001.00", "壹仟零壹圆整"),
    ("1010.00", "壹仟零壹拾圆整"),
    ("10000.00", "壹万圆整"),
    ("10001.00", "壹万零壹圆整"),
    ("10010.00", "壹万零壹拾圆整"),
    ("100010", "壹拾万零壹拾圆整"),
    ("110000.00", "壹拾壹万圆整"),
    ("1000000.00", "壹佰万圆整"),
    ("1010101.01", "壹佰零壹万零壹佰零壹圆零壹分"),
    ("12345678.90", "壹仟贰佰叁拾肆万伍仟陆佰柒拾捌圆玖角"),
    ("100000000", "壹亿圆整"),
    ("100000001", "壹亿零壹圆整"),
    ("100010000", "壹亿零壹万圆整"),
    ("110000000", "壹亿壹仟万圆整"),
    ("1000000000000", "壹万亿圆整"),
    ("0.05", "伍分"),
    ("0.50", "伍角"),
    ("0.55", "伍角伍分"),
    ("1.05", "壹圆零伍分"),
    ("1.50", "壹圆伍角"),
    ("1.55", "壹圆伍角伍分"),
    ("1000.10", "壹仟圆壹角"),
    ("20000001", "贰仟万零壹圆整"),
    ("-0.01", "（负数）壹分"),
    ("-1000.50", "（负数）壹仟圆伍角"),
    ("0.005", "壹分"),  # rounded half up to the fen
    ("-0.00", "零圆整"),
])
def test_amount_in_words(amount: str, words: str) -> None:
    assert amount_in_words(Decimal(amount)) == words


def test_too_large_refused() -> None:
    with pytest.raises(ValueError):
        amount_in_words(Decimal("1E16"))


money = st.decimals(min_value=Decimal("-99999999999.99"), max_value=Decimal("99999999999.99"),
                    places=2, allow_nan=False, allow_infinity=False)


@given(money)
def test_words_properties(amount: Decimal) -> None:
    words = amount_in_words(amount)
    assert words.startswith("（负数）") == (amount < 0)
    assert words.endswith(("整", "角", "分"))
    assert ("整" in words) == (amount == amount.to_integral_value())
    assert "零零" not in words
    body = words.removeprefix("（负数）")
    assert not body.startswith("零") or body == "零圆整"
    assert not body.endswith("零圆整") or body == "零圆整"
    assert amount_in_words(-amount).removeprefix("（负数）") == body
