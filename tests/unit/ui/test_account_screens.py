"""The account pages in the whole kiosk (pytest-qt): typing and tapping through registration,
phone-code login, forgotten password and members, with the Qt runner and the real sms/ folder."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from kiosk.flow.states import Screen
from kiosk.messaging.folder import latest_sms
from tests.helpers.app import kiosk_gui
from ui.screenshots import DEMO_ADMIN, DEMO_PASSWORD, _demo_enterprise, prepare_screen
from ui.widgets.keyboard import QT_LOG_IGNORE

pytestmark = pytest.mark.qt_log_ignore(*QT_LOG_IGNORE)
WAIT = 20_000


def tap(qtbot: Any, widget: Any) -> None:
    assert widget.isVisible() and widget.isEnabled(), widget.text()
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def sms_code(gui: Any) -> str:
    msg = latest_sms(gui.core.config.data_path / "sms")
    assert msg is not None
    return str(msg["code"])


def notice(gui: Any) -> str:
    page = gui.window.current
    return page.notice.text() if page.notice.isVisible() else ""


@pytest.fixture()
def gui(qtbot: Any, tmp_path: Path) -> Any:
    g = kiosk_gui(qtbot, tmp_path / "data", lang="en")
    yield g
    g.close()


def test_enterprise_registers_by_touch(qtbot: Any, gui: Any) -> None:
    s = gui.core.session
    prepare_screen(gui, "login")
    tap(qtbot, gui.window.current.register)
    qtbot.waitUntil(lambda: s.screen is Screen.REGISTER, timeout=WAIT)
    page = gui.window.current
    tap(qtbot, page.enterprise)
    assert page.edits["tax_id"].isVisible() and page.edits["contact"].isVisible()
    for key, text in (("username", "acme"), ("password", DEMO_PASSWORD),
                      ("repeat", DEMO_PASSWORD), ("name", "示例科技有限公司"),
                      ("tax_id", "91350200776049653A"), ("contact", "王五"),
                      ("phone", "13800000001")):
        page.edits[key].setText(text)
    tap(qtbot, page.primary)
    qtbot.waitUntil(lambda: page.stage.isVisible(), timeout=WAIT)
    assert "138****0001" in page.stage.sent.text() and "13800000001" not in notice(gui)
    assert page.edits["password"].text() == ""  # not kept in the widget
    page.stage.code.setText(sms_code(gui))
    tap(qtbot, page.primary)
    qtbot.waitUntil(lambda: s.screen is Screen.ORDERS, timeout=WAIT)
    assert s.data.identity is not None and s.data.identity.account.username == "acme"  # type: ignore[union-attr]


def test_weak_password_is_refused_on_screen(qtbot: Any, gui: Any) -> None:
    s = gui.core.session
    prepare_screen(gui, "register")
    page = gui.window.current
    for key, text in (("username", "li"), ("password", "password123"),
                      ("repeat", "password123"), ("name", "李四"), ("phone", "13800000003")):
        page.edits[key].setText(text)
    tap(qtbot, page.primary)
    qtbot.waitUntil(lambda: "too easy to guess" in notice(gui), timeout=WAIT)
    assert s.screen is Screen.REGISTER and page.form.isVisible()


def test_phone_code_login_and_wrong_code(qtbot: Any, gui: Any) -> None:
    _demo_enterprise(gui)
    s = gui.core.session
    prepare_screen(gui, "code_login")
    page = gui.window.current
    page.phone.setText("13800000002")
    tap(qtbot, page.primary)  # "Send code" at the form stage
    qtbot.waitUntil(lambda: page.stage.isVisible(), timeout=WAIT)
    code = sms_code(gui)
    page.stage.code.setText("000000" if code != "000000" else "111111")
    tap(qtbot, page.primary)
    qtbot.waitUntil(lambda: "Wrong code" in notice(gui), timeout=WAIT)
    page.stage.code.setText(code)
    tap(qtbot, page.primary)
    qtbot.waitUntil(lambda: s.screen is Screen.ORDERS, timeout=WAIT)
    orders = gui.window.current
    assert orders.members.isVisible()  # wang is the enterprise's administrator


def test_admin_adds_member_by_touch_and_simulator_shows_the_sms(qtbot: Any, gui: Any,
                                                                 tmp_path: Path) -> None:
    from ui.sms_view import LatestSms

    _demo_enterprise(gui)
    gui.core.core_services.accounts.create_account("solo", DEMO_PASSWORD, "person",
                                                   name="孙七", phone="13800000005")
    box = LatestSms(gui.core.config.data_path / "sms")
    qtbot.addWidget(box)
    s = gui.core.session
    prepare_screen(gui, "members")
    page = gui.window.current
    shown = [lab.text() for lab in page.rows]
    assert DEMO_ADMIN in shown and "sun" in shown  # the screenshots' pending invitation too
    page.member.setText("solo")
    tap(qtbot, page.role_buttons["issuer"])
    tap(qtbot, page.primary)
    qtbot.waitUntil(lambda: page.stage.isVisible(), timeout=WAIT)
    box.refresh()
    assert sms_code(gui) in box.text.text() and "138****0005" in box.text.text()
    page.stage.code.setText(sms_code(gui))
    tap(qtbot, page.primary)
    qtbot.waitUntil(lambda: "joined the enterprise as issuer" in notice(gui), timeout=WAIT)
    assert "solo" in [lab.text() for lab in page.rows] and s.screen is Screen.MEMBERS


def test_viewer_is_refused_at_issue_on_screen(qtbot: Any, gui: Any) -> None:
    _demo_enterprise(gui)
    s = gui.core.session
    s.identify.begin("login")
    s.identify.accept_terms()
    s.identify.login("zhao", DEMO_PASSWORD)
    from ui.screenshots import _scan_demo

    _scan_demo(gui, 0)
    s.orders.next()
    s.buyer.next()
    qtbot.waitUntil(lambda: s.screen is Screen.REVIEW, timeout=WAIT)
    tap(qtbot, gui.window.current.primary)
    qtbot.waitUntil(lambda: "viewer" in notice(gui), timeout=WAIT)
    assert s.screen is Screen.REVIEW and gui.core.core_services.issuing.pending() == []


@pytest.mark.parametrize("name", ["register", "code_login", "forgot_password", "members"])
@pytest.mark.parametrize(("lang", "large"), [("zh_CN", False), ("en", True)])
def test_account_screens_fit_in_both_languages_and_large_text(qtbot: Any, tmp_path: Path,
                                                              name: str, lang: str,
                                                              large: bool) -> None:
    from tests.unit.ui.test_screens import check_page

    g = kiosk_gui(qtbot, tmp_path / "data", lang=lang, large_text=large)
    try:
        prepare_screen(g, name)
        check_page(g, Screen(name))
    finally:
        g.close()


def test_admin_changes_role_removes_and_manages_invitations_by_touch(qtbot: Any, gui: Any) -> None:
    from tests.helpers.fit import clipped
    from tests.unit.ui.test_screens_fit import KIOSK, MODES, WINDOWED, _show

    _demo_enterprise(gui)
    accounts = gui.core.core_services.accounts
    accounts.create_account("solo", DEMO_PASSWORD, "person", name="孙七", phone="13800000005")
    s = gui.core.session
    prepare_screen(gui, "members")
    page = gui.window.current
    # A pending invitation is shown as pending, with resend and cancel.
    page.member.setText("solo")
    tap(qtbot, page.primary)
    qtbot.waitUntil(lambda: page.stage.isVisible(), timeout=WAIT)
    tap(qtbot, page.stage.change)  # leave the code stage: the invitation stays pending
    qtbot.waitUntil(lambda: "solo" in page.row_buttons, timeout=WAIT)
    resend, cancel = page.row_buttons["solo"]
    texts = [lab.text() for lab in page.rows]
    assert "invited, waiting for the code" in texts[texts.index("solo") + 2]
    assert (resend.text(), cancel.text()) == ("Resend the code", "Cancel the invitation")
    # The rows and the question fit in both languages, standard and large text.
    tap(qtbot, page.row_buttons["zhao"][1])
    assert page.question.isVisible() and "zhao" in page.ask.text()
    for lang, large in MODES:
        for size in (KIOSK, WINDOWED):
            _show(gui, lang, large, size)
            assert clipped(page) == [], (lang, large, size, clipped(page))
    _show(gui, "en", False, WINDOWED)
    tap(qtbot, page.keep)  # "keep as it is": nothing changed
    assert not page.question.isVisible() and accounts.membership("zhao") is not None
    # Cancel the invitation: asked, then done in the core.
    tap(qtbot, page.row_buttons["solo"][1])
    assert "Cancel the invitation of solo?" in page.ask.text()
    tap(qtbot, page.yes)
    qtbot.waitUntil(lambda: "invitation of solo is cancelled" in notice(gui), timeout=WAIT)
    assert "solo" not in page.row_buttons and accounts.membership("solo") is None
    # Change zhao's role: the question offers the roles; the current one is greyed.
    tap(qtbot, page.row_buttons["zhao"][0])
    assert not page.pick_role["viewer"].isEnabled()
    tap(qtbot, page.pick_role["issuer"])
    qtbot.waitUntil(lambda: "zhao is now issuer" in notice(gui), timeout=WAIT)
    assert accounts.membership("zhao").role.value == "issuer"
    # The last administrator: the core refuses, the words are on screen.
    tap(qtbot, page.row_buttons[DEMO_ADMIN][1])
    tap(qtbot, page.yes)
    qtbot.waitUntil(lambda: "last administrator" in notice(gui), timeout=WAIT)
    assert accounts.membership(DEMO_ADMIN).role.value == "admin"
    # Remove zhao.
    tap(qtbot, page.row_buttons["zhao"][1])
    tap(qtbot, page.yes)
    qtbot.waitUntil(lambda: "zhao was removed" in notice(gui), timeout=WAIT)
    # Left: the administrator and the screenshots' own pending invitation (sun).
    assert set(page.row_buttons) == {DEMO_ADMIN, "sun"} and s.screen is Screen.MEMBERS
