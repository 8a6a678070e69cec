"""What every screen shares: a header (title, help, language, large text, support),
a body, the session's notice, and a footer with back and the primary action.

A page renders the flow's frozen view model of its screen (:meth:`Page.show_view`,
:mod:`kiosk.flow.views`) and sends intents (calls the session's step controllers);
it computes nothing itself. :meth:`Page.render_view` gets the view shown before, so a
keystroke in one field updates what changed, not the whole page. Texts go
through ``self.tr`` and are set again in :meth:`Page.retranslate` when the
language changes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from kiosk.flow.views import Action, View

if TYPE_CHECKING:
    from kiosk.session import Session


def label(role: str = "", *, wrap: bool = True) -> QLabel:
    lab = QLabel()
    if role:
        lab.setProperty("role", role)
    lab.setWordWrap(wrap)
    lab.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
    return lab


def button(role: str = "", *, checkable: bool = False) -> QPushButton:
    btn = QPushButton()
    if role:
        btn.setProperty("role", role)
    btn.setCheckable(checkable)
    btn.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # touch: no focus rectangles, no tab escapes
    btn.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
    return btn


def restyle(widget: QWidget, name: str, value: str) -> None:
    """Set a property the stylesheet selects on (``role``, ``tone``) and apply it now."""
    if widget.property(name) != value:
        widget.setProperty(name, value)
        widget.style().unpolish(widget)  # a dynamic property: the sheet applies on polish
        widget.style().polish(widget)


def set_tone(widget: QWidget, tone: str) -> None:
    """Style a banner by its message's tone (``problem`` red, ``info`` blue, ``ok`` green:
    kiosk.qss); good news in the problem's red read as a failure."""
    restyle(widget, "tone", tone)


def reason_label() -> QLabel:
    """The words beside or under a disabled action saying why it is disabled."""
    lab = label("hint")
    lab.setObjectName("reason")
    lab.hide()
    return lab


def show_action(btn: QPushButton, action: Action, reason: QLabel, lang: str) -> None:
    """Render one :class:`~kiosk.flow.views.Action`: shown or not, enabled or not, and a
    disabled one's reason in words in ``reason`` (hidden when there is none to say)."""
    btn.setVisible(action.visible)
    btn.setEnabled(action.enabled)
    why = action.reason if action.visible and not action.enabled else None
    reason.setVisible(why is not None)
    reason.setText(why.get(lang) if why is not None else "")


class Header(QWidget):
    """The bar on every screen: title, help, support, large text, language."""

    helpRequested = Signal()
    supportRequested = Signal()
    languageRequested = Signal()
    largeTextRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("header")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.row = row = QHBoxLayout(self)
        row.setContentsMargins(16, 8, 16, 8)
        self.title = QLabel()
        self.who = QLabel()  # who is identified, masked (张*)
        self.help = button()
        self.support = button()
        self.large = button(checkable=True)
        self.language = button()
        row.addWidget(self.title, 1)
        row.addWidget(self.who)
        for btn in (self.help, self.support, self.large, self.language):
            row.addWidget(btn)
        self.help.clicked.connect(self.helpRequested)
        self.support.clicked.connect(self.supportRequested)
        self.language.clicked.connect(self.languageRequested)
        self.large.clicked.connect(self.largeTextRequested)
        self.retranslate()

    def retranslate(self) -> None:
        self.help.setText(self.tr("? Help"))
        self.support.setText(self.tr("Support"))
        self.large.setText(self.tr("A+ Large text"))

    def set_compact(self, on: bool) -> None:
        """While the docked keyboard is up: the title only, on a slim bar. The buttons come
        back with the keyboard's hide key; the keyboard has its own language key. At
        1280x800 the keyboard takes half the window: the full bar left a page of about
        190 px, too little for a field, its label and a message (issue 11)."""
        for btn in (self.help, self.support, self.large, self.language):
            btn.setVisible(not on)
        self.row.setContentsMargins(16, 2 if on else 8, 16, 2 if on else 8)

    def show_language(self, lang: str) -> None:
        # The switch names the OTHER language, in that language (not translated).
        self.language.setText("English" if lang.startswith("zh") else "简体中文")

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)


class Page(QWidget):
    """A screen: header, notice, scrollable body, footer (back left, primary right)."""

    helpText = ""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.lang = "zh_CN"
        self.shown: View | None = None  # the view model on show
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        self.header = Header()
        outer.addWidget(self.header)
        # The notice (banner) right under the header: always in sight, and never flush
        # against a half-shown line at the scroll area's bottom, where it read as drawn
        # over the body (printer_problem, result_unknown in large text at 1280x800).
        self.notice = label("notice")
        set_tone(self.notice, "problem")
        self.notice.hide()
        outer.addWidget(self.notice)
        inner = QWidget()
        self.body = QVBoxLayout(inner)
        self.body.setContentsMargins(40, 24, 40, 16)
        self.body.setSpacing(16)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        outer.addWidget(scroll, 1)
        self.scroll_area = scroll
        self.helpbox = label("hint")
        self.helpbox.setObjectName("card")
        self.helpbox.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.helpbox.setContentsMargins(16, 12, 16, 12)
        self.helpbox.hide()
        self.header.helpRequested.connect(self.toggle_help)
        footer = QWidget()
        rows = QVBoxLayout(footer)
        rows.setContentsMargins(0, 0, 0, 0)
        rows.setSpacing(0)
        # Why the primary action is greyed out, in words, right-aligned on a row of its
        # own above it (hidden when enabled). Beside the button it ran under the voice
        # controls floating over the footer's middle (English, large text); its width
        # stops short of them (reserve_footer_centre).
        self.primary_reason = reason_label()
        self.primary_reason.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        reason_row = QHBoxLayout()
        reason_row.setContentsMargins(40, 0, 40, 0)
        self.primary_reason.setSizePolicy(QSizePolicy.Policy.Expanding,
                                          QSizePolicy.Policy.Preferred)
        reason_row.addStretch(1)
        reason_row.addWidget(self.primary_reason, 1000)  # as wide as allowed, then wrap
        rows.addLayout(reason_row)
        self.footer = QHBoxLayout()
        self.footer.setContentsMargins(40, 8, 40, 24)
        self.footer.setSpacing(24)
        rows.addLayout(self.footer)
        self._centre_reserve = 0
        outer.addWidget(self.helpbox)
        outer.addWidget(footer)
        self.back = button()
        self.back.clicked.connect(session.back)
        self.footer.addWidget(self.back)
        self.footer.addStretch(1)
        self.primary = button("primary")
        self.footer.addWidget(self.primary)
        self.build()
        self.retranslate()

    def reserve_footer_centre(self, width: int) -> None:
        """Something ``width`` px wide floats over the footer's middle (the voice
        controls): keep the disabled action's reason right of it."""
        self._centre_reserve = width
        self._fit_reason()

    def _fit_reason(self) -> None:
        room = (self.width() - self._centre_reserve) // 2 - 40 - 8
        self.primary_reason.setMaximumWidth(max(120, room))

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt API)
        super().resizeEvent(event)
        self._fit_reason()

    # subclasses -----------------------------------------------------------------
    def build(self) -> None:
        """Add the screen's widgets to ``self.body`` and wire intents."""

    def texts(self) -> None:
        """Set every translatable text (called on build and on LanguageChange)."""

    def render_view(self, view: View, before: View | None) -> None:
        """Show ``view``; ``before`` is the one shown until now (None: draw everything).
        A page whose screen shows only its frame (header, notice) needs nothing more."""

    def title(self) -> str:
        return self.tr("Self-service invoicing")

    def help(self) -> str:
        return self.tr("Follow the steps on the screen. Staff can help you at any time.")

    # shared ---------------------------------------------------------------------
    def toggle_help(self) -> None:
        self.session.touch()
        self.helpbox.setText(self.help())
        self.helpbox.setVisible(not self.helpbox.isVisible())

    def retranslate(self) -> None:
        self.shown = None  # translated texts: draw everything again
        self.back.setText(self.tr("< Back"))
        self.header.retranslate()
        self.texts()

    def show_view(self, view: View, lang: str) -> None:
        """Render ``view`` in ``lang``; only what differs from the view on show changes."""
        before = self.shown if lang == self.lang else None
        self.lang = lang
        if before is None:
            self.header.show_language(lang)
            self.header.title.setText(self.title())
        frame = view.frame
        if before is None or before.frame.who != frame.who:
            self.header.who.setText(frame.who)
        if before is None or before.frame.notice != frame.notice:
            self.notice.setVisible(frame.notice is not None)
            if frame.notice is not None:
                self.notice.setText(frame.notice.get(lang))
                set_tone(self.notice, frame.notice.tone)
        self.shown = view
        self.render_view(view, before)

    def set_typing(self, on: bool) -> None:
        """The docked keyboard came up (``on``) or went away: while it is up the header is
        slim, the help folded and the margins narrow, so the field being typed into, its
        label and the notice all fit above the keyboard."""
        self.header.set_compact(on)
        if on:
            self.helpbox.hide()
        self.body.setContentsMargins(40, 8 if on else 24, 40, 8 if on else 16)
        self.footer.setContentsMargins(40, 4 if on else 8, 40, 8 if on else 24)

    def reset_widgets(self) -> None:
        """Put what only the screen holds (not the session) back for the next person:
        help folded, scrolled to the top. Pages with more such state extend this."""
        self.helpbox.hide()
        self.scroll_area.verticalScrollBar().setValue(0)

    def redraw(self) -> None:
        """Forget what is on show: the next :meth:`show_view` draws everything (language, wipe)."""
        self.shown = None

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def add_row(self, *widgets: QWidget, stretch: bool = True) -> QHBoxLayout:
        row = QHBoxLayout()
        row.setSpacing(16)
        for w in widgets:
            row.addWidget(w)
        if stretch:
            row.addStretch(1)
        self.body.addLayout(row)
        return row
