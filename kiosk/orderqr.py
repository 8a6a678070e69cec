"""The order QR code a point of sale prints on the purchase receipt, and its check.

Format (version 1), plain ASCII text, at most 90 characters::

    KO1|<order_no>|<amount>|<sig>

- ``KO1``: magic and version ("kiosk order", format 1);
- ``order_no``: 1-40 of ``A-Z a-z 0-9 - _`` (the same rule as stored orders);
- ``amount``: the order's price-inclusive total, plain decimal with exactly two
  places (``76.00``), no sign, no exponent;
- ``sig``: base64url without padding (22 characters) of the first 16 bytes of
  ``HMAC-SHA256(secret, "KO1|<order_no>|<amount>")`` (UTF-8), where ``secret``
  is ``[orders] qr_secret``, shared with the point of sale.

The claim slip a kiosk prints when the platform is unreachable carries its own
code, signed with the same secret (so any kiosk of the shop accepts it)::

    KC1|<request_id>|<sig>

- ``request_id``: ``RQ`` + 30 upper-case hex digits (:func:`kiosk.rules.request_id_for`);
- ``sig``: as above, over ``"KC1|<request_id>"``.

:func:`looks_like_claim_qr` routes it; :func:`verify_claim_qr` checks it and gives
back the request id.

A typical payload is ~50 characters, a version-3 QR at level M: small enough to
print at 1 mm modules on a 58 mm receipt. 128 bits of HMAC cannot be forged.

The kiosk verifies a scanned payload BEFORE any database lookup
(:func:`verify_order_qr`), then checks the signed amount against the stored
order's total (:func:`resolve_order_qr`). Every refusal is an
:class:`OrderQrError` with a ``kind`` and messages in Chinese and English.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import io
import re
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kiosk.model import Order
    from kiosk.orders import OrderStore

MAGIC = "KO"
VERSION = "1"
PREFIX = f"{MAGIC}{VERSION}|"
MAX_LENGTH = 90
MAX_FOREIGN_LENGTH = 1000  # longer than any code a shopper carries: garbage, not a foreign code
SIG_BYTES = 16
_SIG_CHARS = 22  # base64url of 16 bytes, unpadded

_PAYLOAD_RE = re.compile(
    r"^KO1\|(?P<order>[A-Za-z0-9_-]{1,40})\|(?P<amount>(?:0|[1-9]\d{0,12})\.\d{2})"
    r"\|(?P<sig>[A-Za-z0-9_-]{22})$"
)
_ORDER_NO_RE = re.compile(r"^[A-Za-z0-9_-]{1,40}$")
CLAIM_MAGIC = "KC"
CLAIM_PREFIX = f"{CLAIM_MAGIC}{VERSION}|"
_CLAIM_RE = re.compile(r"^KC1\|(?P<request>RQ[0-9A-F]{30})\|(?P<sig>[A-Za-z0-9_-]{22})$")


class QrProblem(StrEnum):
    FOREIGN = "foreign"  # not an order code at all (a URL, a WeChat or tax-bureau code)
    MALFORMED = "malformed"  # garbage, control characters, too long, broken fields
    ALTERED = "altered"  # our format, but the signature does not match
    NOT_FOUND = "not_found"  # genuine, but no such order in this kiosk's database
    AMOUNT_MISMATCH = "amount_mismatch"  # genuine, but the stored order's total differs


_MESSAGES: dict[QrProblem, tuple[str, str]] = {
    QrProblem.FOREIGN: (
        "这不是本店的订单二维码，请扫描购物小票上的订单二维码",
        "This is not one of our order codes; scan the order QR code on your receipt",
    ),
    QrProblem.MALFORMED: (
        "二维码内容无法识别，请重新扫描或联系工作人员",
        "The code could not be read; scan it again or ask staff for help",
    ),
    QrProblem.ALTERED: (
        "订单二维码校验失败，可能已被篡改，请联系工作人员",
        "The order code failed its check and may have been altered; please ask staff",
    ),
    QrProblem.NOT_FOUND: (
        "未找到该订单，请确认小票是否属于本店或稍后再试",
        "No such order here; check the receipt is from this shop or try again later",
    ),
    QrProblem.AMOUNT_MISMATCH: (
        "订单金额与记录不一致，请联系工作人员",
        "The order amount does not match our records; please ask staff",
    ),
}


class OrderQrError(Exception):
    """A scanned order code was refused; ``kind`` says why, messages say it to people."""

    def __init__(self, kind: QrProblem, detail: str = "") -> None:
        self.kind = kind
        self.message_zh, self.message_en = _MESSAGES[kind]
        self.detail = detail  # for the log only; never contains the raw payload
        super().__init__(f"{kind}: {self.message_en}" + (f" ({detail})" if detail else ""))


@dataclass(frozen=True)
class OrderRef:
    """What a verified order code says: which order, for how much."""

    order_no: str
    amount: Decimal


def _canonical_amount(amount: Decimal | str) -> str:
    value = Decimal(str(amount))
    if not value.is_finite() or value < 0:
        raise ValueError(f"an order amount must be a non-negative finite decimal, got {amount!r}")
    text = str(value.quantize(Decimal("0.01")))
    if value != Decimal(text):
        raise ValueError(f"an order amount has at most two decimal places, got {amount!r}")
    return text


def _sign(secret: str, order_no: str, amount: str) -> str:
    return _mac(secret, f"{MAGIC}{VERSION}|{order_no}|{amount}")


def _mac(secret: str, text: str) -> str:
    if not secret:
        raise ValueError("the order QR secret is empty: set [orders] qr_secret")
    message = text.encode()
    digest = hmac.new(secret.encode("utf-8"), message, hashlib.sha256).digest()[:SIG_BYTES]
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def make_order_qr(order_no: str, amount: Decimal | str, secret: str) -> str:
    """The payload for one order (what the point of sale prints as a QR code)."""
    if not _ORDER_NO_RE.fullmatch(order_no):
        raise ValueError(f"order number {order_no!r} must be 1-40 letters, digits, '-' or '_'")
    text = _canonical_amount(amount)
    return f"{PREFIX}{order_no}|{text}|{_sign(secret, order_no, text)}"


def looks_like_order_qr(payload: str) -> bool:
    """Cheap routing test for a scanned code: does it claim to be ours?"""
    return payload.strip().startswith(MAGIC) and "|" in payload[:6]


def make_claim_qr(request_id: str, secret: str) -> str:
    """The payload of a claim slip's QR code for the queued request ``request_id``."""
    if not re.fullmatch(r"RQ[0-9A-F]{30}", request_id):
        raise ValueError(f"{request_id!r} is not a request id (RQ + 30 hex digits)")
    return f"{CLAIM_PREFIX}{request_id}|{_mac(secret, CLAIM_PREFIX + request_id)}"


def looks_like_claim_qr(payload: str) -> bool:
    """Does this scanned code claim to be a claim slip's code (``KC1|...``)?"""
    return payload.strip(" \r\n\t").startswith(CLAIM_PREFIX)


def verify_claim_qr(payload: str, secret: str) -> str:
    """Check a claim slip's code; returns the request id or raises :class:`OrderQrError`
    (``MALFORMED`` when the fields do not parse, ``ALTERED`` when the signature is wrong:
    a slip of another shop, or a forged one)."""
    text = payload.strip(" \r\n\t")
    if len(text) > MAX_LENGTH or any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in text):
        raise OrderQrError(QrProblem.MALFORMED, "claim code too long or with control characters")
    match = _CLAIM_RE.fullmatch(text)
    if match is None:
        raise OrderQrError(QrProblem.MALFORMED, "KC1 prefix but the fields do not parse")
    request_id = match["request"]
    if not hmac.compare_digest(match["sig"], _mac(secret, CLAIM_PREFIX + request_id)):
        raise OrderQrError(QrProblem.ALTERED, "claim signature mismatch")
    return request_id


def verify_order_qr(payload: str, secret: str) -> OrderRef:
    """Check a scanned payload; returns the order reference or raises :class:`OrderQrError`.

    Scanners add line terminators, so surrounding whitespace is ignored; any
    other control character is refused.
    """
    if not isinstance(payload, str):
        raise OrderQrError(QrProblem.MALFORMED, "not text")
    text = payload.strip(" \r\n\t")
    if any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in text):
        raise OrderQrError(QrProblem.MALFORMED, "control characters")
    if len(text) > MAX_FOREIGN_LENGTH:
        raise OrderQrError(QrProblem.MALFORMED, f"too long ({len(text)} characters)")
    if not text.startswith(MAGIC + VERSION) and not text.startswith(MAGIC + "|"):
        if text.startswith(MAGIC) and len(text) > 2 and text[2].isdigit():
            raise OrderQrError(QrProblem.FOREIGN, f"unsupported version {text[:3]!r}")
        raise OrderQrError(QrProblem.FOREIGN, "no KO1 prefix")
    if len(text) > MAX_LENGTH:
        raise OrderQrError(QrProblem.MALFORMED, f"too long ({len(text)} characters)")
    match = _PAYLOAD_RE.fullmatch(text)
    if match is None:
        raise OrderQrError(QrProblem.MALFORMED, "KO1 prefix but the fields do not parse")
    order_no, amount, sig = match["order"], match["amount"], match["sig"]
    if not hmac.compare_digest(sig, _sign(secret, order_no, amount)):
        raise OrderQrError(QrProblem.ALTERED, "signature mismatch")
    return OrderRef(order_no=order_no, amount=Decimal(amount))


def check_against_order(ref: OrderRef, order: Order | None) -> Order:
    """The stored order a verified code names, if its total equals the signed amount."""
    if order is None:
        raise OrderQrError(QrProblem.NOT_FOUND, "no such order")
    if order.total != ref.amount:
        raise OrderQrError(QrProblem.AMOUNT_MISMATCH, f"code {ref.amount}, stored {order.total}")
    return order


def resolve_order_qr(payload: str, secret: str, store: OrderStore) -> Order:
    """Verify, then look up, then compare amounts: the whole scan-to-order step."""
    ref = verify_order_qr(payload, secret)
    return check_against_order(ref, store.get(ref.order_no))


def write_order_qr_png(payload: str, path: Path, *, box_size: int = 8, border: int = 4) -> Path:
    """Render ``payload`` as a QR code PNG at ``path`` (written atomically)."""
    import qrcode
    from qrcode.constants import ERROR_CORRECT_M

    qr = qrcode.QRCode(error_correction=ERROR_CORRECT_M, box_size=box_size, border=border)
    qr.add_data(payload)
    qr.make(fit=True)
    image = qr.make_image()
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    from kiosk.issuing import write_atomic  # one atomic writer for every file the kiosk makes

    write_atomic(Path(path), buffer.getvalue())
    return Path(path)
