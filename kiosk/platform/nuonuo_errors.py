"""Nuonuo's answer codes, sorted into what the kiosk does about each.

Every error a person or the operator reads is a catalogue code
(:mod:`kiosk.messages.platform`, ``platform.nuonuo.*``): the exception's
``code`` is that catalogue code and its words come from the catalogue.

Token and signature codes (070101, 070304/070305, 070306, 070307, 070601) are
explained to the operator and never retried blindly; see docs/nuonuo.md for
what each is assumed to mean.
"""

from __future__ import annotations

from kiosk.messages import Problem, text_for
from kiosk.platform.gateway import OperatorActionNeeded, PlatformError, PlatformUnavailable

ACCEPTED = "E0000"  # accepted (a billing request is accepted, NOT yet issued)
ALREADY_SUBMITTED = "E9106"  # this orderNo was accepted before: query it
NOT_FOUND_YET = "E9500"  # no such order (yet)
LIMITED = "E9613"  # rate/reInvoice limit: keep the orderNo, try later
SYSTEM_ERROR = "E9999"  # provider-side error: outcome unknown, keep the orderNo
ALREADY_RED = "E9103"  # the invoice cannot be red-lettered twice

# token / gateway codes -> catalogue code
TOKEN_CODES: dict[str, str] = {
    "070101": "platform.nuonuo.token_missing",
    "070304": "platform.nuonuo.token_invalid",
    "070305": "platform.nuonuo.token_invalid",
    "070306": "platform.nuonuo.token_limit",
    "070307": "platform.nuonuo.app_refused",
    "070601": "platform.nuonuo.bad_signature",
}
# codes after which one fresh token may help (the stored one was refused)
TOKEN_REFRESHABLE = frozenset({"070101", "070304", "070305"})

# Words in a refusal that mean the month's issuing quota (授信额度) is used up.
QUOTA_MARKER = "额度不足"
# Words in a refusal that mean the clerk's e-tax-bureau login / face check has lapsed.
OPERATOR_SESSION_MARKERS = ("登录", "人脸", "扫脸", "身份认证", "实名认证")


class NuonuoAuthError(PlatformUnavailable):
    """The provider refused our credentials or token: nothing was issued; the operator must act."""


class OperatorSessionLapsed(OperatorActionNeeded):
    """The clerk's 数电 session (bureau login or face verification) lapsed: stop issuing."""


def problem_error(cls: type[PlatformError], code: str, **params: object) -> PlatformError:
    """An exception of ``cls`` whose code is a catalogue code and whose words come from it."""
    text = text_for(Problem.of(code, **params))
    return cls(text.zh, text.en, code=code)


def token_error(provider_code: str, describe: str) -> PlatformError:
    code = TOKEN_CODES.get(provider_code, "platform.nuonuo.token_refused")
    return problem_error(NuonuoAuthError, code, provider_code=provider_code, describe=describe)


def is_operator_session_lapsed(describe: str) -> bool:
    return any(marker in describe for marker in OPERATOR_SESSION_MARKERS)
