"""Review, issue and result: the request built from the session, issued off the
caller's thread, and what follows it: the receipt printed, the mail sent, a
claim receipt when the platform queued the request, a retry with the same id.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from kiosk.accounts import Action, PermissionDenied
from kiosk.flow.checks import request_problems
from kiosk.flow.core import FlowCore, intent, log
from kiosk.flow.ports import IssuePorts, Runner
from kiosk.flow.states import Screen, SessionData
from kiosk.flow.transitions import Intent
from kiosk.flow.words import say, text_of
from kiosk.issuing import IssueOutcome, IssueStatus
from kiosk.masking import mask_tax_id
from kiosk.messages import Text
from kiosk.model import BuyerType, Invoice, InvoiceRequest
from kiosk.rules.fields import is_valid_email

# Where each issuing outcome leads (ISSUED without an invoice is not a result).
AFTER_ISSUE: dict[IssueStatus, Screen] = {
    IssueStatus.ISSUED: Screen.RESULT,
    IssueStatus.ALREADY_INVOICED: Screen.ALREADY_INVOICED,
    IssueStatus.QUEUED: Screen.PLATFORM_QUEUED,
    IssueStatus.REJECTED: Screen.REJECTED,
    IssueStatus.UNKNOWN: Screen.RESULT_UNKNOWN,
    IssueStatus.OUT_OF_SERVICE: Screen.OUT_OF_SERVICE,
}
# ``out_of_service_cause`` when issuing stopped until the operator acts (app.core's pump
# brings the kiosk back when the platform's health() is ok again).
PLATFORM_CAUSE = "platform"


class IssueStep:
    """The request, issuing, and the delivery of the result: printing and e-mail."""

    def __init__(self, core: FlowCore, ports: IssuePorts, runner: Runner, *,
                 build_request: Callable[[], InvoiceRequest],
                 buyer_problem: Callable[[], Text | None]) -> None:
        self.core = core
        self.ports = ports
        self.runner = runner
        self._build = build_request
        self._buyer_problem = buyer_problem
        self._print_notice: Text | None = None  # the last failed print's words

    def build_request(self) -> InvoiceRequest:
        return self._build()

    @intent(Intent.EDIT)
    def edit(self, screen: Screen) -> None:
        """From REVIEW (or REJECTED): change the orders, the buyer or the options. The
        title asks for personal data: the privacy notice comes first when it is not yet
        accepted; accepting goes on to the title."""
        core = self.core
        core.touch()
        if screen not in (Screen.ORDERS, Screen.BUYER, Screen.OPTIONS, Screen.CATALOGUE):
            return
        data = core.data
        if screen is Screen.BUYER and not data.terms_accepted:
            data.pending_after_terms = screen
            data.terms_from = core.screen
            core.go(Screen.TERMS, then=screen.value)
            return
        core.go(screen)

    @intent(Intent.CONFIRM)
    def confirm(self) -> None:
        """"Confirm & issue" on REVIEW: issue asynchronously, ISSUING shows progress."""
        core = self.core
        core.touch()
        if core.screen is not Screen.REVIEW or not core.data.lines:
            return
        if core.data.title_offer is not None:  # "replace the title?" is still open
            core.notice(say("flow.title_offer_open"))
            return
        problem = self._buyer_problem()
        if problem is not None:
            core.data.notice = problem
            core.go(Screen.BUYER)
            return
        request = self.build_request()
        refused = request_problems(request)
        if refused:  # what the platform would refuse never leaves the kiosk
            core.log("request_refused", "request fails the rules",
                     codes=[p.code for p in refused])
            core.data.notice = refused[0].text
            if refused[0].field:
                core.go(Screen.BUYER)
            else:
                core.changed()
            return
        refusal = self._role_refusal()
        if refusal is not None:  # the account's role may not issue: said on REVIEW
            core.log("issue_refused_role", "the account's role may not issue")
            core.notice(refusal)
            return
        core.data.request = request
        core.data.notice = None  # ISSUING's headline is the notice when there is one
        self._claim(request)
        core.go(Screen.ISSUING, request_id=request.request_id, orders=list(request.order_nos),
                kind=request.kind.value, medium=request.medium.value,
                buyer=request.buyer.type.value, tax_id=mask_tax_id(request.buyer.tax_id),
                total=str(request.total))
        self._submit(request)

    def _claim(self, request: InvoiceRequest) -> None:
        """Link the orders to the identified person before the request leaves (their
        personal centre lists the invoice, whatever happens to this session)."""
        centre = self.ports.centre
        identity = self.core.data.identity
        if centre is None or identity is None:
            return
        try:
            centre.claim(centre.scope(identity), request.order_nos)
        except Exception:
            log.exception("orders not claimed", extra={"event": "session.claim_error",
                                                       "session": self.core.data.session_id})

    @intent(Intent.RETRY)
    def retry(self) -> None:
        """From RESULT_UNKNOWN / PLATFORM_QUEUED: ask again with the SAME request id."""
        core = self.core
        core.touch()
        request = core.data.request
        if request is None:
            return
        core.data.notice = None
        core.go(Screen.ISSUING, request_id=request.request_id, retry=True)
        self._submit(request)

    def _username(self) -> str | None:
        identity = self.core.data.identity
        return identity.account.username if identity and identity.account else None

    def _role_refusal(self) -> Text | None:
        """The words when the logged-in account may not issue (kiosk.accounts.require)."""
        username, accounts = self._username(), self.ports.accounts
        if username is None or accounts is None:
            return None
        try:
            accounts.require(username, Action.ISSUE)
        except PermissionDenied as err:
            return text_of(err, None)
        return None

    def _submit(self, request: InvoiceRequest) -> None:
        session_id = self.core.data.session_id
        username, issue_as = self._username(), self.ports.issue_as
        if username is not None and issue_as is not None:
            # The issuing service checks the role again (it may have changed meanwhile).
            def work() -> IssueOutcome:
                assert issue_as is not None and username is not None
                return issue_as(request, username)
        else:
            issue = self.ports.issue

            def work() -> IssueOutcome:
                return issue(request)
        self.runner.submit("issue", work,
                           lambda result, error: self._issued(session_id, result, error))

    @intent(Intent.ISSUED)
    def _issued(self, session_id: str, outcome: IssueOutcome | None,
                error: BaseException | None) -> None:
        core = self.core
        if session_id != core.data.session_id or core.screen is not Screen.ISSUING:
            return  # the session was wiped meanwhile
        core.touch()
        data = core.data
        data.outcome = outcome
        refused = text_of(error, None) if _is_permission_refusal(error) else None
        if refused is not None:
            data.notice = refused
            core.go(Screen.REVIEW, status="refused_role")
            return
        if error is not None or outcome is None:
            log.error("issuing raised", exc_info=error,
                      extra={"event": "session.issue_error", "session": session_id})
            data.notice = say("flow.result_unknown")
            core.go(Screen.RESULT_UNKNOWN, status="error")
            return
        status = outcome.status
        invoice = outcome.invoice
        # The outcome's words explain a failure; success speaks for itself.
        data.notice = None if status is IssueStatus.ISSUED else text_of(outcome, None)
        if status is IssueStatus.ISSUED and invoice is None:
            status = IssueStatus.UNKNOWN
        if status in (IssueStatus.ISSUED, IssueStatus.ALREADY_INVOICED):
            data.invoice = invoice
        if status is IssueStatus.OUT_OF_SERVICE:  # the walk-in is told; the person's data goes
            # for the walk-in, then the platform's reason for the technician
            core.out_of_service_reason = Text(outcome.message_zh, outcome.message_en)
            core.out_of_service_cause = PLATFORM_CAUSE
            core.data = SessionData()
            core.go(Screen.OUT_OF_SERVICE, status=status.value)
            return
        fields = {"invoice": invoice.number} if status is IssueStatus.ISSUED and invoice else {}
        core.go(AFTER_ISSUE[status], status=status.value, **fields)
        if status is IssueStatus.ISSUED and invoice is not None:
            self._remember_title()
            self._save_attachment(invoice)
            self._deliver(invoice)
        elif status is IssueStatus.QUEUED:
            data.claim_id = outcome.request_id or (data.request.request_id
                                                   if data.request else "")
            data.claim_local = True
            data.claim_code = (self.ports.claim_code(data.claim_id)
                               if self.ports.claim_code is not None and data.claim_id else "")
            data.notice = None  # the page and the slip say it all; the notice is for news
            self._print_claim()

    def _save_attachment(self, invoice: Invoice) -> None:
        save = self.ports.save_attachment
        if not self.core.data.attachment or save is None:
            return
        try:
            save(invoice.number, self.core.data.attachment)
        except Exception:
            log.exception("attachment not saved", extra={"event": "session.attachment_error",
                                                         "session": self.core.data.session_id})

    def _remember_title(self) -> None:
        data = self.core.data
        remember = self.ports.remember_title
        if data.identity is None or remember is None:
            return
        if data.buyer.type is BuyerType.PERSON and data.buyer.name == "个人":
            return
        try:
            remember(data.identity, data.buyer.freeze())
        except Exception:
            log.exception("could not remember the title",
                          extra={"event": "session.title_not_remembered"})

    # --- delivery: the receipt and the mail ---------------------------------------------

    def _deliver(self, invoice: Invoice) -> None:
        """After issue: print the receipt; send the mail the issuing service queued."""
        data = self.core.data
        email = data.buyer.email.strip()
        flush = self.ports.flush_mail
        if email and flush is not None:
            data.mailing = True
            session_id = data.session_id
            self.runner.submit("mail", flush,
                               lambda sent, error: self._mailed(
                                   session_id, email, error if error else
                                   (None if sent else RuntimeError("mail not sent yet"))))
        self.print_receipt()

    @intent(Intent.PRINT)
    def print_receipt(self) -> None:
        """Print (or reprint) the courtesy receipt. The printer port checks its preflight
        first (off the UI thread) and raises when the printer is not good."""
        core = self.core
        core.touch()
        invoice = core.data.invoice
        printer = self.ports.printer
        if invoice is None or core.data.printing:
            return
        if core.data.receipt_held:
            # Printing again would give two receipts once the printer works: the rest of
            # the first one comes out by itself (the soak saw 32 doubles in 77 cover faults).
            if core.printer_ok:
                self.printer_recovered()
            else:
                core.data.notice = say("flow.receipt_held")
                core.changed()
            return
        if printer is None:
            core.data.notice = say("flow.no_printer")
            core.go(Screen.PRINTER_PROBLEM, phase="none")
            return
        core.data.printing = True
        session_id = core.data.session_id
        core.log("printing", "printing receipt", invoice=invoice.number)
        core.changed()
        self.runner.submit("print", lambda: printer.print_invoice(invoice),
                           lambda _r, error: self._printed(session_id, error))

    @intent(Intent.PRINTED)
    def _printed(self, session_id: str, error: BaseException | None) -> None:
        core = self.core
        if session_id != core.data.session_id:
            return
        core.data.printing = False
        if error is not None:
            core.printer_ok = False
            core.data.receipt_held = bool(getattr(error, "held", False))
            core.data.notice = self._print_notice = text_of(error, say("flow.no_printer"))
            core.go(Screen.PRINTER_PROBLEM, error=type(error).__name__)
            return
        if core.data.notice is not None and core.data.notice == self._print_notice:
            core.data.notice = None  # "out of paper" is stale beside "receipt printed"
        core.printer_ok = True
        core.data.printed = True
        core.log("printed", "receipt printed")
        if core.screen is Screen.PRINTER_PROBLEM:
            core.go(Screen.RESULT)
        else:
            core.changed()

    @intent(Intent.PRINTED)
    def printer_recovered(self) -> None:
        """The printer works again: a receipt it stopped half-way (paper out, cover open)
        has come out by itself, so it counts as printed (and is not printed twice)."""
        core = self.core
        data = core.data
        if not data.receipt_held or data.invoice is None or data.printing:
            return
        data.receipt_held = False
        data.printed = True
        core.printer_ok = True
        data.notice = say("flow.receipt_came_out")
        core.log("printed", "held receipt printed", held=True)
        if core.screen is Screen.PRINTER_PROBLEM:
            core.go(Screen.RESULT)
        else:
            core.changed()

    def _print_claim(self) -> None:
        printer = self.ports.printer
        data = self.core.data
        request = data.request
        if printer is None or request is None or not data.claim_id:
            return
        session_id = data.session_id
        rid, lang = data.claim_id, self.core.lang
        data.printing = True
        self.runner.submit("print_claim", lambda: printer.print_claim(rid, request, lang),
                           lambda _r, error: self._claim_printed(session_id, error))

    def _claim_printed(self, session_id: str, error: BaseException | None) -> None:
        data = self.core.data
        if session_id != data.session_id:
            return
        data.printing = False
        data.printed = error is None
        self.core.log("claim_printed", "claim receipt printed", ok=error is None)
        self.core.changed()

    # --- the queued request: issued in the background, claimed with its slip ------------

    @intent(Intent.SETTLED)
    def settled(self, outcomes: Sequence[IssueOutcome]) -> None:
        """The pump finished pending requests: if one is the request this person is still
        waiting for on the queued screen, show its result (and print its receipt)."""
        core = self.core
        data = core.data
        if core.screen is not Screen.PLATFORM_QUEUED or not data.claim_id:
            return
        outcome = next((o for o in outcomes if o.request_id == data.claim_id), None)
        if outcome is None or outcome.status in (IssueStatus.QUEUED, IssueStatus.UNKNOWN):
            return
        data.outcome = outcome
        invoice = outcome.invoice
        if outcome.status in (IssueStatus.ISSUED, IssueStatus.ALREADY_INVOICED) and invoice:
            data.invoice = invoice
            data.printed = False
            data.notice = None  # the result page says it was issued
            screen = (Screen.RESULT if outcome.status is IssueStatus.ISSUED
                      else Screen.ALREADY_INVOICED)
            core.go(screen, status=outcome.status.value, invoice=invoice.number, settled=True)
            if screen is Screen.RESULT:
                self._remember_title()
                self._deliver(invoice)
        elif outcome.status is IssueStatus.REJECTED:
            data.notice = text_of(outcome, None)
            core.go(Screen.REJECTED, status=outcome.status.value, settled=True)

    @intent(Intent.CLAIM)
    def claim_scanned(self, text: str, source: str = "scanner") -> bool:
        """A scanned code that may be a claim slip's: look its request up (off the UI
        thread). True when it was a claim code (handled), False for any other code."""
        looks, resolve, claim = (self.ports.looks_like_claim_code,
                                 self.ports.resolve_claim_code, self.ports.claim)
        if looks is None or resolve is None or claim is None or not looks(text):
            return False
        core = self.core
        if core.screen in (Screen.ISSUING, Screen.OUT_OF_SERVICE):
            return True
        core.touch()
        try:
            request_id = resolve(text)
        except Exception as err:
            core.start()
            core.data.notice = text_of(err, say("flow.code_not_read"))
            core.go(Screen.BAD_QR, source=source,
                    kind="claim:" + str(getattr(err, "kind", type(err).__name__)))
            return True
        data = core.data
        same = core.screen is Screen.PLATFORM_QUEUED and data.claim_id == request_id
        if not same and (core.screen is not Screen.ATTRACT or data.session_id):
            core.wipe("claim_scan")  # whoever was here before: a fresh session
        core.start()
        data = core.data
        data.claim_id, data.claim_code = request_id, text
        data.notice = say("flow.claim_checking")
        core.go(Screen.ISSUING, claim=request_id, source=source)
        session_id = data.session_id
        self.runner.submit("claim", lambda: claim(request_id),
                           lambda outcome, error: self._claimed(session_id, outcome, error))
        return True

    @intent(Intent.CLAIMED)
    def _claimed(self, session_id: str, outcome: IssueOutcome | None,
                 error: BaseException | None) -> None:
        core = self.core
        data = core.data
        if session_id != data.session_id or core.screen is not Screen.ISSUING:
            return
        if error is not None or outcome is None:
            log.error("claim lookup raised", exc_info=error,
                      extra={"event": "session.claim_error", "session": session_id})
            data.notice = say("flow.claim_cannot_check")
            core.go(Screen.PLATFORM_QUEUED, status="error", claim=data.claim_id)
            return
        data.outcome = outcome
        invoice = outcome.invoice
        status = outcome.status
        if status in (IssueStatus.ISSUED, IssueStatus.ALREADY_INVOICED) and invoice is not None:
            data.invoice = invoice
            data.notice = None
            core.go(Screen.RESULT, status=status.value, invoice=invoice.number, claim=True)
            self._deliver(invoice)
            return
        data.notice = text_of(outcome, None)
        if status is IssueStatus.REJECTED:
            core.go(Screen.REJECTED, status=status.value, claim=True)
            return
        # Still queued (or not known now): said in plain words; an e-mail can be left
        # when this kiosk holds the request (its outbox sends it once issued).
        data.claim_local = (outcome.problem is not None
                            and outcome.problem.code == "flow.claim_still_queued")
        core.go(Screen.PLATFORM_QUEUED, status=status.value, claim=True)

    def mail_when_issued(self, address: str) -> None:
        """On the queued screen: "e-mail me when it is issued"."""
        core = self.core
        core.touch()
        data = core.data
        port = self.ports.mail_when_issued
        if (core.screen is not Screen.PLATFORM_QUEUED or port is None or not data.claim_id
                or not data.claim_local or data.mailing):
            return
        address = address.strip()
        if not is_valid_email(address):
            core.notice(say("flow.bad_email"))
            return
        data.mailing = True
        session_id, request_id = data.session_id, data.claim_id
        core.log("mail_when_issued", "e-mail wanted once issued", request_id=request_id)
        core.changed()
        self.runner.submit("mail_when_issued", lambda: port(request_id, address),
                           lambda ok, error: self._mail_promised(session_id, address,
                                                                 bool(ok) and error is None))

    def _mail_promised(self, session_id: str, address: str, ok: bool) -> None:
        data = self.core.data
        if session_id != data.session_id:
            return
        data.mailing = False
        if ok:  # the queued page says where it will go (QueuedView.mail_promised_to)
            data.mail_promised_to = address
            data.buyer.email = address  # the result screen sends what the outbox queued
            data.notice = None
        else:
            data.notice = say("flow.mail_when_issued_failed")
        self.core.changed()

    def send_email(self, address: str) -> None:
        core = self.core
        core.touch()
        invoice = core.data.invoice
        send = self.ports.send_mail
        if invoice is None or send is None or core.data.mailing:
            return
        if not is_valid_email(address.strip()):
            core.notice(say("flow.bad_email"))
            return
        if not core.data.terms_accepted:  # summarised beside the field: sending accepts it
            core.data.terms_accepted = True
            core.log("terms_accepted", "terms accepted with the e-mail address")
        core.data.mailing = True
        session_id = core.data.session_id
        core.log("mailing", "sending invoice by e-mail", invoice=invoice.number)
        core.changed()
        self.runner.submit("mail", lambda: send(invoice, address.strip()),
                           lambda _r, error: self._mailed(session_id, address.strip(), error))

    def _mailed(self, session_id: str, address: str, error: BaseException | None) -> None:
        data = self.core.data
        if session_id != data.session_id:
            return
        data.mailing = False
        if error is None:
            data.mail_sent_to = address
            self.core.log("mailed", "invoice e-mailed")
        else:
            data.notice = text_of(error, say("flow.mail_failed"))
            log.warning("mail failed", extra={"event": "session.mail_failed",
                                               "session": session_id,
                                               "error": type(error).__name__})
        self.core.changed()


def _is_permission_refusal(error: BaseException | None) -> bool:
    return isinstance(error, PermissionDenied)
