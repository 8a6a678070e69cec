"""Failure screens, each with a way forward: platform queued, result unknown, already
invoiced, bad/foreign QR, rejected, printer problem, camera unavailable."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout

from kiosk.flow.states import Screen
from kiosk.flow.views import QueuedView, RejectedView, ResultView, View
from kiosk.flow.words import say
from ui.screens.base import Page, button, label, reason_label, show_action
from ui.screens.orders import input_edit
from ui.widgets.qr import show_qr
from ui.widgets.text_input import InputKind


class FailurePage(Page):
    """Headline, what happened, what happens next, and the actions of this screen."""

    def build(self) -> None:
        self.head = label("title")
        self.body.addWidget(self.head)
        columns = QHBoxLayout()
        left, right = QVBoxLayout(), QVBoxLayout()
        columns.addLayout(left, 3)
        columns.addLayout(right, 2)
        self.body.addLayout(columns)
        self.columns, self.left, self.right = columns, left, right
        self.text = label("big")
        self.next = label()
        self.reference = label("big")
        self.qr = QLabel()
        self.qr.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.mailed = label("ok")  # the invoice is already in the person's mailbox
        self.mailed.setObjectName("mailed")
        self.mailed.hide()
        for w in (self.text, self.mailed, self.next, self.reference):
            left.addWidget(w)
        right.addWidget(self.qr)
        right.addStretch(1)
        self.email = input_edit(InputKind.EMAIL)
        self.send = button()
        mail_row = QHBoxLayout()
        mail_row.addWidget(self.email, 1)
        mail_row.addWidget(self.send)
        left.addLayout(mail_row)
        self.action1, self.action2 = button(), button()
        actions = QHBoxLayout()
        actions.addWidget(self.action1)
        actions.addWidget(self.action2)
        actions.addStretch(1)
        left.addLayout(actions)
        self.action1_reason = reason_label()  # why action 1 is greyed out
        left.addWidget(self.action1_reason)
        left.addStretch(1)
        self.body.addStretch(1)
        self.primary.clicked.connect(self.session.finish)
        self.send.clicked.connect(lambda: self.session.review.send_email(self.email.text()))
        self.configure()

    def configure(self) -> None:
        """Subclasses wire action1/action2 and hide what they do not use."""
        for w in (self.email, self.send, self.action1, self.action2, self.qr, self.reference):
            w.hide()

    def texts(self) -> None:
        self.primary.setText(self.tr("Finish"))
        self.send.setText(self.tr("Send by e-mail"))
        self.email.setPlaceholderText(self.tr("E-mail address"))

    def show_invoice_qr(self, view: ResultView) -> None:
        if view.download_url:
            show_qr(self.qr, view.download_url, 260)
            self.qr.show()
        else:
            self.qr.hide()


class QueuedPage(FailurePage):
    """The platform is unreachable: the request is kept, a claim slip prints, and the
    person may leave an e-mail address for the invoice to follow. When the pump issues
    the request while the person is still here, the flow moves on to the result."""

    def configure(self) -> None:
        super().configure()
        self.send.clicked.disconnect()
        self.send.clicked.connect(
            lambda: self.session.review.mail_when_issued(self.email.text()))
        self.email.returnPressed.connect(self.send.click)
        self.mail_label = label()
        self.left.insertWidget(self.left.indexOf(self.next) + 1, self.mail_label)
        self.mail_label.hide()
        self.qr_caption = label("hint")
        self.qr_caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.right.insertWidget(self.right.indexOf(self.qr) + 1, self.qr_caption)
        self.qr_caption.hide()
        # The reference goes with the slip's code, on its own line (32 characters).
        self.left.removeWidget(self.reference)
        self.reference.setProperty("role", "")
        self.reference.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.right.insertWidget(self.right.indexOf(self.qr_caption) + 1, self.reference)
        self.shown_code = ""
        self.back.hide()  # the request is saved: nothing to go back to (it did nothing)

    def title(self) -> str:
        return self.tr("Request queued")

    def texts(self) -> None:
        super().texts()
        self.head.setText(self.tr("The tax platform cannot be reached right now"))
        self.text.hide()  # one paragraph says it all (large text must fit without scrolling)
        self.next.setText(self.tr(
            "Your request is saved and the kiosk keeps trying; this screen shows your invoice "
            "as soon as it is issued. Or leave now and scan your claim slip at any of our "
            "kiosks later. You will never get two invoices."))
        self.send.setText(self.tr("E-mail me"))
        self.qr_caption.setText(self.tr("The code on your claim slip. No slip? Take a photo "
                                        "of this code."))

    def render_view(self, view: View, before: View | None) -> None:
        assert isinstance(view, QueuedView)
        self.reference.setVisible(bool(view.reference))
        if view.reference:
            self.reference.setText(self.tr("Claim reference: %1").replace("%1", "\n" + view.reference))
        offer = view.mail.visible and not view.mail_promised_to
        for w in (self.email, self.send):
            w.setVisible(offer)
        self.mail_label.setVisible(view.mail.visible)
        self.mail_label.setProperty("role", "ok" if view.mail_promised_to else "")
        self.mail_label.style().polish(self.mail_label)
        self.mail_label.setText(
            self.tr("The invoice will be e-mailed to %1 as soon as it is issued.").replace(
                "%1", view.mail_promised_to) if view.mail_promised_to
            else self.tr("E-mail me the invoice when it is issued:"))
        self.send.setEnabled(view.mail.enabled)
        if not isinstance(before, QueuedView) or before.reference != view.reference:
            self.email.setText(view.email)  # never the previous person's address
        if view.claim_code != self.shown_code:
            self.shown_code = view.claim_code
            if view.claim_code:
                show_qr(self.qr, view.claim_code, 220)
        self.qr.setVisible(bool(view.claim_code))
        self.qr_caption.setVisible(bool(view.claim_code))


class UnknownPage(FailurePage):
    def configure(self) -> None:
        super().configure()
        self.action1.show()
        self.action1.clicked.connect(self.session.review.retry)

    def title(self) -> str:
        return self.tr("Result not known yet")

    def texts(self) -> None:
        super().texts()
        self.head.setText(self.tr("We do not know yet whether the invoice was issued"))
        self.text.setText(self.tr("The platform did not answer in time."))
        self.next.setText(self.tr(
            "Do not start again with a new request: tap \"Check again\". The kiosk asks the "
            "platform about THIS request first, so you cannot get two invoices."))
        self.action1.setText(self.tr("Check again"))

    def render_view(self, view: View, before: View | None) -> None:
        # The page says what the usual notice says (no answer in time, do not apply again):
        # shown twice, the banner only pushed the body out of sight in large text. Other
        # words (an earlier request still being resolved) stay in the banner.
        notice = view.frame.notice
        self.notice.setVisible(notice is not None and notice not in _SAID_BY_THE_PAGE)


_SAID_BY_THE_PAGE = (say("issuing.unknown"), say("flow.result_unknown"))


class AlreadyInvoicedPage(FailurePage):
    def configure(self) -> None:
        super().configure()
        for w in (self.action1, self.action2, self.email, self.send, self.reference):
            w.show()
        self.action1.clicked.connect(self.session.review.print_receipt)
        self.action2.clicked.connect(self.session.centre.open)

    def title(self) -> str:
        return self.tr("Already invoiced")

    def texts(self) -> None:
        super().texts()
        self.head.setText(self.tr("This order already has an invoice"))
        self.text.setText(self.tr("An order is invoiced only once. You can get the same "
                                  "invoice again:"))
        self.next.setText(self.tr("Print its receipt again, send it by e-mail, or scan the QR "
                                  "code with your phone."))
        self.action1.setText(self.tr("Print the receipt again"))
        self.action2.setText(self.tr("My invoices"))

    def render_view(self, view: View, before: View | None) -> None:
        assert isinstance(view, ResultView)
        if view == before:
            return
        self.reference.setText(self.tr("Invoice number: %1").replace("%1", view.invoice_number)
                               if view.invoice_number else "")
        self.show_invoice_qr(view)
        show_action(self.action1, view.reprint, self.action1_reason, self.lang)


class TypeInsteadPage(FailurePage):
    """A failure where scanning did not work: the way forward is typing the order number
    (action 1) or going back to try again (primary)."""

    def configure(self) -> None:
        super().configure()
        self.action1.show()
        self.action1.clicked.connect(lambda: self.session.identify.begin("type"))
        self.primary.clicked.disconnect()
        self.primary.clicked.connect(self.session.back)


class BadQrPage(TypeInsteadPage):
    def title(self) -> str:
        return self.tr("Code not accepted")

    def texts(self) -> None:
        super().texts()
        self.head.setText(self.tr("This code cannot be used here"))
        self.text.setText("")
        self.next.setText(self.tr("Scan the order QR code on your receipt, or type the order "
                                  "number printed under it."))
        self.action1.setText(self.tr("Type the order number"))
        self.primary.setText(self.tr("Try again"))

    def render_view(self, view: View, before: View | None) -> None:
        notice = view.frame.notice  # shown as the page's text, not as a notice
        self.text.setText(notice.get(self.lang) if notice else "")
        self.notice.hide()


class RejectedPage(FailurePage):
    def configure(self) -> None:
        super().configure()
        self.action1.show()
        self.action1.clicked.connect(lambda: self.session.review.edit(Screen.BUYER))

    def title(self) -> str:
        return self.tr("Not accepted")

    def texts(self) -> None:
        super().texts()
        self.head.setText(self.tr("The platform did not accept this invoice"))
        self.text.setText(self.tr("Nothing was issued. The reason is shown below."))
        self._next_texts()
        self.action1.setText(self.tr("Correct the title"))

    def _next_texts(self) -> None:
        if self.action1.isHidden():  # a quota used up, an order already invoiced...
            self.next.setText(self.tr("A new title cannot change this: please ask staff."))
        else:
            self.next.setText(self.tr("Correct the title and try again, or ask staff."))

    def render_view(self, view: View, before: View | None) -> None:
        assert isinstance(view, RejectedView)
        show_action(self.action1, view.correct, self.action1_reason, self.lang)
        self._next_texts()


class PrinterProblemPage(FailurePage):
    def configure(self) -> None:
        super().configure()
        for w in (self.action1, self.email, self.send):
            w.show()
        self.action1.clicked.connect(self.session.review.print_receipt)
        # Printing again beside the QR, in sight with it: under the e-mail row it fell
        # below the fold in large text at 1280x800.
        self.right.insertWidget(1, self.action1, 0, Qt.AlignmentFlag.AlignHCenter)
        self.right.insertWidget(2, self.action1_reason)

    def title(self) -> str:
        return self.tr("Printer problem")

    def texts(self) -> None:
        super().texts()
        self.head.setText(self.tr("The receipt could not be printed"))
        self.text.setText(self.tr("Your invoice IS issued. Get it another way:"))
        self.next.setText(self.tr("Scan the QR code with your phone, or send it by e-mail. "
                                  "Staff have been told about the printer."))
        self.action1.setText(self.tr("Try printing again"))

    def render_view(self, view: View, before: View | None) -> None:
        assert isinstance(view, ResultView)
        if view == before:
            return
        # Already e-mailed (the buyer gave an address): say so, it is the way forward.
        mailed = (say("flow.mailed_to", address=view.mailed_to) if view.mail_sent
                  else say("flow.mailing_now") if view.mailing else None)
        self.mailed.setVisible(mailed is not None)
        self.mailed.setText(mailed.get(self.lang) if mailed is not None else "")
        self.show_invoice_qr(view)
        show_action(self.action1, view.retry_print, self.action1_reason, self.lang)


class CameraUnavailablePage(TypeInsteadPage):
    def title(self) -> str:
        return self.tr("Camera unavailable")

    def texts(self) -> None:
        super().texts()
        self.head.setText(self.tr("The camera is not available"))
        self.text.setText(self.tr("Use the scanner below the screen, or type the order number."))
        self.next.setText("")
        self.action1.setText(self.tr("Type the order number"))
        self.primary.setText(self.tr("Back"))
