"""Keypads: clicking keys emits signals and types into an attached QLineEdit."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from ui.widgets.keypad import (
    ALL_LETTERS,
    CREDIT_LETTERS,
    KEY_SIZE,
    AlphanumericKeypad,
    NumericKeypad,
)


def _click(qtbot: QtBot, pad: QWidget, name: str) -> None:
    qtbot.mouseClick(pad.key(name), Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]


def test_numeric_keys_emit_their_digit(qtbot: QtBot) -> None:
    pad = NumericKeypad()
    qtbot.addWidget(pad)
    for digit in "0123456789":
        with qtbot.waitSignal(pad.keyPressed) as blocker:
            _click(qtbot, pad, digit)
        assert blocker.args == [digit]
    with qtbot.waitSignal(pad.backspace):
        _click(qtbot, pad, "backspace")
    with qtbot.waitSignal(pad.cleared):
        _click(qtbot, pad, "clear")
    with qtbot.waitSignal(pad.accepted):
        _click(qtbot, pad, "ok")
    assert "point" not in pad.keys()


def test_numeric_keypad_types_into_attached_field(qtbot: QtBot) -> None:
    pad = NumericKeypad()
    field = QLineEdit()
    qtbot.addWidget(pad)
    qtbot.addWidget(field)
    pad.attach(field)
    for name in "2024":
        _click(qtbot, pad, name)
    assert field.text() == "2024"
    _click(qtbot, pad, "backspace")
    assert field.text() == "202"
    with qtbot.waitSignal(field.returnPressed):
        _click(qtbot, pad, "ok")
    _click(qtbot, pad, "clear")
    assert field.text() == ""


def test_decimal_point_once_and_max_decimals(qtbot: QtBot) -> None:
    pad = NumericKeypad(decimal_point=True, max_decimals=2)
    field = QLineEdit()
    qtbot.addWidget(pad)
    qtbot.addWidget(field)
    pad.attach(field)
    for name in ["1", "point", "5", "point", "0", "7"]:
        _click(qtbot, pad, name)
    assert field.text() == "1.50"


def test_detach_and_reattach(qtbot: QtBot) -> None:
    pad = NumericKeypad()
    first, second = QLineEdit(), QLineEdit()
    for w in (pad, first, second):
        qtbot.addWidget(w)
    pad.attach(first)
    _click(qtbot, pad, "1")
    pad.attach(second)
    _click(qtbot, pad, "2")
    pad.attach(None)
    _click(qtbot, pad, "3")
    assert (first.text(), second.text(), pad.attached()) == ("1", "2", None)


def test_alphanumeric_has_exactly_the_credit_code_alphabet(qtbot: QtBot) -> None:
    pad = AlphanumericKeypad()
    qtbot.addWidget(pad)
    chars = {name for name in pad.keys() if len(name) == 1}
    assert chars == set("0123456789") | set(CREDIT_LETTERS)
    assert not chars & set("IOSVZ")


def test_alphanumeric_types_a_credit_code_and_respects_max_length(qtbot: QtBot) -> None:
    pad = AlphanumericKeypad(max_length=18)
    field = QLineEdit()
    qtbot.addWidget(pad)
    qtbot.addWidget(field)
    pad.attach(field)
    for ch in "91350200776049653A" + "99":
        _click(qtbot, pad, ch)
    assert field.text() == "91350200776049653A"


@pytest.mark.parametrize("cls", [NumericKeypad, AlphanumericKeypad])
def test_keys_are_big_and_never_take_focus(qtbot: QtBot, cls: type[QWidget]) -> None:
    pad = cls()
    field = QLineEdit()
    qtbot.addWidget(pad)
    qtbot.addWidget(field)
    for button in pad.keys().values():  # type: ignore[attr-defined]
        assert button.minimumWidth() >= KEY_SIZE and button.minimumHeight() >= KEY_SIZE
        assert button.focusPolicy() == Qt.FocusPolicy.NoFocus
    assert pad.key("clear").text() and pad.key("ok").text()  # type: ignore[attr-defined]


def test_alphanumeric_with_the_whole_alphabet_for_order_numbers(qtbot: QtBot) -> None:
    pad = AlphanumericKeypad(max_length=40, letters=ALL_LETTERS)
    field = QLineEdit()
    qtbot.addWidget(pad)
    qtbot.addWidget(field)
    pad.attach(field)
    assert {name for name in pad.keys() if len(name) == 1} == set("0123456789" + ALL_LETTERS)
    for ch in "SO2026VZI":
        _click(qtbot, pad, ch)
    assert field.text() == "SO2026VZI"
    with pytest.raises(ValueError):
        AlphanumericKeypad(letters="ABC1")
