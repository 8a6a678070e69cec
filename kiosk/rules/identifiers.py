"""Identifier checks: unified social credit codes, resident ID numbers, buyer tax IDs.

Pure functions. The validators (:func:`is_valid_credit_code`,
:func:`is_valid_resident_id`) are strict on the canonical form: uppercase,
no spaces. User input goes through :func:`normalise_tax_id` first (strip every
space, full-width to half-width, uppercase), so a typed lowercase ``x`` at the
end of a resident ID number is accepted *after normalisation* and stored as
``X``; the bare validator refuses ``...002x``. That keeps one spelling in the
database and on the invoice.

:func:`classify_tax_id` is what the screens and :func:`kiosk.rules.validate_request`
use: it says what a buyer tax ID is (credit code, resident ID, legacy taxpayer
ID, invalid), how bad it is (ok / warning / error) and why, in Chinese and
English. A failed check on an 18-character code is a *warning* the buyer must
confirm (a few early pilot credit codes fail the check and are still legal),
never a silent pass.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from kiosk.rules import suspects

__all__ = [
    "CREDIT_CODE_ALPHABET",
    "TaxIdKind",
    "Severity",
    "TaxIdCheck",
    "credit_code_check_char",
    "org_code_check_char",
    "is_valid_credit_code",
    "resident_id_check_char",
    "is_valid_resident_id",
    "resident_id_birth_date",
    "normalise_tax_id",
    "classify_tax_id",
]

# GB 32100-2015: 31 symbols, no I, O, S, V, Z. A symbol's value is its index.
CREDIT_CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_VALUE = {ch: i for i, ch in enumerate(CREDIT_CODE_ALPHABET)}
_CREDIT_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))  # 1 3 9 27 19 26 16 17 20 ...

# GB 11714-1997 organisation code: 8 body chars (digits, A-Z valued 10..35), check char.
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)

# GB 11643-1999 / ISO 7064 MOD 11-2.
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_EARLIEST_BIRTH_YEAR = 1850

LEGACY_LENGTHS = (15, 16, 17, 19, 20)  # providers accept 15-20; 18 is a credit code or ID


def credit_code_check_char(first17: str) -> str:
    """The GB 32100 check character for the first 17 characters of a credit code.

    Raises ``ValueError`` when a character is outside the credit-code alphabet.
    """
    if len(first17) != 17:
        raise ValueError("need exactly 17 characters")
    try:
        total = sum(_CREDIT_VALUE[ch] * w for ch, w in zip(first17, _CREDIT_WEIGHTS, strict=True))
    except KeyError as exc:
        raise ValueError(f"character {exc.args[0]!r} is not in the credit-code alphabet") from None
    return CREDIT_CODE_ALPHABET[(31 - total % 31) % 31]


def _org_value(ch: str) -> int:
    if ch.isdigit() and ch.isascii():
        return int(ch)
    if "A" <= ch <= "Z":
        return ord(ch) - ord("A") + 10
    raise ValueError(f"character {ch!r} cannot appear in an organisation code")


def org_code_check_char(body8: str) -> str:
    """GB 11714 check character for the 8 body characters of an organisation code.

    C9 = 11 - (sum mod 11); 10 -> ``X``, 11 -> ``0``. ``77604965`` -> ``3``.
    """
    if len(body8) != 8:
        raise ValueError("need exactly 8 characters")
    c9 = 11 - sum(_org_value(ch) * w for ch, w in zip(body8, _ORG_WEIGHTS, strict=True)) % 11
    return {10: "X", 11: "0"}.get(c9, str(c9))


def _credit_code_problems(code: str) -> tuple[int | None, bool, bool]:
    """(position of first bad char or None, org check ok, final check ok) for 18 chars."""
    for pos, ch in enumerate(code, start=1):
        if ch not in _CREDIT_VALUE:
            return pos, False, False
    org_ok = org_code_check_char(code[8:16]) == code[16]
    final_ok = credit_code_check_char(code[:17]) == code[17]
    return None, org_ok, final_ok


def is_valid_credit_code(code: str) -> bool:
    """A canonical 18-character unified social credit code with both checks passing.

    Position 17 is the organisation-code check (GB 11714 over positions 9-16)
    and position 18 the GB 32100 check character. ``91350200776049653A`` is valid.
    """
    if not isinstance(code, str) or len(code) != 18:
        return False
    bad, org_ok, final_ok = _credit_code_problems(code)
    return bad is None and org_ok and final_ok


def resident_id_check_char(first17: str) -> str:
    """MOD 11-2 check character for the first 17 digits of a resident ID number."""
    if len(first17) != 17 or not (first17.isascii() and first17.isdigit()):
        raise ValueError("need exactly 17 digits")
    total = sum(int(ch) * w for ch, w in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


def resident_id_birth_date(number: str) -> dt.date | None:
    """The birth date in positions 7-14, or None when it is not a real date."""
    part = number[6:14]
    if len(part) != 8 or not (part.isascii() and part.isdigit()):
        return None
    try:
        return dt.date(int(part[:4]), int(part[4:6]), int(part[6:8]))
    except ValueError:
        return None


def is_valid_resident_id(number: str, *, today: dt.date | None = None) -> bool:
    """A canonical 18-character resident ID: real birth date not in the future, check ok.

    Strict: a lowercase ``x`` is refused here; normalise user input first with
    :func:`normalise_tax_id` (which uppercases). ``11010519491231002X`` is valid.
    """
    if not isinstance(number, str) or len(number) != 18:
        return False
    body, check = number[:17], number[17]
    if not (body.isascii() and body.isdigit()) or check not in "0123456789X":
        return False
    born = resident_id_birth_date(number)
    if born is None or born.year < _EARLIEST_BIRTH_YEAR or born > (today or dt.date.today()):
        return False
    return resident_id_check_char(body) == check


def normalise_tax_id(s: str) -> str:
    """Strip every space (also full-width ones), full-width to half-width, uppercase."""
    folded = unicodedata.normalize("NFKC", s or "")
    return "".join(ch for ch in folded if not ch.isspace()).upper()


# --- classification -----------------------------------------------------------
# The words say where to look ("第 N 位" / "position N") and what it probably is, in
# plain language; which positions are suspicious comes from kiosk.rules.suspects.


class TaxIdKind(StrEnum):
    EMPTY = "empty"  # nothing given (allowed for a natural person)
    CREDIT_CODE = "credit_code"
    RESIDENT_ID = "resident_id"
    LEGACY = "legacy"  # older 15-20 character taxpayer ID
    INVALID = "invalid"


class Severity(StrEnum):
    OK = "ok"
    WARNING = "warning"  # may go through once the buyer confirms it on screen
    ERROR = "error"  # cannot go through


@dataclass(frozen=True)
class TaxIdCheck:
    """The verdict on one buyer tax ID, with a message a person understands."""

    value: str  # the normalised ID
    kind: TaxIdKind
    severity: Severity
    message_zh: str
    message_en: str
    positions: tuple[int, ...] = ()  # 1-based: every position worth a second look
    incomplete: bool = False  # shorter than a credit code and nothing wrong yet: typing

    @property
    def position(self) -> int | None:
        """The first suspicious position (None when none is named)."""
        return self.positions[0] if self.positions else None

    @property
    def ok(self) -> bool:
        return self.severity is Severity.OK

    @property
    def needs_confirmation(self) -> bool:
        return self.severity is Severity.WARNING


# A character a credit code never holds, read as the one it most likely is.
_NOT_IN_CODE = {"O": "0", "I": "1", "S": "5", "Z": "2", "V": "U"}
_CONFIRM_ZH = "少数早期的代码确实如此：与营业执照逐位核对，一致再确认继续。"
_CONFIRM_EN = ("A few early codes really are like this: compare it with the business licence "
               "and confirm only if every character matches.")


def registration_words(check: TaxIdCheck) -> tuple[str, str]:
    """The check's words for registering an enterprise account, which takes only a code
    that passes: a doubtful one (a warning the buyer screen lets the person confirm) gets
    words without "confirm and go on", since the form has no such button."""
    if check.severity is not Severity.WARNING:
        return check.message_zh, check.message_en
    where = check.positions or tuple(range(1, 19))
    return (f"这个代码对不上，可能有字符输错：请与营业执照核对{suspects.zh_positions(where)}。"
            "注册企业账户须填写能通过校验的统一社会信用代码，代码确实如此的请联系工作人员。",
            "This code does not add up, a character may be mistyped: compare "
            f"{suspects.en_positions(where)} with the business licence. An enterprise account "
            "needs a credit code that passes the check; if yours really is like this, ask staff.")


def _strange_chars(value: str, allowed: str) -> tuple[list[int], list[str], list[str]]:
    """Positions of characters outside ``allowed``, with a zh and an en note for each."""
    positions, zh, en = [], [], []
    for pos, ch in enumerate(value, start=1):
        if ch in allowed:
            continue
        positions.append(pos)
        likely = _NOT_IN_CODE.get(ch)
        if likely is not None:
            kind_zh = "数字" if likely.isdigit() else "字母"
            kind_en = "the digit" if likely.isdigit() else "the letter"
            zh.append(f"第 {pos} 位的“{ch}”应是{kind_zh}“{likely}”吧")
            en.append(f"position {pos} '{ch}' is probably {kind_en} '{likely}'")
        else:
            zh.append(f"第 {pos} 位的“{ch}”不能出现在代码里")
            en.append(f"position {pos} '{ch}' cannot be part of the code")
    return positions, zh, en


def _bad_chars(value: str, allowed: str, why_zh: str, why_en: str) -> TaxIdCheck:
    positions, zh, en = _strange_chars(value, allowed)
    return TaxIdCheck(
        value, TaxIdKind.INVALID, Severity.ERROR,
        f"{suspects.zh_join(zh)}。{why_zh}", f"{suspects.en_join(en)}. {why_en}",
        positions=tuple(positions))


def _looks_like_resident_id(value: str) -> bool:
    if not (value[:17].isascii() and value[:17].isdigit() and value[17] in "0123456789X"):
        return False
    born = resident_id_birth_date(value)
    return born is not None and born.year >= _EARLIEST_BIRTH_YEAR


# GB 32100 position 1: the registering department (1 编制, 2 外交, 3 司法, 4 文化, 5 民政,
# 6 旅游, 7 宗教, 8 工会, 9 市场监管, A 军队, N 农业, Y 其他); under 9, position 2 is
# 1 company, 2 individual business, 3 farmers' cooperative.
_REGISTRARS = "123456789ANY"
_MARKET_TYPES = "123"


def _credit_code_structure(value: str) -> TaxIdCheck | None:
    """Checksums pass but the shape is odd (e.g. ``000000000000000000``): every odd part
    named, to confirm."""
    zh: list[str] = []
    en: list[str] = []
    positions: list[int] = []
    if value[0] not in _REGISTRARS:
        positions.append(1)
        zh.append(f"第 1 位通常是 9（企业）、5（社会组织）或 1（机关事业单位），这里是“{value[0]}”")
        en.append(f"position 1 is usually 9 (business), 5 (social organisation) or 1 "
                  f"(public body); here it is '{value[0]}'")
    elif value[0] == "9" and value[1] not in _MARKET_TYPES:
        positions.append(2)
        zh.append(f"企业代码的第 2 位应是 1（公司）、2（个体工商户）或 3（合作社），这里是“{value[1]}”")
        en.append(f"for a business, position 2 is 1 (company), 2 (sole trader) or 3 "
                  f"(cooperative); here it is '{value[1]}'")
    if not value[2:8].isdigit() or value[2:4] == "00":
        positions.extend(range(3, 9))
        zh.append(f"第 3 至 8 位是所在地区的代码（北京以 11 开头），这里是“{value[2:8]}”")
        en.append(f"positions 3 to 8 are the area code (Beijing starts with 11); "
                  f"here they are '{value[2:8]}'")
    if not positions:
        return None
    return TaxIdCheck(value, TaxIdKind.CREDIT_CODE, Severity.WARNING,
                      f"{suspects.zh_join(zh)}。请核对后确认。",
                      f"{suspects.en_join(en)}. Check it and confirm.",
                      positions=tuple(positions))


def credit_code_slips(value: str) -> tuple[int, ...]:
    """Positions (1-based) of an 18-character code over the credit alphabet where one
    other character makes it a valid credit code.

    The same answer as trying all 30 others at each place, by algebra: the weights are
    invertible mod 31, so at each of positions 1-17 exactly one value mends the final
    check (and at 18 the right check character); only that candidate is tried for the
    check at 17. 18 checks instead of 540 keep it quick enough to run on every key.
    """
    values = [_CREDIT_VALUE[ch] for ch in value]
    off = (sum(v * w for v, w in zip(values, _CREDIT_WEIGHTS, strict=False)) + values[17]) % 31
    found: list[int] = []
    for i in range(18):
        if i < 17:
            mended = (values[i] - off * pow(_CREDIT_WEIGHTS[i], -1, 31)) % 31
        else:
            mended = (values[17] - off) % 31
        if mended == values[i]:
            continue
        candidate = value[:i] + CREDIT_CODE_ALPHABET[mended] + value[i + 1:]
        if is_valid_credit_code(candidate):
            found.append(i + 1)
    return tuple(found)


def _named_slips(value: str, is_valid: Callable[[str], bool],
                 slips: tuple[int, ...]) -> tuple[tuple[int, ...], tuple[suspects.Repair, ...]]:
    """Where one slip (a wrong character, two neighbours swapped) would explain the failed
    check: those positions, and the look-alikes and swaps among them (named as examples)."""
    found = tuple(r for r in suspects.repairs(value, is_valid) if r.swap or r.position in slips)
    positions = tuple(sorted({*slips, *(p for r in found if r.swap for p in r.positions)}))
    return positions, found


def _failed_credit_check(value: str) -> TaxIdCheck:
    """All 18 characters allowed, the check characters disagree: name every position
    where one slip explains it (typically positions 1-8 and 18 and a few more when
    positions 9-17's own check holds, one to three positions when it fails)."""
    positions, found = _named_slips(value, is_valid_credit_code, credit_code_slips(value))
    if not positions and org_code_check_char(value[8:16]) != value[16]:
        positions = tuple(range(9, 18))  # more than one slip; positions 9-17 disagree
    if positions:
        where_zh, where_en = suspects.zh_positions(positions), suspects.en_positions(positions)
    else:  # more than one slip: nothing to point at
        positions = tuple(range(1, 19))
        where_zh, where_en = "全部 18 位", "all 18 characters"
    return TaxIdCheck(
        value, TaxIdKind.CREDIT_CODE, Severity.WARNING,
        f"这个代码对不上，可能有字符输错：请核对{where_zh}"
        f"{suspects.zh_examples(value, found)}。{_CONFIRM_ZH}",
        f"This code does not add up, a character may be mistyped: check {where_en}"
        f"{suspects.en_examples(value, found)}. {_CONFIRM_EN}",
        positions=positions)


def _failed_id_check(value: str, today: dt.date | None) -> TaxIdCheck:
    """17 digits and a check character that disagree: neither an ID number nor a code."""
    def as_id(v: str) -> bool:
        return is_valid_resident_id(v, today=today)

    slips = suspects.single_slips(value, "0123456789X", as_id)
    if all(ch in _CREDIT_VALUE for ch in value):
        slips = tuple(sorted({*slips, *credit_code_slips(value)}))
    positions, found = _named_slips(value, lambda v: as_id(v) or is_valid_credit_code(v), slips)
    if positions:
        where_zh, where_en = suspects.zh_positions(positions), suspects.en_positions(positions)
    else:
        positions = tuple(range(1, 19))
        where_zh, where_en = "全部 18 位", "all 18 characters"
    return TaxIdCheck(
        value, TaxIdKind.RESIDENT_ID, Severity.WARNING,
        "这个号码对不上：既不是有效的身份证号码，也不是有效的统一社会信用代码，可能有一位输错。"
        f"请与证件核对{where_zh}{suspects.zh_examples(value, found)}；确实无误再确认继续。",
        "This number does not add up: it is neither a valid ID card number nor a valid "
        f"credit code, a character may be mistyped. Compare {where_en} with the document"
        f"{suspects.en_examples(value, found)}; confirm only if it is exactly the same.",
        positions=positions)


def _classify_18(value: str, today: dt.date | None) -> TaxIdCheck:
    if is_valid_resident_id(value, today=today):
        return TaxIdCheck(value, TaxIdKind.RESIDENT_ID, Severity.OK,
                          "有效的居民身份证号码。", "A valid resident ID number.")
    if any(ch not in _CREDIT_VALUE for ch in value):
        return _bad_chars(value, CREDIT_CODE_ALPHABET,
                          "统一社会信用代码只有数字和大写字母，没有 I、O、S、V、Z。",
                          "A credit code holds digits and capital letters, never I, O, S, V or Z.")
    if is_valid_credit_code(value):
        odd = _credit_code_structure(value)
        if odd is not None:
            return odd
        return TaxIdCheck(value, TaxIdKind.CREDIT_CODE, Severity.OK,
                          "有效的统一社会信用代码。", "A valid unified social credit code.")
    if _looks_like_resident_id(value):
        born = resident_id_birth_date(value)
        assert born is not None
        if born > (today or dt.date.today()):
            return TaxIdCheck(value, TaxIdKind.RESIDENT_ID, Severity.ERROR,
                              f"第 7 至 14 位是出生日期 {born.isoformat()}，晚于今天，请核对。",
                              f"Positions 7 to 14 are the birth date, {born.isoformat()}, which "
                              "is in the future; please check it.",
                              positions=tuple(range(7, 15)))
        return _failed_id_check(value, today)
    return _failed_credit_check(value)


def _legacy_structure_ok(value: str) -> bool:
    """Older taxpayer IDs whose structure can be checked.

    15 = 6-digit division + 9-char organisation code (its GB 11714 check holds);
    17 = 15-digit first-generation ID number (6 division, YYMMDD, 3 sequence) + 2 digits;
    20 = 18-character resident ID number (check holds) + 2 digits. 16 and 19 cannot be checked.
    """
    n = len(value)
    if n == 15:
        try:
            return value[:6].isdigit() and org_code_check_char(value[6:14]) == value[14]
        except ValueError:
            return False
    if n == 17:
        if not value.isdigit():
            return False
        try:
            dt.date(1900 + int(value[6:8]), int(value[8:10]), int(value[10:12]))
        except ValueError:
            return False
        return True
    if n == 20:
        return value[18:].isdigit() and is_valid_resident_id(value[:18])
    return False


_ALNUM = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _wrong_length(value: str) -> TaxIdCheck:
    """Too short (still being typed, most often) or too long; any character a credit
    code never holds is named already."""
    n = len(value)
    positions, zh, en = _strange_chars(value, CREDIT_CODE_ALPHABET)
    if n < 18:
        head_zh = f"已输入 {n} 位，统一社会信用代码有 18 位，还差 {18 - n} 位"
        head_en = f"{n} characters entered; a credit code has 18, so {18 - n} to go"
    else:
        head_zh = (f"输入了 {n} 位，多了 {n - 18} 位：统一社会信用代码有 18 位"
                   "（旧税号 15 至 20 位）")
        head_en = (f"{n} characters entered, {n - 18} too many: a credit code has 18 "
                   "(older tax IDs 15 to 20)")
    return TaxIdCheck(value, TaxIdKind.INVALID, Severity.ERROR,
                      suspects.zh_join([head_zh, *zh]) + "。",
                      suspects.en_join([head_en, *en]) + ".",
                      positions=tuple(positions), incomplete=n < 18 and not positions)


def classify_tax_id(s: str, *, today: dt.date | None = None) -> TaxIdCheck:
    """Say what a buyer tax ID is, whether it may be used, and why (zh + en): every
    suspicious position named, in plain words.

    The input is normalised first (:func:`normalise_tax_id`).
    """
    value = normalise_tax_id(s)
    n = len(value)
    if n == 0:
        return TaxIdCheck(value, TaxIdKind.EMPTY, Severity.OK,
                          "未填写纳税人识别号。", "No tax ID given.")
    if n == 18:
        return _classify_18(value, today)
    if n not in LEGACY_LENGTHS:
        return _wrong_length(value)
    if any(ch not in _ALNUM for ch in value):
        return _bad_chars(value, _ALNUM, "纳税人识别号只有数字和大写字母。",
                          "A taxpayer ID holds digits and capital letters only.")
    if _legacy_structure_ok(value):
        return TaxIdCheck(value, TaxIdKind.LEGACY, Severity.OK,
                          f"旧版 {n} 位纳税人识别号。",
                          f"An older {n}-character taxpayer ID.")
    positions, zh, en = _strange_chars(value, CREDIT_CODE_ALPHABET)
    if n < 18:
        head_zh = f"输入了 {n} 位，统一社会信用代码有 18 位：可能少输了 {18 - n} 位"
        head_en = f"{n} characters entered; a credit code has 18: {18 - n} may be missing"
    else:
        head_zh = f"输入了 {n} 位，统一社会信用代码有 18 位：可能多输了 {n - 18} 位"
        head_en = f"{n} characters entered; a credit code has 18: {n - 18} may be extra"
    return TaxIdCheck(
        value, TaxIdKind.LEGACY, Severity.WARNING,
        suspects.zh_join([head_zh, *zh]) + "。若这确实是旧版税号，请与税务登记逐位核对后确认。",
        suspects.en_join([head_en, *en]) + ". If this really is an older taxpayer ID, compare "
        "it with the tax registration and confirm.",
        positions=tuple(positions), incomplete=n < 18 and not positions)
