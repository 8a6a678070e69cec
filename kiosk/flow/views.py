"""Frozen view models: what each screen shows, which actions are enabled, and for a
disabled one why, in both languages.

The flow publishes them (:meth:`kiosk.session.Session.view`); a page renders one
and sends intents, and computes nothing itself: the review's sums, the buyer's
tax-ID verdict, whether a special invoice is possible all come from here. Each
model is a pure function of the core's state, so a page test can build one by
hand and render a single widget without the application.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, TypeAlias

from kiosk.flow.checks import (
    FieldProblem,
    field_problems,
    special_refusal,
    tax_id_check,
    tax_id_verdict,
)
from kiosk.flow.states import BuyerDraft, Screen
from kiosk.flow.words import say
from kiosk.masking import mask_name, mask_tax_id
from kiosk.messages import Text
from kiosk.model import BuyerType, InvoiceKind, Medium, OrderLine
from kiosk.outcomes import correctable
from kiosk.rules import amount_in_words, invoice_lines_from_order_lines, rate_label
from kiosk.rules.identifiers import Severity

if TYPE_CHECKING:
    from kiosk.flow.core import FlowCore
    from kiosk.flow.views_centre import (
        CentreInvoiceView,
        CentreListView,
        ChangeStatusView,
        ChangeView,
    )

ZERO = Decimal("0.00")


def money(value: Decimal) -> str:
    return f"￥{value:,.2f}"


@dataclass(frozen=True)
class Action:
    """A button: shown or not, enabled or not, and why not (both languages)."""

    enabled: bool = True
    visible: bool = True
    reason: Text | None = None


ENABLED = Action()
HIDDEN = Action(enabled=False, visible=False)


def refused(reason: Text | None) -> Action:
    return ENABLED if reason is None else Action(enabled=False, reason=reason)


@dataclass(frozen=True)
class Frame:
    """What every page shows: the screen, its notice, who is identified (masked)."""

    screen: Screen
    notice: Text | None = None
    who: str = ""


@dataclass(frozen=True)
class Row:
    """One line as a table shows it (already formatted)."""

    item: str
    quantity: str
    amount: str
    rate: str = ""
    tax: str = ""


@dataclass(frozen=True)
class OrderEntry:
    """One merged order as the orders screen lists it, with its own remove button."""

    order_no: str
    total: str


@dataclass(frozen=True)
class OrdersView:
    frame: Frame
    rows: tuple[Row, ...] = ()
    order_nos: tuple[str, ...] = ()
    total: str = money(ZERO)
    orders: tuple[OrderEntry, ...] = ()  # each one removable (a wrongly added receipt)
    camera_on: bool = False
    next: Action = ENABLED
    my_invoices: Action = HIDDEN  # the personal centre, once identified
    # An enterprise administrator's way to MEMBERS (shown for convenience; the flow
    # and AccountsService check the role, not this).
    members: Action = HIDDEN


@dataclass(frozen=True)
class CatalogueView:
    frame: Frame
    rows: tuple[Row, ...] = ()
    total: str = money(ZERO)
    next: Action = ENABLED


@dataclass(frozen=True)
class BuyerView:
    frame: Frame
    type: BuyerType = BuyerType.PERSON
    values: tuple[tuple[str, str], ...] = ()  # (field, typed value), every buyer field
    tax_id_check: Text | None = None  # the typed tax ID's verdict, live
    tax_id_role: str = "ok"  # ok, hint (still typing), warn or error: how the verdict is shown
    confirm_tax_id: Action = HIDDEN  # "it is correct" for a check-digit warning
    problems: tuple[FieldProblem, ...] = ()  # what the platform would refuse, per field
    show_address_bank: bool = False
    titles: tuple[str, ...] = ()  # remembered titles (names), one button each
    title_qr_note: Text | None = None
    camera_on: bool = False
    photo_attached: bool = False
    next: Action = ENABLED

    def value(self, name: str) -> str:
        return dict(self.values).get(name, "")

    def problem(self, name: str) -> Text | None:
        return next((p.text for p in self.problems if p.field == name), None)


@dataclass(frozen=True)
class OptionsView:
    frame: Frame
    kind: InvoiceKind = InvoiceKind.NORMAL
    special: Action = ENABLED  # disabled for a person or a 免税 line, with the reason
    medium: Medium = Medium.ELECTRONIC
    by_post: bool = False
    address: str = ""
    next: Action = ENABLED


@dataclass(frozen=True)
class TitleOffer:
    """A scanned title that would replace the one on the review: both read back."""

    old_name: str
    old_tax_id: str  # masked; "" for none
    new_name: str
    new_tax_id: str  # masked; "" for none


@dataclass(frozen=True)
class ReviewView:
    frame: Frame
    buyer_name: str = ""
    buyer_tax_id: str = ""  # masked; "" for none
    buyer_type: BuyerType = BuyerType.PERSON
    titles: tuple[str, ...] = ()  # remembered titles (names): one touch fills the buyer
    offer: TitleOffer | None = None  # "replace the title?" after a title code was scanned
    rows: tuple[Row, ...] = ()
    net: Decimal = ZERO
    tax: Decimal = ZERO
    total: Decimal = ZERO
    words: str = ""  # the total in Chinese capital numerals
    kind: InvoiceKind = InvoiceKind.NORMAL
    medium: Medium = Medium.ELECTRONIC
    by_post: bool = False
    issue_date: str = ""
    items_screen: Screen = Screen.ORDERS  # where "change items" goes
    confirm: Action = ENABLED


@dataclass(frozen=True)
class ResultView:
    frame: Frame
    invoice_number: str = ""
    download_url: str = ""
    printing: bool = False
    printed: bool = False
    mailing: bool = False
    mail_sent: bool = False
    email: str = ""  # the buyer's address, to prefill
    mailed_to: str = ""  # where the invoice was e-mailed ("" when it was not)
    send: Action = ENABLED
    reprint: Action = ENABLED  # needs a usable printer
    retry_print: Action = ENABLED  # after a failed print: try again (not while printing)
    terms_accepted: bool = True  # else the notice is summarised beside the e-mail field
    my_invoices: Action = HIDDEN  # the personal centre, once identified


@dataclass(frozen=True)
class QueuedView:
    frame: Frame
    reference: str = ""  # the claim reference (the request id), "" when none
    email: str = ""  # the buyer's address, to prefill "e-mail me when it is issued"
    mail: Action = HIDDEN  # shown when this kiosk holds the request; off while saving
    mail_promised_to: str = ""  # the address the invoice will be e-mailed to
    printing: bool = False  # the claim slip is printing
    printed: bool = False  # the claim slip is out
    claim_code: str = ""  # the slip's code, shown as a QR for a phone to keep


@dataclass(frozen=True)
class IdleView:
    frame: Frame
    seconds_left: int = 0  # before everything entered is cleared


@dataclass(frozen=True)
class AttractView:
    frame: Frame
    announcements: tuple[Text, ...] = ()  # the back office's (issue 16), newest policy first
    scanner_ok: bool = True  # which ways to scan work (the device coordinator's states)
    camera_ok: bool = True


@dataclass(frozen=True)
class OutOfServiceView:
    frame: Frame
    reason: Text | None = None


@dataclass(frozen=True)
class RejectedView:
    """The platform refused: ``correct`` (back to the title) only where a new title can
    help; a quota used up or an order already invoiced is not fixed by one."""

    frame: Frame
    correct: Action = ENABLED


@dataclass(frozen=True)
class PlainView:
    """A screen with nothing beyond its frame (the page's texts say the rest)."""

    frame: Frame


@dataclass(frozen=True)
class MemberRow:
    username: str
    role: str  # admin | issuer | viewer
    confirmed: bool


@dataclass(frozen=True)
class AccountView:
    """REGISTER, CODE_LOGIN, FORGOT_PASSWORD, MEMBERS: the form, or the code stage."""

    frame: Frame
    stage: str = "form"  # form | code
    kind: str = "person"  # registration: person | enterprise
    sent_to: str = ""  # masked phone or e-mail the code went to
    members: tuple[MemberRow, ...] = ()
    invited: str = ""  # members: who is waiting for the code


# The personal centre's views live in kiosk.flow.views_centre (this file stays small).
View: TypeAlias = ("OrdersView | CatalogueView | BuyerView | OptionsView | ReviewView"
                   " | ResultView | QueuedView | IdleView | AttractView | OutOfServiceView | PlainView"
                   " | RejectedView"
                   " | AccountView | CentreListView | CentreInvoiceView | ChangeView | ChangeStatusView")


def _frame(core: FlowCore) -> Frame:
    identity = core.data.identity
    return Frame(core.screen, core.data.notice, mask_name(identity.name) if identity else "")


def _rows(lines: tuple[OrderLine, ...] | list[OrderLine]) -> tuple[Row, ...]:
    return tuple(Row(f"*{x.short_name}*{x.name}", f"{x.quantity.normalize():f}", money(x.amount))
                 for x in lines)


def orders_view(core: FlowCore) -> OrdersView:
    data = core.data
    lines = [line for order in data.orders for line in order.lines]
    entries = tuple(OrderEntry(o.order_no, money(sum((x.amount for x in o.lines), ZERO)))
                    for o in data.orders)
    return OrdersView(_frame(core), _rows(lines), data.order_nos, money(data.total),
                      entries, data.camera_on,
                      refused(None if data.orders else say("flow.no_orders")),
                      ENABLED if data.identity is not None else HIDDEN,
                      ENABLED if data.identity is not None and data.identity.role == "admin"
                      else HIDDEN)


def catalogue_view(core: FlowCore) -> CatalogueView:
    data = core.data
    return CatalogueView(_frame(core), _rows(data.catalogue_lines), money(data.total),
                         refused(None if data.catalogue_lines else say("flow.no_lines")))


def buyer_view(core: FlowCore) -> BuyerView:
    data = core.data
    b = data.buyer
    check = tax_id_check(b)
    verdict, role = tax_id_verdict(check)
    warn = check is not None and check.severity is Severity.WARNING and not b.tax_id_confirmed
    return BuyerView(
        _frame(core), b.type, _values(b), verdict, role,
        ENABLED if warn else HIDDEN, field_problems(b), b.show_address_bank,
        tuple(t.name[:16] for t in data.titles[:4]), data.title_qr_note, data.camera_on,
        bool(data.attachment), ENABLED)


def _values(b: BuyerDraft) -> tuple[tuple[str, str], ...]:
    return tuple((name, str(getattr(b, name)))
                 for name in ("name", "tax_id", "address", "phone", "bank", "account", "email"))


def options_view(core: FlowCore) -> OptionsView:
    data = core.data
    paper = data.medium is Medium.PAPER
    return OptionsView(_frame(core), data.kind, refused(special_refusal(data)), data.medium,
                       paper and data.paper_by_post, data.paper_delivery, ENABLED)


def review_view(core: FlowCore, today: dt.date | None = None) -> ReviewView:
    data = core.data
    b = data.buyer
    lines = invoice_lines_from_order_lines(data.lines)
    net = sum((x.amount for x in lines), ZERO)
    tax = sum((x.tax for x in lines), ZERO)
    rows = tuple(Row(x.name, f"{x.quantity.normalize():f}", money(x.amount),
                     rate_label(x.rate, x.rate_mark), money(x.tax)) for x in lines)
    offer = data.title_offer
    return ReviewView(
        _frame(core), b.name, _masked(b.tax_id), b.type,
        tuple(t.name[:16] for t in data.titles[:4]),
        TitleOffer(b.name, _masked(b.tax_id), offer.name, _masked(offer.tax_id))
        if offer is not None else None,
        rows, net, tax, net + tax, amount_in_words(net + tax), data.kind, data.medium,
        data.medium is Medium.PAPER and data.paper_by_post,
        (today or dt.date.today()).isoformat(),
        Screen.CATALOGUE if data.catalogue_lines else Screen.ORDERS,
        refused(say("flow.no_orders") if not data.lines
                else say("flow.title_offer_open") if offer is not None else None))


def _masked(tax_id: str) -> str:
    return mask_tax_id(tax_id.strip().upper()) if tax_id.strip() else ""


def result_view(core: FlowCore) -> ResultView:
    data = core.data
    inv = data.invoice
    if inv is None:
        return ResultView(_frame(core), send=HIDDEN, reprint=HIDDEN, retry_print=HIDDEN)
    reprint = (ENABLED if core.printer_ok and not data.printing
               else Action(enabled=False, reason=say("flow.busy_printing") if data.printing
                           else say("flow.no_printer")))
    return ResultView(
        _frame(core), inv.number, inv.download_url, data.printing, data.printed, data.mailing,
        bool(data.mail_sent_to), data.buyer.email, data.mail_sent_to,
        refused(say("flow.busy_mailing") if data.mailing else None), reprint,
        refused(say("flow.busy_printing") if data.printing else None),
        data.terms_accepted, ENABLED if data.identity is not None else HIDDEN)


def rejected_view(core: FlowCore) -> RejectedView:
    outcome = core.data.outcome
    by_title = correctable(outcome.errors if outcome is not None else ())
    return RejectedView(_frame(core), ENABLED if by_title else HIDDEN)


def queued_view(core: FlowCore) -> QueuedView:
    data = core.data
    request = data.request
    reference = data.claim_id or (request.request_id if request is not None else "")
    mail = (Action(enabled=not data.mailing) if data.claim_local and reference else HIDDEN)
    return QueuedView(_frame(core), reference, data.buyer.email, mail, data.mail_promised_to,
                      data.printing, data.printed, data.claim_code)


def idle_view(core: FlowCore) -> IdleView:
    return IdleView(_frame(core), core.countdown_left())


def attract_view(core: FlowCore) -> AttractView:
    return AttractView(_frame(core), core.announcements, core.scanner_ok, core.camera_ok)


def out_of_service_view(core: FlowCore) -> OutOfServiceView:
    return OutOfServiceView(_frame(core), core.out_of_service_reason)


def account_view(core: FlowCore) -> AccountView:
    d = core.data.account_draft
    return AccountView(_frame(core), d.stage, d.kind, d.sent_to,
                       tuple(MemberRow(u, r, c) for u, r, c in d.members), d.member)


_BUILDERS: dict[Screen, Callable[[FlowCore], View]] = {
    Screen.REGISTER: account_view, Screen.CODE_LOGIN: account_view,
    Screen.FORGOT_PASSWORD: account_view, Screen.MEMBERS: account_view,
    Screen.ORDERS: orders_view, Screen.CATALOGUE: catalogue_view, Screen.BUYER: buyer_view,
    Screen.OPTIONS: options_view, Screen.REVIEW: review_view, Screen.RESULT: result_view,
    Screen.ALREADY_INVOICED: result_view, Screen.PRINTER_PROBLEM: result_view,
    Screen.PLATFORM_QUEUED: queued_view, Screen.IDLE_WARNING: idle_view,
    Screen.REJECTED: rejected_view,
    Screen.OUT_OF_SERVICE: out_of_service_view, Screen.ATTRACT: attract_view,
}


def view_for(core: FlowCore, screen: Screen) -> View:
    """The view model of ``screen`` from the core's state (any screen, shown or not)."""
    builder = _BUILDERS.get(screen)
    if builder is None:
        from kiosk.flow.views_centre import CENTRE_BUILDERS

        centre = CENTRE_BUILDERS.get(screen)
        if centre is not None:
            return centre(core)  # type: ignore[return-value]
        return PlainView(_frame(core))
    return builder(core)
