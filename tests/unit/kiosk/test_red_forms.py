"""Red-letter forms as providers publish them: status codes, two-digit reasons, form numbers.

Published sources (read, not copied):

- the 云税平台 前置接口 table of ``hzqrxxzt_dm`` (showdoc.com.cn/2284933012546758/10337829410077563):
  01 无需确认 ... 09 作废(确认后撤销);
- a provider's 红字确认单信息查询 answer (apifox.com/apidoc/shared/f31d5b70-.../doc-3002301),
  whose ``redConfirmStatus`` adds ``10`` beyond the nine (other providers report 10 void and
  11-13), and whose ``redNoteReason`` codes are 1-4 where the tax bureau's are 01-04;
- the form number of a published 红字发票信息确认单, ``11010824091002615708``: county code
  110108 (Beijing Haidian), 2409, then 10 digits.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest

from kiosk.commands.red import form_dict
from kiosk.model import RedFormStatus, RedLetterForm, RedReason
from kiosk.platform.codec import from_data, to_data
from kiosk.platform.sandbox_red import county_of, red_form_number
from tests.helpers.platform import PERSON, SELLER, MutableClock, make_request, make_sandbox

PUBLISHED_FORM = "11010824091002615708"
FORM_SHAPE = re.compile(r"^(\d{6})(\d{2})(0[1-9]|1[0-2])(\d{10})$")  # county, YY, MM, sequence


@pytest.mark.parametrize("code", ["10", "11", "12", "13", "99"])
def test_a_status_outside_01_09_is_void_and_keeps_its_code(code: str) -> None:
    status = RedFormStatus(code)
    assert status.value == code and status.is_void and not status.known
    assert not status.allows_red_invoice
    assert RedFormStatus(code) is status  # one object per code, as for the nine


def test_the_nine_published_statuses_decode_as_before() -> None:
    published = {"01": "无需确认", "02": "销方录入待购方确认", "03": "购方录入待销方确认",
                 "04": "购销双方已确认", "05": "作废(销方录入购方否认)",
                 "06": "作废(购方录入销方否认)", "07": "作废(超72小时未确认)",
                 "08": "作废(发起方已撤销)", "09": "作废(确认后撤销)"}
    for code, words in published.items():
        status = RedFormStatus(code)
        assert status.known
        assert status.is_void == words.startswith("作废")
        assert status.allows_red_invoice == (code in ("01", "04"))


@pytest.mark.parametrize("bad", ["1", "100", "", "A0", "١٠"])
def test_a_status_that_is_no_two_digit_code_is_refused(bad: str) -> None:
    with pytest.raises(ValueError):
        RedFormStatus(bad)


def test_a_form_with_a_provider_void_code_round_trips_through_the_codec() -> None:
    form = RedLetterForm(PUBLISHED_FORM, "24112000000135114086", RedReason.GOODS_RETURNED,
                         RedFormStatus("10"), "seller", dt.datetime(2024, 9, 10, 10, 0))
    back = from_data(RedLetterForm, json.loads(json.dumps(to_data(form))))
    assert back.status.value == "10" and back.status.is_void
    shown = form_dict(back)
    assert shown["status"] == "10" and shown["void"] is True
    assert shown["form_number"] == PUBLISHED_FORM and shown["reason"] == "02"


@pytest.mark.parametrize(("given", "member"), [
    ("01", RedReason.ISSUED_IN_ERROR), ("1", RedReason.ISSUED_IN_ERROR),
    ("02", RedReason.GOODS_RETURNED), ("2", RedReason.GOODS_RETURNED),
    ("03", RedReason.SERVICE_STOPPED), ("3", RedReason.SERVICE_STOPPED),
    ("04", RedReason.SALES_ALLOWANCE), ("4", RedReason.SALES_ALLOWANCE),
])
def test_reasons_are_two_digits_and_one_digit_is_accepted(given: str, member: RedReason) -> None:
    assert RedReason(given) is member and len(member.value) == 2


@pytest.mark.parametrize("bad", ["0", "5", "05", "00", "11"])
def test_other_reasons_are_refused(bad: str) -> None:
    with pytest.raises(ValueError):
        RedReason(bad)


def test_the_published_form_number_has_the_shape_we_generate() -> None:
    m = FORM_SHAPE.fullmatch(PUBLISHED_FORM)
    assert m is not None and m.group(1) == "110108"
    assert red_form_number("110108", dt.datetime(2024, 9, 1), 1002615708) == PUBLISHED_FORM


def test_county_comes_from_the_sellers_credit_code() -> None:
    assert county_of("91110108MA01ABCD2X", "11") == "110108"
    assert county_of("110105194912310", "11") == "110000"  # a 15-character old taxpayer ID


def test_sandbox_forms_are_county_month_sequence_never_an_invoice_number(tmp_path: Path) -> None:
    clock = MutableClock(dt.datetime(2026, 9, 30, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8))))
    sandbox = make_sandbox(tmp_path, clock)
    try:
        numbers, forms = [], []
        for i in range(3):
            blue = sandbox.issue(make_request(f"ORD-{i}", buyer=PERSON))
            numbers.append(blue.number)
            forms.append(sandbox.file_red_form(blue.number, RedReason("1"), "seller"))
            if i == 1:
                clock.advance(days=1)  # into October: the sequence restarts
        for form in forms:
            assert form.reason is RedReason.ISSUED_IN_ERROR
            assert FORM_SHAPE.fullmatch(form.form_number), form.form_number
            assert form.form_number[:6] == SELLER.tax_id[2:8]
            assert form.form_number not in numbers
            assert not form.form_number.startswith(numbers[0][:5])  # not yy+region+channel
        assert [f.form_number for f in forms] == [
            "11010826090000000001", "11010826090000000002", "11010826100000000001"]
        reds = [sandbox.issue_red_invoice(f.form_number) for f in forms]
        assert all(r.red_form_number == f.form_number for r, f in zip(reds, forms, strict=True))
    finally:
        sandbox.close()


def test_the_red_desk_is_composed_not_mixed_in(tmp_path: Path) -> None:
    """Issue 10: no mixin split by file; the desk is an object the sandbox holds."""
    from kiosk.platform.sandbox import SandboxPlatform
    from kiosk.platform.sandbox_red import RedLetterDesk

    assert SandboxPlatform.__mro__ == (SandboxPlatform, object)
    sandbox = make_sandbox(tmp_path, MutableClock())
    try:
        assert isinstance(sandbox.red, RedLetterDesk) and sandbox.red.book is sandbox
    finally:
        sandbox.close()
