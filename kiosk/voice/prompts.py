"""What the kiosk says: one prompt per screen, the greeting and the review read-back.

The words come from the one catalogue (``voice.*`` codes in
:mod:`kiosk.messages.voice`). An :class:`Utterance` is one thing to say in one
language; ``fixed`` ones (the screen prompts) are rendered once and
cached, the read-back is dynamic and rendered on demand.

The read-back says only the buyer's type or a company's name and the total,
the total spelled out in words (never figures): "个人，价税合计一百一十八元九角".
It is built from those two values alone, so it cannot carry an ID number, a
phone number, an e-mail address or a bank account; a name that holds a long
run of digits (something typed into the wrong field) is replaced by its type.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from kiosk.flow.states import Screen
from kiosk.messages import Problem, text_for
from kiosk.model import BuyerType
from kiosk.rules.words import amount_in_words

__all__ = ["Utterance", "readback", "screen_prompt", "spoken_amount",
           "fixed_utterances", "lang_code"]


@dataclass(frozen=True)
class Utterance:
    """One thing to say. ``key`` names it for logs and tests and never holds the text
    (a read-back's text is personal-ish: it stays out of the log)."""

    key: str  # "screen.review", "readback"
    text: str
    lang: str  # "zh" or "en"
    fixed: bool = True  # cacheable: same text every time


def lang_code(lang: str) -> str:
    """``"zh_CN"``/``"zh"`` -> ``"zh"``, ``"en"``/``"en_GB"`` -> ``"en"``."""
    return "en" if lang.lower().startswith("en") else "zh"


def screen_prompt(screen: Screen, lang: str) -> Utterance:
    code = lang_code(lang)
    text = text_for(Problem.of(f"voice.screen.{screen.value}")).get(code)
    return Utterance(f"screen.{screen.value}", text, code)


def fixed_utterances() -> list[Utterance]:
    """Every fixed prompt in both languages: what the cache renders ahead."""
    return [screen_prompt(screen, lang) for lang in ("zh", "en") for screen in Screen]


# --- amounts in spoken words -----------------------------------------------------
# Chinese: the capital form of kiosk.rules.words (one set of zero rules for both)
# read with everyday numerals, as a cashier says it: 壹佰壹拾捌圆玖角 -> 一百一十八元九角.
_SPOKEN = str.maketrans("零壹贰叁肆伍陆柒捌玖拾佰仟圆", "零一二三四五六七八九十百千元")
_EN_SMALL = ("zero one two three four five six seven eight nine ten eleven twelve thirteen "
             "fourteen fifteen sixteen seventeen eighteen nineteen").split()
_EN_TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()
_EN_SCALES = ((10**12, "trillion"), (10**9, "billion"), (10**6, "million"), (1000, "thousand"))


def _zh_spoken(amount: Decimal) -> str:
    words = amount_in_words(amount).replace("（负数）", "负").removesuffix("整")
    words = words.translate(_SPOKEN)
    body = words.removeprefix("负")
    if body.startswith("一十"):  # 一十八元 is written; 十八元 is said
        body = body[1:]
    return ("负" if words.startswith("负") else "") + body


def _en_int(n: int) -> str:
    # Hand-written (a dozen lines) rather than num2words: one language, one use.
    if n < 20:
        return _EN_SMALL[n]
    if n < 100:
        tens, unit = divmod(n, 10)
        return _EN_TENS[tens] + (f"-{_EN_SMALL[unit]}" if unit else "")
    if n < 1000:
        hundreds, rest = divmod(n, 100)
        return f"{_EN_SMALL[hundreds]} hundred" + (f" and {_en_int(rest)}" if rest else "")
    for scale, name in _EN_SCALES:
        if n >= scale:
            high, rest = divmod(n, scale)
            joiner = " and " if 0 < rest < 100 else " "
            return f"{_en_int(high)} {name}" + (joiner + _en_int(rest) if rest else "")
    raise AssertionError("unreachable")


def _en_spoken(amount: Decimal) -> str:
    cents = int(abs(amount).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP) * 100)
    yuan, fen = divmod(cents, 100)
    parts = [f"{_en_int(yuan)} yuan"] if yuan or not fen else []
    if fen:
        parts.append(f"{_en_int(fen)} fen")
    sign = "minus " if amount < 0 and cents else ""
    return sign + " and ".join(parts)


def spoken_amount(amount: Decimal, lang: str) -> str:
    """``Decimal("118.90")`` -> ``一百一十八元九角`` / ``one hundred and eighteen yuan and ninety fen``."""
    if not amount.is_finite():
        raise ValueError("amount must be a finite number")
    return _en_spoken(amount) if lang_code(lang) == "en" else _zh_spoken(amount)


_DIGIT_RUN = re.compile(r"[0-9０-９]{6,}")


def readback(buyer_type: BuyerType, buyer_name: str, total: Decimal, lang: str) -> Utterance:
    """The review read-back: buyer type (or a company's name) and the total in words."""
    code = lang_code(lang)
    name = buyer_name.strip()
    if buyer_type is BuyerType.PERSON or not name or _DIGIT_RUN.search(name):
        kind = "voice.person" if buyer_type is BuyerType.PERSON else "voice.company"
        buyer = text_for(Problem.of(kind)).get(code)
    else:
        buyer = name
    text = text_for(Problem.of("voice.readback", buyer=buyer,
                               total=spoken_amount(total, code))).get(code)
    return Utterance("readback", text, code, fixed=False)
