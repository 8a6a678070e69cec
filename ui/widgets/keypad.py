"""Touch keypads: numeric (order numbers, quantities, amounts) and alphanumeric (tax IDs).

Both emit ``keyPressed(str)`` for a character key, ``backspace()``,
``cleared()`` and ``accepted()`` (OK). ``attach(line_edit)`` wires a
``QLineEdit`` so keys type into it; the keys never take the keyboard focus,
so the field keeps its cursor. Keys are at least :data:`KEY_SIZE` pixels
(about 15 mm on a 10-inch 1280x800 panel is ~90 px; 64 px is the floor).

The alphanumeric keypad offers the digits and the 21 letters of the unified
social credit code alphabet (A-Z without I, O, S, V, Z), which also covers
every letter of the older 15-20 character taxpayer IDs the providers accept.
Labels go through ``self.tr`` and are re-set on a language change.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import QGridLayout, QLineEdit, QPushButton, QSizePolicy, QWidget

KEY_SIZE = 64
CREDIT_LETTERS = "ABCDEFGHJKLMNPQRTUWXY"  # A-Z minus I O S V Z
ALL_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
# Keyboard order: a person finds a letter faster where they expect it.
_QWERTY_ROWS = ("QWERTYUIOP", "ASDFGHJKL", "ZXCVBNM")


class _Keypad(QWidget):
    keyPressed = Signal(str)
    backspace = Signal()
    cleared = Signal()
    accepted = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._grid = QGridLayout(self)
        self._grid.setSpacing(8)
        self._grid.setContentsMargins(8, 8, 8, 8)
        self._keys: dict[str, QPushButton] = {}
        self._target: QLineEdit | None = None
        self._dispatch_map: dict[Any, Callable[..., object]] = {}

    # -- building ---------------------------------------------------------------

    def _key(self, name: str, text: str, row: int, col: int, rowspan: int = 1,
             colspan: int = 1) -> QPushButton:
        """Make a focus-less, touch-sized key at that grid cell."""
        button = QPushButton(text, self)
        button.setObjectName(f"key_{name}")
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        button.setMinimumSize(KEY_SIZE, KEY_SIZE)
        button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        button.setAutoRepeat(name == "backspace")
        font = button.font()
        font.setPointSize(max(font.pointSize(), 20))
        button.setFont(font)
        self._grid.addWidget(button, row, col, rowspan, colspan)
        self._keys[name] = button
        return button

    def _char_key(self, ch: str, row: int, col: int, name: str | None = None) -> None:
        button = self._key(name or ch, ch, row, col)
        button.clicked.connect(lambda: self.keyPressed.emit(ch))

    def _control_keys(self, backspace: tuple[int, ...], clear: tuple[int, ...],
                      ok: tuple[int, ...]) -> None:
        """Place backspace / clear / OK at (row, col[, rowspan, colspan]).

        Lambdas, not ``signal.emit``: connecting ``clicked(bool)`` straight to a
        no-argument signal's ``emit`` leaks a reference to ``False`` per click in
        PySide6 6.12 (and crashes later).
        """
        self._key("backspace", "⌫", *backspace).clicked.connect(lambda: self.backspace.emit())
        self._key("clear", "", *clear).clicked.connect(lambda: self.cleared.emit())
        self._key("ok", "", *ok).clicked.connect(lambda: self.accepted.emit())
        self._retranslate()

    def _retranslate(self) -> None:
        self._keys["backspace"].setAccessibleName(self.tr("Backspace"))
        self._keys["clear"].setText(self.tr("Clear"))
        self._keys["ok"].setText(self.tr("OK"))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt API)
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    # -- API ------------------------------------------------------------------

    def key(self, name: str) -> QPushButton:
        """The button for ``name``: a character, or backspace / clear / ok / point."""
        return self._keys[name]

    def keys(self) -> dict[str, QPushButton]:
        return dict(self._keys)

    def attach(self, line_edit: QLineEdit | None) -> None:
        """Type into ``line_edit`` (``None`` detaches). OK presses the field's Return."""
        if self._target is not None:
            for signal in (self.keyPressed, self.backspace, self.cleared, self.accepted):
                signal.disconnect(self._dispatch_map[signal])
        self._target = line_edit
        if line_edit is None:
            return
        self._dispatch_map = {
            self.keyPressed: self._type,
            self.backspace: line_edit.backspace,
            self.cleared: line_edit.clear,
            self.accepted: lambda: line_edit.returnPressed.emit(),
        }
        for signal, slot in self._dispatch_map.items():
            signal.connect(slot)

    def attached(self) -> QLineEdit | None:
        return self._target

    def _type(self, ch: str) -> None:
        if self._target is not None and self._accepts(self._target.text(), ch):
            self._target.insert(ch)

    def _accepts(self, current: str, ch: str) -> bool:
        return True


class NumericKeypad(_Keypad):
    """Digits, backspace, clear and OK; an optional decimal point key.

    With ``decimal_point=True`` a second point in the attached field is ignored,
    and ``max_decimals`` (when set) stops digits beyond that many decimals.
    """

    def __init__(self, parent: QWidget | None = None, *, decimal_point: bool = False,
                 max_decimals: int | None = None) -> None:
        super().__init__(parent)
        self.decimal_point = decimal_point
        self.max_decimals = max_decimals
        for i, ch in enumerate("789456123"):
            self._char_key(ch, i // 3, i % 3)
        if decimal_point:
            self._char_key(".", 3, 0, name="point")
            self._char_key("0", 3, 1)
        else:
            self._key("0", "0", 3, 0, 1, 2).clicked.connect(lambda: self.keyPressed.emit("0"))
        self._control_keys(backspace=(3, 2), clear=(4, 0), ok=(4, 1, 1, 2))

    def _accepts(self, current: str, ch: str) -> bool:
        if ch == ".":
            return self.decimal_point and "." not in current
        if self.max_decimals is not None and "." in current:
            return len(current.split(".", 1)[1]) < self.max_decimals
        return True


class AlphanumericKeypad(_Keypad):
    """Digits and upper-case letters: by default the credit-code letters, for tax IDs.

    ``letters=ALL_LETTERS`` gives the whole alphabet (order numbers may hold
    any letter); the keys keep their QWERTY places either way.
    """

    def __init__(self, parent: QWidget | None = None, *, max_length: int = 20,
                 letters: str = CREDIT_LETTERS) -> None:
        super().__init__(parent)
        self.max_length = max_length
        wanted = set(letters.upper())
        if not wanted <= set(ALL_LETTERS):
            raise ValueError("letters must be A-Z")
        rows = ["".join(ch for ch in row if ch in wanted) for row in _QWERTY_ROWS]
        for col, ch in enumerate("1234567890"):
            self._char_key(ch, 0, col)
        for row, letters_in_row in enumerate(rows, start=1):
            offset = (10 - len(letters_in_row)) // 2
            for col, ch in enumerate(letters_in_row):
                self._char_key(ch, row, col + offset)
        # Backspace sits right of the last letter row (that row has at most 7 letters).
        free = max((10 - len(rows[2])) // 2 + len(rows[2]), 8)
        self._control_keys(backspace=(3, free, 1, 10 - free), clear=(4, 0, 1, 3),
                           ok=(4, 6, 1, 4))

    def _accepts(self, current: str, ch: str) -> bool:
        return len(current) < self.max_length

