"""The kiosk's one window: a ``QStackedWidget`` of screens keyed by :class:`Screen`.

It shows whatever screen the session machine is in, adapts the machine's plain
callbacks to a Qt signal, runs the idle tick, switches language and large text,
and shuts every desktop escape in kiosk mode (close, Alt+F4, context menus).
A hidden gesture (5 taps in the top-left corner within 3 s) emits
``diagnosticsRequested`` for the technician's PIN screen; Ctrl+Shift+S emits
``simulatorRequested`` (the device simulator panel, with emulated devices).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QImage, QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QLineEdit, QStackedWidget, QVBoxLayout, QWidget

from kiosk.flow.states import Screen
from kiosk.session import Session
from ui import theme
from ui.i18n import Languages
from ui.screens.account import CodeLoginPage, ForgotPasswordPage, RegisterPage
from ui.screens.account_members import MembersPage
from ui.screens.base import Page
from ui.screens.buyer import BuyerPage, OptionsPage
from ui.screens.centre import CentreInvoicePage, CentrePage
from ui.screens.centre_change import ChangePage, ChangeStatusPage
from ui.screens.failures import (
    AlreadyInvoicedPage,
    BadQrPage,
    CameraUnavailablePage,
    PrinterProblemPage,
    QueuedPage,
    RejectedPage,
    UnknownPage,
)
from ui.screens.orders import CataloguePage, OrdersPage
from ui.screens.overlays import (
    IdleWarningPage,
    OutOfServicePage,
    SupportPage,
    TutorialPage,
)
from ui.screens.review import IssuingPage, ResultPage, ReviewPage
from ui.screens.start import (
    AttractPage,
    IdcardConsentPage,
    IdcardReadingPage,
    IdentifyPage,
    LoginPage,
    TermsPage,
)
from ui.widgets.text_input import FieldRevealer

log = logging.getLogger("ui.window")

CORNER_PX = 90
CORNER_TAPS = 5
CORNER_WINDOW_S = 3.0

PAGES: dict[Screen, Callable[[Session], Page]] = {
    Screen.ATTRACT: AttractPage, Screen.TERMS: TermsPage, Screen.IDENTIFY: IdentifyPage,
    Screen.IDCARD_CONSENT: IdcardConsentPage, Screen.IDCARD_READING: IdcardReadingPage,
    Screen.LOGIN: LoginPage, Screen.ORDERS: OrdersPage, Screen.CATALOGUE: CataloguePage,
    Screen.BUYER: BuyerPage, Screen.OPTIONS: OptionsPage, Screen.REVIEW: ReviewPage,
    Screen.ISSUING: IssuingPage, Screen.RESULT: ResultPage,
    Screen.PLATFORM_QUEUED: QueuedPage, Screen.RESULT_UNKNOWN: UnknownPage,
    Screen.ALREADY_INVOICED: AlreadyInvoicedPage, Screen.BAD_QR: BadQrPage,
    Screen.REJECTED: RejectedPage, Screen.PRINTER_PROBLEM: PrinterProblemPage,
    Screen.CAMERA_UNAVAILABLE: CameraUnavailablePage, Screen.IDLE_WARNING: IdleWarningPage,
    Screen.TUTORIAL: TutorialPage, Screen.OUT_OF_SERVICE: OutOfServicePage,
    Screen.CENTRE: CentrePage, Screen.CENTRE_INVOICE: CentreInvoicePage,
    Screen.CHANGE: ChangePage, Screen.CHANGE_STATUS: ChangeStatusPage,
    Screen.REGISTER: RegisterPage, Screen.CODE_LOGIN: CodeLoginPage,
    Screen.FORGOT_PASSWORD: ForgotPasswordPage, Screen.MEMBERS: MembersPage,
}


def keyboard_locale(lang: str) -> str:
    """The on-screen keyboard's layout for a UI language (pinyin for Chinese)."""
    return "en_GB" if lang == "en" else "zh_CN"


class MainWindow(QWidget):
    """Shows the session; every page is built once and refreshed on each change."""

    screenShown = Signal(str)  # the Screen value now on show
    sessionChanged = Signal()
    diagnosticsRequested = Signal()
    simulatorRequested = Signal()
    languageChanged = Signal(str)

    def __init__(
        self,
        session: Session,
        languages: Languages,
        *,
        kiosk_mode: bool = False,
        large_text: bool = False,
        support_phone: str = "",
        support_text: str = "",
        support_text_en: str = "",
        tick_ms: int = 1000,
        keyboard: bool = True,
    ) -> None:
        super().__init__()
        self.session = session
        self.languages = languages
        self.kiosk_mode = kiosk_mode
        self.large_text = large_text
        # What the next walk-in sees: a wipe brings back the configured language and size.
        self.default_lang = languages.current
        self.default_large_text = large_text
        self.allow_close = not kiosk_mode
        self.setWindowTitle("Fapiao kiosk")
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)  # the keyboard's bottom row ends on the window's last pixel
        self.stack = QStackedWidget()
        layout.addWidget(self.stack)
        self.keyboard = None
        if keyboard:
            from ui.widgets.keyboard import KeyboardPanel

            self.keyboard = KeyboardPanel(self, locale=keyboard_locale(languages.current))
            layout.addWidget(self.keyboard)
        self.pages: dict[Screen, Page] = {}
        for screen, factory in PAGES.items():
            self._add_page(screen, factory(session))
        self._add_page(Screen.SUPPORT, SupportPage(session, support_phone, support_text,
                                                   support_text_en))
        # The field being typed into stays in sight above the docked keyboard (issue 11).
        self.revealer = FieldRevealer(self)
        if self.keyboard is not None:
            self.keyboard.shownChanged.connect(self._typing)
        self.pages[Screen.ATTRACT].tutorial.clicked.connect(  # type: ignore[attr-defined]
            lambda: session.overlays.open(Screen.TUTORIAL))
        self.pages[Screen.ATTRACT].camera.clicked.connect(  # type: ignore[attr-defined]
            session.use_camera)
        session.add_listener(lambda _s: self.sessionChanged.emit())
        self.sessionChanged.connect(self.show_session)
        self._taps: list[float] = []
        self._shown_session = ""
        self._last_press: object = None
        QApplication.instance().installEventFilter(self)  # type: ignore[union-attr]
        QShortcut(QKeySequence("Ctrl+Shift+S"), self, self.simulatorRequested.emit)
        self.ticker = QTimer(self)
        self.ticker.setInterval(tick_ms)
        self.ticker.timeout.connect(self._tick)
        self.ticker.start()
        if kiosk_mode:
            self.setWindowFlags(Qt.WindowType.FramelessWindowHint
                                | Qt.WindowType.WindowStaysOnTopHint)
        self.show_session()

    def _add_page(self, screen: Screen, page: Page) -> None:
        page.setObjectName(f"page_{screen.value}")
        self.pages[screen] = page
        self.stack.addWidget(page)
        h = page.header
        h.languageRequested.connect(self.toggle_language)
        h.largeTextRequested.connect(lambda: self.set_large_text(not self.large_text))
        h.supportRequested.connect(lambda: self.session.overlays.open(Screen.SUPPORT))

    # --- showing the session -------------------------------------------------------

    @property
    def current(self) -> Page:
        return self.pages[self.session.screen]

    def show_session(self) -> None:
        wiped = not self.session.data.session_id and self._shown_session
        self._shown_session = self.session.data.session_id
        if wiped:
            self.wipe_screen()
        page = self.current
        page.show_view(self.session.view(), self.languages.current)
        page.header.large.setChecked(self.large_text)
        if self.stack.currentWidget() is not page:
            page.helpbox.hide()
            self.drop_focus()
            self.stack.setCurrentWidget(page)
            self.screenShown.emit(self.session.screen.value)

    def drop_focus(self) -> None:
        """No field keeps or gets back the focus, and the keyboard goes down: called on
        every screen change and on the wipe. The stacked widget gives a page shown again
        the focus widget it had (its ``focusWidget``), and a page shown while the old one
        held the focus its first focusable field: the next person's login page opened
        with the keyboard up in the last person's password field. The window itself
        takes the focus (no field), so activating the window again focuses no field."""
        for page in self.pages.values():
            remembered = page.focusWidget()
            if remembered is not None:
                remembered.clearFocus()  # also forgets it in the page (its focus child)
        self.setFocus(Qt.FocusReason.OtherFocusReason)
        if self.keyboard is not None:
            self.keyboard.hide_keyboard()

    def _typing(self, on: bool) -> None:
        """Every page compacts while the keyboard is up (a page shown later is ready too)."""
        for page in self.pages.values():
            page.set_typing(on)

    def set_presence(self, present: bool) -> None:
        """The presence sensor: someone stepped up (True) or left (False)."""
        attract = self.pages[Screen.ATTRACT]
        assert isinstance(attract, AttractPage)
        attract.set_awake(present)

    def show_preview(self, image: QImage) -> None:
        """A camera frame (only sent while the user has the camera on) to the page's view."""
        view = getattr(self.current, "preview", None)
        if view is not None:
            view.show_image(image)

    def wipe_screen(self) -> None:
        """The session was wiped: nothing personal may stay in a field or the keyboard, and
        every widget is as the next person expects it (no keyboard up, the configured
        keyboard language, folded sections folded, pages scrolled to the top)."""
        self.drop_focus()  # a field left focused would bring the keyboard back
        for screen, page in self.pages.items():
            page.reset_widgets()
            for edit in page.findChildren(QLineEdit):
                edit.blockSignals(True)  # a cleared field must not write into the new session
                edit.clear()
                edit.blockSignals(False)
            view = getattr(page, "preview", None)
            if view is not None:
                view.clear_image()
            page.helpbox.hide()
            page.redraw()  # show the empty session
            page.show_view(self.session.view(screen), self.languages.current)
        if self.keyboard is not None and self.keyboard.available:
            self.keyboard.reset()
            # Also when the person switched it with the keyboard's own language key.
            self.keyboard.set_locale(keyboard_locale(self.default_lang))
        if self.languages.current != self.default_lang:
            self.set_language(self.default_lang)
        if self.large_text != self.default_large_text:
            self.set_large_text(self.default_large_text)
        log.info("screen wiped", extra={"event": "ui.wiped"})

    def _tick(self) -> None:
        self.session.tick()
        if self.session.screen is Screen.IDLE_WARNING:
            self.current.show_view(self.session.view(), self.languages.current)

    # --- language and large text ---------------------------------------------------

    def set_language(self, lang: str) -> None:
        if self.languages.set(lang):
            # Qt posts LanguageChange events (each page retranslates on it, as does every
            # other widget); the pages are retranslated now so the switch shows at once.
            for page in self.pages.values():
                page.retranslate()
            if self.keyboard is not None and self.keyboard.available:
                self.keyboard.set_locale(keyboard_locale(lang))
            self.show_session()
            self.languageChanged.emit(lang)

    def toggle_language(self) -> None:
        self.session.touch()
        self.set_language("en" if self.languages.current.startswith("zh") else "zh_CN")

    def set_large_text(self, on: bool) -> None:
        self.session.touch()
        self.large_text = on
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        theme.apply(app, on)
        log.info("large text %s", on, extra={"event": "ui.large_text", "on": on})
        self.show_session()

    # --- no desktop escape, activity, hidden gesture -------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.allow_close:
            self.ticker.stop()
            QApplication.instance().removeEventFilter(self)  # type: ignore[union-attr]
            event.accept()
        else:
            log.info("close refused", extra={"event": "ui.close_refused"})
            event.ignore()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self.kiosk_mode and event.key() in (Qt.Key.Key_F4, Qt.Key.Key_Escape, Qt.Key.Key_Tab):
            event.accept()  # Alt+F4, Esc, Alt+Tab: nothing to escape to
            return
        super().keyPressEvent(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.ContextMenu:
            return True  # no right-click menus anywhere
        if kind in (QEvent.Type.MouseButtonPress, QEvent.Type.TouchBegin, QEvent.Type.KeyPress):
            self.session.touch()
            if kind == QEvent.Type.MouseButtonPress and isinstance(watched, QWidget):
                # A press ignored by a child reaches its parents too: count it once.
                stamp = (event.timestamp(), event.globalPosition().toPoint().toTuple())  # type: ignore[attr-defined]
                if stamp != self._last_press and watched.window() is self:
                    self._last_press = stamp
                    pos = watched.mapTo(self, event.position().toPoint())  # type: ignore[attr-defined]
                    self._corner_tap(pos.x(), pos.y())
        return False

    def _corner_tap(self, x: int, y: int) -> None:
        if x > CORNER_PX or y > CORNER_PX:
            self._taps.clear()
            return
        now = time.monotonic()
        self._taps = [t for t in self._taps if now - t <= CORNER_WINDOW_S] + [now]
        if len(self._taps) >= CORNER_TAPS:
            self._taps.clear()
            log.info("diagnostics gesture", extra={"event": "ui.diagnostics_gesture"})
            self.diagnosticsRequested.emit()
