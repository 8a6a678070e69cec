"""The one interface to the tax issuing platform, and the errors it raises.

The kiosk talks to the platform only through :class:`IssuingGateway`. Two
implementations pass the same contract tests: the embedded
:class:`~kiosk.platform.sandbox.SandboxPlatform` (in-process, its own SQLite
file) and :class:`~kiosk.platform.remote.RemoteGateway` (HTTP JSON, which
``kiosk sandbox serve`` also speaks).

Error semantics the caller must respect (the commonest real-world fault is a
retried timeout that produced two invoices):

- :class:`PlatformUnavailable`: the request certainly did not arrive (could not
  connect). Safe to retry later with the SAME request id.
- :class:`PlatformTimeout`: the request was sent and no answer came. The outcome
  is UNKNOWN: call :meth:`IssuingGateway.query_request` (or ``query_order``)
  before any retry, and never issue again under a new request id.
- :class:`PlatformRejected`: the platform validated and refused; carries coded
  :class:`Rejection` items. Nothing was issued.
- :class:`OrderAlreadyInvoiced`, :class:`QuotaExceeded`,
  :class:`RedFormStateError`: coded refusals; nothing was issued.

``issue`` is idempotent on ``request.request_id`` at the platform: the same id
returns the same invoice, never a second one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Protocol, runtime_checkable

from kiosk.model import Invoice, InvoiceLine, InvoiceRequest, RedLetterForm, RedReason

__all__ = [
    "IssuingGateway",
    "InvoiceDocuments",
    "PlatformHealth",
    "Rejection",
    "PlatformError",
    "PlatformRejected",
    "PlatformUnavailable",
    "OperatorActionNeeded",
    "PlatformTimeout",
    "OrderAlreadyInvoiced",
    "QuotaExceeded",
    "RedFormStateError",
    "NotFound",
    "error_from_payload",
]


# --- values -------------------------------------------------------------------


@dataclass(frozen=True)
class InvoiceDocuments:
    """The deliverables of one issued invoice: the legal XML and its PDF layout, and the
    provider's official OFD when it supplies one (Nuonuo, Baiwang; None for the sandbox)."""

    number: str
    pdf: bytes
    xml: bytes
    ofd: bytes | None = None


@dataclass(frozen=True)
class PlatformHealth:
    """What ``health()`` answers: reachable or not, how fast, the quota left."""

    ok: bool
    latency_ms: float
    message: str
    quota: Decimal | None = None  # remaining this month; None when unknown
    checked_at: dt.datetime | None = None


@dataclass(frozen=True)
class Rejection:
    """One coded reason a request was refused (a rule error as the platform reports it)."""

    code: str
    message_zh: str
    message_en: str = ""
    field: str = ""  # which field or line ("lines[3].amount"), "" for the whole request

    @classmethod
    def from_rule_error(cls, err: Any) -> Rejection:
        """Adapt a ``kiosk.rules.RuleError`` (or anything with ``code``/messages) to a Rejection."""
        code = str(getattr(err, "code", "") or "RULE")
        zh = getattr(err, "message_zh", None) or getattr(err, "message", None) or str(err)
        en = getattr(err, "message_en", None) or ""
        where = getattr(err, "field", None) or getattr(err, "path", None) or ""
        line = getattr(err, "line", None)
        if not where and line is not None:
            where = f"lines[{line}]"
        return cls(code=code, message_zh=str(zh), message_en=str(en), field=str(where))

    def to_dict(self) -> dict[str, str]:
        return {
            "code": self.code,
            "message_zh": self.message_zh,
            "message_en": self.message_en,
            "field": self.field,
        }


MAX_REQUEST_ID = 64


def request_problems(request: InvoiceRequest, today: dt.date) -> list[Rejection]:
    """What every platform checks before it takes a request: an id it can key on, the
    orders named once each, and the kiosk's invoice rules (``kiosk.rules``) as of ``today``."""
    from kiosk.rules import validate_request  # the tax rules live with the kiosk's rules

    problems: list[Rejection] = []
    rid = request.request_id
    if not rid or len(rid) > MAX_REQUEST_ID or not rid.isprintable():
        problems.append(Rejection(
            "REQUEST_ID_INVALID", f"请求流水号须为1-{MAX_REQUEST_ID}个可打印字符",
            f"request_id must be 1-{MAX_REQUEST_ID} printable characters", "request_id"))
    if not request.order_nos or any(not o for o in request.order_nos):
        problems.append(Rejection("ORDER_NOS_MISSING", "请求未列明订单号",
                                  "the request names no order number", "order_nos"))
    elif len(set(request.order_nos)) != len(request.order_nos):
        problems.append(Rejection("ORDER_NOS_DUPLICATE", "订单号重复",
                                  "an order number is listed twice", "order_nos"))
    problems += [Rejection.from_rule_error(e) for e in validate_request(request, today=today)]
    return problems


# --- errors -------------------------------------------------------------------


class PlatformError(Exception):
    """Base of every platform error: a stable ``code`` and a message in both languages."""

    default_code = "PLATFORM_ERROR"
    default_zh = "开票平台错误"
    default_en = "Issuing platform error"

    def __init__(
        self,
        message_zh: str | None = None,
        message_en: str | None = None,
        *,
        code: str | None = None,
    ) -> None:
        self.code = code or self.default_code
        self.message_zh = message_zh or self.default_zh
        self.message_en = message_en or self.default_en
        super().__init__(f"[{self.code}] {self.message_en}")

    def to_dict(self) -> dict[str, Any]:
        """The JSON error body the HTTP server sends and the remote adapter maps back."""
        return {
            "type": type(self).__name__,
            "code": self.code,
            "message_zh": self.message_zh,
            "message_en": self.message_en,
        }


class PlatformRejected(PlatformError):
    """Validation failed: nothing was issued. ``errors`` lists every coded reason."""

    default_code = "REJECTED"
    default_zh = "开票请求未通过平台校验"
    default_en = "The platform rejected the request"

    def __init__(
        self,
        errors: Sequence[Rejection],
        message_zh: str | None = None,
        message_en: str | None = None,
        *,
        code: str | None = None,
    ) -> None:
        self.errors: tuple[Rejection, ...] = tuple(errors)
        first = self.errors[0] if self.errors else None
        super().__init__(
            message_zh or (first.message_zh if first else None),
            message_en or (first.message_en if first else None),
            code=code or (first.code if first else None),
        )

    @property
    def codes(self) -> list[str]:
        return [e.code for e in self.errors]

    def to_dict(self) -> dict[str, Any]:
        body = super().to_dict()
        body["errors"] = [e.to_dict() for e in self.errors]
        return body


class PlatformUnavailable(PlatformError):
    """Could not reach the platform: the request certainly did not arrive. Retry later."""

    default_code = "UNAVAILABLE"
    default_zh = "开票平台暂时无法连接，请稍后再试"
    default_en = "The issuing platform cannot be reached; try again later"


class OperatorActionNeeded(PlatformUnavailable):
    """Nothing was issued, and nothing will be until the operator acts: the clerk's 数电
    session (e-tax-bureau login or face verification) lapsed at the provider.

    The kiosk goes out of service ("暂停服务") instead of failing walk-in after walk-in,
    and resumes when :meth:`IssuingGateway.health` is ok again.
    """

    default_code = "OPERATOR_ACTION_NEEDED"
    default_zh = "暂停服务：开票员需重新登录电子税务局并完成认证"
    default_en = "Out of service: the clerk must sign in to the e-tax bureau and verify again"


class PlatformTimeout(PlatformError):
    """Sent, no answer: the outcome is UNKNOWN. Query the request before any retry."""

    default_code = "TIMEOUT"
    default_zh = "开票平台未及时应答，结果未知，正在查询"
    default_en = "The platform did not answer in time; the outcome is unknown"


class OrderAlreadyInvoiced(PlatformError):
    """The order was already invoiced under another request; ``invoice_number`` names it."""

    default_code = "ORDER_ALREADY_INVOICED"
    default_zh = "该订单已开具发票"
    default_en = "This order has already been invoiced"

    def __init__(
        self,
        invoice_number: str,
        order_no: str = "",
        message_zh: str | None = None,
        message_en: str | None = None,
        *,
        code: str | None = None,
    ) -> None:
        self.invoice_number = invoice_number
        self.order_no = order_no
        super().__init__(
            message_zh or f"订单{order_no}已开具发票（发票号码 {invoice_number}）",
            message_en or f"Order {order_no} has already been invoiced (invoice {invoice_number})",
            code=code,
        )

    def to_dict(self) -> dict[str, Any]:
        body = super().to_dict()
        body["invoice_number"] = self.invoice_number
        body["order_no"] = self.order_no
        return body


class QuotaExceeded(PlatformError):
    """Issuing would exceed this month's quota (授信额度)."""

    default_code = "QUOTA_EXCEEDED"
    default_zh = "本月开票额度不足"
    default_en = "The monthly issuing quota would be exceeded"

    def __init__(
        self,
        remaining: Decimal | None = None,
        requested: Decimal | None = None,
        message_zh: str | None = None,
        message_en: str | None = None,
        *,
        code: str | None = None,
    ) -> None:
        self.remaining = remaining
        self.requested = requested
        super().__init__(
            message_zh or (f"本月剩余开票额度 {remaining}，本次需要 {requested}"
                           if remaining is not None else None),
            message_en or (f"Remaining monthly quota {remaining}, this invoice needs {requested}"
                           if remaining is not None else None),
            code=code,
        )

    def to_dict(self) -> dict[str, Any]:
        body = super().to_dict()
        body["remaining"] = None if self.remaining is None else str(self.remaining)
        body["requested"] = None if self.requested is None else str(self.requested)
        return body


class RedFormStateError(PlatformError):
    """The red-letter form (or its original) does not allow this step now.

    ``form_number`` names the form in the way, when there is one (``RED_FORM_OPEN``:
    the invoice's open form, e.g. the one a lost answer to ``file_red_form`` created).
    """

    default_code = "RED_FORM_STATE"
    default_zh = "红字确认单当前状态不允许此操作"
    default_en = "The red-letter form does not allow this step in its current status"

    def __init__(
        self,
        message_zh: str | None = None,
        message_en: str | None = None,
        *,
        code: str | None = None,
        form_number: str = "",
    ) -> None:
        self.form_number = form_number
        super().__init__(message_zh, message_en, code=code)

    def to_dict(self) -> dict[str, Any]:
        body = super().to_dict()
        body["form_number"] = self.form_number
        return body


class NotFound(PlatformError):
    """A red-letter form or invoice the call names does not exist."""

    default_code = "NOT_FOUND"
    default_zh = "未找到对应的记录"
    default_en = "No such record"


_ERROR_TYPES: dict[str, type[PlatformError]] = {
    cls.__name__: cls
    for cls in (
        PlatformError,
        PlatformRejected,
        PlatformUnavailable,
        OperatorActionNeeded,
        PlatformTimeout,
        OrderAlreadyInvoiced,
        QuotaExceeded,
        RedFormStateError,
        NotFound,
    )
}


def error_from_payload(body: dict[str, Any]) -> PlatformError:
    """Rebuild the exception a server sent as ``PlatformError.to_dict()`` JSON."""
    cls = _ERROR_TYPES.get(str(body.get("type", "")), PlatformError)
    code = str(body.get("code") or cls.default_code)
    zh = body.get("message_zh")
    en = body.get("message_en")
    if cls is PlatformRejected:
        errors = [
            Rejection(
                code=str(e.get("code", "")),
                message_zh=str(e.get("message_zh", "")),
                message_en=str(e.get("message_en", "")),
                field=str(e.get("field", "")),
            )
            for e in body.get("errors", [])
            if isinstance(e, dict)
        ]
        return PlatformRejected(errors, zh, en, code=code)
    if cls is OrderAlreadyInvoiced:
        return OrderAlreadyInvoiced(
            str(body.get("invoice_number", "")), str(body.get("order_no", "")), zh, en, code=code
        )
    if cls is QuotaExceeded:
        rem, req = body.get("remaining"), body.get("requested")
        return QuotaExceeded(
            None if rem is None else Decimal(str(rem)),
            None if req is None else Decimal(str(req)),
            zh,
            en,
            code=code,
        )
    if cls is RedFormStateError:
        return RedFormStateError(zh, en, code=code, form_number=str(body.get("form_number") or ""))
    return cls(zh, en, code=code)


# --- the interface ------------------------------------------------------------


@runtime_checkable
class IssuingGateway(Protocol):
    """Everything the kiosk asks of the tax issuing platform."""

    def issue(self, request: InvoiceRequest) -> Invoice:
        """Issue a blue invoice. Idempotent on ``request.request_id``.

        Raises PlatformRejected, OrderAlreadyInvoiced, QuotaExceeded,
        PlatformUnavailable (did not arrive) or PlatformTimeout (unknown).
        """
        ...

    def query_request(self, request_id: str) -> Invoice | None:
        """The invoice issued under ``request_id``, or None if none was."""
        ...

    def query_order(self, order_no: str) -> Invoice | None:
        """The blue invoice that covers ``order_no``, or None."""
        ...

    def get_invoice(self, number: str) -> Invoice | None:
        """An invoice (blue or red) by its 20-digit number, or None."""
        ...

    def list_invoices(self, day: dt.date) -> list[Invoice]:
        """Every invoice (blue and red) issued on ``day``, a Beijing calendar day, by number.

        A safe query (retried like the other lookups); the daily reconciliation
        (:mod:`kiosk.report`) compares it with the kiosk's own record.
        """
        ...

    def remaining_quota(self) -> Decimal:
        """What can still be issued this month."""
        ...

    def file_red_form(
        self,
        original_number: str,
        reason: RedReason,
        filed_by: str,
        lines: Sequence[InvoiceLine] | None = None,
    ) -> RedLetterForm:
        """File a 红字确认单 for a blue invoice; ``lines=None`` means the full amount.

        ``filed_by`` is "seller" or "buyer". ``lines`` name original lines (by
        name/tax code, in original order) with the quantity/amount to credit,
        given as positive or negative figures; the form stores them negative.
        """
        ...

    def confirm_red_form(self, form_number: str) -> RedLetterForm:
        """The other party confirms (02/03 -> 04)."""
        ...

    def reject_red_form(self, form_number: str) -> RedLetterForm:
        """The other party rejects (02 -> 05 by buyer, 03 -> 06 by seller)."""
        ...

    def withdraw_red_form(self, form_number: str) -> RedLetterForm:
        """The filer withdraws an unconfirmed form (02/03 -> 08)."""
        ...

    def query_red_form(self, form_number: str) -> RedLetterForm:
        """The form with its current status (an unconfirmed one past 72 h reads 07)."""
        ...

    def issue_red_invoice(self, form_number: str) -> Invoice:
        """Issue the red invoice of a form in status 01 or 04. Idempotent per form."""
        ...

    def documents(self, number: str) -> InvoiceDocuments:
        """The XML and PDF of an issued invoice."""
        ...

    def health(self) -> PlatformHealth:
        """Reachability, latency and remaining quota; never raises."""
        ...

