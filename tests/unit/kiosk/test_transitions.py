"""The flow's transition table: printed in docs/flow.md, complete, and enforced."""

from __future__ import annotations

import logging

import pytest

from kiosk.flow.core import FlowCore, TransitionRefused
from kiosk.flow.states import Screen
from kiosk.flow.transitions import BACK, DOC, RULES, TABLE, Intent, allowed, render_markdown


def test_docs_flow_md_is_the_printed_table() -> None:
    assert DOC.read_text(encoding="utf-8") == render_markdown(), (
        "docs/flow.md is stale: run `python -m kiosk.flow.transitions --write`")


def test_every_intent_has_a_rule_and_every_screen_can_be_reached() -> None:
    assert {rule.intent for rule in RULES} == set(Intent)
    reachable = {target for targets in TABLE.values() for target in targets}
    assert reachable == set(Screen)


def test_back_leads_where_the_table_allows() -> None:
    for source, target in BACK.items():
        intent = Intent.WIPE if target is Screen.ATTRACT else Intent.BACK
        assert allowed(source, intent, target), (source, target)


def test_a_move_the_table_does_not_list_is_refused() -> None:
    core = FlowCore(clock=lambda: 0.0, idle_timeout_s=90, countdown_s=15, strict=True)
    with core.acting(Intent.CONFIRM), pytest.raises(TransitionRefused):
        core.go(Screen.RESULT)  # confirm from ATTRACT: never
    with pytest.raises(TransitionRefused):
        core.go(Screen.ORDERS)  # no intent at all
    assert core.screen is Screen.ATTRACT


def test_outside_tests_a_refused_move_is_logged_and_the_screen_stays(
        caplog: pytest.LogCaptureFixture) -> None:
    core = FlowCore(clock=lambda: 0.0, idle_timeout_s=90, countdown_s=15, strict=False)
    with caplog.at_level(logging.ERROR, "kiosk.session"), core.acting(Intent.CONFIRM):
        assert not core.go(Screen.RESULT)
    assert core.screen is Screen.ATTRACT
    refused = [r for r in caplog.records if getattr(r, "event", "") == "session.refused"]
    assert refused and vars(refused[0])["from"] == "attract" and vars(refused[0])["to"] == "result"


def test_an_allowed_move_is_logged_as_a_transition(caplog: pytest.LogCaptureFixture) -> None:
    core = FlowCore(clock=lambda: 0.0, idle_timeout_s=90, countdown_s=15, strict=True)
    with caplog.at_level(logging.INFO, "kiosk.session"), core.acting(Intent.CODE_SCANNED):
        assert core.go(Screen.ORDERS, source="scanner")
    moved = [vars(r) for r in caplog.records if getattr(r, "event", "") == "session.transition"]
    assert [(m["from"], m["to"], m["source"]) for m in moved] == [("attract", "orders", "scanner")]
