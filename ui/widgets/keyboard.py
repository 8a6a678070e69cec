"""The on-screen keyboard: Qt Virtual Keyboard (pinyin + English) embedded in the window.

Two parts:

- :func:`prepare_environment` must run BEFORE the ``QApplication`` exists: it
  selects the virtual-keyboard input method (``QT_IM_MODULE``), points
  ``XDG_CONFIG_HOME`` at the kiosk's state folder (the pinyin engine keeps
  its user dictionary under ``$XDG_CONFIG_HOME/qtvirtualkeyboard/pinyin``;
  by default learning is switched off there, see the function) and
  switches off two Qt logging categories (a missing optional PipeWire library
  for key sounds, a QML property-cache note inside the keyboard's own files).
  This is NOT cosmetic: those messages are emitted from Qt worker threads
  while the QML loads, and with a Python message handler installed
  (``qInstallMessageHandler``, as pytest-qt and any Qt-to-logging bridge do)
  the load deadlocks. :class:`KeyboardPanel` also sets the same rules with
  ``QLoggingCategory.setFilterRules`` before loading, in case the environment
  was not prepared.
- :class:`KeyboardPanel` hosts ``assets/qml/KeyboardPanel.qml`` (an
  ``InputPanel`` with ``VirtualKeyboardSettings.activeLocales = zh_CN, en_GB``)
  in a ``QQuickWidget`` meant to be docked at the bottom of the main window.
  It shows itself when an editable text field of its window gets the focus
  and hides otherwise (a field with the dynamic property
  ``kioskKeyboard = False`` is skipped, e.g. one served by a keypad). Its
  keys never take the focus, so text goes to the focused field through the
  platform input context.

Verified offscreen (``QT_QPA_PLATFORM=offscreen``, PySide6 6.12, Debian
``libpulse0``): the QML loads with status Ready, typing ``zhongguo`` gives the
candidates 中国, 中, 种, ... and selecting the first commits 中国 to a
QLineEdit. No ``QT_QUICK_BACKEND`` override was needed here; on a machine
without OpenGL set ``QT_QUICK_BACKEND=software``.

Qt prints a few warnings from inside the keyboard's own QML that a test run
with ``qt_log_level_fail = WARNING`` must ignore: :data:`QT_LOG_IGNORE`.
"""

from __future__ import annotations

import logging
import os
import shutil
from pathlib import Path
from typing import Any

import shiboken6
from PySide6.QtCore import (
    Q_ARG,
    Q_RETURN_ARG,
    QEvent,
    QLoggingCategory,
    QMetaObject,
    QObject,
    QPoint,
    QPointF,
    QSize,
    Qt,
    QUrl,
    Signal,
)
from PySide6.QtGui import QGuiApplication, QMouseEvent, QResizeEvent, QShowEvent
from PySide6.QtQml import QQmlEngine
from PySide6.QtQuickWidgets import QQuickWidget
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

log = logging.getLogger("ui.keyboard")

QML_PATH = Path(__file__).resolve().parents[2] / "assets" / "qml" / "KeyboardPanel.qml"
LOCALES = ("zh_CN", "en_GB")
NO_KEYBOARD_PROPERTY = "kioskKeyboard"

# Categories Qt logs from worker threads while the keyboard's QML loads (see above).
_QUIET_RULES = ("qt.multimedia.symbolsresolver=false", "qt.qml.propertyCache.append=false")

# Regexes for pytest-qt's ``qt_log_ignore`` marker: warnings Qt emits from
# inside the keyboard's QML or the offscreen platform, not from kiosk code.
QT_LOG_IGNORE = (
    r"Couldn't (load|resolve) pipewire",
    r"Member contentWidth of the object PopupList",
    r"QQmlExpression: Expression .*VirtualKeyboard.* depends on non-bindable properties",
    r"^\s*QLineEdit::echoMode$",
    r"This plugin does not support propagateSizeHints",
    r"PinyinDecoderService::init\(\): creating directory for user dictionary",  # always logged
)


def prepare_environment(state_dir: Path, *, learn_words: bool = False) -> Path:
    """Set the environment the virtual keyboard needs; call before ``QApplication``.

    Privacy: the pinyin engine LEARNS what people type (verified here: after one
    customer commits 舒雪峰 character by character, the next one typing
    ``shuxuefeng`` is offered 舒雪峰 first) and keeps it in memory and in
    ``usr_dict.dat``. On a public kiosk that shows one customer's name to the
    next, so by default (``learn_words=False``) the user-dictionary path is
    made a plain FILE: the engine cannot open a user dictionary, runs on its
    system dictionary only and learns nothing, in memory or on disk (verified
    the same way). A dictionary left by an earlier run is deleted.
    ``learn_words=True`` keeps a learning dictionary there (a staffed desk).

    Returns the user-dictionary path. Existing non-empty ``QT_IM_MODULE``
    values are respected (a technician may choose another input method), as are
    existing logging rules.
    """
    config_home = Path(state_dir) / "config"
    pinyin_path = config_home / "qtvirtualkeyboard" / "pinyin"
    pinyin_path.parent.mkdir(parents=True, exist_ok=True)
    if learn_words:
        if pinyin_path.is_file():
            pinyin_path.unlink()
        pinyin_path.mkdir(exist_ok=True)
    else:
        if pinyin_path.is_dir():
            shutil.rmtree(pinyin_path)
        pinyin_path.write_text("user dictionary disabled: see ui/widgets/keyboard.py\n")
    if not os.environ.get("QT_IM_MODULE"):
        os.environ["QT_IM_MODULE"] = "qtvirtualkeyboard"
    os.environ["XDG_CONFIG_HOME"] = str(config_home)
    rules = [r for r in os.environ.get("QT_LOGGING_RULES", "").split(";") if r]
    rules += [r for r in _QUIET_RULES if r not in rules]
    os.environ["QT_LOGGING_RULES"] = ";".join(rules)
    return pinyin_path


_ENGINE: QQmlEngine | None = None


def _shared_engine() -> QQmlEngine:
    """One QML engine per application for every KeyboardPanel.

    The keyboard's ``InputContext`` is a QML singleton bound to the process's
    one platform input context: a second engine (a second main window in the
    tests, a rebuilt window) gets a context that never sees key presses.
    """
    global _ENGINE
    if _ENGINE is None or shiboken6.isValid(_ENGINE) is False:
        _ENGINE = QQmlEngine(QApplication.instance())
    return _ENGINE


def _mouse_event(kind: QEvent.Type, pos: QPoint) -> QMouseEvent:
    button = Qt.MouseButton.LeftButton
    buttons = button if kind == QEvent.Type.MouseButtonPress else Qt.MouseButton.NoButton
    return QMouseEvent(kind, QPointF(pos), QPointF(pos), button, buttons,
                       Qt.KeyboardModifier.NoModifier)


def virtual_keyboard_selected() -> bool:
    """Whether the process was started with the virtual-keyboard input method."""
    return os.environ.get("QT_IM_MODULE", "") == "qtvirtualkeyboard"


def is_text_field(widget: QObject | None) -> bool:
    """An enabled, editable text widget that has not opted out of the keyboard."""
    if not isinstance(widget, QWidget) or not widget.isEnabled():
        return False
    if widget.property(NO_KEYBOARD_PROPERTY) is False:
        return False
    if isinstance(widget, QLineEdit):
        return not widget.isReadOnly()
    if isinstance(widget, (QTextEdit, QPlainTextEdit)):
        return not widget.isReadOnly()
    if isinstance(widget, QAbstractSpinBox):
        return not widget.isReadOnly()
    return False


_TAP_EVENTS = (QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonRelease,
               QEvent.Type.TouchBegin, QEvent.Type.TouchUpdate, QEvent.Type.TouchEnd)


class _KeysView(QQuickWidget):
    """The QML view; knows when a finger on its keys is being handled (``tapping``).

    The input method's "hidden" notice comes from the keyboard's own hide key, but
    also, with no finger involved, from the keyboard's input context while panels
    and focus objects come and go; only the first may close the docked panel.
    """

    def __init__(self, engine: QQmlEngine, parent: QWidget) -> None:
        super().__init__(engine, parent)
        self.tapping = False

    def event(self, event: QEvent) -> bool:
        if event.type() not in _TAP_EVENTS:
            return super().event(event)
        self.tapping = True
        try:
            return super().event(event)
        finally:
            self.tapping = False


class KeyboardPanel(QWidget):
    """The docked keyboard; ``available`` is False when the QML could not load.

    Signals: ``shownChanged(bool)`` when it appears or goes away.
    """

    shownChanged = Signal(bool)

    def __init__(self, parent: QWidget | None = None, *, locale: str = "zh_CN",
                 follow_focus: bool = True) -> None:
        super().__init__(parent)
        self._follow_focus = follow_focus
        self.setObjectName("keyboardPanel")
        self._view = _KeysView(_shared_engine(), self)
        self._busy = False  # showing or hiding: input-method notices are echoes
        self._locale = locale  # the layout the UI language (or a test) chose
        self._applied = ""  # the layout last given to the keyboard
        self._view.setObjectName("keyboardView")
        self._view.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self._view.setAttribute(Qt.WidgetAttribute.WA_AcceptTouchEvents)
        self._view.setResizeMode(QQuickWidget.ResizeMode.SizeRootObjectToView)
        self._view.setClearColor(Qt.GlobalColor.transparent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._view)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        # Replaces rules set earlier through this API (env rules stay); see the module notes.
        QLoggingCategory.setFilterRules("\n".join(_QUIET_RULES))
        self._view.setSource(QUrl.fromLocalFile(str(QML_PATH)))
        self._errors = [e.toString() for e in self._view.errors()]
        root = self._view.rootObject()
        self.available = root is not None and self._view.status() == QQuickWidget.Status.Ready
        if not self.available:
            log.error("virtual keyboard unavailable",
                      extra={"event": "keyboard.unavailable", "errors": self._errors})
        else:
            if not virtual_keyboard_selected():
                log.warning("QT_IM_MODULE is not qtvirtualkeyboard: keys will not reach fields",
                            extra={"event": "keyboard.no_input_context"})
            # Queued: the height changes while QQuickWidget is resizing its root item;
            # resizing the widget from inside that handler is re-entrant.
            root.panelHeightChanged.connect(  # type: ignore[attr-defined]
                self._fit_height, Qt.ConnectionType.QueuedConnection)
            self.set_locale(locale)
            self._fit_height()
            input_method = QGuiApplication.inputMethod()
            input_method.visibleChanged.connect(self._input_method_visibility)
        self.hide()
        if follow_focus:
            app = QApplication.instance()
            if isinstance(app, QApplication):
                app.focusChanged.connect(self._focus_changed)

    # -- state -----------------------------------------------------------------

    def errors(self) -> list[str]:
        """QML errors from loading (empty when it loaded)."""
        return list(self._errors)

    def view(self) -> QQuickWidget:
        return self._view

    def _call(self, method: str, *args: Any) -> Any:
        root = self._view.rootObject()
        if root is None:
            return None
        qargs = [Q_ARG("QVariant", a) for a in args]
        value = QMetaObject.invokeMethod(root, method, Q_RETURN_ARG("QVariant"), *qargs)
        return value.toVariant() if hasattr(value, "toVariant") else value

    def _fit_height(self) -> None:
        root = self._view.rootObject()
        if root is not None:
            height = int(root.property("panelHeight") or 0)
            if height > 0:
                self.setFixedHeight(height)

    def resizeEvent(self, event: Any) -> None:  # noqa: N802 (Qt API)
        super().resizeEvent(event)
        self._fit_height()
        self._sync_view()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt API)
        super().showEvent(event)
        self._sync_view()

    def _sync_view(self) -> None:
        """Make the QML scene follow the view's size (the blank first keyboard, issue 11).

        The panel is laid out at height 0 while hidden, and the QQuickWidget gets
        that empty size as a resize event: it stops rendering ("fake hidden"). When
        the panel is then shown at its real height the view's geometry changes but
        Qt delivers it no second resize event, so QQuickWidget neither renders again
        nor resizes its root item (seen: a black or empty area on the first show,
        taps doing nothing, until the candidate bar changed the height). The root
        item's size is the tell: it only follows the view through resize events.
        """
        root = self._view.rootObject()
        if root is None or not self._view.isVisible() or self._view.size().isEmpty():
            return
        view = self._view.size()
        if (round(root.width()), round(root.height())) != (view.width(), view.height()):
            QApplication.sendEvent(self._view, QResizeEvent(view, QSize(0, 0)))

    # -- focus following ----------------------------------------------------------

    def wants_keyboard(self, widget: QObject | None) -> bool:
        """A text field in this panel's window that has not opted out."""
        if not is_text_field(widget):
            return False
        assert isinstance(widget, QWidget)
        window = self.window()
        return window is widget.window() and window is not self

    def _focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        if not self.available:
            return
        if self.wants_keyboard(new):
            self._reserve_candidate_bar(new)
            self._apply_layout(new)
            self.show_keyboard()
        elif new is not None and not self.isAncestorOf(new):
            self.hide_keyboard()

    def _reserve_candidate_bar(self, field: QObject | None) -> None:
        """Keep the word-candidate bar's room while ``field`` can get candidates (pinyin,
        word prediction), so the keyboard does not grow and push the page and its own
        keys when the first candidates come; none for fields without prediction (user
        names, passwords, numbers...): they never show the bar."""
        predicts = isinstance(field, QWidget) and not (
            field.inputMethodHints() & Qt.InputMethodHint.ImhNoPredictiveText)
        self._call("setCandidateBarReserved", predicts)

    def _input_method_visibility(self) -> None:
        if self._busy or not self.available:
            return
        focused = QApplication.focusWidget()
        wanted = self._follow_focus and self.wants_keyboard(focused)
        if QGuiApplication.inputMethod().isVisible():
            # Tapping the field that kept the focus after the hide key asks the input
            # method to show again (Qt's text widgets do that on a click): come back.
            if wanted:
                self.show_keyboard()
        elif self._view.tapping or not wanted:
            self.hide_keyboard()  # the keyboard's own hide key, or no field to type into
        elif self.isVisible():
            # Not a finger on the hide key: the input context hid itself (a panel or a
            # focus object went away) while the field still waits for text. Without
            # the input method shown the keys are inactive, so show it again.
            self._busy = True
            try:
                QGuiApplication.inputMethod().show()
            finally:
                self._busy = False

    def show_keyboard(self) -> None:
        if not self.available:
            return
        self._busy = True
        try:
            QGuiApplication.inputMethod().show()
            if not self.isVisible():
                self.show()
                shown = True
            else:
                shown = False
        finally:
            self._busy = False
        if shown:
            self.shownChanged.emit(True)

    def hide_keyboard(self) -> None:
        if self.isVisible():
            self._busy = True
            try:
                self.hide()
            finally:
                self._busy = False
            self.shownChanged.emit(False)

    def press_hide_key(self) -> None:
        """Tap the keyboard's own hide key, as a finger does (tests, demos)."""
        self.tap_key("hide")

    def tap_key(self, key: str) -> None:
        """Tap a key as a finger does (names as :meth:`key_position`)."""
        pos = self.key_position(key)
        if pos is None:
            raise LookupError(f"the keyboard shows no {key!r} key")
        for kind in (QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonRelease):
            QApplication.sendEvent(self._view, _mouse_event(kind, pos))

    def key_position(self, key: str) -> QPoint | None:
        """Centre of a key in the view (``"hide"``, ``"enter"``, ``"shift"``, or a key's
        text such as ``"d"``)."""
        value = self._call("keyCenter", key)
        if not value or value.get("x", -1) < 0:
            return None
        return QPoint(round(value["x"]), round(value["y"]))

    def reset(self) -> None:
        """Drop any half-typed pinyin and its candidates (the session wipe calls this)."""
        QGuiApplication.inputMethod().reset()
        self.hide_keyboard()

    # -- language and driving -------------------------------------------------------

    def set_locale(self, locale: str) -> None:
        """``zh_CN`` (pinyin) or ``en_GB``; follows the kiosk's language switch."""
        if locale not in LOCALES:
            raise ValueError(f"keyboard locale must be one of {LOCALES}")
        self._locale = locale
        self._applied = ""
        self._apply_layout(QApplication.focusWidget())

    def layout_for(self, field: QObject | None) -> str:
        """The layout ``field`` gets: the chosen one, but the English one for a Latin-only
        field (user name, password, e-mail, tax ID) in Chinese. The pinyin layout has no
        shift key: its place holds the pinyin separator, disabled and drawn blank while
        nothing is being spelt, so no capital letter could be typed there."""
        if self._locale == "zh_CN" and isinstance(field, QWidget) and is_text_field(field) \
                and field.inputMethodHints() & Qt.InputMethodHint.ImhLatinOnly:
            return "en_GB"
        return self._locale

    def _apply_layout(self, field: QObject | None) -> None:
        # Only when it changes: a layout chosen with the keyboard's own language key stays
        # while the person moves between fields of the same kind.
        layout = self.layout_for(field)
        if layout != self._applied:
            self._applied = layout
            self._call("setLocale", layout)

    def keyboard_locale(self) -> str:
        """The keyboard's active locale (``zh_CN`` / ``en_GB``)."""
        root = self._view.rootObject()
        return str(root.property("currentLocale")) if root is not None else ""

    def type_text(self, text: str) -> None:
        """Press keys on the keyboard (letters go through pinyin in zh_CN)."""
        self._call("typeText", text)

    def press_backspace(self) -> None:
        self._call("pressBackspace")

    def candidates(self) -> list[str]:
        """The pinyin word candidates now offered (empty when none)."""
        value = self._call("candidates")
        return [str(v) for v in value] if value else []

    def candidate_bar_shown(self) -> bool:
        """Whether the word-candidate bar is all out above the keys."""
        root = self._view.rootObject()
        return bool(root.property("candidateBarShown")) if root is not None else False

    def select_candidate(self, index: int) -> None:
        self._call("selectCandidate", index)

    def preedit_text(self) -> str:
        return str(self._call("preeditText") or "")

    def keys_bottom(self) -> float:
        """Where the keys end inside the view (px): more than the view's height is cut off."""
        root = self._view.rootObject()
        return float(root.property("keysBottom") or 0) if root is not None else 0.0
