"""Credit codes, resident ID numbers and buyer tax-ID classification (kiosk.rules)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
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
    assert check.position == 17 and "17" in check.message_en


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
    assert check.position == 16
    assert "'S' at position 16" in check.message_en and "第 16 位" in check.message_zh


def test_failed_check_is_a_loud_warning_not_a_pass() -> None:
    check = classify_tax_id("91350200776049653B")
    assert check.needs_confirmation and not check.ok
    assert "confirm" in check.message_en and "确认" in check.message_zh
