"""Text for fixed-width layouts: sanitising, display width, wrapping, money.

Everything a user typed or scanned goes through :func:`sanitize_text` before
layout, so no control byte (ESC, GS, FS, DLE ...) can reach a printer.
Widths follow East Asian Width: W and F characters take two columns on a
thermal printer's Font A (12 x 24 dots half-width, 24 x 24 full-width),
combining marks none. Ambiguous characters (·, ×, °, é) are one column in a
Unicode terminal, but a printer in double-byte mode prints every character it
encodes in two bytes double-width, so layouts for a printer pass
``printer=True``: every non-ASCII character then counts two columns (a safe
upper bound whatever the printer's encoding).
"""

from __future__ import annotations

import unicodedata
from decimal import ROUND_HALF_UP, Decimal

__all__ = [
    "sanitize_text",
    "char_width",
    "display_width",
    "wrap_text",
    "truncate_to_width",
    "pad_between",
    "money",
]

_SPACE_LIKE = {"\t", "\n", "\r", "\v", "\f", "\x85"}


def sanitize_text(s: str) -> str:
    """Remove every control character and keep printable text on one line.

    C0 (incl. ESC 0x1B, GS 0x1D, FS 0x1C, DLE 0x10), DEL and C1 controls are
    removed; tabs, newlines and other separators become a space; invisible
    format characters (zero-width joiners, bidi overrides) and lone surrogates
    are removed; runs of spaces collapse and the ends are trimmed. Removing an
    escape byte leaves its parameter bytes as harmless printable text.
    """
    out: list[str] = []
    for ch in s or "":
        if ch in _SPACE_LIKE or unicodedata.category(ch) in ("Zl", "Zp", "Zs"):
            out.append(" ")
            continue
        cat = unicodedata.category(ch)
        if cat in ("Cc", "Cf", "Cs", "Cn", "Co"):
            continue
        out.append(ch)
    return " ".join("".join(out).split())


def char_width(ch: str, *, printer: bool = False) -> int:
    """Columns of one character; with ``printer`` every non-ASCII character counts 2."""
    if printer and not ch.isascii():
        return 2
    if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
        return 0
    if unicodedata.east_asian_width(ch) in ("W", "F"):
        return 2
    return 1


def display_width(s: str, *, printer: bool = False) -> int:
    """Columns ``s`` takes: CJK (East Asian W/F) 2, combining marks 0, others 1."""
    return sum(char_width(ch, printer=printer) for ch in s)


def _tokens(s: str) -> list[str]:
    """Runs of narrow non-space characters (words), single wide chars, single spaces."""
    tokens: list[str] = []
    word = ""
    for ch in s:
        if ch == " " or unicodedata.east_asian_width(ch) in ("W", "F"):
            if word:
                tokens.append(word)
                word = ""
            tokens.append(ch)
        else:
            word += ch
    if word:
        tokens.append(word)
    return tokens


# Closing punctuation that may not begin a line (the common core of the Chinese and
# Japanese line-breaking rules, GB/T 15834 and JIS X 4051's "no line start" class).
NO_LINE_START = frozenset("，。、；：？！）》」』】〕〉”’…,.;:?!)]}%")


def wrap_text(s: str, width: int, *, printer: bool = False) -> list[str]:
    """Wrap to lines of at most ``width`` columns; never splits a wide character.

    Latin words move whole to the next line when they fit there; a word longer
    than a line is split between characters. CJK text breaks between any two
    characters, except before closing punctuation (:data:`NO_LINE_START`): the
    character before it moves down with it. Returns ``[""]`` for empty text.
    (By hand: the standard library's textwrap counts characters, not printer columns.)
    """
    if width < 2:
        raise ValueError("width must be at least 2 columns (one CJK character)")

    def w(t: str) -> int:
        return display_width(t, printer=printer)

    lines: list[str] = []
    line = ""
    for tok in _tokens(s):
        if w(line) + w(tok) <= width:
            line += tok
            continue
        if tok == " ":
            lines.append(line.rstrip())
            line = ""
            continue
        if w(tok) <= width:
            carry = ""
            if tok[0] in NO_LINE_START and len(line.rstrip()) > 1 and line[-1] != " " \
                    and w(line[-1] + tok) <= width:
                carry, line = line[-1], line[:-1]  # no line starts with "，" or "。"
            if line.strip():
                lines.append(line.rstrip())
            line = carry + tok
            continue
        for ch in tok:  # a word longer than a line: split it between characters
            if w(line) + w(ch) > width:
                lines.append(line.rstrip())
                line = ""
            line += ch
    if line.strip() or not lines:
        lines.append(line.rstrip())
    return lines


def truncate_to_width(s: str, width: int, *, printer: bool = False) -> str:
    out = ""
    for ch in s:
        if display_width(out + ch, printer=printer) > width:
            break
        out += ch
    return out


def pad_between(left: str, right: str, width: int, *, printer: bool = False) -> list[str]:
    """``left`` and ``right`` on one line of ``width`` columns, right-aligned; if they
    do not fit together, ``left`` (wrapped) then ``right`` right-aligned on its own line."""
    lw = display_width(left, printer=printer)
    rw = display_width(right, printer=printer)
    if lw + 1 + rw <= width:
        return [left + " " * (width - lw - rw) + right]
    lines = wrap_text(left, width, printer=printer) if left else []
    for part in wrap_text(right, width, printer=printer):
        pw = display_width(part, printer=printer)
        lines.append(" " * (width - pw) + part)
    return lines


def money(amount: Decimal, symbol: str = "") -> str:
    """``symbol`` + amount with two decimals, minus sign after the symbol: ``￥-113.00``."""
    return f"{symbol}{amount.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP):f}"
