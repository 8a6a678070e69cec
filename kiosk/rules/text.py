"""The one text rule for everything typed, scanned or received.

A name, title, address or item text may hold any printable character of any
script, and nothing else: no control character (ESC, NUL, DEL, C1 controls -
they reach a printer as commands), no format character (bidi overrides that
make a title read differently than it is stored, zero-width marks, BOM), no
line or paragraph separator (U+2028/U+2029 break one-line fields, JSON-in-JS
and log lines), no surrogate, private-use or unassigned code point. Applied at
the core's boundary: the buyer's title (:func:`kiosk.rules.validate_buyer`),
order lines at import and at issuing, the config's texts.

Digits that become part of an invoice number are ASCII: Python's ``\\d`` and
``str.isdigit`` accept Arabic-Indic or full-width digits, which then end up
inside a 20-digit invoice number no PDF font or platform accepts.
"""

from __future__ import annotations

import unicodedata

from kiosk.rules.errors import RuleError

__all__ = ["FORBIDDEN_CATEGORIES", "check_text", "forbidden_chars", "is_ascii_digits",
           "is_clean_text", "describe_chars"]

# Unicode general categories refused in text: control, format, surrogate,
# private use, unassigned, line separator, paragraph separator.
FORBIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})


def forbidden_chars(text: str) -> list[str]:
    """The characters of ``text`` the rule refuses, in order, without repeats."""
    found: list[str] = []
    for ch in text:
        if unicodedata.category(ch) in FORBIDDEN_CATEGORIES and ch not in found:
            found.append(ch)
    return found


def is_clean_text(text: str) -> bool:
    return not forbidden_chars(text)


def describe_chars(chars: list[str], limit: int = 5) -> str:
    """``U+001B, U+2028`` - never the characters themselves (they would act)."""
    return ", ".join(f"U+{ord(c):04X}" for c in chars[:limit])


def check_text(value: str, field: str, label_zh: str, label_en: str) -> list[RuleError]:
    """``[E_CONTROL_CHAR]`` when ``value`` holds a refused character, else ``[]``."""
    bad = forbidden_chars(value)
    if not bad:
        return []
    codes = describe_chars(bad)
    return [RuleError(
        "E_CONTROL_CHAR", field,
        f"{label_zh}中含有不可见的控制字符（{codes}），请删除后重新输入。",
        f"{label_en} holds invisible control characters ({codes}); remove them and type it again.",
    )]


def is_ascii_digits(text: str, length: int | None = None) -> bool:
    """Only the ASCII digits 0-9 (at least one; exactly ``length`` when given)."""
    ok = bool(text) and text.isascii() and text.isdigit()
    return ok and (length is None or len(text) == length)
