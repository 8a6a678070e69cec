"""Issue outcomes: every one carries a catalogue problem, and its words never double a stop."""

from __future__ import annotations

import pytest

from drivers.problem import Problem
from kiosk import outcomes
from kiosk.messages import CATALOGUE, text_for
from kiosk.outcomes import IssueStatus
from kiosk.platform.gateway import Rejection

TOO_LONG = Rejection("BUYER_NAME_TOO_LONG", "购买方名称超过 100 字节。", "The buyer name is too long.",
                     "buyer.name")


def test_a_rejection_ending_in_a_full_stop_is_not_doubled() -> None:
    out = outcomes.rejected("RQ1", [TOO_LONG])
    assert out.status is IssueStatus.REJECTED
    assert out.message_zh == "未能开具发票：购买方名称超过 100 字节。请修改后重试，或联系工作人员。"
    assert out.message_en == ("No invoice was issued: The buyer name is too long. "
                              "Correct it and try again, or ask staff.")
    assert out.problem == Problem.of("issuing.rejected", rule="BUYER_NAME_TOO_LONG",
                                     reason_zh="购买方名称超过 100 字节",
                                     reason_en="The buyer name is too long")
    assert out.errors == (TOO_LONG,)


def test_a_rejection_without_a_stop_gets_one() -> None:
    out = outcomes.rejected("RQ1", [Rejection("X", "名称过长", "")])
    assert out.message_zh == "未能开具发票：名称过长。请修改后重试，或联系工作人员。"
    assert out.message_en == ("No invoice was issued: the issuing platform refused this invoice. "
                              "Correct it and try again, or ask staff.")


@pytest.mark.parametrize("build", [
    lambda: outcomes.queued("RQ1"), lambda: outcomes.unknown("RQ1"),
    lambda: outcomes.blocked("RQ1", "RQ0"), lambda: outcomes.rejected("RQ1", []),
    lambda: outcomes.order_taken("RQ1", TOO_LONG),
])
def test_every_outcome_has_a_catalogued_problem_and_clean_words(build) -> None:  # type: ignore[no-untyped-def]
    out = build()
    assert out.problem is not None and out.problem.code in CATALOGUE
    for text in (out.message_zh, out.message_en):
        assert text and "。。" not in text and ".." not in text


def test_the_words_of_a_single_sentence_outcome_are_its_problems() -> None:
    out = outcomes.queued("RQ1")
    assert out.problem is not None
    words = text_for(out.problem)
    assert out.message_zh == words.zh + "。" and out.message_en == words.en + "."
