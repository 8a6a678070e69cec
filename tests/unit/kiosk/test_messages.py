"""The one zh/en catalogue: every code in both languages, placeholders alike, one join rule."""

from __future__ import annotations

import string

import pytest

from kiosk.messages import CATALOGUE, Problem, Text, join, text_for, words


def _fields(template: str) -> set[str]:
    """The template's parameters; ``x_zh`` in Chinese and ``x_en`` in English are one (a
    reason the platform gave in each language)."""
    return {name.removesuffix("_zh").removesuffix("_en")
            for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("code", sorted(CATALOGUE))
def test_every_code_has_both_languages_with_the_same_parameters(code: str) -> None:
    zh, en = CATALOGUE[code]
    assert zh.strip() and en.strip()
    assert _fields(zh) == _fields(en)


def test_parameters_fill_the_template() -> None:
    CATALOGUE["test.sample"] = ("最多 {limit} 字节", "At most {limit} bytes")
    try:
        assert text_for(Problem.of("test.sample", limit=100)) == Text("最多 100 字节",
                                                                      "At most 100 bytes")
    finally:
        del CATALOGUE["test.sample"]


def test_an_unknown_code_still_gives_words_naming_it() -> None:
    assert "no.such" in words(Problem.of("no.such"), "en")
    assert "no.such" in words(Problem.of("no.such"), "zh_CN")


def test_problem_is_hashable_and_prints_its_code() -> None:
    p = Problem.of("printer.paper_out", device="printer")
    assert {p: 1}[Problem.of("printer.paper_out", device="printer")] == 1
    assert str(p) == "printer.paper_out(device=printer)"


@pytest.mark.parametrize(("parts", "lang", "joined"), [
    (("开票失败。", "请联系工作人员。"), "zh_CN", "开票失败。请联系工作人员。"),
    (("开票失败", "请联系工作人员"), "zh_CN", "开票失败。请联系工作人员。"),
    (("Refused.", "Ask the staff"), "en", "Refused. Ask the staff."),
    (("", "  ", "Only"), "en", "Only."),
    ((), "en", ""),
])
def test_one_join_rule_never_doubles_a_full_stop(parts: tuple[str, ...], lang: str,
                                                 joined: str) -> None:
    assert join(*parts, lang=lang) == joined
    assert "。。" not in joined and ".." not in joined


def test_good_news_and_guidance_are_marked_and_anything_else_is_a_problem() -> None:
    """The banner's style follows the tone (issue 11): 'printed again' is not an error."""
    from kiosk.messages.tones import INFO, OK, PROBLEM, TONES

    assert set(TONES) <= set(CATALOGUE), set(TONES) - set(CATALOGUE)
    assert set(TONES.values()) <= {OK, INFO}
    assert text_for(Problem.of("centre.reprinted")).tone == OK
    assert text_for(Problem.of("flow.account.code_sent", to="138****0000")).tone == OK
    assert text_for(Problem.of("flow.claim_checking")).tone == INFO
    assert text_for(Problem.of("flow.no_printer")).tone == PROBLEM
    assert text_for(Problem.of("no.such.code")).tone == PROBLEM
    assert Text("错", "wrong").tone == PROBLEM


def test_xiaopiao_is_the_shops_receipt_and_pingtiao_the_kiosks() -> None:
    """小票 is the shopping receipt a person brings (its order QR, its order number);
    the slip the kiosk prints is the 凭条. Mixed up ("小票已重新打印" after a reprint,
    "请取走小票" when the invoice is issued) a person looks for the wrong paper."""
    from kiosk.messages import CATALOGUE

    about_the_shops = ("扫描", "扫码", "二维码", "订单")
    mixed = [code for code, (zh, _en) in CATALOGUE.items()
             if "小票" in zh and not any(word in zh for word in about_the_shops)]
    assert mixed == []
