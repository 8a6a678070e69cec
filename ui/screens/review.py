"""REVIEW (everything read back, issue date shown), ISSUING (progress) and RESULT
(invoice number, download QR, e-mail, receipt)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QProgressBar, QPushButton, QVBoxLayout

from kiosk.flow.states import Screen
from kiosk.flow.views import ResultView, ReviewView, View, money
from kiosk.model import InvoiceKind, Medium
from ui.screens.base import Page, button, label, reason_label, restyle, show_action
from ui.screens.orders import input_edit
from ui.widgets.lines import LinesTable
from ui.widgets.qr import show_qr
from ui.widgets.text_input import InputKind


class ReviewPage(Page):
    """The hub of a walk-in: a scanned receipt opens it with every figure and the buyer
    read back (the title in large type), one touch to issue, and the title, the options
    and the items one touch away. A title code scanned over a title asks first."""

    def build(self) -> None:
        s = self.session
        self.offer = self._offer_panel()
        self.body.addWidget(self.offer)
        # Each "change" button sits beside what it changes (not in a row of their own), so
        # every line of an order of up to five, the sums, the words and the kind and date
        # fit the 1920x1080 screen unscrolled, in both languages and large text.
        self.buyer_name = label("title")
        self.buyer_tax = label("big")
        # Five lines before the table scrolls (rows as tall as their text).
        self.table = LinesTable(5, max_rows=5)
        self.sums = label("big")
        self.words = label("big")
        self.meta = label()
        self.edit_buyer, self.edit_options, self.edit_orders = button(), button(), button()
        self.edit_buyer.clicked.connect(lambda: s.review.edit(Screen.BUYER))
        self.edit_options.clicked.connect(lambda: s.review.edit(Screen.OPTIONS))
        self._items_screen = Screen.ORDERS  # where "change items" goes (from the view)
        self.edit_orders.clicked.connect(lambda: s.review.edit(self._items_screen))
        self._beside(self.edit_buyer, self.buyer_name, self.buyer_tax)
        # Remembered titles of an identified person: one touch fills the buyer.
        self.titles_label = label("hint")
        self.titles_row = QHBoxLayout()
        self.title_buttons: list[QPushButton] = []
        self.titles_row.addWidget(self.titles_label)
        self.titles_row.addStretch(1)
        self.body.addLayout(self.titles_row)
        self.body.addWidget(self.table)
        self._beside(self.edit_orders, self.sums, self.words)
        self._beside(self.edit_options, self.meta)
        self.body.addStretch(1)
        self.primary.clicked.connect(s.review.confirm)

    def _beside(self, action: QPushButton, *texts: QLabel) -> None:
        """Texts on the left (they wrap), the button that changes them on the right."""
        row = QHBoxLayout()
        row.setSpacing(16)
        column = QVBoxLayout()
        column.setSpacing(8)
        for text in texts:
            column.addWidget(text)
        row.addLayout(column, 1)
        row.addWidget(action, 0, Qt.AlignmentFlag.AlignTop)
        self.body.addLayout(row)

    def _offer_panel(self) -> QFrame:
        """"Replace the title?": the title on the review and the scanned one, side by side."""
        panel = QFrame()
        panel.setObjectName("card")
        panel.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        box = QVBoxLayout(panel)
        self.offer_head = label("warn")
        self.offer_old = label("big")
        self.offer_new = label("big")
        self.take_offer, self.keep_title = button("primary"), button()
        self.take_offer.clicked.connect(self.session.buyer.take_offer)
        self.keep_title.clicked.connect(self.session.buyer.keep_title)
        row = QHBoxLayout()
        row.addWidget(self.keep_title)
        row.addWidget(self.take_offer)
        row.addStretch(1)
        for w in (self.offer_head, self.offer_old, self.offer_new):
            box.addWidget(w)
        box.addLayout(row)
        panel.hide()
        return panel

    def _show_titles(self, titles: tuple[str, ...]) -> None:
        for btn in self.title_buttons:
            btn.deleteLater()
        self.title_buttons = []
        for i, name in enumerate(titles):
            btn = button()
            btn.setText(name)
            btn.clicked.connect(lambda _=False, n=i: self.session.buyer.use_title(n))
            self.titles_row.insertWidget(1 + i, btn)
            self.title_buttons.append(btn)
        self.titles_label.setVisible(bool(titles))

    def help(self) -> str:
        return self.tr("Check the name and tax ID letter by letter: an issued invoice cannot be changed, only cancelled by a red-letter invoice. Then tap Confirm and issue.")

    def title(self) -> str:
        return self.tr("Check and confirm")

    def texts(self) -> None:
        self.table.setHorizontalHeaderLabels(
            [self.tr("Item"), self.tr("Qty"), self.tr("Net"), self.tr("Rate"), self.tr("Tax")])
        self.edit_buyer.setText(self.tr("Change title"))
        self.edit_options.setText(self.tr("Kind, paper or electronic"))
        self.edit_orders.setText(self.tr("Change items"))
        self.titles_label.setText(self.tr("Your saved titles:"))
        self.offer_head.setText(self.tr("You scanned a title code. Replace the title on this "
                                        "invoice?"))
        self.take_offer.setText(self.tr("Use the scanned title"))
        self.keep_title.setText(self.tr("Keep the current title"))
        self.primary.setText(self.tr("Confirm and issue"))

    def render_view(self, view: View, before: View | None) -> None:
        assert isinstance(view, ReviewView)
        if view == before:
            return
        old = before if isinstance(before, ReviewView) else None
        self._items_screen = view.items_screen
        if old is None or old.titles != view.titles:
            self._show_titles(view.titles)
        self.offer.setVisible(view.offer is not None)
        if view.offer is not None:
            self.offer_old.setText(self.tr("Now: %1").replace(
                "%1", self._title_line(view.offer.old_name, view.offer.old_tax_id)))
            self.offer_new.setText(self.tr("Scanned: %1").replace(
                "%1", self._title_line(view.offer.new_name, view.offer.new_tax_id)))
        self.buyer_name.setText(view.buyer_name)
        self.buyer_tax.setText(self.tr("Tax ID: %1").replace("%1", view.buyer_tax_id)
                               if view.buyer_tax_id else self.tr("No tax ID (personal)"))
        self.table.set_rows([[r.item, r.quantity, r.amount, r.rate, r.tax] for r in view.rows])
        self.sums.setText(self.tr("Net %1 + tax %2 = total %3")
                          .replace("%1", money(view.net)).replace("%2", money(view.tax))
                          .replace("%3", money(view.total)))
        self.words.setText(self.tr("In words: %1").replace("%1", view.words))
        kind = (self.tr("Special VAT invoice") if view.kind is InvoiceKind.SPECIAL
                else self.tr("Ordinary invoice"))
        medium = (self.tr("Electronic") if view.medium is Medium.ELECTRONIC
                  else self.tr("Paper, by post") if view.by_post
                  else self.tr("Paper, pick up at the counter"))
        self.meta.setText(self.tr("%1 · %2 · Issue date: %3 (today)")
                          .replace("%1", kind).replace("%2", medium).replace("%3", view.issue_date))
        show_action(self.primary, view.confirm, self.primary_reason, self.lang)

    def _title_line(self, name: str, tax_id: str) -> str:
        return (self.tr("%1, tax ID %2").replace("%1", name).replace("%2", tax_id) if tax_id
                else name)


class IssuingPage(Page):
    def build(self) -> None:
        self.back.hide()
        self.primary.hide()
        self.body.addStretch(1)
        self.head = label("title")
        self.head.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.body.addWidget(self.head)
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)  # busy: the platform gives no percentage
        self.body.addWidget(self.progress)
        self.text = label("big")
        self.text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.body.addWidget(self.text)
        self.body.addStretch(1)

    def title(self) -> str:
        return self.tr("Issuing")

    def texts(self) -> None:
        self.head.setText(self.tr("Issuing your invoice…"))
        self.text.setText(self.tr("This takes a few seconds. Please do not leave."))

    def render_view(self, view: View, before: View | None) -> None:
        """A claim slip being looked up says so as the headline (the flow's notice)."""
        notice = view.frame.notice
        if notice is not None:
            self.head.setText(notice.get(self.lang))
            self.notice.hide()
        elif before is not None and before.frame.notice is not None:
            self.head.setText(self.tr("Issuing your invoice…"))


class ResultPage(Page):
    def build(self) -> None:
        self.back.hide()
        self.head = label("title")
        self.body.addWidget(self.head)
        columns = QHBoxLayout()
        left = QVBoxLayout()
        right = QVBoxLayout()
        columns.addLayout(left, 3)
        columns.addLayout(right, 2)
        self.body.addLayout(columns)
        self.number = label("big")
        self.status = label("ok")
        self.mail_status = label("ok")
        self.email = input_edit(InputKind.EMAIL)
        self.send = button()
        self.reprint = button()
        # The e-mail address is the first personal data a 个人 walk-in is asked for: the
        # privacy notice is summarised here until accepted (sending accepts it).
        self.privacy = label("hint")
        self.full_terms = button("link")
        self.full_terms.clicked.connect(self.session.identify.show_terms)
        self.send_reason, self.reprint_reason = reason_label(), reason_label()
        for w in (self.number, self.status, self.mail_status, self.email, self.send,
                  self.send_reason, self.reprint, self.reprint_reason):
            left.addWidget(w)
        left.addStretch(1)
        self.qr = QLabel()
        self.qr.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.qr_hint = label("hint")
        self.qr_hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        right.addWidget(self.qr)
        right.addWidget(self.qr_hint)
        right.addWidget(self.privacy)  # beside the e-mail field, the reprint stays in view
        right.addWidget(self.full_terms)
        right.addStretch(1)
        self.send.clicked.connect(lambda: self.session.review.send_email(self.email.text()))
        self.reprint.clicked.connect(self.session.review.print_receipt)
        self.body.addStretch(1)
        self.primary.clicked.connect(self.session.finish)
        # An identified person goes on to the personal centre (the new invoice is there).
        self.my_invoices = button()
        self.my_invoices.clicked.connect(self.session.centre.open)
        self.my_invoices.hide()
        self.footer.insertWidget(1, self.my_invoices)
        self._qr_for = ""

    def title(self) -> str:
        return self.tr("Your invoice")

    def texts(self) -> None:
        self.head.setText(self.tr("Your invoice has been issued"))
        self.qr_hint.setText(self.tr("Scan with your phone to download the PDF and XML"))
        self.email.setPlaceholderText(self.tr("E-mail address"))
        self.send.setText(self.tr("Send by e-mail"))
        self.privacy.setText(self.tr(
            "Sending accepts our privacy notice: the address is used only for this invoice."))
        self.full_terms.setText(self.tr("Read the full privacy notice"))
        self.reprint.setText(self.tr("Print the receipt again"))
        self.my_invoices.setText(self.tr("My invoices"))
        self.primary.setText(self.tr("Finish"))

    def render_view(self, view: View, before: View | None) -> None:
        assert isinstance(view, ResultView)
        self.my_invoices.setVisible(view.my_invoices.visible)
        if not view.invoice_number:
            self.number.clear()
            self.qr.clear()
            self._qr_for = ""
            self.email.clear()
            return
        self.number.setText(self.tr("Invoice number: %1").replace("%1", view.invoice_number))
        if view.download_url and self._qr_for != view.download_url:
            show_qr(self.qr, view.download_url, 260)
            self._qr_for = view.download_url
        self.qr.setVisible(bool(view.download_url))
        self.qr_hint.setVisible(bool(view.download_url))
        # Each in its own style: "no receipt" in the success green read as all well.
        if view.printing:
            self.status.setText(self.tr("Printing your receipt…"))
            restyle(self.status, "role", "hint")
        elif view.printed:
            self.status.setText(self.tr("Receipt printed: take it from the slot below."))
            restyle(self.status, "role", "ok")
        else:
            self.status.setText(self.tr("No receipt printed: use the QR code or e-mail."))
            restyle(self.status, "role", "warn")
        if view.mailing:
            self.mail_status.setText(self.tr("Sending the e-mail…"))
        elif view.mail_sent:
            self.mail_status.setText(self.tr("E-mail sent."))
        self.mail_status.setVisible(view.mailing or view.mail_sent)
        show_action(self.send, view.send, self.send_reason, self.lang)
        self.privacy.setVisible(not view.terms_accepted)
        self.full_terms.setVisible(not view.terms_accepted)
        show_action(self.reprint, view.reprint, self.reprint_reason, self.lang)
        if not self.email.text() and view.email:
            self.email.setText(view.email)
