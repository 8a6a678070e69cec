"""Review, issue and result: the request built from the session, issued off the
caller's thread, and what follows it: the receipt printed, the mail sent, a
claim receipt when the platform queued the request, a retry with the same id.
"""

from __future__ import annotations

from typing import Any

from kiosk.flow.base import T_BAD_EMAIL, T_NO_PRINTER, SessionBase, _plausible_email, _text_of, log
from kiosk.flow.states import Screen, Text
from kiosk.masking import mask_tax_id
from kiosk.model import BuyerType, Invoice, InvoiceRequest, Medium


class IssueMixin(SessionBase):
    """Issuing, and the delivery of the result: printing and e-mail."""

    # --- review, issue, result ---------------------------------------------------------

    def build_request(self) -> InvoiceRequest:
        from kiosk.rules import request_id_for

        data = self.data
        # A catalogue sale has no point-of-sale order: it gets one number for this
        # session, so a retry is the same request (and never a second invoice).
        order_nos = data.order_nos or (f"BIZ-{data.session_id}",)
        request_id = request_id_for(order_nos, self.seller_tax_id)
        return InvoiceRequest(
            request_id=request_id, order_nos=order_nos, buyer=data.buyer.freeze(),
            kind=data.kind, lines=data.lines, medium=data.medium, drawer=self.drawer,
            paper_delivery=(data.paper_delivery.strip()
                            if data.medium is Medium.PAPER and data.paper_by_post else ""),
        )

    def confirm_issue(self) -> None:
        """"Confirm & issue" on REVIEW: issue asynchronously, ISSUING shows progress."""
        self.touch()
        if self.screen is not Screen.REVIEW or not self.data.lines:
            return
        problem = self.buyer_problem()
        if problem is not None:
            self.data.notice = problem
            self._go(Screen.BUYER)
            return
        request = self.build_request()
        self.data.request = request
        self._go(Screen.ISSUING, request_id=request.request_id, orders=list(request.order_nos),
                 kind=request.kind.value, medium=request.medium.value,
                 buyer=request.buyer.type.value, tax_id=mask_tax_id(request.buyer.tax_id),
                 total=str(request.total))
        session_id = self.data.session_id
        self.runner.submit("issue", lambda: self.services.issue(request),
                           lambda result, error: self._issued(session_id, result, error))

    def _issued(self, session_id: str, outcome: Any, error: BaseException | None) -> None:
        if session_id != self.data.session_id or self.screen is not Screen.ISSUING:
            return  # the session was wiped meanwhile
        self.last_activity = self.clock()
        data = self.data
        data.outcome = outcome
        if error is not None:
            log.error("issuing raised", exc_info=error,
                      extra={"event": "session.issue_error", "session": session_id})
            data.notice = Text("开票结果未知：系统正在向平台核实，请勿重复开票",
                               "The result is unknown: the kiosk is checking with the platform; "
                               "do not issue again")
            self._go(Screen.RESULT_UNKNOWN, status="error")
            return
        status = str(getattr(outcome, "status", "unknown")).rsplit(".", 1)[-1].lower()
        # The outcome's message explains a failure; success speaks for itself.
        data.notice = None if status == "issued" else _text_of(outcome, None)
        invoice = getattr(outcome, "invoice", None)
        if status == "issued" and invoice is not None:
            data.invoice = invoice
            self._go(Screen.RESULT, status=status, invoice=invoice.number)
            self._remember_title()
            self._save_attachment(invoice)
            self._deliver(invoice)
        elif status == "already_invoiced":
            data.invoice = invoice
            self._go(Screen.ALREADY_INVOICED, status=status)
        elif status == "queued":
            self._go(Screen.PLATFORM_QUEUED, status=status)
            self._print_claim()
        elif status == "rejected":
            self._go(Screen.REJECTED, status=status)
        else:
            self._go(Screen.RESULT_UNKNOWN, status=status)

    def _save_attachment(self, invoice: Invoice) -> None:
        save = self.services.save_attachment
        if not self.data.attachment or save is None:
            return
        try:
            save(invoice.number, self.data.attachment)
        except Exception:
            log.exception("attachment not saved", extra={"event": "session.attachment_error",
                                                         "session": self.data.session_id})

    def _remember_title(self) -> None:
        identity = self.data.identity
        if identity is None or self.services.remember_title is None:
            return
        if self.data.buyer.type is BuyerType.PERSON and self.data.buyer.name == "个人":
            return
        try:
            self.services.remember_title(identity, self.data.buyer.freeze())
        except Exception:
            log.exception("could not remember the title",
                          extra={"event": "session.title_not_remembered"})

    def _deliver(self, invoice: Invoice) -> None:
        """After issue: print the receipt; send the mail the issuing service queued."""
        email = self.data.buyer.email.strip()
        if email and self.services.flush_mail is not None:
            flush = self.services.flush_mail
            self.data.mailing = True
            session_id = self.data.session_id
            self.runner.submit("mail", flush,
                               lambda sent, error: self._mailed(
                                   session_id, email, error if error else
                                   (None if sent else RuntimeError("mail not sent yet"))))
        self.print_receipt()

    def print_receipt(self) -> None:
        """Print (or reprint) the courtesy receipt. The printer port checks its preflight
        first (off the UI thread) and raises when the printer is not good."""
        self.touch()
        invoice = self.data.invoice
        printer = self.services.printer
        if invoice is None or self.data.printing:
            return
        if printer is None:
            self.data.notice = T_NO_PRINTER
            self._go(Screen.PRINTER_PROBLEM, phase="none")
            return
        self.data.printing = True
        session_id = self.data.session_id
        self._log("printing", "printing receipt", invoice=invoice.number)
        self._changed()
        self.runner.submit("print", lambda: printer.print_invoice(invoice),
                           lambda _r, error: self._printed(session_id, error))

    def _printed(self, session_id: str, error: BaseException | None) -> None:
        if session_id != self.data.session_id:
            return
        self.data.printing = False
        if error is not None:
            self.printer_ok = False
            self.data.notice = _text_of(error, T_NO_PRINTER)
            self._go(Screen.PRINTER_PROBLEM, error=type(error).__name__)
            return
        self.data.printed = True
        self._log("printed", "receipt printed")
        if self.screen is Screen.PRINTER_PROBLEM:
            self._go(Screen.RESULT)
        else:
            self._changed()

    def _print_claim(self) -> None:
        printer = self.services.printer
        request = self.data.request
        if printer is None or request is None:
            return
        session_id = self.data.session_id
        message = self.data.notice.zh if self.data.notice else ""
        self.data.printing = True
        self.runner.submit("print_claim", lambda: printer.print_claim(request, message),
                           lambda _r, error: self._claim_printed(session_id, error))

    def _claim_printed(self, session_id: str, error: BaseException | None) -> None:
        if session_id != self.data.session_id:
            return
        self.data.printing = False
        self.data.printed = error is None
        self._log("claim_printed", "claim receipt printed", ok=error is None)
        self._changed()

    def send_email(self, address: str) -> None:
        self.touch()
        invoice = self.data.invoice
        if invoice is None or self.services.send_mail is None or self.data.mailing:
            return
        if not _plausible_email(address):
            self._notice(T_BAD_EMAIL)
            return
        send = self.services.send_mail
        self.data.mailing = True
        session_id = self.data.session_id
        self._log("mailing", "sending invoice by e-mail", invoice=invoice.number)
        self._changed()
        self.runner.submit("mail", lambda: send(invoice, address.strip()),
                           lambda _r, error: self._mailed(session_id, address.strip(), error))

    def _mailed(self, session_id: str, address: str, error: BaseException | None) -> None:
        if session_id != self.data.session_id:
            return
        self.data.mailing = False
        if error is None:
            self.data.mail_sent_to = address
            self._log("mailed", "invoice e-mailed")
        else:
            self.data.notice = _text_of(error, Text("邮件发送失败，请扫描二维码下载",
                                                    "The e-mail failed; scan the QR code instead"))
            log.warning("mail failed", extra={"event": "session.mail_failed",
                                               "session": session_id, "error": type(error).__name__})
        self._changed()

    def retry_issue(self) -> None:
        """From RESULT_UNKNOWN / PLATFORM_QUEUED: ask again with the SAME request id."""
        self.touch()
        request = self.data.request
        if request is None:
            return
        self._go(Screen.ISSUING, request_id=request.request_id, retry=True)
        session_id = self.data.session_id
        self.runner.submit("issue", lambda: self.services.issue(request),
                           lambda result, error: self._issued(session_id, result, error))
