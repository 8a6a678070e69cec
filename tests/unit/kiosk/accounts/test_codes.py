"""Verification codes: lifetime, single use, tries, throttling, hashing; an injected clock."""

from __future__ import annotations

import logging

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk.accounts import CodeError, CodePurpose
from kiosk.accounts.codes import VerificationCodes, normalise_destination

from .conftest import T0, Clock

PHONE = "13800000000"


@pytest.fixture()
def codes(db, clock: Clock) -> VerificationCodes:
    return VerificationCodes(db, clock=clock)


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


def test_code_is_six_digits_and_accepted_once(codes: VerificationCodes) -> None:
    code = codes.issue(PHONE, CodePurpose.LOGIN)
    assert len(code) == 6 and code.isdigit()
    codes.check(PHONE, CodePurpose.LOGIN, code)
    with pytest.raises(CodeError) as again:
        codes.check(PHONE, CodePurpose.LOGIN, code)
    assert again.value.reason == "no_code"


@pytest.mark.parametrize(("seconds", "reason"), [(299, None), (300, "expired"), (3600, "expired")])
def test_code_lives_five_minutes(codes: VerificationCodes, clock: Clock, seconds: int,
                                 reason: str | None) -> None:
    code = codes.issue(PHONE, CodePurpose.LOGIN)
    clock.advance(seconds=seconds)
    if reason is None:
        codes.check(PHONE, CodePurpose.LOGIN, code)
    else:
        with pytest.raises(CodeError) as err:
            codes.check(PHONE, CodePurpose.LOGIN, code)
        assert err.value.reason == reason and "过期" in err.value.message_zh


def test_five_wrong_tries_kill_the_code(codes: VerificationCodes) -> None:
    code = codes.issue(PHONE, CodePurpose.REGISTER)
    for left in (4, 3, 2, 1):
        with pytest.raises(CodeError) as err:
            codes.check(PHONE, CodePurpose.REGISTER, wrong(code))
        assert (err.value.reason, err.value.tries_left) == ("wrong", left)
    with pytest.raises(CodeError) as fifth:
        codes.check(PHONE, CodePurpose.REGISTER, wrong(code))
    assert fifth.value.reason == "no_tries"
    with pytest.raises(CodeError) as right_too_late:
        codes.check(PHONE, CodePurpose.REGISTER, code)
    assert right_too_late.value.reason == "no_code"


def test_code_is_bound_to_destination_and_purpose(codes: VerificationCodes) -> None:
    code = codes.issue(PHONE, CodePurpose.LOGIN)
    with pytest.raises(CodeError):
        codes.check("13900000000", CodePurpose.LOGIN, code)
    with pytest.raises(CodeError):
        codes.check(PHONE, CodePurpose.RESET, code)
    codes.check("+86 138-0000-0000", CodePurpose.LOGIN, code)  # the same number, written otherwise


THROTTLE = [
    # (seconds since the previous code, refused with)
    (0, "too_soon"),
    (59, "too_soon"),
    (60, None),
]


@pytest.mark.parametrize(("gap", "reason"), THROTTLE)
def test_a_new_code_at_most_every_60_s(codes: VerificationCodes, clock: Clock, gap: int,
                                       reason: str | None) -> None:
    codes.issue(PHONE, CodePurpose.LOGIN)
    clock.advance(seconds=gap)
    if reason is None:
        codes.issue(PHONE, CodePurpose.RESET)
    else:
        with pytest.raises(CodeError) as err:
            codes.issue(PHONE, CodePurpose.RESET)  # across purposes too
        assert err.value.reason == reason and err.value.retry_after_s == 60 - gap


def test_ten_codes_a_day_per_number(codes: VerificationCodes, clock: Clock) -> None:
    for _ in range(10):
        codes.issue(PHONE, CodePurpose.LOGIN)
        clock.advance(minutes=2)
    with pytest.raises(CodeError) as err:
        codes.issue(PHONE, CodePurpose.LOGIN)
    assert err.value.reason == "daily_limit"
    codes.issue("13900000000", CodePurpose.LOGIN)  # another number is not affected
    clock.advance(hours=24)  # a rolling day: the first codes have aged out
    codes.issue(PHONE, CodePurpose.LOGIN)


def test_a_new_code_replaces_the_older_one(codes: VerificationCodes, clock: Clock) -> None:
    old = codes.issue(PHONE, CodePurpose.LOGIN)
    clock.advance(seconds=61)
    new = codes.issue(PHONE, CodePurpose.LOGIN)
    if old != new:
        with pytest.raises(CodeError):
            codes.check(PHONE, CodePurpose.LOGIN, old)
    codes.check(PHONE, CodePurpose.LOGIN, new)


def test_codes_are_stored_hashed_and_never_logged(codes: VerificationCodes, db,
                                                  caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    code = codes.issue(PHONE, CodePurpose.LOGIN)
    with pytest.raises(CodeError):
        codes.check(PHONE, CodePurpose.LOGIN, wrong(code))
    codes.check(PHONE, CodePurpose.LOGIN, code)
    dump = "\n".join(db.conn.iterdump())
    assert code not in dump and PHONE not in dump
    logged = caplog.text + " ".join(str(r.__dict__) for r in caplog.records)
    assert code not in logged and PHONE not in logged and "138****0000" in logged


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(typed=st.text(max_size=8) | st.from_regex(r"[0-9]{6}", fullmatch=True))
def test_only_the_issued_code_is_accepted(db, typed: str) -> None:
    codes = VerificationCodes(db, clock=Clock(T0))
    with db.conn:  # each example starts with no codes (the fixture is shared)
        db.execute("DELETE FROM verification_codes")
    code = codes.issue(PHONE, CodePurpose.LOGIN)
    dest = PHONE
    if typed.strip() == code:
        codes.check(dest, CodePurpose.LOGIN, typed)
    else:
        with pytest.raises(CodeError):
            codes.check(dest, CodePurpose.LOGIN, typed)


@given(st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True))
def test_destination_forms_normalise_alike(phone: str) -> None:
    spaced = f"+86 {phone[:3]} {phone[3:7]} {phone[7:]}"
    assert normalise_destination(spaced) == normalise_destination(phone) == phone
