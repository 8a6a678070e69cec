""""Change this invoice": CHANGE (what is wrong, full or partial, the new title) and
CHANGE_STATUS (the state in plain words, the come-back slip, check again).

The pages render :mod:`kiosk.flow.views_centre` and call
:class:`~kiosk.flow.centre.CentreStep`; the rules (what may be credited, what the
platform needs) are checked in the core.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QLabel, QLineEdit, QPushButton

from kiosk.flow.views import View
from kiosk.flow.views_centre import ChangeStatusView, ChangeView
from ui.screens.base import Page, button, label, reason_label
from ui.screens.centre import show_action
from ui.screens.orders import input_edit
from ui.widgets.qr import show_qr
from ui.widgets.text_input import InputKind

LINES = 6  # lines offered for a partial credit


class ChangePage(Page):
    def build(self) -> None:
        self.head = label("title")
        self.body.addWidget(self.head)
        self.what_head = label("big")
        self.body.addWidget(self.what_head)
        self.whats: dict[str, QPushButton] = {}
        for what in ("title", "returned", "stopped", "allowance"):
            btn = button(checkable=True)
            btn.clicked.connect(lambda _c=False, w=what: self.session.centre.set_what(w))
            self.whats[what] = btn
        whats = list(self.whats.values())  # two rows: large English text stays whole
        self.add_row(*whats[:2])
        self.add_row(*whats[2:])
        self.full, self.partial = button(checkable=True), button(checkable=True)
        self.full.clicked.connect(lambda: self.session.centre.set_full(True))
        self.partial.clicked.connect(lambda: self.session.centre.set_full(False))
        self.add_row(self.full, self.partial)
        grid = QGridLayout()
        self.line_names: list[QLabel] = []
        self.line_counts: list[QLabel] = []
        self.line_buttons: list[tuple[QPushButton, QPushButton]] = []
        # An allowance: the amount off each line, typed in the line's own field.
        self.line_amounts: list[QLineEdit] = []
        for i in range(LINES):
            name, count = label(), label("big", wrap=False)
            minus, plus = button(), button()
            minus.setText("−")
            plus.setText("+")
            minus.clicked.connect(lambda _c=False, k=i: self._step(k, -1))
            plus.clicked.connect(lambda _c=False, k=i: self._step(k, 1))
            amount = input_edit(InputKind.NUMBER)
            amount.setMaxLength(14)
            amount.textEdited.connect(
                lambda t, k=i: self.session.centre.set_allowance(t, k))
            grid.addWidget(name, i, 0)
            grid.addWidget(minus, i, 1)
            grid.addWidget(count, i, 2, Qt.AlignmentFlag.AlignCenter)
            grid.addWidget(plus, i, 3)
            grid.addWidget(amount, i, 4)
            self.line_names.append(name)
            self.line_counts.append(count)
            self.line_buttons.append((minus, plus))
            self.line_amounts.append(amount)
        grid.setColumnStretch(0, 1)
        self.allowance_label = label("hint")  # what to type, above the lines' fields
        self.body.addWidget(self.allowance_label)
        self.body.addLayout(grid)
        form = QGridLayout()
        self.name, self.tax_id = input_edit(), input_edit(InputKind.CODE)
        self.name.setMaxLength(100)
        self.tax_id.setMaxLength(20)
        self.name_label, self.tax_label = label(wrap=False), label(wrap=False)
        form.addWidget(self.name_label, 0, 0)
        form.addWidget(self.name, 0, 1)
        form.addWidget(self.tax_label, 1, 0)
        form.addWidget(self.tax_id, 1, 1)
        form.setColumnStretch(1, 1)
        self.body.addLayout(form)
        self.name.textEdited.connect(lambda t: self.session.centre.set_buyer_field("name", t))
        self.tax_id.textEdited.connect(
            lambda t: self.session.centre.set_buyer_field("tax_id", t))
        self.check = label("warn")
        self.body.addWidget(self.check)
        # Why "submit" is greyed out, in the body: beside the button in the footer it ran
        # under the window's voice switch in large English text at 1280x800.
        self.submit_reason = reason_label()
        self.body.addWidget(self.submit_reason)
        self.body.addStretch(1)
        self.primary.clicked.connect(self.session.centre.submit)
        self._counts: tuple[tuple[str, int, int], ...] = ()

    def _step(self, index: int, delta: int) -> None:
        if index < len(self._counts):
            self.session.centre.set_quantity(index, self._counts[index][2] + delta)

    def title(self) -> str:
        return self.tr("Change this invoice")

    def help(self) -> str:
        return self.tr("An issued invoice is never altered: a red invoice cancels it (all or "
                       "part), then a corrected one is issued when the title was wrong.")

    def texts(self) -> None:
        self.what_head.setText(self.tr("What is wrong?"))
        self.full.setText(self.tr("The whole invoice"))
        self.partial.setText(self.tr("Some items"))
        self.allowance_label.setText(self.tr("Type the amount off, with tax, beside each item "
                                             "it applies to; leave the others empty."))
        for amount in self.line_amounts:
            amount.setPlaceholderText(self.tr("Amount off"))
        self.name_label.setText(self.tr("New title"))
        self.tax_label.setText(self.tr("Tax ID (empty for a person)"))
        self.primary.setText(self.tr("Ask for the change"))

    def render_view(self, view: View, before: View | None) -> None:
        assert isinstance(view, ChangeView)
        if view == before:
            return
        self.head.setText(self.tr("Invoice %1").replace("%1", view.number))
        for what, text in view.whats:
            self.whats[what].setText(text.get(self.lang))
            self.whats[what].setChecked(view.what == what)
        show_action(self.full, view.partial)
        show_action(self.partial, view.partial)
        self.full.setChecked(view.full)
        self.partial.setChecked(not view.full)
        partial = view.partial.visible and not view.full
        allowance = view.what == "allowance"
        self._counts = view.lines
        for i in range(LINES):
            here = i < len(view.lines)
            for w in (self.line_counts[i], *self.line_buttons[i]):
                w.setVisible(partial and here)
            self.line_amounts[i].setVisible(allowance and here)
            self.line_names[i].setVisible((partial or allowance) and here)
            if not here:
                continue
            name, most, chosen = view.lines[i]
            if allowance:
                self.line_names[i].setText(self.tr("%1 (up to %2)").replace("%1", name)
                                           .replace("%2", view.line_totals[i]))
                if self.line_amounts[i].text() != view.allowances[i]:
                    self.line_amounts[i].setText(view.allowances[i])
            else:
                self.line_names[i].setText(name)
            self.line_counts[i].setText(f"{chosen} / {most}")
        self.allowance_label.setVisible(allowance)
        title = view.what == "title"
        for field in (self.name, self.tax_id):
            field.setVisible(title)
        for caption in (self.name_label, self.tax_label):
            caption.setVisible(title)
        if self.name.text() != view.buyer_name:
            self.name.setText(view.buyer_name)
        if self.tax_id.text() != view.buyer_tax_id:
            self.tax_id.setText(view.buyer_tax_id)
        self.check.setVisible(view.tax_id_check is not None)
        if view.tax_id_check is not None:
            self.check.setText(view.tax_id_check.get(self.lang))
        show_action(self.primary, view.submit, self.submit_reason, self.lang)


class ChangeStatusPage(Page):
    def build(self) -> None:
        self.head = label("title")
        self.words = label("big")
        self.problem = label("warn")
        self.reference = label("big")
        self.qr = QLabel()
        self.qr.setAlignment(Qt.AlignmentFlag.AlignLeft)
        for w in (self.head, self.words, self.problem, self.reference, self.qr):
            self.body.addWidget(w)
        self.slip, self.again, self.mine = button(), button(), button()
        self.add_row(self.slip, self.again, self.mine)
        self.body.addStretch(1)
        centre = self.session.centre
        self.slip.clicked.connect(centre.print_slip)
        self.again.clicked.connect(centre.check_again)
        self.mine.clicked.connect(centre.open)
        self.primary.clicked.connect(self.session.finish)

    def title(self) -> str:
        return self.tr("Change this invoice")

    def texts(self) -> None:
        self.head.setText(self.tr("Your change"))
        self.slip.setText(self.tr("Print a slip to come back with"))
        self.again.setText(self.tr("Check again"))
        self.mine.setText(self.tr("My invoices"))
        self.primary.setText(self.tr("Finish"))

    def render_view(self, view: View, before: View | None) -> None:
        assert isinstance(view, ChangeStatusView)
        if view == before:
            return
        words = view.words.get(self.lang) if view.words else ""
        self.words.setText(self.tr("Working…") + "\n" + words if view.advancing else words)
        self.problem.setVisible(view.problem is not None)
        if view.problem is not None:
            self.problem.setText(view.problem.get(self.lang))
        self.reference.setText(self.tr("Change reference: %1").replace("%1", view.reference))
        self.qr.setVisible(view.waiting)
        if view.waiting and (not isinstance(before, ChangeStatusView)
                             or before.reference != view.reference):
            show_qr(self.qr, view.reference, 180)
        show_action(self.slip, view.slip)
        self.slip.setText(self.tr("Slip printed") if view.slip_printed
                          else self.tr("Print a slip to come back with"))
        show_action(self.again, view.check_again)
