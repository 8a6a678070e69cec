"""BUYER (person or company, title, tax ID with live check, optional fields, remembered
titles, scanned title code) and OPTIONS (ordinary/special, electronic/paper)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QGridLayout, QLabel, QLineEdit, QPushButton, QWidget

from kiosk.flow.views import BuyerView, OptionsView, View
from kiosk.messages import Text
from kiosk.model import BuyerType, InvoiceKind, Medium
from ui.screens.base import Page, button, label
from ui.screens.orders import input_edit
from ui.widgets.text_input import InputKind

FIELDS = ("address", "phone", "bank", "account", "email")
FIELD_KINDS = {"phone": InputKind.PHONE, "account": InputKind.DIGITS, "email": InputKind.EMAIL}


class BuyerPage(Page):
    def build(self) -> None:
        s = self.session
        self.person = button(checkable=True)
        self.company = button(checkable=True)
        self.person.clicked.connect(lambda: s.buyer.set_type(BuyerType.PERSON))
        self.company.clicked.connect(lambda: s.buyer.set_type(BuyerType.COMPANY))
        self.add_row(self.person, self.company)
        self.titles_label = label("hint")
        self.body.addWidget(self.titles_label)
        self.titles_row = self.add_row()
        self.title_buttons: list[QPushButton] = []
        self.name_label, self.taxid_label = label(), label()
        self.name = input_edit()
        self.tax_id = input_edit(InputKind.CODE)
        self.tax_id.setMaxLength(20)
        self.feedback = label()
        self.confirm = button("danger")
        self.confirm.clicked.connect(s.buyer.confirm_tax_id)
        self.problem_labels: dict[str, QLabel] = {}
        self.body.addWidget(self.name_label)
        self.body.addWidget(self.name)
        self.body.addWidget(self._problem_label("name"))
        self.body.addWidget(self.taxid_label)
        self.body.addWidget(self.tax_id)
        # The verdict right under the field, as it is typed (above the keypad, not below it).
        self.body.addWidget(self.feedback)
        # The tax ID has its own keypad (digits and credit-code letters); the other
        # fields use the docked virtual keyboard with pinyin.
        from ui.widgets.keypad import AlphanumericKeypad

        self.tax_id.setProperty("kioskKeyboard", False)
        self.keypad = AlphanumericKeypad(max_length=20)
        self.keypad.attach(self.tax_id)
        self.keypad.setMaximumWidth(900)
        self.keypad.hide()
        self.body.addWidget(self.keypad)
        self.tax_id.installEventFilter(self)
        self.tax_id.returnPressed.connect(self.keypad.hide)
        self.add_row(self.confirm)
        self.qr_hint = label("hint")
        self.body.addWidget(self.qr_hint)
        self.more = button(checkable=True)
        self.add_row(self.more)
        self.extra = QWidget()
        grid = QGridLayout(self.extra)
        self.extra_labels: dict[str, object] = {}
        self.edits: dict[str, QLineEdit] = {"name": self.name, "tax_id": self.tax_id}
        for row, key in enumerate(FIELDS):
            lab = label()
            edit = input_edit(FIELD_KINDS.get(key, InputKind.TEXT))
            grid.addWidget(lab, 2 * row, 0)
            grid.addWidget(edit, 2 * row, 1)
            grid.addWidget(self._problem_label(key), 2 * row + 1, 1)
            self.extra_labels[key] = lab
            self.edits[key] = edit
        self.show_bank = button(checkable=True)
        grid.addWidget(self.show_bank, 2 * len(FIELDS), 1)
        self.show_bank.toggled.connect(s.buyer.set_show_address_bank)
        self.body.addWidget(self.extra)
        self.more.toggled.connect(self.extra.setVisible)
        self.extra.hide()
        for key, edit in self.edits.items():
            edit.textChanged.connect(lambda text, k=key: s.buyer.set_field(k, text))
        from ui.widgets.camera_view import CameraView

        self.photo = button()
        self.photo.clicked.connect(s.buyer.start_photo)
        self.camera_notice = label("warn")
        self.preview = CameraView()
        self.take = button()
        self.take.clicked.connect(self._take_photo)
        self.photo_done = label("ok")
        self.add_row(self.photo, self.photo_done)
        self.body.addWidget(self.camera_notice)
        self.add_row(self.preview, self.take)
        self.body.addStretch(1)
        self.primary.clicked.connect(s.buyer.next)

    def reset_widgets(self) -> None:
        super().reset_widgets()
        self.more.setChecked(False)  # the next person starts with "More" folded
        self.keypad.hide()

    def _problem_label(self, key: str) -> QLabel:
        """Under a field: what the platform would refuse about it, as it is typed."""
        lab = label("error")
        lab.hide()
        self.problem_labels[key] = lab
        return lab

    def _take_photo(self) -> None:
        png = self.preview.png()
        if png:
            self.session.buyer.attach_photo(png)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.tax_id and event.type() == QEvent.Type.MouseButtonPress:
            self.keypad.show()
        return super().eventFilter(watched, event)

    def help(self) -> str:
        return self.tr("For yourself, keep \"Personal\" and tap Next. For a company, tap Company and enter its exact name and tax ID (on its business licence), or scan its invoice-title QR code.")

    def title(self) -> str:
        return self.tr("Invoice title (buyer)")

    def texts(self) -> None:
        self.person.setText(self.tr("Personal"))
        self.company.setText(self.tr("Company"))
        self.titles_label.setText(self.tr("Your saved titles:"))
        self.name_label.setText(self.tr("Name on the invoice"))
        self.taxid_label.setText(self.tr("Tax ID (unified social credit code)"))
        self.confirm.setText(self.tr("It is correct: use it"))
        self.qr_hint.setText(self.tr("Tip: scan a company's invoice-title QR code to fill this in."))
        self.more.setText(self.tr("More: address, phone, bank, e-mail"))
        names = {"address": self.tr("Address"), "phone": self.tr("Phone"),
                 "bank": self.tr("Bank"), "account": self.tr("Account number"),
                 "email": self.tr("E-mail for the invoice")}
        for key, lab in self.extra_labels.items():
            lab.setText(names[key])  # type: ignore[attr-defined]
        self.show_bank.setText(self.tr("Print address and bank on the invoice"))
        self.photo.setText(self.tr("Add a photo of a contract or voucher (optional)"))
        self.camera_notice.setText(self.tr("● The camera is on: hold the document in front of "
                                           "it and tap \"Take the photo\"."))
        self.take.setText(self.tr("Take the photo"))
        self.photo_done.setText(self.tr("Photo attached"))
        self.primary.setText(self.tr("Next"))

    def render_view(self, view: View, before: View | None) -> None:
        assert isinstance(view, BuyerView)
        old = before if isinstance(before, BuyerView) else None
        if old is None or old.type is not view.type:
            is_company = view.type is BuyerType.COMPANY
            self.person.setChecked(not is_company)
            self.company.setChecked(is_company)
            self.taxid_label.setText(self.tr("Tax ID (unified social credit code)") if is_company
                                     else self.tr("Tax ID (optional for a person)"))
        for key, edit in self.edits.items():
            value = view.value(key)
            if edit.text() != value:
                edit.setText(value)
        if old is None or (old.tax_id_check, old.tax_id_role) != (view.tax_id_check,
                                                                  view.tax_id_role):
            self._show_text(self.feedback, view.tax_id_check, view.tax_id_role)
        if old is None or old.problems != view.problems:
            for key, lab in self.problem_labels.items():
                self._show_text(lab, view.problem(key), "error")
        self.confirm.setVisible(view.confirm_tax_id.visible)
        self.show_bank.setChecked(view.show_address_bank)
        for w in (self.camera_notice, self.preview, self.take):
            w.setVisible(view.camera_on)
        self.photo.setVisible(not view.camera_on)
        self.photo_done.setVisible(view.photo_attached)
        if old is None or old.titles != view.titles:
            self._show_titles(view.titles)
        if view.title_qr_note is not None:
            self.qr_hint.setText(view.title_qr_note.get(self.lang))

    def _show_text(self, lab: QLabel, text: Text | None, role: str) -> None:
        lab.setVisible(text is not None)
        if text is None:
            return
        lab.setText(text.get(self.lang))
        if lab.property("role") != role:
            lab.setProperty("role", role)
            lab.style().unpolish(lab)
            lab.style().polish(lab)

    def _show_titles(self, titles: tuple[str, ...]) -> None:
        """Remembered titles: one button each (rebuilt only when the titles change)."""
        for btn in self.title_buttons:
            btn.deleteLater()
        self.title_buttons = []
        for i, name in enumerate(titles):
            btn = button()
            btn.setText(name)
            btn.clicked.connect(lambda _=False, n=i: self.session.buyer.use_title(n))
            self.titles_row.insertWidget(i, btn)
            self.title_buttons.append(btn)
        self.titles_label.setVisible(bool(titles))


class OptionsPage(Page):
    def build(self) -> None:
        s = self.session
        self.kind_label, self.medium_label = label("big"), label("big")
        self.normal, self.special = button(checkable=True), button(checkable=True)
        self.electronic, self.paper = button(checkable=True), button(checkable=True)
        self.body.addWidget(self.kind_label)
        self.add_row(self.normal, self.special)
        self.special_hint = label("hint")
        self.body.addWidget(self.special_hint)
        self.body.addWidget(self.medium_label)
        self.add_row(self.electronic, self.paper)
        self.pickup, self.mail = button(checkable=True), button(checkable=True)
        self.delivery_row = self.add_row(self.pickup, self.mail)
        self.address = input_edit()
        self.body.addWidget(self.address)
        self.paper_hint = label("hint")
        self.body.addWidget(self.paper_hint)
        self.body.addStretch(1)
        self.normal.clicked.connect(lambda: s.buyer.set_kind(InvoiceKind.NORMAL))
        self.special.clicked.connect(lambda: s.buyer.set_kind(InvoiceKind.SPECIAL))
        self.electronic.clicked.connect(lambda: s.buyer.set_medium(Medium.ELECTRONIC))
        self.paper.clicked.connect(lambda: s.buyer.set_medium(Medium.PAPER))
        self.pickup.clicked.connect(lambda: s.buyer.set_paper_delivery(False))
        self.mail.clicked.connect(lambda: s.buyer.set_paper_delivery(True))
        self.address.textEdited.connect(lambda t: s.buyer.set_paper_delivery(True, t))
        self.primary.clicked.connect(s.buyer.options_next)

    def help(self) -> str:
        return self.tr("An ordinary invoice suits most needs. A special VAT invoice is for a company that deducts input tax. Electronic invoices arrive at once.")

    def title(self) -> str:
        return self.tr("Invoice options")

    def texts(self) -> None:
        self.kind_label.setText(self.tr("Type of invoice"))
        self.normal.setText(self.tr("Ordinary invoice"))
        self.special.setText(self.tr("Special VAT invoice"))
        self.special_hint.setText(self.tr(
            "A special VAT invoice lets a company deduct input tax; it needs a tax ID."))
        self.medium_label.setText(self.tr("How you receive it"))
        self.electronic.setText(self.tr("Electronic (QR code, e-mail)"))
        self.paper.setText(self.tr("Paper invoice"))
        self.pickup.setText(self.tr("Pick up at the counter"))
        self.mail.setText(self.tr("Send by post"))
        self.address.setPlaceholderText(self.tr("Mailing address"))
        self.paper_hint.setText(self.tr(
            "A paper invoice is printed on tax stock by staff; this kiosk records your request."))
        self.primary.setText(self.tr("Next"))

    def render_view(self, view: View, before: View | None) -> None:
        assert isinstance(view, OptionsView)
        self.normal.setChecked(view.kind is InvoiceKind.NORMAL)
        self.special.setChecked(view.kind is InvoiceKind.SPECIAL)
        self.special.setEnabled(view.special.enabled)
        # A disabled special invoice says why (a person; a 免税 line; no tax ID).
        reason = view.special.reason
        self.special_hint.setText(reason.get(self.lang) if reason is not None else self.tr(
            "A special VAT invoice lets a company deduct input tax; it needs a tax ID."))
        paper = view.medium is Medium.PAPER
        self.electronic.setChecked(not paper)
        self.paper.setChecked(paper)
        if self.address.text() != view.address:
            self.address.setText(view.address)
        self.pickup.setChecked(paper and not view.by_post)
        self.mail.setChecked(view.by_post)
        for w in (self.pickup, self.mail, self.paper_hint):
            w.setVisible(paper)
        self.address.setVisible(view.by_post)
