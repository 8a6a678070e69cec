"""The personal centre: CENTRE (my invoices and requests) and CENTRE_INVOICE (one
invoice: its PDF, reprint, resend, download QR, "change this invoice").

The pages render :mod:`kiosk.flow.views_centre` and call
:class:`~kiosk.flow.centre.CentreStep`; who may see which invoice is decided in the
core, never here.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
)

from kiosk.centre.requests import LIMIT
from kiosk.flow.views import Action, View
from kiosk.flow.views_centre import CentreInvoiceView, CentreListView, InvoiceRow, RequestRow
from ui.screens.base import Page, button, label, reason_label
from ui.screens.base import show_action as base_show_action
from ui.screens.orders import input_edit
from ui.widgets.lines import LinesTable
from ui.widgets.qr import show_qr
from ui.widgets.text_input import InputKind

ROWS = 6  # the list's page size (kiosk.centre.store.PAGE_SIZE)
CHANGES = 3  # open changes shown at the top with a "continue" button
REQUESTS = 3  # "my requests" shown before "all my requests" is pressed


def show_action(btn: QPushButton, action: Action, reason: QLabel | None = None,
                lang: str = "zh_CN") -> None:
    """Shown or not, enabled or not; with ``reason``, a disabled one says why in words
    (:func:`ui.screens.base.show_action`)."""
    if reason is not None:
        base_show_action(btn, action, reason, lang)
        return
    btn.setVisible(action.visible)
    btn.setEnabled(action.enabled)


def row_texts(row: InvoiceRow, lang: str) -> tuple[str, str]:
    first = f"{row.number}   {row.date}   {row.total}   {row.state.get(lang)}"
    more = [x.get(lang) for x in (row.relation, row.paper) if x is not None]
    second = "   ".join([row.buyer, *more])
    return first, second


class InvoiceCard(QFrame):
    """One invoice of the list: its figures in two lines, open and reprint."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("card")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        row = QHBoxLayout(self)
        row.setContentsMargins(16, 8, 16, 8)
        texts = QVBoxLayout()
        self.first = label("big")
        self.second = label("hint")
        texts.addWidget(self.first)
        texts.addWidget(self.second)
        row.addLayout(texts, 1)
        self.open = button()
        self.reprint = button()
        row.addWidget(self.open)
        row.addWidget(self.reprint)
        self.number = ""


class RequestCard(QFrame):
    """One of "my requests": what and when, its state in plain words, and "continue"."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("card")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        row = QHBoxLayout(self)
        row.setContentsMargins(16, 8, 16, 8)
        texts = QVBoxLayout()
        self.first = label("big")
        self.second = label("hint")
        texts.addWidget(self.first)
        texts.addWidget(self.second)
        row.addLayout(texts, 1)
        self.resume = button()
        row.addWidget(self.resume)
        self.reference = ""

    def show_row(self, row: RequestRow, lang: str) -> None:
        self.reference = row.reference
        self.first.setText(f"{row.date}   {row.title.get(lang)}   "
                           f"[{row.state_words.get(lang)}]")
        role = {"failed": "error", "waiting": "warn"}.get(row.state, "big")
        if self.first.property("role") != role:
            self.first.setProperty("role", role)
            self.first.style().polish(self.first)
        self.second.setText(row.detail.get(lang))
        self.resume.setVisible(row.resume)


class CentrePage(Page):
    def build(self) -> None:
        self.head = label("title")
        self.body.addWidget(self.head)
        self.query = input_edit(InputKind.CODE)  # numbers, dates, amounts: no pinyin
        self.query.setMaxLength(40)
        self.search = button()
        self.clear = button()
        self.add_row(self.query, self.search, self.clear, stretch=False)
        self.changes_head = label("warn")
        self.body.addWidget(self.changes_head)
        self.change_buttons: list[QPushButton] = []
        changes_row = QHBoxLayout()
        for _ in range(CHANGES):
            btn = button()
            btn.clicked.connect(lambda _c=False, b=btn: self.session.centre.resume(
                b.property("reference")))
            self.change_buttons.append(btn)
            changes_row.addWidget(btn)
        changes_row.addStretch(1)
        self.body.addLayout(changes_row)
        self.empty = label("big")
        self.body.addWidget(self.empty)
        self.cards: list[InvoiceCard] = []
        for _ in range(ROWS):
            card = InvoiceCard()
            card.open.clicked.connect(lambda _c=False, k=card: self.session.centre.pick(k.number))
            card.reprint.clicked.connect(
                lambda _c=False, k=card: self.session.centre.reprint(k.number))
            self.cards.append(card)
            self.body.addWidget(card)
        self.previous, self.next = button(), button()
        self.forget = button("danger")
        self._forget_armed = False
        paging = self.add_row(self.previous, self.next)
        paging.addWidget(self.forget)
        # "My requests" under the invoices: the newest invoice stays at the top of the
        # screen (reprint in two touches), the history of requests is one scroll away.
        self.requests_head = label("title")
        self.body.addWidget(self.requests_head)
        self.request_cards: list[RequestCard] = []
        for _ in range(LIMIT):
            req = RequestCard()
            req.resume.clicked.connect(
                lambda _c=False, k=req: self.session.centre.resume(k.reference))
            req.hide()
            self.request_cards.append(req)
            self.body.addWidget(req)
        self.all_requests = button()
        self.all_requests.setCheckable(True)
        self.all_requests.clicked.connect(self._all_requests)
        self.add_row(self.all_requests)
        self.body.addStretch(1)
        self.search.clicked.connect(lambda: self.session.centre.search(self.query.text()))
        self.query.returnPressed.connect(lambda: self.session.centre.search(self.query.text()))
        self.clear.clicked.connect(self._clear)
        self.previous.clicked.connect(self.session.centre.previous_page)
        self.next.clicked.connect(self.session.centre.next_page)
        self.forget.clicked.connect(self._forget)
        self.primary.clicked.connect(self.session.finish)

    def _clear(self) -> None:
        self.query.clear()
        self.session.centre.search("")

    def _forget(self) -> None:
        """Two taps: the first asks, the second deletes (nothing to undo afterwards)."""
        if not self._forget_armed:
            self._forget_armed = True
            self.session.touch()
            self.forget.setText(self.tr("Tap again to delete my account and titles"))
            return
        self._forget_armed = False
        self.session.centre.forget_me()

    def _all_requests(self) -> None:
        self.session.touch()
        if isinstance(self.shown, CentreListView):
            self._show_requests(self.shown)

    def _show_requests(self, view: CentreListView) -> None:
        """The newest requests (all of them once "all my requests" is pressed)."""
        rows = view.requests
        shown = len(rows) if self.all_requests.isChecked() else min(len(rows), REQUESTS)
        self.requests_head.setVisible(bool(rows))
        for i, req in enumerate(self.request_cards):
            if i < shown:
                req.show_row(rows[i], self.lang)
                req.show()
            else:
                req.hide()
        self.all_requests.setVisible(len(rows) > REQUESTS)
        self.all_requests.setText(
            self.tr("Show fewer requests") if self.all_requests.isChecked()
            else self.tr("All my requests (%1)").replace("%1", str(len(rows))))

    def reset_widgets(self) -> None:
        super().reset_widgets()
        self.all_requests.setChecked(False)

    def title(self) -> str:
        return self.tr("My invoices")

    def help(self) -> str:
        return self.tr("Your invoices, newest first. Search by invoice number, order number, "
                       "date (2026-11-29) or amount (56.00). Open one to see it, send it or "
                       "change it.")

    def texts(self) -> None:
        self.head.setText(self.tr("Your invoices and requests"))
        self.query.setPlaceholderText(self.tr("Invoice no., order no., date or amount"))
        self.search.setText(self.tr("Search"))
        self.clear.setText(self.tr("Show all"))
        self.changes_head.setText(self.tr("Changes in progress: tap to continue"))
        self.requests_head.setText(self.tr("My requests"))
        for req in self.request_cards:
            req.resume.setText(self.tr("Continue"))
        self.previous.setText(self.tr("< Newer"))
        self.next.setText(self.tr("Older >"))
        self._forget_armed = False
        self.forget.setText(self.tr("Delete my account and titles"))
        self.primary.setText(self.tr("Finish"))
        for card in self.cards:
            card.open.setText(self.tr("Open"))
            card.reprint.setText(self.tr("Reprint"))

    def render_view(self, view: View, before: View | None) -> None:
        assert isinstance(view, CentreListView)
        if view == before:
            return
        if self.query.text() != view.query:
            self.query.setText(view.query)
        for i, card in enumerate(self.cards):
            if i < len(view.rows):
                row = view.rows[i]
                card.number = row.number
                first, second = row_texts(row, self.lang)
                card.first.setText(first)
                role = "error" if row.red else "big"
                if card.first.property("role") != role:  # re-polish only on a change
                    card.first.setProperty("role", role)
                    card.first.style().polish(card.first)
                card.second.setText(second)
                show_action(card.reprint, view.reprint)
                card.show()
            else:
                card.hide()
        self.empty.setVisible(view.empty is not None)
        if view.empty is not None:
            self.empty.setText(view.empty.get(self.lang))
        self.changes_head.setVisible(bool(view.changes))
        for i, btn in enumerate(self.change_buttons):
            if i < len(view.changes):
                change = view.changes[i]
                btn.setProperty("reference", change.reference)
                btn.setText(self.tr("Continue %1").replace("%1", change.reference))
                btn.show()
            else:
                btn.hide()
        self._show_requests(view)
        show_action(self.previous, view.previous)
        show_action(self.next, view.next)
        show_action(self.forget, view.forget)


class CentreInvoicePage(Page):
    def build(self) -> None:
        self.pdf_button, self.reprint, self.qr_button, self.change = (
            button(), button(), button(), button())
        self.head = label("title")
        self.state = label("big")
        self.relation = label("hint")
        for w in (self.head, self.state, self.relation):
            self.body.addWidget(w)
        actions = QGridLayout()  # full width: long labels in large text stay whole
        for i, btn in enumerate((self.pdf_button, self.reprint, self.qr_button, self.change)):
            actions.addWidget(btn, i // 2, i % 2)  # 2x2: whole in large English text
        self.body.addLayout(actions)
        # Why reprinting or changing is greyed out, in words (hidden when enabled).
        self.reprint_reason, self.change_reason = reason_label(), reason_label()
        self.body.addWidget(self.reprint_reason)
        self.body.addWidget(self.change_reason)
        columns = QHBoxLayout()
        left, right = QVBoxLayout(), QVBoxLayout()
        columns.addLayout(left, 3)
        columns.addLayout(right, 2)
        self.body.addLayout(columns)
        self.table = LinesTable(3, max_rows=5)
        left.addWidget(self.table)
        self.email = input_edit(InputKind.EMAIL)
        self.send = button()
        mail = QHBoxLayout()
        mail.addWidget(self.email, 1)
        mail.addWidget(self.send)
        left.addLayout(mail)
        self.mailed = label("ok")
        left.addWidget(self.mailed)
        left.addStretch(1)
        self.picture = QLabel()
        self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        right.addWidget(self.picture)
        right.addStretch(1)
        self.body.addStretch(1)
        centre = self.session.centre
        self.pdf_button.clicked.connect(centre.show_pdf)
        self.reprint.clicked.connect(lambda: centre.reprint())
        self.qr_button.clicked.connect(centre.toggle_qr)
        self.change.clicked.connect(centre.change)
        self.send.clicked.connect(lambda: centre.send_email(self.email.text()))
        self.primary.clicked.connect(centre.open)

    def title(self) -> str:
        return self.tr("My invoice")

    def help(self) -> str:
        return self.tr("See the invoice, print its receipt again, send it by e-mail, show the "
                       "code to download it, or ask to change it.")

    def texts(self) -> None:
        self.table.setHorizontalHeaderLabels([self.tr("Item"), self.tr("Qty"),
                                              self.tr("Amount")])
        self.pdf_button.setText(self.tr("View the invoice"))
        self.reprint.setText(self.tr("Reprint the receipt"))
        self.qr_button.setText(self.tr("Download code"))
        self.change.setText(self.tr("Change this invoice"))
        self.email.setPlaceholderText(self.tr("E-mail address"))
        self.send.setText(self.tr("Send by e-mail"))
        self.primary.setText(self.tr("Back to my invoices"))

    def render_view(self, view: View, before: View | None) -> None:
        assert isinstance(view, CentreInvoiceView)
        if view == before:
            return
        old = before if isinstance(before, CentreInvoiceView) else None
        row = view.row
        if row is not None and (old is None or old.row != row):
            self.head.setText(self.tr("Invoice %1").replace("%1", row.number))
            self.state.setText(f"{row.date}   {row.total}   {row.state.get(self.lang)}")
            self.relation.setText("   ".join(
                x.get(self.lang) for x in (row.relation, row.paper) if x is not None))
            self.table.set_rows([list(x) for x in view.lines])
            self.email.setText(view.email)
        show_action(self.reprint, view.reprint, self.reprint_reason, self.lang)
        show_action(self.change, view.change, self.change_reason, self.lang)
        show_action(self.send, view.send)
        self.pdf_button.setEnabled(not view.loading_pdf)
        self.qr_button.setVisible(bool(view.download_url))
        self.mailed.setVisible(bool(view.mailed_to))
        self.mailed.setText(self.tr("Sent to %1").replace("%1", view.mailed_to))
        if view.mailed_to and (old is None or old.mailed_to != view.mailed_to):
            # "Sent to ..." lies under the e-mail row, below the fold at 1280x800: bring it
            # into sight once the layout has placed it, or the tap seemed to do nothing.
            QTimer.singleShot(0, lambda: self.scroll_area.ensureWidgetVisible(self.mailed))
        if view.pdf_png:
            pixmap = QPixmap()
            pixmap.loadFromData(view.pdf_png, "PNG")
            self.picture.setPixmap(pixmap.scaledToWidth(
                min(pixmap.width(), 560), Qt.TransformationMode.SmoothTransformation))
            self.picture.show()
        elif view.qr_shown and view.download_url:
            show_qr(self.picture, view.download_url, 260)
            self.picture.show()
        else:
            self.picture.clear()
            self.picture.hide()
