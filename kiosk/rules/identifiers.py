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
from dataclasses import dataclass
from enum import StrEnum

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
    position: int | None = None  # 1-based position of an offending character

    @property
    def ok(self) -> bool:
        return self.severity is Severity.OK

    @property
    def needs_confirmation(self) -> bool:
        return self.severity is Severity.WARNING


def _bad_char(value: str, pos: int, what_zh: str, what_en: str) -> TaxIdCheck:
    ch = value[pos - 1]
    return TaxIdCheck(
        value, TaxIdKind.INVALID, Severity.ERROR,
        f"第 {pos} 位字符“{ch}”不能出现在{what_zh}中。",
        f"Character '{ch}' at position {pos} cannot appear in {what_en}.",
        position=pos,
    )


def _looks_like_resident_id(value: str) -> bool:
    if not (value[:17].isascii() and value[:17].isdigit() and value[17] in "0123456789X"):
        return False
    born = resident_id_birth_date(value)
    return born is not None and born.year >= _EARLIEST_BIRTH_YEAR


# GB 32100 position 1: the registering department (1 编制, 2 外交, 3 司法, 4 文化, 5 民政,
# 6 旅游, 7 宗教, 8 工会, 9 市场监管, A 军队, N 农业, Y 其他).
_REGISTRARS = "123456789ANY"


def _credit_code_structure_problem(value: str) -> tuple[str, str, int] | None:
    """Checksums pass but the shape is odd (e.g. ``000000000000000000``): ask to confirm."""
    if value[0] not in _REGISTRARS:
        return (f"统一社会信用代码第 1 位“{value[0]}”不是登记管理部门代码，请核对后确认。",
                f"Position 1 ('{value[0]}') is not a registering department code; check and confirm.",
                1)
    if not value[2:8].isdigit() or value[2:4] == "00":
        return ("统一社会信用代码第 3-8 位应为行政区划代码，请核对后确认。",
                "Positions 3-8 should be an administrative division code; check and confirm.", 3)
    return None


def _classify_18(value: str, today: dt.date | None) -> TaxIdCheck:
    if is_valid_resident_id(value, today=today):
        return TaxIdCheck(value, TaxIdKind.RESIDENT_ID, Severity.OK,
                          "有效的居民身份证号码。", "A valid resident ID number.")
    bad, org_ok, final_ok = _credit_code_problems(value)
    if bad is None and org_ok and final_ok:
        odd = _credit_code_structure_problem(value)
        if odd is not None:
            return TaxIdCheck(value, TaxIdKind.CREDIT_CODE, Severity.WARNING, *odd)
        return TaxIdCheck(value, TaxIdKind.CREDIT_CODE, Severity.OK,
                          "有效的统一社会信用代码。", "A valid unified social credit code.")
    if bad is not None:
        return _bad_char(value, bad, "统一社会信用代码（不含 I、O、S、V、Z）",
                         "a unified social credit code (no I, O, S, V or Z)")
    if _looks_like_resident_id(value):
        born = resident_id_birth_date(value)
        assert born is not None
        if born > (today or dt.date.today()):
            return TaxIdCheck(value, TaxIdKind.RESIDENT_ID, Severity.ERROR,
                              "身份证号码中的出生日期在未来，请核对。",
                              "The birth date in this ID number is in the future; please check it.",
                              position=7)
        return TaxIdCheck(
            value, TaxIdKind.RESIDENT_ID, Severity.WARNING,
            "校验位不符：这不是有效的身份证号码，也不是有效的统一社会信用代码。"
            "请逐位核对；若确认无误，请点击“确认”继续。",
            "Check digit mismatch: this is neither a valid resident ID number nor a valid "
            "credit code. Check every character; confirm only if it is exactly as on the document.",
            position=18,
        )
    which_zh = "第 18 位校验码" if org_ok else "第 17 位（组织机构代码校验位）"
    which_en = "the check character at position 18" if org_ok else (
        "position 17 (the organisation-code check)")
    return TaxIdCheck(
        value, TaxIdKind.CREDIT_CODE, Severity.WARNING,
        f"统一社会信用代码{which_zh}不符，可能输错。少数早期代码确实如此："
        "请与营业执照逐位核对，确认无误后再继续。",
        f"The credit code fails {which_en}: it may be mistyped. A few early codes really do: "
        "compare it with the business licence character by character and confirm to continue.",
        position=18 if org_ok else 17,
    )


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


def classify_tax_id(s: str, *, today: dt.date | None = None) -> TaxIdCheck:
    """Say what a buyer tax ID is, whether it may be used, and why (zh + en).

    The input is normalised first (:func:`normalise_tax_id`).
    """
    value = normalise_tax_id(s)
    n = len(value)
    if n == 0:
        return TaxIdCheck(value, TaxIdKind.EMPTY, Severity.OK,
                          "未填写纳税人识别号。", "No tax ID given.")
    if n == 18:
        return _classify_18(value, today)
    if n in LEGACY_LENGTHS:
        for pos, ch in enumerate(value, start=1):
            if not (ch.isascii() and ch.isalnum()):
                return _bad_char(value, pos, "纳税人识别号（只能是数字和大写字母）",
                                 "a taxpayer ID (digits and capital letters only)")
        if _legacy_structure_ok(value):
            return TaxIdCheck(value, TaxIdKind.LEGACY, Severity.OK,
                              f"旧版 {n} 位纳税人识别号。",
                              f"An older {n}-character taxpayer ID.")
        return TaxIdCheck(
            value, TaxIdKind.LEGACY, Severity.WARNING,
            f"输入了 {n} 位。统一社会信用代码为 18 位，可能漏输或多输了字符；"
            "若这确实是旧版纳税人识别号，请与税务登记逐位核对后确认。",
            f"{n} characters entered. A credit code has 18: a character may be missing or extra. "
            "If this really is an older taxpayer ID, compare it with the tax registration and confirm.",
        )
    return TaxIdCheck(
        value, TaxIdKind.INVALID, Severity.ERROR,
        f"长度不对：输入了 {n} 位，统一社会信用代码应为 18 位（旧税号为 15-20 位）。",
        f"Wrong length: {n} characters entered; a credit code has 18 (older tax IDs 15-20).",
    )
