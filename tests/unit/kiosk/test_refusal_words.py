"""Every refusal code the platform can send reaches a person as words, never as the
bare code (a walk through the kiosk found "未能开具发票（QUOTA_EXCEEDED）" on the
rejected screen in both languages)."""

from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from unittest.mock import patch

import pytest

from kiosk import outcomes
from kiosk.flow.states import Screen
from kiosk.messages import CATALOGUE
from kiosk.platform import gateway
from kiosk.platform.gateway import PlatformError, Rejection
from tests.helpers.app import kiosk_gui
from ui.screenshots import prepare_screen
from ui.widgets.keyboard import QT_LOG_IGNORE

PLATFORM = Path(gateway.__file__).parent


def _error_codes() -> set[str]:
    """The default code of every gateway error, and every code the adapters raise."""
    codes = {cls.default_code for cls in vars(gateway).values()
             if isinstance(cls, type) and issubclass(cls, PlatformError)}
    for source in PLATFORM.glob("*.py"):
        text = source.read_text(encoding="utf-8")
        codes |= set(re.findall(r'\bcode="([A-Z][A-Z_]+)"', text))
        codes |= set(re.findall(r'Rejection\(\s*"([A-Z][A-Z_]+)"', text))
    return codes


def test_the_platform_codes_are_found() -> None:
    assert {"QUOTA_EXCEEDED", "PLATFORM_ERROR", "RED_FORM_OPEN", "ORDER_NOS_MISSING"} <= _error_codes()


@pytest.mark.parametrize("code", sorted(_error_codes()))
def test_every_platform_code_has_words(code: str) -> None:
    assert f"refusal.{code}" in CATALOGUE
    # A platform that sends only the code: the person still reads words.
    out = outcomes.rejected("RQ1", [Rejection(code, "", "")])
    for words in (out.message_zh, out.message_en):
        assert code not in words and words.startswith(("未能开具发票：", "No invoice was issued: "))


def test_an_unknown_code_alone_still_gives_words() -> None:
    out = outcomes.rejected("RQ1", [Rejection("E_NEW_RULE", "", "")])
    assert "E_NEW_RULE" not in out.message_zh + out.message_en


@pytest.mark.qt_log_ignore(*QT_LOG_IGNORE)
def test_the_rejected_screen_names_the_quota_in_words(qtbot: Any, tmp_path: Path) -> None:
    gui = kiosk_gui(qtbot, tmp_path / "data", lang="zh_CN")
    try:
        prepare_screen(gui, "rejected")  # the sandbox refuses: quota
        page = gui.window.pages[Screen.REJECTED]
        for lang, words in (("zh_CN", "额度"), ("en", "quota")):
            gui.window.set_language(lang)
            notice = page.notice.text()
            assert page.notice.isVisible() and words in notice, notice
            assert "QUOTA_EXCEEDED" not in notice
            # No new title fixes a quota: "Correct the title" is not offered; staff are.
            assert page.action1.isHidden()
            assert ("staff" if lang == "en" else "工作人员") in page.next.text()
    finally:
        gui.close()


@pytest.mark.parametrize(("errors", "offered"), [
    ([Rejection("QUOTA_EXCEEDED", "")], False),
    ([Rejection("ORDER_ALREADY_INVOICED", "")], False),
    ([Rejection("E_AMOUNT", "", field="lines[2].amount")], False),  # the shop's order
    ([Rejection("E_TAX_ID", "", field="buyer.tax_id")], True),
    ([Rejection("QUOTA_EXCEEDED", ""), Rejection("E_BUYER_NAME", "", field="buyer.name")], True),
    ([Rejection("E_NEW_RULE", "")], True),  # unknown and about nothing named: let them try
    ([], True),
])
def test_correct_the_title_is_offered_only_where_a_title_can_help(
        errors: list[Rejection], offered: bool) -> None:
    from kiosk.flow.views import rejected_view

    out = outcomes.rejected("RQ1", errors)
    core = SimpleNamespace(data=SimpleNamespace(outcome=out))
    with patch("kiosk.flow.views._frame", return_value=None):
        view = rejected_view(core)  # type: ignore[arg-type]
    assert view.correct.visible is offered
    # The words say the same: correct it, or (where no title can help) ask staff.
    assert ("Correct it and try again" in out.message_en) is offered
    assert ("请修改后重试" in out.message_zh) is offered
    assert "ask staff" in out.message_en and "联系工作人员" in out.message_zh
