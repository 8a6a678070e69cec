"""Frozen view models of the personal centre's screens (see :mod:`kiosk.flow.views`).

Everything a page shows is decided here: the rows and their red/blue relation in
words, which actions are possible and why not, the change flow's step and its state
in plain words.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from kiosk.centre.changes import Change, ChangeState, ChangeWhat
from kiosk.centre.requests import MyRequest, RequestState
from kiosk.flow.checks import tax_id_check
from kiosk.flow.states import Screen
from kiosk.flow.views import ENABLED, HIDDEN, Action, Frame, _frame, money, refused
from kiosk.flow.words import say
from kiosk.masking import mask_address, mask_email
from kiosk.messages import Text
from kiosk.model import Colour, Medium
from kiosk.rules.identifiers import Severity

if TYPE_CHECKING:
    from kiosk.centre.store import CentreEntry
    from kiosk.flow.core import FlowCore


@dataclass(frozen=True)
class InvoiceRow:
    """One invoice of the list, formatted."""

    number: str
    date: str
    total: str
    red: bool
    state: Text
    relation: Text | None = None  # "credits invoice N" / "red invoices N, M"
    buyer: str = ""
    orders: str = ""
    paper: Text | None = None


@dataclass(frozen=True)
class ChangeRow:
    reference: str
    original_number: str
    state: Text


@dataclass(frozen=True)
class RequestRow:
    """One of "my requests": what, its state in plain words, and what became of it."""

    reference: str
    kind: str  # change | paper
    state: str  # a RequestState value: open | waiting | done | failed
    date: str
    title: Text
    state_words: Text
    detail: Text
    resume: bool = False  # a change not finished: "continue"


@dataclass(frozen=True)
class CentreListView:
    frame: Frame
    rows: tuple[InvoiceRow, ...] = ()
    changes: tuple[ChangeRow, ...] = ()  # open change flows: continue
    requests: tuple[RequestRow, ...] = ()  # all changes and paper requests, newest first
    query: str = ""
    page: int = 0
    previous: Action = HIDDEN
    next: Action = HIDDEN
    empty: Text | None = None
    reprint: Action = ENABLED  # a row's reprint button
    forget: Action = HIDDEN  # delete my account / titles (identified people only)


@dataclass(frozen=True)
class CentreInvoiceView:
    frame: Frame
    row: InvoiceRow | None = None
    lines: tuple[tuple[str, str, str], ...] = ()  # (item, quantity, amount with tax)
    download_url: str = ""
    pdf_png: bytes = b""
    loading_pdf: bool = False
    qr_shown: bool = False
    email: str = ""  # prefill: the buyer's address on the invoice
    mailed_to: str = ""  # masked
    reprint: Action = ENABLED
    send: Action = ENABLED
    change: Action = ENABLED


@dataclass(frozen=True)
class ChangeView:
    frame: Frame
    number: str = ""
    what: str = ""  # a ChangeWhat value, "" until chosen
    whats: tuple[tuple[str, Text], ...] = ()
    full: bool = True
    partial: Action = ENABLED  # full/partial choice (not for a title or an allowance)
    lines: tuple[tuple[str, int, int], ...] = ()  # (item, units on the invoice, to credit)
    allowances: tuple[str, ...] = ()  # per line: the amount off as typed (an allowance)
    line_totals: tuple[str, ...] = ()  # per line: its amount with tax (the most off)
    buyer_name: str = ""
    buyer_tax_id: str = ""
    buyer_email: str = ""
    tax_id_check: Text | None = None
    credit_total: str = ""
    submit: Action = ENABLED


@dataclass(frozen=True)
class ChangeStatusView:
    frame: Frame
    reference: str = ""
    state: str = ""  # a ChangeState value
    words: Text | None = None
    problem: Text | None = None
    advancing: bool = False
    waiting: bool = False
    slip: Action = HIDDEN
    slip_printed: bool = False
    check_again: Action = HIDDEN


def _row(entry: CentreEntry) -> InvoiceRow:
    inv = entry.invoice
    relation: Text | None = None
    if inv.colour is Colour.RED and inv.original_number:
        relation = say("centre.red_of", number=inv.original_number)
    elif entry.red_numbers:
        relation = say("centre.reds", numbers=", ".join(entry.red_numbers))
    paper = None
    if inv.medium is Medium.PAPER or entry.paper_delivery:
        paper = (say("centre.paper_counter") if entry.paper_delivery in ("", "counter")
                 else say("centre.paper_post", address=mask_address(entry.paper_delivery)))
    return InvoiceRow(inv.number, inv.issued_at.date().isoformat(), money(inv.total),
                      inv.colour is Colour.RED, say(f"centre.state.{entry.state}"), relation,
                      inv.buyer.name[:20], ", ".join(inv.order_nos)[:40], paper)


def state_words(change: Change) -> Text:
    """A change's state in plain words."""
    s = change.state
    if s is ChangeState.WAITING:
        return say("centre.change.waiting", reference=change.reference)
    if s is ChangeState.RED_ISSUED:
        return say("centre.change.red_issued", red=change.red_number)
    if s is ChangeState.DONE:
        return (say("centre.change.done_blue", red=change.red_number, blue=change.blue_number)
                if change.blue_number else say("centre.change.done", red=change.red_number))
    if s is ChangeState.REFUSED:
        why = say(change.problem or "centre.form_refused")
        return Text(say("centre.change.refused").zh.replace("{why}", "") + why.zh,
                    say("centre.change.refused").en.replace("{why}", "") + why.en)
    return say(f"centre.change.{s.value}")


def request_row(request: MyRequest) -> RequestRow:
    """A change or paper request as the list of "my requests" shows it."""
    state = say(f"centre.request_state.{request.state.value}")
    date = request.created_at[:10]
    change, paper = request.change, request.paper
    if change is not None:
        what = say(f"centre.what.{change.what.value}")
        title = Text(say("centre.request.change", number=change.original_number,
                         what=what.zh).zh,
                     say("centre.request.change", number=change.original_number,
                         what=what.en).en)
        detail = (say("centre.request.change_waiting", reference=change.reference)
                  if request.state is RequestState.WAITING else state_words(change))
        return RequestRow(request.reference, "change", request.state.value, date, title, state,
                          detail, request.resumable)
    assert paper is not None
    title = (say("centre.request.paper_counter") if paper.delivery == "counter"
             else say("centre.request.paper_post", address=mask_address(paper.delivery)))
    if request.state is RequestState.DONE:
        detail = say("centre.request.paper_done", number=paper.invoice_number)
    elif request.state is RequestState.FAILED:
        detail = say("centre.request.paper_failed")
    else:
        detail = say("centre.request.paper_open", total=paper.total)
    return RequestRow(request.reference, "paper", request.state.value, date, title, state,
                      detail)


def centre_list_view(core: FlowCore) -> CentreListView:
    d = core.data.centre
    page = d.page
    rows = tuple(_row(e) for e in page.entries) if page else ()
    printing = d.printing or not core.printer_ok
    identity = core.data.identity
    return CentreListView(
        _frame(core), rows,
        tuple(ChangeRow(c.reference, c.original_number, state_words(c)) for c in d.changes),
        tuple(request_row(r) for r in d.requests),
        d.query, page.page if page else 0,
        ENABLED if page and page.page > 0 else HIDDEN,
        ENABLED if page and page.has_more else HIDDEN,
        None if rows else say("centre.empty"),
        Action(enabled=False, reason=None if d.printing else say("flow.no_printer"))
        if printing else ENABLED,
        ENABLED if identity is not None and d.scope is not None and d.scope.owners else HIDDEN)


def centre_invoice_view(core: FlowCore) -> CentreInvoiceView:
    d = core.data.centre
    entry = d.entry
    if entry is None:
        return CentreInvoiceView(_frame(core), reprint=HIDDEN, send=HIDDEN, change=HIDDEN)
    inv = entry.invoice
    lines = tuple((ln.name, f"{ln.quantity.normalize():f}", money(ln.amount + ln.tax))
                  for ln in inv.lines)
    change_reason = (say("centre.cannot_change") if inv.colour is Colour.RED
                     else say("centre.change_credited") if entry.state == "credited"
                     else None)
    reprint = (Action(enabled=False, reason=None if d.printing else say("flow.no_printer"))
               if d.printing or not core.printer_ok else ENABLED)
    return CentreInvoiceView(
        _frame(core), _row(entry), lines, inv.download_url, d.pdf_png, d.loading_pdf,
        d.qr_shown, inv.buyer.email, mask_email(d.mailed_to) if d.mailed_to else "",
        reprint, Action(enabled=not d.mailing),
        refused(change_reason) if d.scope is not None and d.scope.may_change else HIDDEN)


def change_view(core: FlowCore) -> ChangeView:
    d = core.data.centre
    entry, draft = d.entry, d.draft
    if entry is None:
        return ChangeView(_frame(core), submit=HIDDEN)
    inv = entry.invoice
    what = draft.what
    lines = tuple((ln.name, int(abs(ln.quantity)), int(draft.quantities.get(i, Decimal(0))))
                  for i, ln in enumerate(inv.lines))
    check = tax_id_check(draft.buyer) if what == ChangeWhat.TITLE.value else None
    verdict = (Text(check.message_zh, check.message_en)
               if check is not None and check.severity is not Severity.OK else None)
    reason = None if what else say("centre.choose_what")
    return ChangeView(
        _frame(core), inv.number, what,
        tuple((w.value, say(f"centre.what.{w.value}")) for w in ChangeWhat), draft.full,
        HIDDEN if what in ("", ChangeWhat.TITLE.value, ChangeWhat.ALLOWANCE.value) else ENABLED,
        lines, tuple(draft.allowances.get(i, "") for i in range(len(inv.lines))),
        tuple(money(ln.amount + ln.tax) for ln in inv.lines), draft.buyer.name, draft.buyer.tax_id, draft.buyer.email,
        verdict, money(inv.total), refused(reason))


def change_status_view(core: FlowCore) -> ChangeStatusView:
    d = core.data.centre
    change = d.change
    if change is None:
        return ChangeStatusView(_frame(core))
    waiting = change.state is ChangeState.WAITING
    problem = say(change.problem) if change.problem and not change.finished else None
    return ChangeStatusView(
        _frame(core), change.reference, change.state.value, state_words(change), problem,
        d.advancing, waiting, ENABLED if waiting and not d.printing else HIDDEN,
        d.slip_printed,
        HIDDEN if change.finished else Action(enabled=not d.advancing))


CENTRE_BUILDERS: dict[Screen, Callable[[FlowCore], object]] = {
    Screen.CENTRE: centre_list_view, Screen.CENTRE_INVOICE: centre_invoice_view,
    Screen.CHANGE: change_view, Screen.CHANGE_STATUS: change_status_view,
}

