"""What happened to an issue request, for the screen and the CLI: :class:`IssueOutcome`.

Shared by blue issuing (:mod:`kiosk.issuing`) and red-letter corrections
(:mod:`kiosk.corrections`), which answer with the same outcomes. The builders
here are the only place their words are chosen.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from kiosk.model import Invoice
from kiosk.outbox import StoredInvoice
from kiosk.platform.gateway import Rejection


class IssueStatus(StrEnum):
    ISSUED = "issued"
    ALREADY_INVOICED = "already_invoiced"
    QUEUED = "queued"
    UNKNOWN = "unknown"
    REJECTED = "rejected"


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


def queued(rid: str) -> IssueOutcome:
    return IssueOutcome(
        IssueStatus.QUEUED, rid,
        message_zh="开票平台暂时无法连接。您的开票申请已保存，平台恢复后将自动开具，"
                   "无需重复申请；开具后可凭订单号在本机查询、打印，填写了邮箱的将发送到邮箱。",
        message_en="The issuing platform cannot be reached. Your request is saved and will be "
                   "issued automatically when it is back; do not apply again. Afterwards, look "
                   "it up here by order number, or find it in your e-mail if you gave one.")


def unknown(rid: str) -> IssueOutcome:
    return IssueOutcome(
        IssueStatus.UNKNOWN, rid,
        message_zh="开票平台未及时应答，结果暂未确定。系统会先向平台查询，确认未开具才会用同一"
                   "请求号重新提交，不会重复开票。请稍后凭订单号在本机查询。",
        message_en="The platform did not answer in time, so the outcome is not known yet. The "
                   "kiosk asks the platform first and re-sends under the same request number "
                   "only if nothing was issued, so no second invoice can result. Look it up "
                   "here by order number in a few minutes.")


def blocked(rid: str, other_request_id: str) -> IssueOutcome:
    return IssueOutcome(
        IssueStatus.UNKNOWN, rid,
        message_zh="该订单已有一笔开票申请正在处理（结果待确认），为避免重复开票，请稍后凭订单号查询。",
        message_en="An earlier request for this order is still being resolved; to avoid a "
                   "second invoice, look it up by order number in a few minutes.",
        errors=(Rejection("REQUEST_IN_FLIGHT", "订单有未完成的开票申请",
                          f"request {other_request_id} is not resolved yet", "order_nos"),))


def rejected(rid: str, errors: list[Rejection]) -> IssueOutcome:
    first = errors[0] if errors else Rejection("REJECTED", "开票请求被拒绝", "rejected")
    return IssueOutcome(
        IssueStatus.REJECTED, rid,
        message_zh=f"未能开具发票：{first.message_zh}。请修改后重试，或联系工作人员。",
        message_en=f"No invoice was issued: {first.message_en or first.code}. Correct it and "
                   "try again, or ask staff.",
        errors=tuple(errors))


def already(rid: str, stored: StoredInvoice) -> IssueOutcome:
    invoice = stored.invoice
    return IssueOutcome(
        IssueStatus.ALREADY_INVOICED, rid, invoice,
        message_zh=f"该订单已开具发票（发票号码 {invoice.number}），不会重复开具。",
        message_en=f"This order has already been invoiced (invoice {invoice.number}); "
                   "it is not issued twice.",
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
