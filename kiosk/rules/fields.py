"""Field rules: GBK byte limits, phone / e-mail / bank account, item names, tax codes.

The providers count names and addresses in GBK bytes (a CJK character is two
bytes), so a 60-character company name can already be too long. A character
GBK cannot hold (an emoji, a rare 生僻字 only in GB18030) is refused with the
character named, rather than dropped silently.
"""

from __future__ import annotations

import re

from kiosk.rules.errors import RuleError

__all__ = [
    "gbk_length",
    "non_gbk_chars",
    "check_gbk",
    "is_valid_phone",
    "is_valid_email",
    "is_valid_bank_account",
    "item_full_name",
    "is_valid_tax_code",
    "set_tax_codes_in_force",
    "tax_code_refusal",
    "TAX_CODE_CATEGORIES",
]

TAX_CODE_CATEGORIES = {
    "1": ("货物", "goods"),
    "2": ("劳务", "labour services"),
    "3": ("服务", "services"),
    "4": ("无形资产", "intangible assets"),
    "5": ("不动产", "real estate"),
    "6": ("未发生销售行为的不征税项目", "non-taxable items"),
}

_PHONE_RE = re.compile(r"[0-9()（）\-]+")
# Hand-written, not the ``email-validator`` package: the kiosk is offline (no
# DNS check possible) and only needs to refuse obvious typos before sending.
_EMAIL_RE = re.compile(
    r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}"
)


def non_gbk_chars(s: str) -> list[str]:
    """The characters of ``s`` GBK cannot encode, in order, without repeats."""
    bad: list[str] = []
    for ch in s:
        try:
            ch.encode("gbk")
        except UnicodeEncodeError:
            if ch not in bad:
                bad.append(ch)
    return bad


def gbk_length(s: str) -> int:
    """Length in GBK bytes; a character GBK cannot hold counts as 2 (report it separately)."""
    total = 0
    for ch in s:
        try:
            total += len(ch.encode("gbk"))
        except UnicodeEncodeError:
            total += 2
    return total


def check_gbk(
    value: str, limit: int, field: str, label_zh: str, label_en: str
) -> list[RuleError]:
    """GBK byte limit and encodability of one field (or of joined fields)."""
    errors: list[RuleError] = []
    bad = non_gbk_chars(value)
    if bad:
        shown = "".join(bad[:5])
        codes = ", ".join(f"U+{ord(c):04X}" for c in bad[:5])
        errors.append(RuleError(
            "E_CHARSET", field,
            f"{label_zh}中有发票无法打印的字符：{shown}（{codes}），请改用常用字。",
            f"{label_en} holds characters an invoice cannot carry: {shown} ({codes}).",
        ))
    n = gbk_length(value)
    if n > limit:
        errors.append(RuleError(
            "E_TOO_LONG", field,
            f"{label_zh}过长：{n} 字节，最多 {limit} 字节（一个汉字占 2 字节）。",
            f"{label_en} is too long: {n} bytes, at most {limit} (a Chinese character is 2 bytes).",
        ))
    return errors


def is_valid_phone(s: str) -> bool:
    """Digits, brackets and hyphens only *(vendor)*, with at least 3 digits."""
    return bool(_PHONE_RE.fullmatch(s)) and sum(ch.isdigit() for ch in s) >= 3


def is_valid_email(s: str) -> bool:
    if len(s) > 254 or "@" not in s or len(s.rpartition("@")[0]) > 64:
        return False
    return bool(_EMAIL_RE.fullmatch(s))


def is_valid_bank_account(s: str) -> bool:
    """6-40 characters of digits and hyphens with at least 6 digits (spaces ignored)."""
    compact = s.replace(" ", "")
    return (
        6 <= len(compact) <= 40
        and all(ch.isascii() and (ch.isdigit() or ch == "-") for ch in compact)
        and sum(ch.isdigit() for ch in compact) >= 6
    )


def item_full_name(short: str, name: str) -> str:
    """The printed item name ``*简称*名称`` (``*餐饮服务*餐费``).

    A name that already carries the same ``*简称*`` prefix is returned as it is.
    """
    short = short.strip().strip("*")
    name = name.strip()
    if not short:
        raise ValueError("the tax classification short name (简称) is required")
    prefix = f"*{short}*"
    return name if name.startswith(prefix) else prefix + name


def is_valid_tax_code(code: str) -> bool:
    """19 ASCII digits, first digit 1-6 (goods ... non-taxable items)."""
    return len(code) == 19 and code.isascii() and code.isdigit() and code[0] in TAX_CODE_CATEGORIES


# The tax classification codes in force: none (any well-formed code) unless the back
# office pushed a table (kiosk.fleet.policy, issue 16); then a line's code must be in it
# and its 简称 must be the table's. Swapped whole, like the rate table.
_codes_in_force: dict[str, str] | None = None


def set_tax_codes_in_force(codes: dict[str, str] | None) -> None:
    """Put a pushed ``{code: short_name}`` table in force, or none (None)."""
    global _codes_in_force
    _codes_in_force = None if codes is None else dict(codes)


def tax_code_refusal(code: str, short_name: str) -> str | None:
    """Why ``code``/``short_name`` is refused by the table in force, or None."""
    table = _codes_in_force
    if table is None:
        return None
    expected = table.get(code)
    if expected is None:
        return f"tax code {code} is not in the tax-code table in force"
    if short_name.strip().strip("*") != expected:
        return f"tax code {code} is {expected!r} in the table in force, not {short_name!r}"
    return None
