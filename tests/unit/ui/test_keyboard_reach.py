"""What a finger can reach while the docked keyboard is up.

- 获取验证码 (send code) on the code-login and forgot-password pages: it was a button in
  the page body, under the field, so it sat behind the keyboard while the person typed
  the phone number or user name. It must be in sight above the keyboard.
- After the keyboard's hide key, tapping the still-focused field brings the keyboard
  back, on every screen with fields.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, QPoint, QRect, QSize, Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QLineEdit, QPushButton, QWidget
from pytestqt.exceptions import TimeoutError

from kiosk.flow.states import Screen
from kiosk.model import Medium
from tests.helpers.app import kiosk_gui
from tests.helpers.sight import in_sight
from ui.screenshots import DEMO_ADMIN, _demo_enterprise, prepare_screen
from ui.widgets.keyboard import QT_LOG_IGNORE, is_text_field
from ui.widgets.text_input import InputKind, input_kind

pytestmark = pytest.mark.qt_log_ignore(*QT_LOG_IGNORE)

WAIT = 10000


@pytest.fixture
def gui(qtbot: Any, tmp_path: Path) -> Iterator[Any]:
    g = kiosk_gui(qtbot, tmp_path / "data", keyboard=True)
    qtbot.waitExposed(g.window)
    g.window.activateWindow()
    yield g
    g.close()


def send_code_buttons(page: QWidget) -> list[QPushButton]:
    """The page's visible buttons saying "send code", in the language on show."""
    text = QCoreApplication.translate(type(page).__name__, "Send code")
    return [b for b in page.findChildren(QPushButton) if b.isVisible() and b.text() == text]


@pytest.mark.parametrize(("name", "field", "wrong", "typed"), [
    ("code_login", "phone", "1380000000", "13800000002"),
    ("forgot_password", "user", "nobody", DEMO_ADMIN)])
@pytest.mark.parametrize(("lang", "large"), [("zh_CN", False), ("en", True)])
def test_send_code_is_in_sight_above_the_keyboard(qtbot: Any, tmp_path: Path, name: str,
                                                  field: str, wrong: str, typed: str, lang: str,
                                                  large: bool) -> None:
    g = kiosk_gui(qtbot, tmp_path / "data", keyboard=True, lang=lang, large_text=large)
    try:
        qtbot.waitExposed(g.window)
        _demo_enterprise(g)  # wang, with the mobile 13800000002
        prepare_screen(g, name)
        page = g.window.pages[Screen(name)]
        kb = g.window.keyboard
        edit: QLineEdit = getattr(page, field)
        qtbot.waitUntil(lambda: g.window.stack.currentWidget() is page, timeout=WAIT)
        qtbot.mouseClick(edit, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: edit.hasFocus() and in_sight(edit, kb) == "", timeout=WAIT)
        buttons = send_code_buttons(page)
        assert len(buttons) == 1, [b.text() for b in buttons]
        send = buttons[0]
        qtbot.waitUntil(lambda: in_sight(send, kb) == "", timeout=WAIT)
        # A mistyped number or name first: the error banner takes room above the footer.
        edit.setText(wrong)
        qtbot.mouseClick(send, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(page.notice.isVisible, timeout=WAIT)
        qtbot.mouseClick(edit, Qt.MouseButton.LeftButton)  # to put it right
        qtbot.waitUntil(lambda: edit.hasFocus() and kb.isVisible(), timeout=WAIT)
        edit.setText(typed)
        qtbot.waitUntil(lambda: in_sight(edit, kb) == "" and in_sight(send, kb) == "",
                        timeout=WAIT)
        assert send.isEnabled() and send_code_buttons(page) == [send]
        qtbot.mouseClick(send, Qt.MouseButton.LeftButton)  # the code goes out
        qtbot.waitUntil(lambda: page.stage.isVisible(), timeout=WAIT)
        assert send_code_buttons(page) == []  # the code stage has its own action
    finally:
        g.close()


def settled(kb: Any) -> bool:
    """The keyboard has the height its keys need, the view and its scene follow it."""
    root = kb.view().rootObject()
    return root is not None and 0 < kb.height() == int(root.property("panelHeight")) \
        == kb.view().height() == round(root.height())


def keyboard_rect(gui: Any) -> QRect:
    kb = gui.window.keyboard
    return QRect(kb.mapTo(gui.window, QPoint(0, 0)), kb.size())


@pytest.mark.parametrize(("name", "field", "keys"), [
    ("buyer", "name", "zhong"),  # pinyin: the candidate bar
    ("register", "name", "zhong"),
    ("buyer", "name", "12"),  # digits in the Chinese mode bring the bar too
])
@pytest.mark.parametrize(("lang", "large"), [("zh_CN", False), ("zh_CN", True)])
def test_candidate_bar_keeps_the_keyboard_whole_and_still(qtbot: Any, tmp_path: Path, name: str,
                                                          field: str, keys: str, lang: str,
                                                          large: bool) -> None:
    """The word-candidate bar coming up must not push the keyboard's bottom row out of the
    window (it was cut ~45 px), nor move the keys or the page under a finger (the page
    jumped ~40 px: a tap aimed at a key hit another button)."""
    g = kiosk_gui(qtbot, tmp_path / "data", keyboard=True, lang=lang, large_text=large)
    try:
        qtbot.waitExposed(g.window)
        prepare_screen(g, name)
        page = g.window.pages[Screen(name)]
        if name == "buyer":
            page.company.click()
        kb = g.window.keyboard
        edit: QLineEdit = getattr(page, field) if name != "register" else page.edits[field]
        edit.clear()
        qtbot.mouseClick(edit, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: edit.hasFocus() and in_sight(edit, kb) == "", timeout=WAIT)
        window = g.window.rect()
        qtbot.waitUntil(lambda: kb.key_position("q") is not None and settled(kb)
                        and window.contains(keyboard_rect(g)) and in_sight(edit, kb) == "",
                        timeout=WAIT)
        # The header compacts with the keyboard and the page is laid out again after it:
        # let that pass run before the "before" positions are read, as after typing below
        # (on a loaded machine the field was read at 186 px and then moved to 142 by it).
        qtbot.waitUntil(lambda: not page.header.help.isVisible(), timeout=WAIT)
        for _ in range(10):
            QCoreApplication.processEvents()
        qtbot.waitUntil(lambda: settled(kb) and in_sight(edit, kb) == "", timeout=WAIT)
        before, field_before = keyboard_rect(g), edit.mapTo(g.window, QPoint(0, 0))
        key_before = kb.view().mapTo(g.window, kb.key_position("q"))
        kb.type_text(keys)
        qtbot.waitUntil(lambda: (bool(kb.candidates()) or keys.isdigit())
                        and kb.candidate_bar_shown(), timeout=WAIT)
        for _ in range(10):  # the queued resize, the layout
            QCoreApplication.processEvents()
        qtbot.waitUntil(lambda: settled(kb), timeout=WAIT)
        assert window.contains(keyboard_rect(g)), (keyboard_rect(g), window)
        assert 0 < kb.keys_bottom() <= kb.view().height() + 0.5, "the bottom key row is cut"
        assert keyboard_rect(g) == before, "the keyboard grew or moved with the candidate bar"
        key_now = kb.view().mapTo(g.window, kb.key_position("q"))
        assert key_now == key_before, "the keys moved when the candidate bar came"
        assert edit.mapTo(g.window, QPoint(0, 0)) == field_before, "the page jumped"
    finally:
        g.close()


# The screens with fields typed on the docked keyboard, as prepare_screen fills them.
FIELD_SCREENS = ("login", "buyer", "options", "result", "already_invoiced",
                 "printer_problem", "centre", "centre_invoice", "change", "register",
                 "code_login", "forgot_password", "members", "catalogue")


def layout_ready(kb: Any, edit: QLineEdit) -> bool:
    """The field's own layout is up (not the last field's, still being swapped) and laid
    out: from the search field to the quantity on the catalogue, the number layout's keys
    exist before their places are known (the hide key was first reported at x 1331, off
    the 1280 px view, and the tap there hit nothing), as a finger never sees them."""
    digits = input_kind(edit) in (InputKind.NUMBER, InputKind.DIGITS, InputKind.PHONE)
    hide = kb.key_position("hide")
    other = kb.key_position("5" if digits else "q")
    return hide is not None and other is not None and settled(kb) \
        and kb.view().rect().contains(hide) and kb.view().rect().contains(other)


@pytest.mark.parametrize("name", FIELD_SCREENS)
def test_tapping_the_focused_field_after_the_hide_key_brings_the_keyboard_back(
        qtbot: Any, gui: Any, name: str) -> None:
    prepare_screen(gui, name)
    page = gui.window.pages[Screen(name)]
    kb = gui.window.keyboard
    if name == "options":  # the postal address shows for paper by post
        gui.core.session.buyer.set_medium(Medium.PAPER)
        gui.core.session.buyer.set_paper_delivery(True)
    qtbot.waitUntil(lambda: gui.window.stack.currentWidget() is page, timeout=WAIT)
    fields = [e for e in page.findChildren(QLineEdit) if is_text_field(e) and e.isVisible()
              and e.property("kioskKeyboard") is not False]
    assert fields, f"{name}: no field"
    problems = []
    for edit in fields:
        qtbot.mouseClick(edit, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda e=edit: e.hasFocus() and kb.isVisible()  # type: ignore[misc]
                        and layout_ready(kb, e), timeout=WAIT)
        kb.press_hide_key()
        try:
            qtbot.waitUntil(lambda: not kb.isVisible(), timeout=WAIT)
        except TimeoutError:
            problems.append(f"{fields.index(edit)} {edit.placeholderText() or input_kind(edit)}: the hide key "
                            "did not hide the keyboard")
            continue
        for _ in range(5):  # the header grows back, the page scrolls
            QCoreApplication.processEvents()
        if not edit.hasFocus():
            problems.append(f"{edit.placeholderText() or edit.objectName()}: lost the focus")
            continue
        qtbot.mouseClick(edit, Qt.MouseButton.LeftButton)
        try:
            qtbot.waitUntil(kb.isVisible, timeout=WAIT)
        except TimeoutError:
            problems.append(f"{edit.placeholderText() or edit.objectName()}: no keyboard")
    assert not problems, f"{name}: " + "; ".join(problems)


def key_cap(kb: Any, key: str) -> QImage:
    """The key's cap as drawn (the middle of the key, as the keyboard-drawn tests grab)."""
    window = kb.window()
    corner = kb.view().mapTo(window, kb.key_position(key) - QPoint(24, 24))
    return window.grab(QRect(corner, QSize(48, 48))).toImage()


def glyph_drawn(cap: QImage) -> bool:
    """More than the cap's own colour: a glyph drawn on it (a blank key is one colour)."""
    counts: Counter[int] = Counter()
    for y in range(cap.height()):
        for x in range(cap.width()):
            counts[cap.pixel(x, y) & 0xF0F0F0] += 1
    total = sum(counts.values())
    return len([c for c in counts.values() if c / total >= 0.02]) >= 2


@pytest.mark.parametrize(("name", "field"), [("login", "user"), ("login", "password"),
                                             ("register", "email")])
def test_latin_fields_have_a_drawn_shift_key_in_the_chinese_ui(qtbot: Any, gui: Any, name: str,
                                                               field: str) -> None:
    """User names, passwords and e-mail in the Chinese UI: the key left of z was the pinyin
    separator, disabled and drawn blank (the pinyin layout has no shift): no capital could
    be typed. A Latin field gets a shift key with its glyph, and shift + a types A."""
    prepare_screen(gui, name)
    page = gui.window.pages[Screen(name)]
    kb = gui.window.keyboard
    edit: QLineEdit = page.edits[field] if name == "register" else getattr(page, field)
    qtbot.mouseClick(edit, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: edit.hasFocus() and kb.isVisible(), timeout=WAIT)
    qtbot.waitUntil(lambda: kb.key_position("shift") is not None, timeout=WAIT)
    qtbot.waitUntil(lambda: glyph_drawn(key_cap(kb, "shift")), timeout=WAIT)
    edit.clear()
    kb.tap_key("shift")
    kb.tap_key("a")
    qtbot.waitUntil(lambda: edit.text() == "A", timeout=WAIT)
    # The next pinyin field gets the pinyin layout back.
    if name == "register":
        name_field = page.edits["name"]
        qtbot.mouseClick(name_field, Qt.MouseButton.LeftButton)
        kb.type_text("zhongguo")
        qtbot.waitUntil(lambda: "中国" in kb.candidates(), timeout=WAIT)
