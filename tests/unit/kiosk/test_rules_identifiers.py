"""Credit codes, resident ID numbers and buyer tax-ID classification (kiosk.rules)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from kiosk.rules import (
    CREDIT_CODE_ALPHABET,
    Severity,
    TaxIdKind,
    classify_tax_id,
    credit_code_check_char,
    is_valid_credit_code,
    is_valid_resident_id,
    normalise_tax_id,
    org_code_check_char,
    resident_id_check_char,
    suspects,
)
from tests.helpers.invoices import BUYER_TAX_ID, SELLER_TAX_ID, make_credit_code

TODAY = dt.date(2026, 3, 15)


def test_credit_code_worked_example() -> None:
    assert credit_code_check_char("91350200776049653") == "A"
    assert org_code_check_char("77604965") == "3"  # position 17 of the worked example
    assert is_valid_credit_code("91350200776049653A")


@pytest.mark.parametrize("body, check", [
    ("77604965", "3"),
    ("D2143569", "X"),  # GB 11714 example, letters valued A=10..Z=35
    ("00000000", "0"),  # 11 - 0 = 11 -> 0
])
def test_org_code_check(body: str, check: str) -> None:
    assert org_code_check_char(body) == check


def test_org_code_check_maps_ten_to_x() -> None:
    bodies = [f"{n:08d}" for n in range(200)]
    assert any(org_code_check_char(b) == "X" for b in bodies)


@pytest.mark.parametrize("code", [
    "91350200776049653B",  # wrong final check
    "91350200776049643A",  # org-code check broken (and final)
    "9135020077604965A",  # 17 chars
    "91350200776049653A0",  # 19 chars
    "91350200776049653a",  # lowercase: not canonical
    "913502007760496O3A",  # O is not in the alphabet
    "",
])
def test_credit_code_refused(code: str) -> None:
    assert not is_valid_credit_code(code)


def test_credit_code_with_bad_org_check_but_good_final_check_is_refused() -> None:
    first17 = "91350200" + "77604965" + "4"  # org check should be 3
    code = first17 + credit_code_check_char(first17)
    assert not is_valid_credit_code(code)
    check = classify_tax_id(code)
    assert check.kind is TaxIdKind.CREDIT_CODE and check.severity is Severity.WARNING
    # No single slip explains it; positions 9-17 (with their own check at 17) disagree.
    assert check.positions == tuple(range(9, 18))
    assert "positions 9 to 17" in check.message_en and "第 9 至 17 位" in check.message_zh


credit_bodies = st.text(alphabet=CREDIT_CODE_ALPHABET, min_size=8, max_size=8)
credit_prefixes = st.tuples(
    st.sampled_from("159Y"), st.sampled_from("123"),
    st.integers(110000, 659999).map(lambda n: f"{n:06d}"),
).map("".join)


@given(credit_prefixes, credit_bodies, st.data())
def test_generated_credit_codes_accepted_and_single_changes_refused(
    prefix: str, body: str, data: st.DataObject
) -> None:
    code = make_credit_code(prefix, body)
    assert is_valid_credit_code(code)
    pos = data.draw(st.integers(0, 17))
    new = data.draw(st.sampled_from(CREDIT_CODE_ALPHABET + "IOSVZ").filter(lambda c: c != code[pos]))
    changed = code[:pos] + new + code[pos + 1:]
    assert not is_valid_credit_code(changed)


def test_resident_id_worked_example() -> None:
    assert resident_id_check_char("11010519491231002") == "X"
    assert is_valid_resident_id("11010519491231002X")


@pytest.mark.parametrize("number", [
    "11010519491231002x",  # strict: lowercase refused; normalise_tax_id uppercases first
    "110105194912310021",  # wrong check
    "11010519491331002X",  # month 13
    "11010519490230002X",  # 30 February
    "1101051949123100X2",  # X in the wrong place
    "11010519491231002",  # 17 characters
])
def test_resident_id_refused(number: str) -> None:
    assert not is_valid_resident_id(number)


def test_resident_id_birth_in_future_refused() -> None:
    first17 = "110105" + "20300101" + "123"
    number = first17 + resident_id_check_char(first17)
    assert not is_valid_resident_id(number, today=TODAY)
    assert is_valid_resident_id(number, today=dt.date(2031, 1, 1))
    check = classify_tax_id(number, today=TODAY)
    assert check.severity is Severity.ERROR and "future" in check.message_en


def test_lowercase_x_accepted_after_normalisation() -> None:
    assert normalise_tax_id(" 1101 0519 4912 3100 2x ") == "11010519491231002X"
    check = classify_tax_id("11010519491231002x")
    assert check.kind is TaxIdKind.RESIDENT_ID and check.ok
    assert check.value == "11010519491231002X"


@given(
    st.integers(110000, 659999), st.dates(dt.date(1900, 1, 1), dt.date(2025, 12, 31)),
    st.integers(0, 999), st.data(),
)
def test_generated_resident_ids_accepted_and_single_changes_refused(
    area: int, born: dt.date, seq: int, data: st.DataObject
) -> None:
    first17 = f"{area:06d}{born:%Y%m%d}{seq:03d}"
    number = first17 + resident_id_check_char(first17)
    assert is_valid_resident_id(number, today=TODAY)
    pos = data.draw(st.integers(0, 17))
    new = data.draw(st.sampled_from("0123456789X").filter(lambda c: c != number[pos]))
    assert not is_valid_resident_id(number[:pos] + new + number[pos + 1:], today=TODAY)


def test_normalise_strips_spaces_fullwidth_and_case() -> None:
    assert normalise_tax_id("９１３５０２００ 7760 4965 3a\u3000") == "91350200776049653A"


@pytest.mark.parametrize("raw, kind, severity", [
    ("", TaxIdKind.EMPTY, Severity.OK),
    ("91350200776049653A", TaxIdKind.CREDIT_CODE, Severity.OK),
    ("91350200776049653a", TaxIdKind.CREDIT_CODE, Severity.OK),
    (SELLER_TAX_ID, TaxIdKind.CREDIT_CODE, Severity.OK),
    (BUYER_TAX_ID, TaxIdKind.CREDIT_CODE, Severity.OK),
    ("11010519491231002X", TaxIdKind.RESIDENT_ID, Severity.OK),
    ("91350200776049653B", TaxIdKind.CREDIT_CODE, Severity.WARNING),
    ("110105194912310021", TaxIdKind.RESIDENT_ID, Severity.WARNING),
    ("913502007760496S3A", TaxIdKind.INVALID, Severity.ERROR),
    ("000000000000000000", TaxIdKind.CREDIT_CODE, Severity.WARNING),  # checksums pass, shape odd
    ("110105D2143569X", TaxIdKind.LEGACY, Severity.OK),  # 6 digits + org code with check
    ("110105D21435693", TaxIdKind.LEGACY, Severity.WARNING),  # org check broken
    ("11010549123100201", TaxIdKind.LEGACY, Severity.OK),  # 15-digit ID + 2 digits
    ("9135020077604965A", TaxIdKind.LEGACY, Severity.WARNING),  # a credit code missing a char
    ("11010519491231002X01", TaxIdKind.LEGACY, Severity.OK),
    ("1234567890123456", TaxIdKind.LEGACY, Severity.WARNING),
    ("12345", TaxIdKind.INVALID, Severity.ERROR),
    ("9135020077604965-3A", TaxIdKind.INVALID, Severity.ERROR),
])
def test_classify_tax_id(raw: str, kind: TaxIdKind, severity: Severity) -> None:
    check = classify_tax_id(raw, today=TODAY)
    assert (check.kind, check.severity) == (kind, severity)
    assert check.message_zh and check.message_en


def test_wrong_length_message_says_the_length() -> None:
    check = classify_tax_id("12345")
    assert "5" in check.message_zh and "5 characters" in check.message_en


def test_bad_character_message_names_char_and_position() -> None:
    check = classify_tax_id("913502007760496S3A")
    assert check.position == 16 and check.positions == (16,)
    assert "position 16 's' is probably the digit '5'" in check.message_en.lower()
    assert "第 16 位的“S”应是数字“5”" in check.message_zh


def test_failed_check_is_a_loud_warning_not_a_pass() -> None:
    check = classify_tax_id("91350200776049653B")
    assert check.needs_confirmation and not check.ok
    assert "confirm" in check.message_en and "确认" in check.message_zh


# --- where to look (issue 11 item 12): every suspicious position, in plain words --------

CODE = "91350200776049653A"  # valid; positions 9-17 = organisation part with its check at 17


@pytest.mark.parametrize("raw, positions, zh, en", [
    # characters a credit code never holds: every one named, with what it probably is
    ("9135O2007760496S3A", (5, 16), "第 5 位的“O”应是数字“0”吧；第 16 位的“S”应是数字“5”吧",
     "Position 5 'O' is probably the digit '0'; position 16 'S' is probably the digit '5'"),
    ("91350200776049653V", (18,), "第 18 位的“V”应是字母“U”吧", "position 18 'V' is probably the letter 'U'"),
    # a slip inside positions 9-17 breaks their own check: one or two places explain it
    ("91350200876049653A", (9,), "请核对第 9 位", "check position 9"),
    ("91350200B76049653A", (9, 12), "请核对第 9、12 位", "check positions 9 and 12"),
    # two neighbours swapped: named as such
    ("91350200767049653A", (10, 11), "第 10、11 位（“67”）是不是前后颠倒了",
     "positions 10 and 11 ('67') are the wrong way round"),
    # the last character wrong: positions 9-17 agree, so 1-8 or 18 (one slip each)
    ("91350200776049653B", (*range(1, 9), 18), "请核对第 1 至 8 位和第 18 位",
     "check positions 1 to 8 and 18"),
    # checksums right, shape odd: every odd part
    ("000000000000000000", (1, *range(3, 9)), "第 1 位通常是 9（企业）",
     "positions 3 to 8 are the area code"),
    # typing: how many so far, and a wrong letter at once
    ("9135020", (), "已输入 7 位，统一社会信用代码有 18 位，还差 11 位",
     "7 characters entered; a credit code has 18, so 11 to go"),
    ("9135O20", (5,), "第 5 位的“O”应是数字“0”吧", "position 5 'O' is probably the digit '0'"),
    ("11010520300101123X", tuple(range(7, 15)), "第 7 至 14 位是出生日期 2030-01-01",
     "Positions 7 to 14 are the birth date, 2030-01-01"),
])
def test_feedback_names_every_suspicious_position(raw: str, positions: tuple[int, ...], zh: str,
                                                  en: str) -> None:
    check = classify_tax_id(raw, today=TODAY)
    assert check.positions == positions
    assert zh in check.message_zh and en.lower() in check.message_en.lower()


@pytest.mark.parametrize("raw", ["91350200776049653B", "91350200776049654D", "91350200876049653A",
                                 "110105194912310021", "9135020", "000000000000000000",
                                 "913502007760496S3A", "9135020077604965A"])
def test_feedback_has_no_jargon(raw: str) -> None:
    check = classify_tax_id(raw, today=TODAY)
    for word in ("组织机构代码", "校验位", "校验码", "登记管理部门", "行政区划"):
        assert word not in check.message_zh
    for word in ("organisation-code", "check character", "check digit", "registering department"):
        assert word not in check.message_en.lower()


def test_typing_a_code_is_incomplete_until_it_is_whole() -> None:
    for n in range(1, 15):
        check = classify_tax_id(CODE[:n])
        assert check.incomplete and check.severity is Severity.ERROR, n
        assert f"还差 {18 - n} 位" in check.message_zh and f"{18 - n} to go" in check.message_en
    assert not classify_tax_id(CODE).incomplete
    assert not classify_tax_id(CODE[:5] + "O").incomplete  # a wrong letter is said at once


@given(credit_prefixes, credit_bodies, st.data())
def test_single_slip_is_among_the_named_positions(prefix: str, body: str,
                                                  data: st.DataObject) -> None:
    code = make_credit_code(prefix, body)
    pos = data.draw(st.integers(0, 17))
    new = data.draw(st.sampled_from(CREDIT_CODE_ALPHABET).filter(lambda c: c != code[pos]))
    slipped = code[:pos] + new + code[pos + 1:]
    assume(not is_valid_resident_id(slipped))
    check = classify_tax_id(slipped, today=TODAY)
    assert check.severity is not Severity.OK
    if check.severity is Severity.WARNING:  # (an ID number's date in the future is an error)
        assert pos + 1 in check.positions
        assert suspects.zh_positions(check.positions) in check.message_zh
        assert suspects.en_positions(check.positions) in check.message_en.lower()


@given(credit_prefixes, credit_bodies, st.integers(0, 16))
def test_swapped_neighbours_are_named(prefix: str, body: str, pos: int) -> None:
    code = make_credit_code(prefix, body)
    assume(code[pos] != code[pos + 1])
    swapped = code[:pos] + code[pos + 1] + code[pos] + code[pos + 2:]
    assume(not is_valid_credit_code(swapped) and not is_valid_resident_id(swapped))
    check = classify_tax_id(swapped, today=TODAY)
    if check.severity is Severity.WARNING:
        assert {pos + 1, pos + 2} <= set(check.positions)
        assert f"第 {pos + 1}、{pos + 2} 位" in check.message_zh


@given(credit_prefixes, credit_bodies,
       st.dictionaries(st.integers(0, 17), st.sampled_from("IOSVZ"), min_size=1, max_size=4))
def test_every_letter_a_code_never_holds_is_named(prefix: str, body: str,
                                                   wrong: dict[int, str]) -> None:
    code = list(make_credit_code(prefix, body))
    for pos, ch in wrong.items():
        code[pos] = ch
    check = classify_tax_id("".join(code), today=TODAY)
    assert check.severity is Severity.ERROR
    assert check.positions == tuple(sorted(p + 1 for p in wrong))
    for pos, ch in wrong.items():
        assert f"第 {pos + 1} 位的“{ch}”" in check.message_zh
        assert f"position {pos + 1} '{ch}'".lower() in check.message_en.lower()
