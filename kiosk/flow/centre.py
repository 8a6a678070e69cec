"""The personal centre and "change this invoice" as session steps.

After any identification (or, for nobody, after a receipt was scanned) the person
opens their centre: the invoices their :class:`~kiosk.centre.scope.InvoiceScope`
allows, newest first, paged and searchable; one invoice with its PDF on screen, a
reprint, a resend, its download QR and "change this invoice"; the guided change
(what is wrong, full or partial, the new title), whose state is shown in plain
words and which continues where it stopped when the person comes back. Reads are
quick indexed queries on the UI thread; everything that talks to the platform, the
printer, the mail or ``pdftoppm`` goes to the runner.
"""

from __future__ import annotations

from decimal import Decimal

from kiosk.centre.changes import ChangeError, ChangeWhat, allowance_credits
from kiosk.flow.core import FlowCore, intent, log
from kiosk.flow.ports import CentrePorts, Runner
from kiosk.flow.states import BuyerDraft, CentreData, ChangeDraft, Screen
from kiosk.flow.transitions import Intent
from kiosk.flow.words import say, text_of
from kiosk.model import BuyerType, Colour
from kiosk.rules.fields import is_valid_email

BUYER_FIELDS = ("name", "tax_id", "email")


class CentreStep:
    """The personal centre's intents (see the module doc)."""

    def __init__(self, core: FlowCore, ports: CentrePorts, runner: Runner) -> None:
        self.core = core
        self.ports = ports
        self.runner = runner

    @property
    def data(self) -> CentreData:
        return self.core.data.centre

    # --- the list --------------------------------------------------------------------
    @intent(Intent.CENTRE_OPEN)
    def open(self) -> None:
        """"My invoices": the scope of who is identified (nobody: the receipt scanned)."""
        core = self.core
        core.touch()
        centre = self.ports.centre
        if centre is None:
            core.notice(say("flow.no_accounts"))
            return
        d = self.data
        if core.screen not in (Screen.CENTRE_INVOICE, Screen.CHANGE_STATUS):
            d.came_from = core.screen
        if d.scope is None or core.screen not in (Screen.CENTRE_INVOICE, Screen.CHANGE_STATUS):
            invoice = core.data.invoice  # already invoiced: the receipt just scanned
            scanned = core.data.order_nos or (invoice.order_nos if invoice else ())
            d.scope = centre.scope(core.data.identity, scanned)
        if d.scope.empty:
            core.notice(say("centre.nothing_to_show"))
            return
        d.entry, d.pdf_png, d.change = None, b"", None
        core.data.notice = None
        self._load(d.query, 0)
        core.go(Screen.CENTRE, owners=len(d.scope.owners), scanned=len(d.scope.order_nos))

    def _load(self, query: str, page: int) -> None:
        centre, d = self.ports.centre, self.data
        if centre is None or d.scope is None:
            return
        d.query = query
        d.page = centre.page(d.scope, query, page)
        d.changes = tuple(centre.open_changes(d.scope))
        d.requests = tuple(centre.requests(d.scope))

    def search(self, query: str) -> None:
        self.core.touch()
        self._load(query.strip()[:40], 0)
        self.core.changed()

    def next_page(self) -> None:
        self.core.touch()
        page = self.data.page
        if page is not None and page.has_more:
            self._load(self.data.query, page.page + 1)
            self.core.changed()

    def previous_page(self) -> None:
        self.core.touch()
        page = self.data.page
        if page is not None and page.page > 0:
            self._load(self.data.query, page.page - 1)
            self.core.changed()

    @intent(Intent.CENTRE_PICK)
    def pick(self, number: str) -> None:
        """Open one invoice of the list."""
        core, d, centre = self.core, self.data, self.ports.centre
        core.touch()
        if centre is None or d.scope is None:
            return
        entry = centre.entry(d.scope, number)
        if entry is None:
            core.notice(say("centre.not_yours"))
            return
        d.entry, d.pdf_png, d.qr_shown, d.mailed_to = entry, b"", False, ""
        core.data.notice = None
        core.go(Screen.CENTRE_INVOICE, invoice=number)

    # --- one invoice: reprint, resend, PDF, QR ---------------------------------------------
    def reprint(self, number: str = "") -> None:
        """Print the invoice's receipt again (the opened one, or a row of the list)."""
        core, d, centre = self.core, self.data, self.ports.centre
        core.touch()
        printer = self.ports.printer
        number = number or (d.entry.number if d.entry else "")
        if centre is None or d.scope is None or not number or d.printing:
            return
        if printer is None or not core.printer_ok:
            core.notice(say("flow.no_printer"))
            return
        try:
            invoice = centre.invoice(d.scope, number)
        except ChangeError as err:
            core.notice(say(err.code))
            return
        d.printing = True
        session_id = core.data.session_id
        core.log("centre_reprint", "reprinting a receipt", invoice=number)
        core.changed()
        self.runner.submit("print", lambda: printer.print_invoice(invoice),
                           lambda _r, error: self._printed(session_id, number, error))

    def _printed(self, session_id: str, number: str, error: BaseException | None) -> None:
        if session_id != self.core.data.session_id:
            return
        d = self.data
        d.printing = False
        if error is None:
            d.printed = number
            self.core.data.notice = say("centre.reprinted")
        else:
            self.core.data.notice = text_of(error, say("flow.no_printer"))
        self.core.changed()

    def send_email(self, address: str) -> None:
        core, d = self.core, self.data
        core.touch()
        send = self.ports.send_mail
        entry = d.entry
        if entry is None or send is None or d.mailing:
            return
        address = address.strip()
        if not is_valid_email(address):
            core.notice(say("flow.bad_email"))
            return
        d.mailing = True
        session_id = core.data.session_id
        invoice = entry.invoice
        core.log("centre_mailing", "sending an invoice again", invoice=invoice.number)
        core.changed()
        self.runner.submit("mail", lambda: send(invoice, address),
                           lambda _r, error: self._mailed(session_id, address, error))

    def _mailed(self, session_id: str, address: str, error: BaseException | None) -> None:
        if session_id != self.core.data.session_id:
            return
        d = self.data
        d.mailing = False
        if error is None:
            d.mailed_to = address
            self.core.data.notice = None
        else:
            self.core.data.notice = text_of(error, say("flow.mail_failed"))
        self.core.changed()

    def show_pdf(self) -> None:
        """Draw the invoice's PDF on screen (rendered off the UI thread)."""
        core, d, centre = self.core, self.data, self.ports.centre
        core.touch()
        if centre is None or d.scope is None or d.entry is None or d.loading_pdf:
            return
        if d.pdf_png:
            d.pdf_png = b""  # the same button hides it again
            core.changed()
            return
        d.loading_pdf = True
        scope, number, session_id = d.scope, d.entry.number, core.data.session_id
        core.changed()
        self.runner.submit("pdf", lambda: centre.pdf_image(scope, number),
                           lambda png, error: self._pdf(session_id, number, png, error))

    def _pdf(self, session_id: str, number: str, png: bytes | None,
             error: BaseException | None) -> None:
        d = self.data
        if session_id != self.core.data.session_id or d.entry is None or \
                d.entry.number != number:
            return
        d.loading_pdf = False
        if error is not None or not png:
            log.warning("invoice not drawn", extra={"event": "session.pdf_error",
                                                    "error": type(error).__name__})
            self.core.data.notice = say("centre.no_pdf")
        else:
            d.pdf_png = png
        self.core.changed()

    def toggle_qr(self) -> None:
        self.core.touch()
        self.data.qr_shown = not self.data.qr_shown
        self.core.changed()

    # --- change this invoice ---------------------------------------------------------------
    @intent(Intent.CENTRE_CHANGE)
    def change(self) -> None:
        core, d = self.core, self.data
        core.touch()
        if d.entry is None:
            return
        if d.entry.invoice.colour is not Colour.BLUE:
            core.notice(say("centre.cannot_change"))
            return
        if d.entry.state == "credited":
            core.notice(say("centre.change_credited"))
            return
        buyer = d.entry.invoice.buyer
        d.draft = ChangeDraft(buyer=BuyerDraft(type=buyer.type, name=buyer.name,
                                               tax_id=buyer.tax_id, email=buyer.email))
        core.data.notice = None
        core.go(Screen.CHANGE, invoice=d.entry.number)

    def set_what(self, what: str) -> None:
        self.core.touch()
        draft = self.data.draft
        draft.what = ChangeWhat(what).value
        if draft.what == ChangeWhat.TITLE.value:
            draft.full = True
        if draft.what == ChangeWhat.ALLOWANCE.value:
            draft.full = False
        self.core.data.notice = None
        self.core.changed()

    def set_full(self, full: bool) -> None:
        self.core.touch()
        draft = self.data.draft
        if draft.what in (ChangeWhat.TITLE.value, ChangeWhat.ALLOWANCE.value):
            return
        draft.full = full
        self.core.changed()

    def set_quantity(self, index: int, quantity: int) -> None:
        """Units of line ``index`` to credit (a partial return or stop), 0..the line's."""
        self.core.touch()
        entry = self.data.entry
        if entry is None or not 0 <= index < len(entry.invoice.lines):
            return
        most = int(abs(entry.invoice.lines[index].quantity))
        quantity = max(0, min(most, quantity))
        if quantity:
            self.data.draft.quantities[index] = Decimal(quantity)
        else:
            self.data.draft.quantities.pop(index, None)
        self.core.changed()

    def set_allowance(self, text: str, index: int = 0) -> None:
        """The amount off line ``index`` (an allowance), as typed."""
        self.core.touch()
        entry = self.data.entry
        if entry is None or not 0 <= index < len(entry.invoice.lines):
            return
        self.data.draft.allowances[index] = text.strip()[:14]
        self.core.changed()

    def set_buyer_field(self, name: str, value: str) -> None:
        self.core.touch()
        if name not in BUYER_FIELDS:
            raise ValueError(f"unknown field {name!r}")
        setattr(self.data.draft.buyer, name, value)
        if name == "tax_id":
            self.data.draft.buyer.type = (BuyerType.COMPANY if value.strip()
                                          else BuyerType.PERSON)
        self.core.changed()

    def credits(self) -> dict[int, Decimal] | None:
        """The draft as ``{line: gross to credit}`` (None: the whole invoice); raises
        ChangeError with what is missing."""
        d = self.data
        draft, entry = d.draft, d.entry
        assert entry is not None
        lines = entry.invoice.lines
        if draft.what == ChangeWhat.ALLOWANCE.value:  # line by line, checked in the core
            return allowance_credits(entry.invoice, draft.allowances)
        if draft.full:
            return None
        if not draft.quantities:
            raise ChangeError("centre.change_nothing")
        out = {}
        for index, units in draft.quantities.items():
            line = lines[index]
            gross = line.amount + line.tax
            out[index] = (gross if units == abs(line.quantity)
                          else (gross / line.quantity * units).quantize(Decimal("0.01")))
        return out

    @intent(Intent.CHANGE_SUBMIT)
    def submit(self) -> None:
        """Record the change, then file and issue off the UI thread."""
        core, d, centre = self.core, self.data, self.ports.centre
        core.touch()
        if centre is None or d.scope is None or d.entry is None or d.advancing:
            return
        draft = d.draft
        if not draft.what:
            core.notice(say("centre.choose_what"))
            return
        try:
            buyer = draft.buyer.freeze() if draft.what == ChangeWhat.TITLE.value else None
            change = centre.start_change(d.scope, d.entry.number, draft.what,
                                         credits=self.credits(), new_buyer=buyer)
        except ChangeError as err:
            core.notice(say(err.code))
            return
        d.change = change
        core.data.notice = None
        core.go(Screen.CHANGE_STATUS, reference=change.reference, what=change.what.value)
        self._advance()

    @intent(Intent.CENTRE_RESUME)
    def resume(self, reference: str) -> None:
        """Continue a change left waiting (listed in the centre)."""
        core, d, centre = self.core, self.data, self.ports.centre
        core.touch()
        if centre is None or d.scope is None:
            return
        change = centre.change(d.scope, reference)
        if change is None:
            core.notice(say("centre.not_yours"))
            return
        d.change = change
        core.data.notice = None
        core.go(Screen.CHANGE_STATUS, reference=change.reference, resumed=True)
        self._advance()

    def check_again(self) -> None:
        self.core.touch()
        self._advance()

    def _advance(self) -> None:
        d, centre = self.data, self.ports.centre
        if centre is None or d.scope is None or d.change is None or d.advancing:
            return
        d.advancing = True
        scope, reference, session_id = d.scope, d.change.reference, self.core.data.session_id
        self.core.changed()
        self.runner.submit("change", lambda: centre.advance(scope, reference),
                           lambda change, error: self._advanced(session_id, change, error))

    def _advanced(self, session_id: str, change: object, error: BaseException | None) -> None:
        if session_id != self.core.data.session_id:
            return  # wiped meanwhile: the change is saved, the person may come back
        d = self.data
        d.advancing = False
        if error is not None:
            log.error("change not advanced", exc_info=error,
                      extra={"event": "session.change_error"})
            self.core.data.notice = say("centre.platform_unreachable")
        else:
            from kiosk.centre.changes import Change

            assert isinstance(change, Change)
            d.change = change
            self.core.log("change_state", "change moved", reference=change.reference,
                          state=change.state.value, problem=change.problem)
        self.core.changed()

    def print_slip(self) -> None:
        """The come-back slip of a waiting change (its reference, in words and a code)."""
        core, d = self.core, self.data
        core.touch()
        printer = self.ports.printer
        change = d.change
        print_slip = getattr(printer, "print_change_slip", None)
        if change is None or print_slip is None or d.printing:
            core.notice(say("flow.no_printer"))
            return
        d.printing = True
        session_id, lang = core.data.session_id, core.lang  # printed in the screen's language
        reference, original = change.reference, change.original_number
        core.changed()
        self.runner.submit("print_slip", lambda: print_slip(reference, original, lang),
                           lambda _r, error: self._slip(session_id, error))

    def _slip(self, session_id: str, error: BaseException | None) -> None:
        if session_id != self.core.data.session_id:
            return
        self.data.printing = False
        self.data.slip_printed = error is None
        if error is not None:
            self.core.data.notice = text_of(error, say("flow.no_printer"))
        self.core.changed()

    # --- privacy ---------------------------------------------------------------------------
    def forget_me(self) -> None:
        """Delete the person's account and remembered titles (invoices stay, detached)."""
        core, centre = self.core, self.ports.centre
        core.touch()
        identity = core.data.identity
        if centre is None or identity is None:
            return
        centre.forget(identity)
        core.log("forgotten", "account and titles deleted at the holder's request")
        core.wipe("forgotten")
        core.notice(say("centre.forgotten"))
