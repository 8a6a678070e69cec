"""What happened to an issue request, for the screen and the CLI: :class:`IssueOutcome`.

Shared by blue issuing (:mod:`kiosk.issuing`) and red-letter corrections
(:mod:`kiosk.corrections`), which answer with the same outcomes. The builders
here are the only place their words are chosen: each outcome carries a
``problem`` (:class:`drivers.problem.Problem`, words in
:mod:`kiosk.messages.platform`), and ``message_zh``/``message_en`` are those
words (joined by :func:`kiosk.messages.join` with any further sentence, such as
the platform's own reason), kept for the callers that still read them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from drivers.problem import Problem
from kiosk.messages import CATALOGUE, Text, join, text_for
from kiosk.model import Invoice
from kiosk.outbox import StoredInvoice
from kiosk.platform.gateway import Rejection

_STOPS = "。！？；.!?; "  # stripped from a reason put inside a sentence


class IssueStatus(StrEnum):
    ISSUED = "issued"
    ALREADY_INVOICED = "already_invoiced"
    QUEUED = "queued"
    UNKNOWN = "unknown"
    REJECTED = "rejected"
    # Nothing issued, and nothing can be until the operator acts (the clerk's bureau
    # session lapsed): the kiosk goes out of service (暂停服务) until health() is ok.
    OUT_OF_SERVICE = "out_of_service"


@dataclass(frozen=True)
class IssueOutcome:
    """What happened to a request, and what will happen next (for the screen and the CLI)."""

    status: IssueStatus
    request_id: str
    invoice: Invoice | None = None
    message_zh: str = ""
    message_en: str = ""
    errors: tuple[Rejection, ...] = field(default_factory=tuple)
    xml_path: Path | None = None
    pdf_path: Path | None = None
    problem: Problem | None = None  # what happened, as a catalogue code (read this first)


def _joined(*parts: Text) -> tuple[str, str]:
    """Both languages of ``parts`` put together by the one join rule."""
    return (join(*(p.zh for p in parts), lang="zh_CN"), join(*(p.en for p in parts), lang="en"))


def _outcome(status: IssueStatus, rid: str, problem: Problem, *more: Text,
             **fields: Any) -> IssueOutcome:
    zh, en = _joined(text_for(problem), *more)
    return IssueOutcome(status, rid, message_zh=zh, message_en=en, problem=problem, **fields)


def issued(rid: str, invoice: Invoice, *, mailed: bool, xml_path: Path | None,
           pdf_path: Path | None) -> IssueOutcome:
    more = (text_for(Problem.of("issuing.mail_follows")),) if mailed else ()
    return _outcome(IssueStatus.ISSUED, rid, Problem.of("issuing.issued", number=invoice.number),
                    *more, invoice=invoice, xml_path=xml_path, pdf_path=pdf_path)


def red_issued(rid: str, invoice: Invoice, *, xml_path: Path | None,
               pdf_path: Path | None) -> IssueOutcome:
    problem = Problem.of("issuing.red_issued", number=invoice.number,
                         original=invoice.original_number)
    return _outcome(IssueStatus.ISSUED, rid, problem, invoice=invoice, xml_path=xml_path,
                    pdf_path=pdf_path)


def order_taken(rid: str, rejection: Rejection) -> IssueOutcome:
    """The platform says the orders carry an invoice it cannot show us: its own words."""
    problem = Problem.of("issuing.order_taken", rule=rejection.code)
    return IssueOutcome(IssueStatus.ALREADY_INVOICED, rid, None, rejection.message_zh,
                        rejection.message_en, (rejection,), problem=problem)


def queued(rid: str) -> IssueOutcome:
    return _outcome(IssueStatus.QUEUED, rid, Problem.of("issuing.queued"))


def unknown(rid: str) -> IssueOutcome:
    return _outcome(IssueStatus.UNKNOWN, rid, Problem.of("issuing.unknown"))


def out_of_service(rid: str, reason: Text) -> IssueOutcome:
    """The platform cannot issue until the operator acts: say so, then the platform's reason
    (for the technician), e.g. the clerk's e-tax-bureau login lapsed."""
    return _outcome(IssueStatus.OUT_OF_SERVICE, rid, Problem.of("issuing.out_of_service"),
                    reason)


def blocked(rid: str, other_request_id: str) -> IssueOutcome:
    return _outcome(
        IssueStatus.UNKNOWN, rid, Problem.of("issuing.blocked"),
        errors=(Rejection("REQUEST_IN_FLIGHT", "订单有未完成的开票申请",
                          f"request {other_request_id} is not resolved yet", "order_nos"),))


def refusal_reason(rejection: Rejection) -> Text:
    """Why the platform refused, in words: its own, else the catalogue's words for its
    code (``refusal.<CODE>``), never the bare code; without a closing stop."""
    said = text_for(Problem.of(f"refusal.{rejection.code}")
                    if f"refusal.{rejection.code}" in CATALOGUE else Problem.of("refusal.other"))
    zh = rejection.message_zh.strip() or said.zh
    en = rejection.message_en.strip() or said.en
    return Text(zh.rstrip(_STOPS), en.rstrip(_STOPS))


# Refusals no change of the title can fix: the shop's or the platform's matter (staff).
NOT_BY_THE_TITLE = frozenset({
    "QUOTA_EXCEEDED", "ORDER_ALREADY_INVOICED", "ORDER_PENDING", "ORDER_NOS_MISSING",
    "ORDER_NOS_DUPLICATE", "OPERATOR_ACTION_NEEDED", "UNAVAILABLE", "TIMEOUT",
    "PLATFORM_ERROR", "INTERNAL", "BAD_ANSWER", "REQUEST_ID_INVALID", "REQUEST_IN_FLIGHT",
    "SUPERSEDED", "NOT_FOUND"})


def correctable(errors: Sequence[Rejection]) -> bool:
    """Whether a new title may get the request through: a reason about the buyer, or one
    that names no field and is not the shop's or the platform's own matter. A line's
    amount or rate comes from the shop's order, not from the person."""
    return not errors or any(
        e.field.startswith("buyer") or (not e.field and e.code not in NOT_BY_THE_TITLE)
        for e in errors)


def rejected(rid: str, errors: list[Rejection]) -> IssueOutcome:
    """Refused: the platform's first reason in words, then what to do (correct the title,
    or ask staff where no title can help)."""
    first = errors[0] if errors else Rejection("REJECTED", "", "")
    reason = refusal_reason(first)
    problem = Problem.of("issuing.rejected" if correctable(errors) else "issuing.rejected_staff",
                         rule=first.code, reason_zh=reason.zh, reason_en=reason.en)
    said = text_for(problem)
    return IssueOutcome(IssueStatus.REJECTED, rid, message_zh=join(said.zh, lang="zh_CN"),
                        message_en=join(said.en, lang="en"), errors=tuple(errors),
                        problem=problem)


def already(rid: str, stored: StoredInvoice) -> IssueOutcome:
    invoice = stored.invoice
    return _outcome(
        IssueStatus.ALREADY_INVOICED, rid,
        Problem.of("issuing.already_invoiced", number=invoice.number), invoice=invoice,
        xml_path=Path(stored.xml_path) if stored.xml_path else None,
        pdf_path=Path(stored.pdf_path) if stored.pdf_path else None)


def describe(outcome: IssueOutcome) -> dict[str, Any]:
    """An outcome as JSON-ready data (the CLI prints it; logs may use it)."""
    inv = outcome.invoice
    return {
        "status": outcome.status.value,
        "request_id": outcome.request_id,
        "invoice_number": inv.number if inv else None,
        "issued_at": inv.issued_at.isoformat() if inv else None,
        "net": str(inv.total_net) if inv else None,
        "tax": str(inv.total_tax) if inv else None,
        "total": str(inv.total) if inv else None,
        "download_url": inv.download_url if inv else None,
        "xml": str(outcome.xml_path) if outcome.xml_path else None,
        "pdf": str(outcome.pdf_path) if outcome.pdf_path else None,
        "message_zh": outcome.message_zh,
        "message_en": outcome.message_en,
        "errors": [e.to_dict() for e in outcome.errors],
    }
