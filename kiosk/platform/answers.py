"""What a remote platform answers, checked before it reaches the printer, the database or documents.

Issue 15 item 9: one text rule for everything typed, scanned OR RECEIVED. The
HTTP platform is outside the kiosk's trust boundary just as the buyer is, so
its answers pass the same rule (:mod:`kiosk.rules.text`) before
:class:`~kiosk.platform.remote.RemoteGateway` hands them on:

- an invoice or red-letter form whose text holds a control/format character
  (ESC and NUL reach the printer as commands, bidi overrides make a name read
  differently than it is stored) is REFUSED, never cleaned: it is the legal
  record and the kiosk must not store a version the platform does not have;
- identifiers (invoice, form and original numbers) must be ASCII letters and
  digits: they become file names (``documents/<number>.pdf``: no ``../``), QR
  payloads and PDF text (an Arabic-Indic digit crashed the PDF's QR);
- the download URL must be an http(s) URL of printable ASCII (it becomes the
  receipt's QR);
- messages (error texts, the health line) are only shown, so they are cleaned
  (:func:`kiosk.documents.text.sanitize_text`) and capped instead.

Every refusal is a :class:`BadAnswer` (a PlatformError, code ``BAD_ANSWER``):
the callers already treat an unreadable answer to an issuing call as an
unknown outcome and query before anything is sent again.
"""

from __future__ import annotations

import dataclasses
import re
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar

from kiosk.documents.text import sanitize_text
from kiosk.platform.gateway import (
    OrderAlreadyInvoiced,
    PlatformError,
    PlatformRejected,
    QuotaExceeded,
    RedFormStateError,
    Rejection,
    error_from_payload,
)
from kiosk.rules.text import describe_chars, forbidden_chars

__all__ = ["BadAnswer", "checked", "clean_message", "decimal_from", "error_from_answer",
           "is_identifier"]

T = TypeVar("T")

IDENTIFIER_RE = re.compile(r"[0-9A-Za-z]{1,40}")
URL_RE = re.compile(r"https?://[\x21-\x7e]{1,500}")
# Fields holding an identifier, wherever they occur in an answer's dataclasses.
IDENTIFIER_FIELDS = frozenset({"number", "original_number", "red_form_number", "form_number"})
MESSAGE_MAX = 300


class BadAnswer(PlatformError):
    """The platform's answer breaks the kiosk's rules for received data."""

    default_code = "BAD_ANSWER"
    default_zh = "开票平台的应答不符合要求"
    default_en = "The platform's answer is not acceptable"


def is_identifier(value: str) -> bool:
    return bool(IDENTIFIER_RE.fullmatch(value))


def _walk(obj: Any, where: str) -> None:
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        for f in dataclasses.fields(obj):
            value = getattr(obj, f.name)
            path = f"{where}.{f.name}"
            if f.name in IDENTIFIER_FIELDS and isinstance(value, str):
                if value and not is_identifier(value):
                    raise BadAnswer(message_en=f"{path} is not an identifier of ASCII letters "
                                    "and digits")
                if f.name == "number" and not value:
                    raise BadAnswer(message_en=f"{path} is empty")
            elif f.name == "download_url" and isinstance(value, str):
                if value and not URL_RE.fullmatch(value):
                    raise BadAnswer(message_en=f"{path} is not a printable http(s) URL")
            else:
                _walk(value, path)
    elif isinstance(obj, str):
        bad = forbidden_chars(obj)
        if bad:
            raise BadAnswer(message_en=f"{where} holds control characters ({describe_chars(bad)})")
    elif isinstance(obj, tuple | list):
        for i, item in enumerate(obj):
            _walk(item, f"{where}[{i}]")


def checked(obj: T, where: str) -> T:
    """``obj`` (an Invoice or RedLetterForm from the platform) if it passes; else BadAnswer."""
    _walk(obj, where)
    return obj


def clean_message(value: Any) -> str:
    """A message from the platform as one printable line of at most MESSAGE_MAX characters."""
    return sanitize_text(str(value) if value is not None else "")[:MESSAGE_MAX]


def decimal_from(value: Any, where: str) -> Decimal:
    """A finite decimal the platform sent as a string or number; else BadAnswer."""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise BadAnswer(message_en=f"{where} is not a number")
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise BadAnswer(message_en=f"{where} is not a number") from None
    if not number.is_finite():
        raise BadAnswer(message_en=f"{where} is not a finite number")
    return number


def error_from_answer(body: dict[str, Any]) -> PlatformError:
    """The PlatformError an error body carries, its texts cleaned; BadAnswer if unreadable."""
    try:
        err = error_from_payload(body)
    except (ArithmeticError, ValueError, TypeError, AttributeError):
        return BadAnswer(message_en="the platform's error answer is unreadable")
    err.code = clean_message(err.code)[:60] or err.default_code
    err.message_zh = clean_message(err.message_zh) or err.default_zh
    err.message_en = clean_message(err.message_en) or err.default_en
    err.args = (f"[{err.code}] {err.message_en}",)
    if isinstance(err, PlatformRejected):
        err.errors = tuple(Rejection(clean_message(e.code)[:60], clean_message(e.message_zh),
                                     clean_message(e.message_en), clean_message(e.field)[:80])
                           for e in err.errors)
    if isinstance(err, OrderAlreadyInvoiced):
        err.invoice_number = err.invoice_number if is_identifier(err.invoice_number) else ""
        err.order_no = clean_message(err.order_no)[:60]
    if isinstance(err, RedFormStateError):
        err.form_number = err.form_number if is_identifier(err.form_number) else ""
    if isinstance(err, QuotaExceeded):
        for name in ("remaining", "requested"):
            value = getattr(err, name, None)
            if isinstance(value, Decimal) and not value.is_finite():
                setattr(err, name, None)
    return err
