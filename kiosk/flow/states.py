"""Screens (the flow's states) and the data one walk-in session holds.

Everything personal lives in :class:`SessionData`; a wipe replaces the whole
object with a fresh one, so nothing can be forgotten field by field.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING

from kiosk.messages import Text
from kiosk.model import (
    Buyer,
    BuyerType,
    Invoice,
    InvoiceKind,
    InvoiceRequest,
    Medium,
    Order,
    OrderLine,
)
from kiosk.rules.identifiers import TaxIdCheck

if TYPE_CHECKING:
    from kiosk.accounts import Account
    from kiosk.centre.changes import Change
    from kiosk.centre.requests import MyRequest
    from kiosk.centre.scope import InvoiceScope
    from kiosk.centre.store import CentreEntry, CentrePage
    from kiosk.issuing import IssueOutcome


class Screen(StrEnum):
    """One state of the flow; the UI shows one page per screen."""

    ATTRACT = "attract"
    TERMS = "terms"
    IDENTIFY = "identify"
    IDCARD_CONSENT = "idcard_consent"
    IDCARD_READING = "idcard_reading"
    LOGIN = "login"
    ORDERS = "orders"
    CATALOGUE = "catalogue"
    BUYER = "buyer"
    OPTIONS = "options"
    REVIEW = "review"
    ISSUING = "issuing"
    RESULT = "result"
    PLATFORM_QUEUED = "platform_queued"
    RESULT_UNKNOWN = "result_unknown"
    ALREADY_INVOICED = "already_invoiced"
    BAD_QR = "bad_qr"
    REJECTED = "rejected"
    PRINTER_PROBLEM = "printer_problem"
    CAMERA_UNAVAILABLE = "camera_unavailable"
    IDLE_WARNING = "idle_warning"
    SUPPORT = "support"
    TUTORIAL = "tutorial"
    OUT_OF_SERVICE = "out_of_service"
    CENTRE = "centre"
    CENTRE_INVOICE = "centre_invoice"
    CHANGE = "change"
    CHANGE_STATUS = "change_status"
    # Accounts (kiosk.flow.account): registration, phone-code login, reset, members.
    REGISTER = "register"
    CODE_LOGIN = "code_login"
    FORGOT_PASSWORD = "forgot_password"
    MEMBERS = "members"


# Screens where no personal data is on show and the idle timer does nothing.
RESTING = frozenset({Screen.ATTRACT, Screen.OUT_OF_SERVICE, Screen.ISSUING})
# Failure screens: each has a way forward (finish, retry, back).
FAILURES = frozenset({
    Screen.PLATFORM_QUEUED, Screen.RESULT_UNKNOWN, Screen.ALREADY_INVOICED, Screen.BAD_QR,
    Screen.REJECTED, Screen.PRINTER_PROBLEM, Screen.CAMERA_UNAVAILABLE,
})
# Overlays remember the screen they cover and go back to it.
OVERLAYS = frozenset({Screen.IDLE_WARNING, Screen.SUPPORT, Screen.TUTORIAL})


class IdMethod(StrEnum):
    NONE = "none"
    IDCARD = "idcard"
    QR = "qr"
    ACCOUNT = "account"


@dataclass
class BuyerDraft:
    """The buyer being entered, mutable until review (frozen into a :class:`Buyer`)."""

    type: BuyerType = BuyerType.PERSON
    name: str = "个人"  # the walk-in default for a natural person
    tax_id: str = ""
    address: str = ""
    phone: str = ""
    bank: str = ""
    account: str = ""
    email: str = ""
    show_address_bank: bool = False
    tax_id_confirmed: bool = False

    def is_blank(self) -> bool:
        """The walk-in default (个人, nothing typed): replacing it loses nothing."""
        return (self.type is BuyerType.PERSON and self.name.strip() in ("", "个人")
                and not any((self.tax_id.strip(), self.address.strip(), self.phone.strip(),
                             self.bank.strip(), self.account.strip(), self.email.strip())))

    def same_title(self, buyer: Buyer) -> bool:
        return (self.type, self.name.strip(), self.tax_id.strip().upper()) == (
            buyer.type, buyer.name.strip(), buyer.tax_id.strip().upper())

    def freeze(self) -> Buyer:
        return Buyer(
            type=self.type, name=self.name.strip(), tax_id=self.tax_id.strip().upper(),
            address=self.address.strip(), phone=self.phone.strip(), bank=self.bank.strip(),
            account=self.account.strip(), email=self.email.strip(),
            show_address_bank=self.show_address_bank, tax_id_confirmed=self.tax_id_confirmed,
        )

    @classmethod
    def from_buyer(cls, buyer: Buyer) -> BuyerDraft:
        return cls(type=buyer.type, name=buyer.name, tax_id=buyer.tax_id, address=buyer.address,
                   phone=buyer.phone, bank=buyer.bank, account=buyer.account, email=buyer.email,
                   show_address_bank=buyer.show_address_bank)


@dataclass
class AccountDraft:
    """Where the account screens are: the form, or waiting for the code sent to ``sent_to``."""

    stage: str = "form"  # form | code
    kind: str = "person"  # registration: person | enterprise
    username: str = ""  # registration / reset: the account in progress
    phone: str = ""  # code login: the number the code went to
    by_email: bool = False  # the code went to the e-mail address
    sent_to: str = ""  # masked, for the screen
    member: str = ""  # members: the invited member waiting for the code
    members: tuple[tuple[str, str, bool], ...] = ()  # members: (username, role, confirmed)


@dataclass(frozen=True)
class Identity:
    """Who identified: an ID card holder, a personal-QR holder or an account."""

    method: IdMethod
    name: str  # full name (shown masked)
    id_number: str = ""  # resident ID number from a card; never logged raw
    account: Account | None = None  # the account of an account login
    business: bool = False  # a business account may use the catalogue flow
    role: str = ""  # the account's role in its enterprise (admin | issuer | viewer), if any


@dataclass
class ChangeDraft:
    """The "change this invoice" answers so far (kiosk.flow.centre)."""

    what: str = ""  # a kiosk.centre.changes.ChangeWhat value, "" until chosen
    full: bool = True
    quantities: dict[int, Decimal] = field(default_factory=dict)  # line -> units to credit
    allowances: dict[int, str] = field(default_factory=dict)  # line -> amount off, as typed
    buyer: BuyerDraft = field(default_factory=lambda: BuyerDraft(name=""))


@dataclass
class CentreData:
    """The personal centre's state in one session (wiped with it)."""

    scope: InvoiceScope | None = None
    query: str = ""
    page: CentrePage | None = None
    changes: tuple[Change, ...] = ()  # open change flows of the scope
    requests: tuple[MyRequest, ...] = ()  # every change and paper request, newest first
    entry: CentreEntry | None = None  # the invoice opened
    came_from: Screen | None = None
    pdf_png: bytes = b""
    loading_pdf: bool = False
    qr_shown: bool = False
    printing: bool = False
    printed: str = ""  # the invoice number last reprinted
    mailing: bool = False
    mailed_to: str = ""
    draft: ChangeDraft = field(default_factory=ChangeDraft)
    change: Change | None = None  # the change on show
    advancing: bool = False
    slip_printed: bool = False


@dataclass
class SessionData:
    """Everything one walk-in session knows. Replaced whole on wipe."""

    session_id: str = ""
    terms_accepted: bool = False
    identity: Identity | None = None
    pending_after_terms: Screen | None = None
    terms_from: Screen | None = None  # the screen that opened the notice: back goes there
    orders: list[Order] = field(default_factory=list)
    catalogue_lines: list[OrderLine] = field(default_factory=list)
    buyer: BuyerDraft = field(default_factory=BuyerDraft)
    titles: list[Buyer] = field(default_factory=list)  # remembered titles of the identified user
    kind: InvoiceKind = InvoiceKind.NORMAL
    medium: Medium = Medium.ELECTRONIC
    paper_by_post: bool = False  # paper invoice: mailed (else picked up at the counter)
    paper_delivery: str = ""  # the mailing address when by post
    attachment: bytes = b""  # optional photo of a contract or voucher (PNG)
    request: InvoiceRequest | None = None  # the request sent
    outcome: IssueOutcome | None = None  # the issuing service's outcome
    invoice: Invoice | None = None
    claim_id: str = ""  # the queued request a claim slip names (printed, or scanned)
    claim_local: bool = False  # this kiosk holds that request (an e-mail can be added)
    claim_code: str = ""  # the slip's signed code (shown on screen too, for a phone)
    mail_promised_to: str = ""  # e-mailed there once the queued request is issued
    printed: bool = False
    printing: bool = False
    receipt_held: bool = False  # the printer stopped mid-receipt and keeps the rest
    mail_sent_to: str = ""
    mailing: bool = False
    notice: Text | None = None  # the message of the current screen (error, hint)
    title_qr_note: Text | None = None  # what a scanned title code was
    title_offer: Buyer | None = None  # a scanned title waiting for "replace the title?"
    tax_id_feedback: TaxIdCheck | None = None  # the latest check of the typed tax ID
    login_failures: int = 0
    account_draft: AccountDraft = field(default_factory=AccountDraft)
    camera_on: bool = False  # the camera is in use: its notice shows
    camera_for_photo: bool = False  # in use for a voucher photo (codes it sees are ignored)
    centre: CentreData = field(default_factory=CentreData)

    @property
    def lines(self) -> tuple[OrderLine, ...]:
        """Every line to invoice: all merged orders' lines, or the catalogue picks."""
        out: list[OrderLine] = [line for order in self.orders for line in order.lines]
        return tuple(out + self.catalogue_lines)

    @property
    def total(self) -> Decimal:
        return sum((line.amount for line in self.lines), Decimal("0.00"))

    @property
    def order_nos(self) -> tuple[str, ...]:
        return tuple(order.order_no for order in self.orders)
