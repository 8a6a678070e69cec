"""The flow's words: every code it says is in the one catalogue, and port errors
become words in one place (a problem first, then the older zh/en messages)."""

from __future__ import annotations

import re
from pathlib import Path

from drivers.problem import Problem, ProblemError
from kiosk.flow.words import say, text_of
from kiosk.messages import CATALOGUE, Text
from kiosk.messages.flow import MESSAGES

FLOW = Path(__file__).resolve().parents[3] / "kiosk" / "flow"


def test_every_code_the_flow_says_is_in_the_catalogue() -> None:
    said = {m for path in FLOW.glob("*.py") if path.name != "transitions.py"  # docs/flow.md
            for m in re.findall(r'"(flow\.[a-z_]+)"', path.read_text(encoding="utf-8"))}
    assert said and said <= set(CATALOGUE)
    assert all(code.startswith("flow.") for code in MESSAGES)


def test_templates_take_their_parameters() -> None:
    text = say("flow.too_many_orders", max=20)
    assert text == Text("一张发票最多合并 20 个订单", "At most 20 orders per invoice")
    long = say("flow.name_too_long", limit=100, chars=50, length=120)
    assert long.zh == "名称最多 100 字节（50 个汉字），现在是 120 字节"
    assert long.en == "The name: at most 100 bytes (50 Chinese characters); this is 120"


class _Old(Exception):
    message_zh = "旧的说法"
    message_en = "the old words"


def test_a_problem_wins_over_the_old_messages_and_a_default_stands_in() -> None:
    err = ProblemError(Problem.of("flow.too_many_orders", max=3))
    assert text_of(err, None) == Text("一张发票最多合并 3 个订单", "At most 3 orders per invoice")
    assert text_of(_Old(), None) == Text("旧的说法", "the old words")
    both = _Old()
    both.problem = Problem.of("flow.no_orders")  # type: ignore[attr-defined]
    assert text_of(both, None) == say("flow.no_orders")
    assert text_of(ValueError("x"), say("flow.bad_line")) == say("flow.bad_line")
    assert text_of(None, None) is None
