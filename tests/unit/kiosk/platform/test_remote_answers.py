"""Platform answers pass the same text rule as user input (issue 15, item 9 / item 10).

A remote platform is outside the kiosk's trust boundary: its invoice, form and
error answers are checked by :mod:`kiosk.platform.answers` before they reach
the printer, the database or the documents. Each test talks HTTP to a real
loopback server (``tests/helpers/hostile.py``) that answers what the test sets.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk.issuing import IssuingService
from kiosk.model import RequestStatus
from kiosk.platform.answers import BadAnswer
from kiosk.platform.codec import to_data
from kiosk.platform.gateway import PlatformError, PlatformRejected, PlatformTimeout
from kiosk.platform.remote import RemoteGateway
from kiosk.storage import open_database
from tests.helpers.hostile import HostilePlatform, hostile_platform
from tests.helpers.invoices import SELLER_TAX_ID, sample_invoice, sample_request


@pytest.fixture(scope="module")
def hostile() -> Iterator[HostilePlatform]:
    with hostile_platform() as platform:
        yield platform


def gateway(platform: HostilePlatform) -> RemoteGateway:
    return RemoteGateway(platform.base_url, "k", "s", timeout_s=5.0, retries=0, backoff_s=0.0)


def invoice_answer(**changes: Any) -> dict[str, Any]:
    data = to_data(sample_invoice())
    for path, value in changes.items():
        node = data
        *parents, last = path.split("__")
        for part in parents:
            node = node[int(part)] if isinstance(node, list) else node[part]
        node[last] = value
    return {"invoice": data}


def test_a_clean_invoice_answer_is_accepted(hostile: HostilePlatform) -> None:
    hostile.answer(invoice_answer())
    assert gateway(hostile).get_invoice("x") == sample_invoice()


@pytest.mark.parametrize("change", [
    {"buyer__name": "厦门\x1b@示例"},            # ESC @ resets a printer
    {"seller__name": "北京\x00科技"},            # NUL
    {"lines__0__name": "餐饮\u202e服务"},        # a bidi override
    {"remark": "订单号\u2028SO1"},               # line separator
    {"drawer": "李\x9b收银"},                    # a C1 control (CSI)
    {"number": "26١١٢000000000000001"},          # Arabic-Indic digits in the number
    {"number": "../../etc/passwd"},              # the number becomes a file name
    {"number": ""},
    {"original_number": "1\x1b2"},
    {"download_url": "javascript:alert(1)"},
    {"download_url": "http://x/\x1bd\x05"},
])
def test_an_invoice_breaking_the_text_rule_is_refused(hostile: HostilePlatform,
                                                      change: dict[str, Any]) -> None:
    hostile.answer(invoice_answer(**change))
    gw = gateway(hostile)
    for call in (lambda: gw.get_invoice("1"), lambda: gw.query_request("r"),
                 lambda: gw.query_order("o"), lambda: gw.issue(sample_request())):
        with pytest.raises(BadAnswer):
            call()


def test_error_messages_from_the_platform_are_cleaned(hostile: HostilePlatform) -> None:
    hostile.answer({"error": {"type": "PlatformRejected", "code": "R\x1bX",
                              "message_zh": "拒绝\x1b@\x00" + "长" * 1000, "message_en": "no\u202e",
                              "errors": [{"code": "E\x07", "message_zh": "名称\x1b!\x30错",
                                          "field": "buyer\x00.name"}]}}, status=400)
    with pytest.raises(PlatformRejected) as caught:
        gateway(hostile).issue(sample_request())
    err = caught.value
    texts = [err.code, err.message_zh, err.message_en, *(
        t for e in err.errors for t in (e.code, e.message_zh, e.message_en, e.field))]
    assert all(t.isprintable() for t in texts), texts
    assert len(err.message_zh) <= 300


def test_garbage_numbers_and_documents_are_typed_errors(hostile: HostilePlatform) -> None:
    gw = gateway(hostile)
    for quota in ("abc", "Infinity", "NaN", None, [], {"a": 1}, True):
        hostile.answer({"remaining": quota})
        with pytest.raises(BadAnswer):
            gw.remaining_quota()
    hostile.answer({"ok": True, "quota": "sNaN"})
    assert gw.health().ok is False
    hostile.answer({"ok": True, "message": "fine\x1b@"})
    assert gw.health().message == "fine@"
    hostile.answer({"number": "1", "pdf": "@@not base64@@", "xml": ""})
    with pytest.raises(BadAnswer):
        gw.documents("1")
    hostile.answer({"number": "2", "pdf": "", "xml": ""})
    with pytest.raises(BadAnswer):  # the documents of another invoice
        gw.documents("1")
    hostile.answer({"error": {"type": "QuotaExceeded", "remaining": "lots", "requested": 1}},
                   status=403)
    with pytest.raises(PlatformError):
        gw.remaining_quota()
    hostile.answer(b"[" * 100_000 + b"]" * 100_000)  # nested too deeply for json.loads
    with pytest.raises(PlatformTimeout):
        gw.issue(sample_request())


def test_issuing_stores_nothing_a_bad_answer_carries(hostile: HostilePlatform,
                                                     tmp_path: Path) -> None:
    """The invoice answer holds ESC in the buyer's name: nothing stored, nothing printed,
    the request stays unfinished (queried again before anything is sent again)."""
    hostile.answer(invoice_answer(buyer__name="厦门\x1b@示例"))
    db = open_database(tmp_path / "kiosk.db")
    try:
        service = IssuingService(db, gateway(hostile), seller_tax_id=SELLER_TAX_ID,
                                 documents_dir=tmp_path / "documents",
                                 clock=lambda: dt.datetime(2026, 3, 15, 10, tzinfo=dt.UTC))
        outcome = service.issue(sample_request())
        assert outcome.invoice is None
        entry = service.entry(outcome.request_id)
        assert entry is not None
        assert entry.status in (RequestStatus.PENDING, RequestStatus.UNKNOWN)
        assert service.find_invoice_for_order(sample_request().order_nos[0]) is None
        assert not (tmp_path / "documents").exists() or not any((tmp_path / "documents").iterdir())
    finally:
        db.close()


# --- fuzz: whatever the platform answers, a value or a PlatformError ------------------------

json_leaf = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(),
                      st.text(max_size=30))
json_values = st.recursive(json_leaf, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=12), inner, max_size=4)),
    max_leaves=20)


def _mutated_invoice(draw: st.DrawFn) -> dict[str, Any]:
    answer = invoice_answer()
    inv = answer["invoice"]
    key = draw(st.sampled_from(sorted(inv)))
    inv[key] = draw(json_values | st.text())
    return answer


mutated_invoices = st.composite(_mutated_invoice)()
answers = st.one_of(
    json_values,
    st.builds(lambda v: {"invoice": v}, json_values),
    mutated_invoices,
    st.builds(lambda v: {"error": v}, st.dictionaries(
        st.sampled_from(["type", "code", "message_zh", "message_en", "errors", "remaining",
                         "requested", "invoice_number", "order_no", "form_number"]),
        json_values | st.sampled_from(["PlatformRejected", "QuotaExceeded",
                                       "OrderAlreadyInvoiced", "RedFormStateError"]))),
    st.binary(max_size=64),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(answer=answers, status=st.sampled_from([200, 200, 400, 404, 409, 500, 503]),
       call=st.sampled_from(["issue", "query_request", "query_order", "get_invoice",
                             "list_invoices", "remaining_quota", "file_red_form",
                             "confirm_red_form", "query_red_form", "issue_red_invoice",
                             "documents", "health"]))
def test_fuzz_platform_answers_give_values_or_platform_errors(
        hostile: HostilePlatform, answer: Any, status: int, call: str) -> None:
    hostile.answer(answer if isinstance(answer, bytes) else answer, status=status)
    gw = gateway(hostile)
    args: dict[str, tuple[Any, ...]] = {
        "issue": (sample_request(),), "list_invoices": (dt.date(2026, 3, 15),),
        "remaining_quota": (), "health": (), "file_red_form": ("1", "01", "tech")}
    try:
        result = getattr(gw, call)(*args.get(call, ("1",)))
    except PlatformError:
        return
    for invoice in result if isinstance(result, list) else [result]:
        if dataclasses.is_dataclass(invoice) and hasattr(invoice, "number"):
            assert invoice.number.isascii() and invoice.number.isalnum()
