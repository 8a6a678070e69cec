"""Typing on the kiosk's screens with the docked keyboard (issue 11, defects 2, 3, 10).

- Every text field of every screen, focused with the keyboard open, lies fully above
  the keyboard and inside the page's visible area (the page scrolls it into view).
- Every text field declares what it holds, and gets the matching keyboard: user names,
  passwords, e-mail and codes type Latin letters as tapped, without pinyin or capitals
  (``demo`` stays ``demo`` in the Chinese UI); numbers, phones and accounts get number
  layouts; names and addresses keep pinyin.
- After the hide key, tapping the still-focused field brings the keyboard back.
- A wipe restores every widget for the next person: no keyboard up, the configured
  keyboard language, "More" folded, no field focused.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QWidget
from pytestqt.exceptions import TimeoutError

from kiosk.flow.states import Screen
from kiosk.model import Medium
from tests.helpers.app import kiosk_gui
from tests.helpers.sight import banner_problems, in_sight
from ui.screenshots import prepare_screen
from ui.widgets.keyboard import QT_LOG_IGNORE, is_text_field
from ui.widgets.text_input import InputKind, input_kind

pytestmark = pytest.mark.qt_log_ignore(*QT_LOG_IGNORE)

# The screens that hold text fields typed on the docked keyboard; the first ones show
# at least one with demo data (the failure screens show their e-mail field when useful).
SHOWING_FIELDS = ("login", "catalogue", "buyer", "options", "result", "already_invoiced",
                  "printer_problem", "centre", "centre_invoice", "change", "register",
                  "code_login", "forgot_password", "members")
FIELD_SCREENS = (*SHOWING_FIELDS, "platform_queued", "result_unknown", "bad_qr", "rejected",
                 "camera_unavailable", "change_status")


@pytest.fixture
def gui(qtbot: Any, tmp_path: Path) -> Iterator[Any]:
    g = kiosk_gui(qtbot, tmp_path / "data", keyboard=True)
    qtbot.waitExposed(g.window)
    yield g
    g.close()


def keyboard_fields(page: QWidget) -> list[QLineEdit]:
    """The page's fields the docked keyboard serves (a keypad serves the others)."""
    return [e for e in page.findChildren(QLineEdit) if is_text_field(e)
            and e.property("kioskKeyboard") is not False]


def open_everything(gui: Any, name: str) -> None:
    """Show the fields a person can open on the screen (folded sections, postal address,
    an enterprise's registration)."""
    s = gui.core.session
    page = gui.window.pages[Screen(name)]
    if name == "buyer":
        page.more.setChecked(True)
    if name == "options":
        s.buyer.set_medium(Medium.PAPER)
        s.buyer.set_paper_delivery(True)
    if name == "register":
        page.enterprise.click()


def check_field_in_sight(qtbot: Any, gui: Any, field: QLineEdit) -> str:
    keyboard = gui.window.keyboard
    field.setFocus()
    try:
        qtbot.waitUntil(lambda: field.hasFocus() and in_sight(field, keyboard) == "",
                        timeout=10000)
    except TimeoutError:
        return f"{field.placeholderText() or field.objectName() or input_kind(field)}: " \
               f"{in_sight(field, keyboard)}"
    return ""


def test_every_keyboard_field_is_on_a_listed_screen_and_declares_its_kind(gui: Any) -> None:
    for screen, page in gui.window.pages.items():
        fields = keyboard_fields(page)
        if fields:
            assert screen.value in FIELD_SCREENS, f"{screen.value} has fields: add it above"
        for edit in page.findChildren(QLineEdit):
            assert input_kind(edit) is not None, f"{screen.value}: a field without a kind"


@pytest.mark.parametrize("name", FIELD_SCREENS)
def test_focused_field_is_in_sight_above_the_keyboard(qtbot: Any, gui: Any, name: str) -> None:
    prepare_screen(gui, name)
    open_everything(gui, name)
    page = gui.window.pages[Screen(name)]
    qtbot.waitUntil(lambda: gui.window.stack.currentWidget() is page)
    fields = [f for f in keyboard_fields(page) if f.isVisible()]
    assert fields or name not in SHOWING_FIELDS, f"{name}: no field to type into"
    problems = [p for p in (check_field_in_sight(qtbot, gui, f) for f in fields) if p]
    assert not problems, f"{name}: " + "; ".join(problems)


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_fields_in_sight_in_large_text(qtbot: Any, tmp_path: Path, lang: str) -> None:
    g = kiosk_gui(qtbot, tmp_path / "data", keyboard=True, lang=lang, large_text=True)
    try:
        problems = []
        for name in ("login", "buyer", "result", "register"):
            g.core.session.finish() if g.core.session.screen is not Screen.ATTRACT else None
            qtbot.waitUntil(lambda: g.core.session.screen is Screen.ATTRACT)
            prepare_screen(g, name)
            open_everything(g, name)
            page = g.window.pages[Screen(name)]
            for f in [f for f in keyboard_fields(page) if f.isVisible()]:
                problem = check_field_in_sight(qtbot, g, f)
                if problem:
                    problems.append(f"{name}: {problem}")
        assert not problems, "; ".join(problems)
    finally:
        g.close()


def test_header_is_slim_while_typing(qtbot: Any, gui: Any) -> None:
    """At 1280x800 the keyboard takes half the window: the header gives up its buttons
    (help, support, large text, language) while it is up and gets them back after."""
    prepare_screen(gui, "login")
    page = gui.window.pages[Screen.LOGIN]
    kb, header = gui.window.keyboard, page.header
    full = header.height()
    viewport = page.scroll_area.viewport()
    type_into(qtbot, gui, page.user, "")
    qtbot.waitUntil(lambda: header.height() <= full // 2, timeout=10000)
    assert not header.language.isVisible() and not header.help.isVisible()
    assert header.title.isVisible()
    qtbot.waitUntil(lambda: viewport.height() >= 250, timeout=10000)  # about 190 before
    kb.press_hide_key()
    qtbot.waitUntil(lambda: not kb.isVisible() and header.height() == full, timeout=10000)
    assert header.language.isVisible() and header.help.isVisible()


@pytest.mark.parametrize(("lang", "large"), [("zh_CN", False), ("zh_CN", True), ("en", False),
                                           ("en", True)])
def test_login_error_banner_is_clear_of_the_fields_above_the_keyboard(
        qtbot: Any, tmp_path: Path, lang: str, large: bool) -> None:
    """Defect 8: a wrong password typed on the keyboard; the error banner shows above the
    keyboard, covers no field or button, and the field typed into stays in sight."""
    g = kiosk_gui(qtbot, tmp_path / "data", keyboard=True, lang=lang, large_text=large)
    try:
        prepare_screen(g, "login")
        page = g.window.pages[Screen.LOGIN]
        kb = g.window.keyboard
        type_into(qtbot, g, page.user, "demo")
        qtbot.waitUntil(lambda: page.user.text() == "demo", timeout=10000)
        type_into(qtbot, g, page.password, "wrong")
        qtbot.waitUntil(lambda: page.password.text() == "wrong", timeout=10000)
        page.password.returnPressed.emit()  # the keyboard's Enter key
        qtbot.waitUntil(page.notice.isVisible, timeout=10000)
        assert g.core.session.screen is Screen.LOGIN and kb.isVisible()
        for _ in range(3):  # the banner's layout request, then the scroll area's update
            QCoreApplication.processEvents()
        problems = banner_problems(page, page.notice, page.header, kb)
        problems += [p for p in [check_field_in_sight(qtbot, g, page.password)] if p]
        g.window.grab().save(str(tmp_path / "login-error.png"))
        assert not problems, "; ".join(problems)
    finally:
        g.close()


def test_code_sent_banner_is_good_news_clear_of_the_code_field(qtbot: Any, gui: Any) -> None:
    """Registering: "a code was sent" shows in the good-news style, above the keyboard,
    clear of the code field being typed into."""
    prepare_screen(gui, "register")
    page = gui.window.pages[Screen.REGISTER]
    for key, text in (("username", "anna"), ("password", "violet-harbour-7-lantern"),
                      ("repeat", "violet-harbour-7-lantern"), ("name", "安娜"),
                      ("phone", "13800000009")):
        page.edits[key].setText(text)
    qtbot.mouseClick(page.primary, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.stage.isVisible() and page.notice.isVisible(), timeout=10000)
    assert page.notice.property("tone") == "ok", page.notice.text()
    type_into(qtbot, gui, page.stage.code, "")
    problem = check_field_in_sight(qtbot, gui, page.stage.code)
    problems = banner_problems(page, page.notice, page.header, gui.window.keyboard)
    assert not problem and not problems, [problem, *problems]


# --- input kinds --------------------------------------------------------------------

KINDS = {
    ("login", "user"): InputKind.USERNAME, ("login", "password"): InputKind.PASSWORD,
    ("result", "email"): InputKind.EMAIL, ("platform_queued", "email"): InputKind.EMAIL,
    ("catalogue", "quantity"): InputKind.NUMBER, ("catalogue", "price"): InputKind.NUMBER,
    ("catalogue", "search"): InputKind.TEXT, ("buyer", "name"): InputKind.TEXT,
    ("buyer", "tax_id"): InputKind.CODE, ("orders", "order_no"): InputKind.CODE,
    ("options", "address"): InputKind.TEXT,
    # Issue 12's screens: accounts, the personal centre, changes, members.
    ("code_login", "phone"): InputKind.PHONE, ("forgot_password", "user"): InputKind.USERNAME,
    ("forgot_password", "password"): InputKind.PASSWORD,
    ("forgot_password", "repeat"): InputKind.PASSWORD,
    ("members", "member"): InputKind.USERNAME, ("centre", "query"): InputKind.CODE,
    ("centre_invoice", "email"): InputKind.EMAIL,
    ("change", "name"): InputKind.TEXT, ("change", "tax_id"): InputKind.CODE,
}
REGISTER = {"username": InputKind.USERNAME, "password": InputKind.PASSWORD,
            "repeat": InputKind.PASSWORD, "name": InputKind.TEXT, "tax_id": InputKind.CODE,
            "contact": InputKind.TEXT, "phone": InputKind.PHONE, "email": InputKind.EMAIL}


def test_each_field_has_the_right_kind(gui: Any) -> None:
    for (screen, attr), kind in KINDS.items():
        edit = getattr(gui.window.pages[Screen(screen)], attr)
        assert input_kind(edit) is kind, (screen, attr)
    buyer = gui.window.pages[Screen.BUYER]
    assert input_kind(buyer.edits["phone"]) is InputKind.PHONE
    assert input_kind(buyer.edits["email"]) is InputKind.EMAIL
    assert input_kind(buyer.edits["account"]) is InputKind.DIGITS
    assert input_kind(buyer.edits["address"]) is InputKind.TEXT
    for amount in gui.window.pages[Screen.CHANGE].line_amounts:  # an allowance per line
        assert input_kind(amount) is InputKind.NUMBER
    register = gui.window.pages[Screen.REGISTER]
    assert {k: input_kind(e) for k, e in register.edits.items()} == REGISTER
    for screen in (Screen.REGISTER, Screen.CODE_LOGIN, Screen.FORGOT_PASSWORD, Screen.MEMBERS):
        code = gui.window.pages[screen].stage.code  # the 6-digit code from the message
        assert input_kind(code) is InputKind.DIGITS, screen
    for screen, page in gui.window.pages.items():  # every password is hidden
        for edit in page.findChildren(QLineEdit):
            if input_kind(edit) is InputKind.PASSWORD:
                assert edit.echoMode() is QLineEdit.EchoMode.Password, screen
    password = gui.window.pages[Screen.LOGIN].password
    assert password.echoMode() is QLineEdit.EchoMode.Password
    hints = password.inputMethodHints()
    for hint in (Qt.InputMethodHint.ImhLatinOnly, Qt.InputMethodHint.ImhNoAutoUppercase,
                 Qt.InputMethodHint.ImhNoPredictiveText, Qt.InputMethodHint.ImhHiddenText):
        assert hints & hint, hint


def type_into(qtbot: Any, gui: Any, edit: QLineEdit, keys: str) -> None:
    kb = gui.window.keyboard
    edit.setFocus()
    qtbot.waitUntil(lambda: edit.hasFocus() and kb.isVisible(), timeout=10000)
    kb.type_text(keys)


def test_user_name_takes_latin_as_typed_in_the_chinese_ui(qtbot: Any, gui: Any) -> None:
    prepare_screen(gui, "login")
    page = gui.window.pages[Screen.LOGIN]
    kb = gui.window.keyboard
    qtbot.waitUntil(lambda: kb.keyboard_locale() == "zh_CN")
    type_into(qtbot, gui, page.user, "demo")
    qtbot.waitUntil(lambda: page.user.text() == "demo", timeout=10000)  # not 的莫, not Demo
    assert kb.candidates() == [] and kb.preedit_text() == ""
    type_into(qtbot, gui, page.password, "demo1234")
    qtbot.waitUntil(lambda: page.password.text() == "demo1234", timeout=10000)
    assert page.user.text() == "demo"  # nothing went into the user name


def test_account_fields_take_latin_as_typed_in_the_chinese_ui(qtbot: Any, gui: Any) -> None:
    """Registering: the user name and e-mail as tapped (no pinyin), the name in pinyin."""
    prepare_screen(gui, "register")
    page = gui.window.pages[Screen.REGISTER]
    kb = gui.window.keyboard
    qtbot.waitUntil(lambda: kb.keyboard_locale() == "zh_CN")
    for key, keys in (("username", "anna"), ("email", "ann")):
        type_into(qtbot, gui, page.edits[key], keys)
        qtbot.waitUntil(lambda k=key, t=keys: page.edits[k].text() == t, timeout=10000)
        assert kb.candidates() == [] and kb.preedit_text() == ""
    type_into(qtbot, gui, page.edits["name"], "zhongguo")
    qtbot.waitUntil(lambda: "中国" in kb.candidates(), timeout=10000)


def test_email_is_not_capitalised_in_english(qtbot: Any, gui: Any) -> None:
    prepare_screen(gui, "result")
    gui.window.set_language("en")
    page = gui.window.pages[Screen.RESULT]
    page.email.clear()
    type_into(qtbot, gui, page.email, "ann")
    qtbot.waitUntil(lambda: page.email.text() == "ann", timeout=10000)


def test_names_keep_pinyin(qtbot: Any, gui: Any) -> None:
    prepare_screen(gui, "buyer")
    page = gui.window.pages[Screen.BUYER]
    kb = gui.window.keyboard
    page.company.click()
    page.name.clear()
    type_into(qtbot, gui, page.name, "zhongguo")
    qtbot.waitUntil(lambda: "中国" in kb.candidates(), timeout=10000)
    kb.select_candidate(kb.candidates().index("中国"))
    qtbot.waitUntil(lambda: page.name.text() == "中国", timeout=10000)


def test_quantity_gets_the_number_layout(qtbot: Any, gui: Any) -> None:
    prepare_screen(gui, "catalogue")
    page = gui.window.pages[Screen.CATALOGUE]
    kb = gui.window.keyboard
    type_into(qtbot, gui, page.quantity, "")
    qtbot.waitUntil(lambda: kb.key_position("5") is not None, timeout=10000)
    assert kb.key_position("q") is None  # no letter keys
    type_into(qtbot, gui, page.search, "")
    qtbot.waitUntil(lambda: kb.key_position("q") is not None, timeout=10000)


def test_hidden_keyboard_comes_back_on_tapping_the_focused_field(qtbot: Any, gui: Any) -> None:
    prepare_screen(gui, "login")
    page = gui.window.pages[Screen.LOGIN]
    kb = gui.window.keyboard
    qtbot.mouseClick(page.user, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.user.hasFocus() and kb.isVisible(), timeout=10000)
    qtbot.waitUntil(lambda: kb.key_position("hide") is not None, timeout=10000)
    kb.press_hide_key()
    qtbot.waitUntil(lambda: not kb.isVisible(), timeout=10000)
    assert page.user.hasFocus()
    qtbot.mouseClick(page.user, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(kb.isVisible, timeout=10000)


# --- the wipe -------------------------------------------------------------------------


def test_wipe_restores_every_widget_for_the_next_person(qtbot: Any, gui: Any) -> None:
    s, win = gui.core.session, gui.window
    kb = win.keyboard
    prepare_screen(gui, "buyer")
    page = win.pages[Screen.BUYER]
    page.more.setChecked(True)
    email = page.edits["email"]
    type_into(qtbot, gui, page.name, "")
    kb.set_locale("en_GB")  # the person pressed the keyboard's own language key
    qtbot.waitUntil(lambda: kb.keyboard_locale() == "en_GB")
    email.setFocus()
    qtbot.waitUntil(lambda: kb.isVisible() and email.hasFocus())
    s.wipe("idle")  # the idle timeout
    qtbot.waitUntil(lambda: s.screen is Screen.ATTRACT and win.stack.currentWidget()
                    is win.pages[Screen.ATTRACT], timeout=10000)
    qtbot.waitUntil(lambda: not kb.isVisible(), timeout=10000)
    qtbot.waitUntil(lambda: kb.keyboard_locale() == "zh_CN", timeout=10000)
    assert not page.more.isChecked() and not page.extra.isVisibleTo(page)
    focused = QApplication.focusWidget()
    assert focused is None or not is_text_field(focused)
    assert page.scroll_area.verticalScrollBar().value() == 0
