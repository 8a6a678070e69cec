"""The JSON codec the wire and the sandbox's rows share: exact round trips, loud mismatches."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest

from kiosk.model import (
    Colour,
    Invoice,
    InvoiceKind,
    InvoiceLine,
    InvoiceRequest,
    RedFormStatus,
    RedLetterForm,
    RedReason,
)
from kiosk.platform.codec import CodecError, from_data, to_data
from kiosk.platform.sandbox import PLATFORM_TZ
from tests.helpers.platform import COMPANY, SELLER, goods, make_request, meal

LINE = InvoiceLine("*餐饮服务*餐费", "3070401000000000000", Decimal("1"), Decimal("106.6"),
                   Decimal("106.60"), Decimal("0.06"), Decimal("6.40"))


def test_request_round_trips_exactly_through_json() -> None:
    req = make_request("A", "B", lines=[meal("0.10"), goods("1234567.89", quantity="3")])
    back = from_data(InvoiceRequest, json.loads(json.dumps(to_data(req))))
    assert back == req
    assert to_data(req)["lines"][0]["amount"] == "0.10"  # decimals travel as strings


def test_invoice_and_form_round_trip() -> None:
    at = dt.datetime(2026, 3, 10, 10, 0, 0, 123456, tzinfo=PLATFORM_TZ)
    inv = Invoice("26112000000000000001", InvoiceKind.SPECIAL, Colour.RED, at, SELLER, COMPANY,
                  (LINE,), order_nos=("A",), original_number="x")
    assert from_data(Invoice, json.loads(json.dumps(to_data(inv)))) == inv
    form = RedLetterForm("26112000000000000001", inv.number, RedReason.SALES_ALLOWANCE,
                         RedFormStatus.CONFIRMED, "buyer", at, (LINE,))
    back = from_data(RedLetterForm, to_data(form))
    assert back == form and back.filed_at.utcoffset() == dt.timedelta(hours=8)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"amount": 1.5}, "expected a decimal string"),
        ({"amount": "1,5"}, "not a decimal"),
        ({"rate": True}, "expected a decimal string"),
        ({"name": 7}, "expected str"),
        ({"extra": 1}, "unknown keys"),
    ],
)
def test_mismatches_are_refused(change: dict, message: str) -> None:
    data = {**to_data(LINE), **change}
    with pytest.raises(CodecError, match=message):
        from_data(InvoiceLine, data)


def test_bad_enum_date_and_missing_field() -> None:
    form = to_data(RedLetterForm("1" * 20, "2" * 20, RedReason.ISSUED_IN_ERROR,
                                 RedFormStatus.SELLER_FILED, "seller",
                                 dt.datetime(2026, 1, 1, tzinfo=PLATFORM_TZ)))
    with pytest.raises(CodecError, match="not one of"):
        from_data(RedLetterForm, {**form, "status": "void"})
    # A provider's code outside 01-09 is a void status with its code, not an error (issue 14).
    assert from_data(RedLetterForm, {**form, "status": "10"}).status.is_void
    with pytest.raises(CodecError, match="ISO"):
        from_data(RedLetterForm, {**form, "filed_at": "yesterday"})
    del form["reason"]
    with pytest.raises(CodecError, match="reason"):
        from_data(RedLetterForm, form)
