"""Voice prompts: one per screen in both languages, amounts spoken in words, and a
read-back that holds the buyer's type or company name and the total, nothing else."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.flow.states import Screen
from kiosk.messages import CATALOGUE
from kiosk.model import BuyerType
from kiosk.voice.prompts import fixed_utterances, lang_code, readback, screen_prompt, spoken_amount


@pytest.mark.parametrize("screen", list(Screen))
def test_every_screen_has_a_prompt_in_both_languages(screen: Screen) -> None:
    assert f"voice.screen.{screen.value}" in CATALOGUE  # not the "something went wrong" fallback
    zh, en = screen_prompt(screen, "zh_CN"), screen_prompt(screen, "en")
    assert (zh.lang, en.lang) == ("zh", "en")
    assert zh.key == en.key == f"screen.{screen.value}" and zh.fixed
    assert re.search(r"[\u4e00-\u9fff]", zh.text) and en.text.isascii()
    assert not re.search(r"\d", zh.text + en.text)  # prompts carry no figures


def test_fixed_utterances_cover_every_screen_twice() -> None:
    keys = {(u.key, u.lang) for u in fixed_utterances()}
    assert len(keys) == 2 * len(Screen)


@pytest.mark.parametrize(("amount", "zh", "en"), [
    ("118.90", "一百一十八元九角", "one hundred and eighteen yuan and ninety fen"),
    ("10", "十元", "ten yuan"),
    ("0", "零元", "zero yuan"),
    ("0.05", "五分", "five fen"),
    ("1.05", "一元零五分", "one yuan and five fen"),
    ("100010.00", "十万零一十元", "one hundred thousand and ten yuan"),
    ("2001", "二千零一元", "two thousand and one yuan"),
    ("-3.20", "负三元二角", "minus three yuan and twenty fen"),
    ("12345678.09", "一千二百三十四万五千六百七十八元零九分",
     "twelve million three hundred and forty-five thousand six hundred and seventy-eight "
     "yuan and nine fen"),
    ("0.005", "一分", "one fen"),  # rounded half up to the fen, as on the invoice
])
def test_spoken_amounts(amount: str, zh: str, en: str) -> None:
    assert spoken_amount(Decimal(amount), "zh_CN") == zh
    assert spoken_amount(Decimal(amount), "en") == en


def test_the_review_read_back_of_a_walk_in_person() -> None:
    zh = readback(BuyerType.PERSON, "个人", Decimal("118.90"), "zh_CN")
    assert zh.text == "个人，价税合计一百一十八元九角。" and not zh.fixed and zh.key == "readback"
    en = readback(BuyerType.PERSON, "个人", Decimal("118.90"), "en")
    assert en.text == ("Personal. Total including tax: one hundred and eighteen yuan and "
                       "ninety fen.")


def test_a_person_is_read_as_personal_never_by_name() -> None:
    assert readback(BuyerType.PERSON, "张三", Decimal("1"), "zh").text.startswith("个人，")


def test_a_company_is_read_by_name_unless_the_name_holds_a_number() -> None:
    assert readback(BuyerType.COMPANY, "北京示例科技有限公司", Decimal("1"), "zh").text == \
        "北京示例科技有限公司，价税合计一元。"
    typed_wrong = readback(BuyerType.COMPANY, "13812345678", Decimal("1"), "zh")
    assert typed_wrong.text == "单位，价税合计一元。"


@settings(max_examples=60, deadline=None)
@given(name=st.text(max_size=40), total=st.decimals(min_value=-10**9, max_value=10**9, places=2),
       person=st.booleans(), lang=st.sampled_from(["zh_CN", "en"]))
def test_a_read_back_never_says_a_long_number(name: str, total: Decimal, person: bool,
                                              lang: str) -> None:
    kind = BuyerType.PERSON if person else BuyerType.COMPANY
    text = readback(kind, name, total, lang).text
    assert not re.search(r"[0-9０-９]{6,}", text)  # no ID number, phone or account
    if person:  # the same words whatever name was typed
        assert text == readback(kind, "个人", total, lang).text


def test_language_codes() -> None:
    assert [lang_code(x) for x in ("zh_CN", "zh", "en", "en_GB", "EN")] == \
        ["zh", "zh", "en", "en", "en"]
