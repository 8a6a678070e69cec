"""The keyboard-wedge scanner: an application-wide Qt event filter feeding :class:`WedgeDetector`.

UI glue, so it lives in ``ui/`` (drivers import no Qt): it offers the
:class:`drivers.contract.Scanning` contract, and the composition root hands
it to :class:`drivers.manager.DeviceManager` as ``wedge=WedgeScanner`` for the
``wedge:`` scheme. The timing rule itself is the pure
:class:`drivers.scanner.wedge.WedgeDetector`.

Installed on the ``QCoreApplication`` instance it sees every key press
whatever widget or QML item has focus. Keys of a possible scan burst are held
(swallowed); a finished scan (fast burst + Enter) is emitted as a code and
never reaches the focused widget; anything slower is replayed to the object
it was meant for, in order, so typing works as before. Uses QtCore/QtGui
only (no widgets).

A key event is handled where it is finally delivered: at the focus object
(Qt first delivers it to the window, which forwards it to the focus widget or
item; counting both would see each key twice).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QKeyEvent, QWindow

from drivers.base import DeviceStatus, StatusPublisher
from drivers.contract import CodeCallback, RejectedCallback
from drivers.problem import Problem
from drivers.scanner.wedge import WedgeDetector

log = logging.getLogger("ui.wedge")

_ENTER_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
_COMMAND_MODIFIERS = (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
                      | Qt.KeyboardModifier.MetaModifier)


@dataclass
class _HeldKey:
    target: QObject
    key: int
    modifiers: Qt.KeyboardModifier
    text: str


class WedgeScanner(QObject):
    """Scanner interface on top of the key stream; create it on the GUI thread."""

    name = "scanner"
    codeScanned = Signal(str)

    def __init__(self, min_length: int = 4, max_interval_ms: int = 30,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.detector = WedgeDetector(min_length, max_interval_ms)
        self.publisher = StatusPublisher(self.name)
        self._codes: list[CodeCallback] = []
        self._errors: list[RejectedCallback] = []
        self._held: list[_HeldKey] = []
        self._replaying = False
        self._installed_on: QCoreApplication | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        # Slack over the interval: a busy UI thread must not split a real burst.
        self._timer.setInterval(max_interval_ms + 20)
        self._timer.timeout.connect(self._on_stale)

    # -- scanner interface ---------------------------------------------------------

    def on_code(self, callback: CodeCallback) -> None:
        self._codes.append(callback)

    def on_error(self, callback: RejectedCallback) -> None:
        self._errors.append(callback)  # a wedge has no line errors; kept for the interface

    @property
    def running(self) -> bool:
        return self._installed_on is not None

    def start(self) -> None:
        app = QCoreApplication.instance()
        if app is None:
            self.publisher.publish(DeviceStatus.ERROR, Problem.of("scanner.needs_qt"),
                                   "no Qt application")
            return
        if self._installed_on is None:
            app.installEventFilter(self)
            self._installed_on = app
        self.publisher.publish(DeviceStatus.READY)

    def stop(self, timeout: float = 2.0) -> None:
        self._timer.stop()
        self._replay(len(self._held))
        self.detector.flush()
        if self._installed_on is not None:
            self._installed_on.removeEventFilter(self)
            self._installed_on = None

    # -- the filter ------------------------------------------------------------------

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if self._replaying or event.type() != QEvent.Type.KeyPress:
            return False
        if not isinstance(event, QKeyEvent) or not self._is_final_target(obj):
            return False
        key = event.key()
        text = event.text()
        enter = key in _ENTER_KEYS
        if event.modifiers() & _COMMAND_MODIFIERS or not (enter or (len(text) == 1
                                                                     and text.isprintable())):
            self._release_all()  # keep order: held typing first, then this key
            return False
        stamp = float(event.timestamp()) or time.monotonic() * 1000.0
        out = self.detector.feed("\r" if enter else text, stamp)
        if out.code is not None:
            self._timer.stop()
            self._replay(len(out.passthrough))  # stale typing before the burst (none in practice)
            self._held.clear()
            self._emit(out.code)
            return True
        if enter:
            self._timer.stop()
            self._replay(len(self._held))
            return False  # the Enter itself goes on as typed
        self._replay(len(out.passthrough))
        self._held.append(_HeldKey(obj, key, event.modifiers(), text))
        self._timer.start()
        return True

    @staticmethod
    def _is_final_target(obj: QObject) -> bool:
        focus = QGuiApplication.focusObject()
        if focus is not None:
            return obj is focus
        return not isinstance(obj, QWindow)

    def _on_stale(self) -> None:
        self._release_all()

    def _release_all(self) -> None:
        self._timer.stop()
        self.detector.flush()
        self._replay(len(self._held))

    def _replay(self, count: int) -> None:
        if count <= 0:
            return
        keys, self._held = self._held[:count], self._held[count:]
        self._replaying = True
        try:
            for held in keys:
                replay = QKeyEvent(QEvent.Type.KeyPress, held.key, held.modifiers, held.text)
                try:
                    QCoreApplication.sendEvent(held.target, replay)
                except RuntimeError:  # the target was deleted meanwhile
                    pass
        finally:
            self._replaying = False

    def _emit(self, code: str) -> None:
        log.info("wedge code scanned (%d chars)", len(code), extra={"event": "scanner.code"})
        self.codeScanned.emit(code)
        for callback in list(self._codes):
            _safe(callback, code)


def _safe(callback: Callable[[str], None], code: str) -> None:
    try:
        callback(code)
    except Exception:
        log.exception("scanner callback failed")
