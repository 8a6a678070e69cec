"""What the session flow needs from outside, as small typed ports the composition root fills.

The flow never does IO itself: it asks a :class:`Runner` to execute blocking
work (issuing, printing, mail) and is called back with the result. In the app
the runner is a ``QThreadPool`` whose results come back to the UI thread by a
queued signal (:class:`ui.runner.QtRunner`); in tests :class:`InlineRunner` runs
the work at once or :class:`ManualRunner` holds it until the test releases it.

:class:`Services` is the one bundle the composition root builds; each step
controller is typed against only the narrow protocol it uses
(:class:`OrderPorts`, :class:`AccountPorts`, :class:`TitleCodePorts`,
:class:`IssuePorts`, :class:`CataloguePorts`), and :class:`Services` satisfies them all.
Errors a port raises carry a ``problem`` (:class:`~drivers.problem.Problem`) or,
until every service is converted, ``message_zh``/``message_en``; the flow reads
them in one place (:func:`kiosk.flow.words.text_of`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from kiosk.model import Buyer, Invoice, InvoiceRequest, Order

if TYPE_CHECKING:
    from kiosk.accounts import Account, AccountsService
    from kiosk.catalogue import CatalogueItem
    from kiosk.centre.service import Centre
    from kiosk.flow.states import Identity
    from kiosk.issuing import IssueOutcome
    from kiosk.titleqr import TitleQrResult

# done(result, error): exactly one of them is meaningful.
Done = Callable[[Any, BaseException | None], None]


class Runner(Protocol):
    def submit(self, name: str, work: Callable[[], Any], done: Done) -> None:
        """Run ``work`` off the caller's thread; call ``done(result, error)`` on the caller's."""


class InlineRunner:
    """Runs work immediately on the calling thread (pure tests, scripts)."""

    def submit(self, name: str, work: Callable[[], Any], done: Done) -> None:
        try:
            result = work()
        except Exception as err:  # the flow turns it into a screen
            done(None, err)
            return
        done(result, None)


class ManualRunner:
    """Holds submitted work until :meth:`run_next` (tests of the in-between states)."""

    def __init__(self) -> None:
        self.pending: list[tuple[str, Callable[[], Any], Done]] = []

    def submit(self, name: str, work: Callable[[], Any], done: Done) -> None:
        self.pending.append((name, work, done))

    def run_next(self) -> str:
        name, work, done = self.pending.pop(0)
        InlineRunner().submit(name, work, done)
        return name

    def run_all(self) -> list[str]:
        names = []
        while self.pending:
            names.append(self.run_next())
        return names


class ReceiptPrinter(Protocol):
    """The printer as the flow sees it. Each call blocks (it runs on the runner's thread):
    it checks the printer's preflight, prints, and raises an error carrying a problem
    (or ``message_zh``/``message_en``) when the printer is not good or fails mid-print."""

    def print_invoice(self, invoice: Invoice) -> None: ...

    def print_claim(self, request_id: str, request: InvoiceRequest, lang: str) -> None: ...


# --- the narrow ports each step controller is given -----------------------------------
# Read-only attributes holding callables: the Services dataclass satisfies each of them.

class OrderPorts(Protocol):
    """Orders and codes (:class:`~kiosk.flow.orders.OrdersStep`)."""

    @property
    def resolve_order_code(self) -> Callable[[str], Order]: ...
    @property
    def looks_like_order_code(self) -> Callable[[str], bool]: ...
    @property
    def find_order(self) -> Callable[[str], Order | None]: ...
    @property
    def find_invoice_for_order(self) -> Callable[[str], Invoice | None]: ...
    @property
    def parse_title_qr(self) -> Callable[[str], TitleQrResult | None] | None: ...


class AccountPorts(Protocol):
    """Login and remembered titles (:class:`~kiosk.flow.identify.IdentifyStep`)."""

    @property
    def authenticate(self) -> Callable[[str, str], Account] | None: ...
    @property
    def titles_for(self) -> Callable[[Identity], Sequence[Buyer]] | None: ...


class CataloguePorts(Protocol):
    """The business catalogue (:class:`~kiosk.flow.catalogue.CatalogueStep`)."""

    @property
    def catalogue_search(self) -> Callable[[str], Sequence[CatalogueItem]] | None: ...


class IssuePorts(Protocol):
    """Issuing and delivery (:class:`~kiosk.flow.issue.IssueStep`)."""

    @property
    def issue(self) -> Callable[[InvoiceRequest], IssueOutcome]: ...
    @property
    def printer(self) -> ReceiptPrinter | None: ...
    @property
    def send_mail(self) -> Callable[[Invoice, str], None] | None: ...
    @property
    def flush_mail(self) -> Callable[[], bool] | None: ...
    @property
    def remember_title(self) -> Callable[[Identity, Buyer], None] | None: ...
    @property
    def save_attachment(self) -> Callable[[str, bytes], None] | None: ...
    @property
    def looks_like_claim_code(self) -> Callable[[str], bool] | None: ...
    @property
    def resolve_claim_code(self) -> Callable[[str], str] | None: ...
    @property
    def claim(self) -> Callable[[str], IssueOutcome] | None: ...
    @property
    def mail_when_issued(self) -> Callable[[str, str], bool] | None: ...
    @property
    def claim_code(self) -> Callable[[str], str] | None: ...
    @property
    def issue_as(self) -> Callable[[InvoiceRequest, str], IssueOutcome] | None: ...
    @property
    def accounts(self) -> AccountsService | None: ...
    @property
    def centre(self) -> Centre | None: ...


class CentrePorts(Protocol):
    """The personal centre (:class:`~kiosk.flow.centre.CentreStep`)."""

    @property
    def centre(self) -> Centre | None: ...
    @property
    def printer(self) -> ReceiptPrinter | None: ...
    @property
    def send_mail(self) -> Callable[[Invoice, str], None] | None: ...


@dataclass
class Services:
    """The flow's ports. Optional ones are ``None`` when the piece is not configured."""

    # A scanned order code -> the stored Order; raises an error that carries its words.
    resolve_order_code: Callable[[str], Order]
    # Is this text an order code at all (else: a title QR, a personal QR, ...)?
    looks_like_order_code: Callable[[str], bool]
    # A typed order number -> the stored Order, or None.
    find_order: Callable[[str], Order | None]
    # Blocking: issue one request -> the issuing service's outcome (an IssueStatus + words).
    issue: Callable[[InvoiceRequest], IssueOutcome]
    # The invoice already issued for an order, if any (already-invoiced detection).
    find_invoice_for_order: Callable[[str], Invoice | None]
    printer: ReceiptPrinter | None = None
    # Blocking: e-mail the invoice's PDF/XML to an address (raises if it was not sent).
    send_mail: Callable[[Invoice, str], None] | None = None
    # Blocking: send the mail the issuing service queued; True when it all went out.
    flush_mail: Callable[[], bool] | None = None
    # Accounts: (user, password) -> account (raises an error with its words on failure).
    authenticate: Callable[[str, str], Account] | None = None
    # Remembered titles of an identified user.
    titles_for: Callable[[Identity], Sequence[Buyer]] | None = None
    remember_title: Callable[[Identity, Buyer], None] | None = None
    # A scanned buyer-title code -> what it is (and the buyer when it could be read).
    parse_title_qr: Callable[[str], TitleQrResult | None] | None = None
    # Keep a voucher photo (PNG) with an issued invoice's documents.
    save_attachment: Callable[[str, bytes], None] | None = None
    # The business catalogue: search text -> items.
    catalogue_search: Callable[[str], Sequence[CatalogueItem]] | None = None
    # Claim slips (kiosk.claims): is this a slip's code; its request id (raises an error
    # with its words when forged or of another shop); blocking: what became of a request;
    # blocking: e-mail a queued request's invoice to an address once issued.
    looks_like_claim_code: Callable[[str], bool] | None = None
    resolve_claim_code: Callable[[str], str] | None = None
    claim: Callable[[str], IssueOutcome] | None = None
    mail_when_issued: Callable[[str, str], bool] | None = None
    # A request id -> its claim slip's signed code (kiosk.orderqr.make_claim_qr).
    claim_code: Callable[[str], str] | None = None
    # The personal centre (its invoices, reprint/resend, changes); claims orders on issue.
    centre: Centre | None = None
    # Blocking: issue on behalf of an account (username); raises
    # kiosk.accounts.PermissionDenied when its role may not issue.
    issue_as: Callable[[InvoiceRequest, str], IssueOutcome] | None = None
    # Registration, codes, roles (kiosk.accounts.AccountsService; the flow's account screens).
    accounts: AccountsService | None = None
