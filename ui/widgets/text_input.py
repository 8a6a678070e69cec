"""Text fields and the on-screen keyboard: what each field lets a finger type, and keeping
the field being typed into in sight above the docked keyboard (issue 11).

- :class:`InputKind` names what a field holds; :func:`set_input_kind` gives the field
  the Qt input-method hints the virtual keyboard reads: a user name, a password, an
  e-mail address or a tax ID gets Latin letters without pinyin, word prediction or
  automatic capitals (typing ``demo`` gives ``demo``, not 的莫 or ``Demo``); numbers get
  the number layout, phone numbers the dial pad; names and addresses keep pinyin.
  The kind is kept in the field's ``kioskInput`` property, so a test can check that
  every field of every screen declares one.
- :class:`FieldRevealer` scrolls the page so the focused field lies fully in view
  whenever the field takes the focus or the space around it changes (the keyboard
  opening shrinks the page; a message appearing under a field moves it).
"""

from __future__ import annotations

import enum

from PySide6.QtCore import QEvent, QObject, QPoint, Qt, QTimer
from PySide6.QtWidgets import QApplication, QLineEdit, QScrollArea, QWidget

INPUT_KIND_PROPERTY = "kioskInput"

_H = Qt.InputMethodHint
# No pinyin (Latin only), no word prediction, no automatic capitals.
_PLAIN_LATIN = (_H.ImhLatinOnly | _H.ImhNoPredictiveText | _H.ImhNoAutoUppercase
                | _H.ImhPreferLowercase)


class InputKind(enum.Enum):
    """What a text field holds; decides the keyboard layout it gets."""

    TEXT = "text"  # names, addresses, bank names, search: pinyin or English as chosen
    USERNAME = "username"
    PASSWORD = "password"
    EMAIL = "email"
    NUMBER = "number"  # quantities, prices, amounts: digits, point, minus
    DIGITS = "digits"  # bank account numbers
    PHONE = "phone"
    CODE = "code"  # tax IDs, order numbers: capital letters and digits

    @property
    def hints(self) -> Qt.InputMethodHint:
        return _HINTS[self]


_HINTS: dict[InputKind, Qt.InputMethodHint] = {
    InputKind.TEXT: _H.ImhNone,
    InputKind.USERNAME: _PLAIN_LATIN | _H.ImhSensitiveData,
    InputKind.PASSWORD: _PLAIN_LATIN | _H.ImhHiddenText | _H.ImhSensitiveData,
    InputKind.EMAIL: _PLAIN_LATIN | _H.ImhEmailCharactersOnly | _H.ImhSensitiveData,
    InputKind.NUMBER: _H.ImhFormattedNumbersOnly | _H.ImhNoPredictiveText,
    InputKind.DIGITS: _H.ImhDigitsOnly | _H.ImhNoPredictiveText | _H.ImhSensitiveData,
    InputKind.PHONE: _H.ImhDialableCharactersOnly | _H.ImhNoPredictiveText
    | _H.ImhSensitiveData,
    InputKind.CODE: _H.ImhLatinOnly | _H.ImhNoPredictiveText | _H.ImhNoAutoUppercase
    | _H.ImhPreferUppercase,
}


def set_input_kind(edit: QLineEdit, kind: InputKind) -> QLineEdit:
    """Give ``edit`` the keyboard layout for ``kind`` (a password also hides its text)."""
    if kind is InputKind.PASSWORD:
        edit.setEchoMode(QLineEdit.EchoMode.Password)
    edit.setInputMethodHints(kind.hints)
    edit.setProperty(INPUT_KIND_PROPERTY, kind.value)
    return edit


def input_kind(edit: QWidget) -> InputKind | None:
    """The kind given with :func:`set_input_kind` (None: the field never got one)."""
    value = edit.property(INPUT_KIND_PROPERTY)
    return InputKind(value) if isinstance(value, str) else None


def scroll_areas_of(widget: QWidget) -> list[QScrollArea]:
    """The scroll areas ``widget`` sits in, innermost first."""
    areas = []
    parent = widget.parentWidget()
    while parent is not None:
        inner = parent.widget() if isinstance(parent, QScrollArea) else None
        if isinstance(parent, QScrollArea) and inner is not None and inner.isAncestorOf(widget):
            areas.append(parent)
        parent = parent.parentWidget()
    return areas


class FieldRevealer(QObject):
    """Keeps the focused text field of ``window`` scrolled fully into view.

    Event-driven, no timers: it scrolls when a field of the window takes the focus
    and whenever a scroll area's viewport or content around the focused field is
    resized (the keyboard opening shrinks the page after the focus moved, so the
    second pass is the one that counts). ``margin`` pixels above and below the
    field are shown too when they fit (the field's label sits above it).
    """

    def __init__(self, window: QWidget, *, margin: int = 48) -> None:
        super().__init__(window)
        self.window = window
        self.margin = margin
        self._watched: set[int] = set()
        self._pending = False
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._focus_changed)
        self.watch_scroll_areas()

    def watch_scroll_areas(self) -> None:
        """Follow the resizes of every scroll area now in the window (call after adding one)."""
        for area in self.window.findChildren(QScrollArea):
            for widget in (area.viewport(), area.widget()):
                if widget is not None and id(widget) not in self._watched:
                    self._watched.add(id(widget))
                    widget.installEventFilter(self)

    def _focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        if new is not None and new.window() is self.window:
            self.reveal(new)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if event.type() == QEvent.Type.Resize:
            # The window's focus widget, not the application's: that one is None while
            # the window is not the active one, yet the field still takes the keys.
            focused = self.window.focusWidget()
            if focused is not None and isinstance(watched, QWidget) \
                    and (watched.isAncestorOf(focused) or self._viewport_of(watched, focused)):
                self._reveal_soon()
        return False

    def _reveal_soon(self) -> None:
        """Reveal once the resize has been handled: this filter sees the viewport's resize
        before the scroll area has updated its scroll range from it."""
        if not self._pending:
            self._pending = True
            QTimer.singleShot(0, self, self._reveal_now)  # dropped with the window

    def _reveal_now(self) -> None:
        self._pending = False
        self.reveal(self.window.focusWidget())

    @staticmethod
    def _viewport_of(viewport: QWidget, focused: QWidget) -> bool:
        area = viewport.parentWidget()
        if not isinstance(area, QScrollArea) or area.viewport() is not viewport:
            return False
        inner = area.widget()
        return inner is not None and inner.isAncestorOf(focused)

    def reveal(self, field: QWidget | None = None) -> None:
        """Scroll every scroll area holding ``field`` (default: the focused widget)."""
        field = field or QApplication.focusWidget()
        if field is None or not field.isVisible() \
                or not field.testAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled):
            return
        for area in scroll_areas_of(field):
            scroll_to_show(area, field, self.margin)


def scroll_to_show(area: QScrollArea, field: QWidget, margin: int) -> None:
    """Scroll ``area`` vertically so the WHOLE of ``field`` shows, with up to ``margin`` px
    above and below. (``QScrollArea.ensureWidgetVisible`` shows a line edit's cursor
    rectangle, not the whole field: it left large-text fields a few pixels cut off.)"""
    inner = area.widget()
    if inner is None:
        return
    bar = area.verticalScrollBar()
    top = field.mapTo(inner, QPoint(0, 0)).y()
    height, seen = field.height(), area.viewport().height()
    margin = max(0, min(margin, (seen - height) // 2))
    value = bar.value()
    if height + 2 * margin > seen or top - margin < value:
        value = top - margin
    elif top + height + margin > value + seen:
        value = top + height + margin - seen
    bar.setValue(value)
