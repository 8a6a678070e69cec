"""价税合计（大写）: an amount of money in Chinese capital numerals.

Hand-written rather than taken from a library: the few Python packages that
spell numbers in Chinese (``cn2an`` and friends) write 元 and differ on the
zero and 整 rules, while published 数电 invoices use 圆 and the rules below
(domain.md): 整 only after 圆, a run of zeros written once as 零, zeros at the
end of a four-digit section write nothing, a section starting with zero after a
higher section writes 零, 零 between 圆 and 分 when 角 is zero, ``（负数）`` before
a negative amount.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

__all__ = ["amount_in_words", "MAX_AMOUNT"]

_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_SECTION_UNITS = ("仟", "佰", "拾", "")
NEGATIVE_PREFIX = "（负数）"
MAX_AMOUNT = Decimal("10000000000000000")  # 1 亿亿: far above any invoice


def _section(n: int) -> str:
    """1..9999 without leading 零; inner zero runs as one 零; trailing zeros silent."""
    digits = f"{n:04d}"
    out: list[str] = []
    pending_zero = False
    started = False
    for d, unit in zip(digits, _SECTION_UNITS, strict=True):
        if d == "0":
            pending_zero = started
            continue
        if pending_zero:
            out.append("零")
            pending_zero = False
        out.append(_DIGITS[int(d)] + unit)
        started = True
    return "".join(out)


def _below_1e8(n: int) -> str:
    high, low = divmod(n, 10_000)
    out = ""
    if high:
        out = _section(high) + "万"
    if low:
        if high and low < 1000:
            out += "零"
        out += _section(low)
    return out


def _integer(n: int) -> str:
    if n >= 100_000_000:
        high, low = divmod(n, 100_000_000)
        out = _integer(high) + "亿"
        if low:
            if low < 10_000_000:
                out += "零"
            out += _below_1e8(low)
        return out
    return _below_1e8(n)


def amount_in_words(amount: Decimal) -> str:
    """``Decimal("100500.00")`` -> ``壹拾万零伍佰圆整``; negatives get ``（负数）``.

    The amount is rounded half up to the fen first. Raises ``ValueError`` for
    amounts of 1 亿亿 or more and for non-finite values.
    """
    if not isinstance(amount, Decimal):
        amount = Decimal(str(amount))
    if not amount.is_finite():
        raise ValueError("amount must be a finite number")
    cents = int(abs(amount).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP) * 100)
    if cents >= MAX_AMOUNT * 100:
        raise ValueError("amount too large to write in words")
    prefix = NEGATIVE_PREFIX if amount < 0 and cents else ""
    yuan, rest = divmod(cents, 100)
    jiao, fen = divmod(rest, 10)
    if cents == 0:
        return "零圆整"
    out = _integer(yuan) + "圆" if yuan else ""
    if jiao == 0 and fen == 0:
        return prefix + out + "整"
    if jiao:
        out += _DIGITS[jiao] + "角"
    elif yuan:
        out += "零"
    if fen:
        out += _DIGITS[fen] + "分"
    return prefix + out
