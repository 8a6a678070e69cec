"""One place that masks personal data before it is shown, printed or logged.

ID numbers, phone numbers, e-mail addresses and personal tax IDs are masked
with the same rules everywhere (PIPL: process the minimum). ``mask_text``
finds such data inside free text, for log messages.
"""

from __future__ import annotations

import re

_ID_RE = re.compile(r"(?<![0-9A-Za-z])(\d{6})(\d{8})(\d{3}[0-9Xx])(?![0-9A-Za-z])")
_ID15_RE = re.compile(r"(?<![0-9A-Za-z])(\d{6})(\d{6})(\d{3})(?![0-9A-Za-z])")
_MOBILE_RE = re.compile(r"(?<!\d)(1[3-9]\d)(\d{4})(\d{4})(?!\d)")
_LANDLINE_RE = re.compile(r"(?<!\d)(0\d{2,3}-?)(\d{3,4})(\d{4})(?!\d)")
_EMAIL_RE = re.compile(r"([A-Za-z0-9._%+-])([A-Za-z0-9._%+-]*)(@[A-Za-z0-9.-]+\.[A-Za-z]{2,})")


def mask_id_number(number: str) -> str:
    """``11010519491231002X`` -> ``1101**********002X``: keep 4 first and 4 last."""
    n = number.strip()
    if len(n) <= 8:
        return "*" * len(n)
    return n[:4] + "*" * (len(n) - 8) + n[-4:]


def mask_phone(phone: str) -> str:
    """Keep the first three and last four digits: ``138****5678``."""
    digits = [i for i, ch in enumerate(phone) if ch.isdigit()]
    if len(digits) <= 7:
        return re.sub(r"\d", "*", phone)
    hidden = set(digits[3:-4])
    return "".join("*" if i in hidden else ch for i, ch in enumerate(phone))


def mask_email(email: str) -> str:
    """``zhang.san@example.com`` -> ``z***@example.com``."""
    local, sep, domain = email.partition("@")
    if not sep:
        return mask_name(email)
    return (local[:1] + "***" if local else "***") + "@" + domain


def mask_name(name: str) -> str:
    """A person's name: keep the first character (``张*``, ``王**``)."""
    n = name.strip()
    if len(n) <= 1:
        return "*" * len(n)
    return n[0] + "*" * (len(n) - 1)


_DISTRICT_RE = re.compile(r"^.{2,12}?[区县旗]")


def mask_address(address: str) -> str:
    """A postal address down to its district or town, the rest hidden: the street,
    building and room say where a person lives, not for a bystander to read.
    ``北京市海淀区中关村大街1号`` -> ``北京市海淀区****``; a Latin address written
    street first keeps its last part (``12 Park Road, Xiamen`` -> ``****, Xiamen``);
    anything else keeps at most its first third."""
    a = address.strip()
    match = _DISTRICT_RE.match(a)
    if match and len(match.group(0)) < len(a):
        return match.group(0) + "****"
    if "," in a and a.rsplit(",", 1)[1].strip():
        return "****, " + a.rsplit(",", 1)[1].strip()
    return a[: min(6, len(a) // 3)] + "****" if a else ""


def is_personal_tax_id(tax_id: str) -> bool:
    """A resident ID used as a tax ID (a natural person or individual business)."""
    return bool(re.fullmatch(r"\d{17}[0-9Xx]|\d{15}", tax_id.strip()))


def mask_tax_id(tax_id: str) -> str:
    """Mask a personal tax ID (a resident ID number); a company's code stays readable."""
    return mask_id_number(tax_id) if is_personal_tax_id(tax_id) else tax_id


def mask_text(text: str) -> str:
    """Mask ID numbers, phone numbers and e-mail addresses found in free text."""
    text = _ID_RE.sub(lambda m: mask_id_number(m.group(0)), text)
    text = _ID15_RE.sub(lambda m: mask_id_number(m.group(0)), text)
    text = _EMAIL_RE.sub(lambda m: m.group(1) + "***" + m.group(3), text)
    text = _MOBILE_RE.sub(lambda m: m.group(1) + "****" + m.group(3), text)
    text = _LANDLINE_RE.sub(lambda m: m.group(1) + "*" * len(m.group(2)) + m.group(3), text)
    return text
