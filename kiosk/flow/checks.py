"""What the flow checks before a request leaves the screen, as pure functions of the
session's data: the buyer's completeness, the platform's own rules
(:func:`kiosk.rules.validate_request`, with its GBK byte limits) turned into words
per field, and why a special invoice is not possible.

The buyer step refuses what these find, so what the platform would refuse never
leaves the buyer screen; the view models show the same findings as the user types.
"""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.flow.states import BuyerDraft, SessionData
from kiosk.flow.words import say
from kiosk.messages import Text
from kiosk.model import BuyerType, InvoiceRequest
from kiosk.rules import validate_buyer, validate_request
from kiosk.rules.errors import RuleError
from kiosk.rules.fields import gbk_length, is_valid_email
from kiosk.rules.identifiers import Severity, TaxIdCheck, classify_tax_id
from kiosk.rules.tax import VENDOR_LIMITS

# The GBK-limited fields: rule field -> (the buyer's fields joined, the limit, our code).
_LIMITS: dict[str, tuple[tuple[str, ...], int, str]] = {
    "buyer.name": (("name",), VENDOR_LIMITS.name_gbk_bytes, "flow.name_too_long"),
    "buyer.address": (("address", "phone"), VENDOR_LIMITS.address_phone_gbk_bytes,
                      "flow.address_phone_too_long"),
    "buyer.bank": (("bank", "account"), VENDOR_LIMITS.bank_account_gbk_bytes,
                   "flow.bank_account_too_long"),
}


@dataclass(frozen=True)
class FieldProblem:
    """One field's problem, for the screen: the draft's field name and the words."""

    field: str  # name, tax_id, address, phone, bank, account, email (or "" when not a field)
    text: Text
    code: str  # the rule's code, for logs and tests


def _words(error: RuleError, draft: BuyerDraft) -> Text:
    """The rule's words, except a GBK limit: said as the limit in bytes and characters."""
    limit = _LIMITS.get(error.field)
    if error.code == "E_TOO_LONG" and limit is not None:
        parts, n, code = limit
        length = gbk_length("".join(getattr(draft, p).strip() for p in parts))
        return say(code, limit=n, chars=n // 2, length=length)
    return Text(error.message_zh.rstrip("。"), error.message_en.rstrip("."))


def _field(rule_field: str) -> str:
    return rule_field.removeprefix("buyer.") if rule_field.startswith("buyer.") else ""


def field_problems(draft: BuyerDraft) -> tuple[FieldProblem, ...]:
    """The platform's buyer rules on what is typed (GBK limits, characters, phone, account,
    e-mail), without the ones the buyer screen explains itself (missing name or tax ID,
    the tax ID's own check, shown live under the field)."""
    own = {"E_BUYER_NAME", "E_TAXID_REQUIRED", "E_TAXID", "E_TAXID_UNCONFIRMED"}
    return tuple(FieldProblem(_field(e.field), _words(e, draft), e.code)
                 for e in validate_buyer(draft.freeze()) if e.code not in own)


def tax_id_check(draft: BuyerDraft) -> TaxIdCheck | None:
    return classify_tax_id(draft.tax_id) if draft.tax_id.strip() else None


def tax_id_verdict(check: TaxIdCheck | None) -> tuple[Text | None, str]:
    """A tax ID's verdict as shown under the field as it is typed, and how: ``ok``, ``hint``
    (still typing: how many to go, not red), ``warn`` or ``error`` (the buyer screen and
    the registration of an enterprise show it the same way)."""
    if check is None:
        return None, "ok"
    role = ("ok" if check.severity is Severity.OK
            else "hint" if check.incomplete
            else "warn" if check.severity is Severity.WARNING else "error")
    return Text(check.message_zh, check.message_en), role


def buyer_problem(draft: BuyerDraft) -> Text | None:
    """Why the buyer cannot go on yet (None when it can): the first thing to fix."""
    if not draft.name.strip():
        return say("flow.name_needed")
    if draft.type is BuyerType.COMPANY and not draft.tax_id.strip():
        return say("flow.tax_id_needed")
    check = tax_id_check(draft)
    if check is not None:
        if check.severity is Severity.ERROR:
            return Text(check.message_zh, check.message_en)
        if check.severity is Severity.WARNING and not draft.tax_id_confirmed:
            return Text(check.message_zh, check.message_en)
    if draft.email.strip() and not is_valid_email(draft.email.strip()):
        return say("flow.bad_email")
    problems = field_problems(draft)
    return problems[0].text if problems else None


def request_problems(request: InvoiceRequest) -> tuple[FieldProblem, ...]:
    """Everything :func:`kiosk.rules.validate_request` would refuse, in words."""
    draft = BuyerDraft.from_buyer(request.buyer)
    return tuple(FieldProblem(_field(e.field), _words(e, draft), e.code)
                 for e in validate_request(request))


def special_refusal(data: SessionData) -> Text | None:
    """Why a special invoice (增值税专用发票) is not possible for this session, or None."""
    b = data.buyer
    if b.type is BuyerType.PERSON:
        return say("flow.special_person")
    if not b.tax_id.strip():
        return say("flow.special_company_only")
    if any(line.rate_mark for line in data.lines):
        return say("flow.special_exempt")
    return None
