"""NuonuoGateway against the fake Nuonuo platform: exactly once, polling, tokens, refusals.

Real HTTP on loopback; the fake checks every signature and token and scripts
the provider's statuses and faults. The sandbox behind it is the provider's
truth (numbers, what was issued).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from kiosk.platform.gateway import (
    PlatformError,
    PlatformRejected,
    PlatformTimeout,
    PlatformUnavailable,
    QuotaExceeded,
)
from kiosk.platform.nuonuo import BILLING, QUERY, REINVOICE, NuonuoGateway
from kiosk.platform.nuonuo_errors import NuonuoAuthError, OperatorSessionLapsed
from kiosk.platform.nuonuo_fake import FakeNuonuo
from kiosk.platform.nuonuo_mapping import billing_content, order_no_for
from kiosk.platform.nuonuo_token import TokenStore
from tests.helpers.fake_nuonuo import NN_KEY, client_for, gateway_for, running_fake
from tests.helpers.platform import (
    PERSON,
    SELLER,
    MutableClock,
    count_invoices,
    goods,
    make_request,
    make_sandbox,
    meal,
)

REPO = Path(__file__).resolve().parents[4]


@pytest.fixture()
def fake(tmp_path: Path) -> Iterator[FakeNuonuo]:
    sandbox = make_sandbox(tmp_path, MutableClock())
    try:
        with running_fake(sandbox) as server:
            yield server
    finally:
        sandbox.close()


@pytest.fixture()
def gw(fake: FakeNuonuo, tmp_path: Path) -> NuonuoGateway:
    return gateway_for(fake, tmp_path / "kiosk")


def order_nos_sent(fake: FakeNuonuo) -> list[str]:
    return [order_no for order_no, _ in fake.state.billing]


# --- mapping ----------------------------------------------------------------------------


def test_order_no_is_deterministic_short_and_changes_per_attempt() -> None:
    a1, a2 = order_no_for("RQ-1", 1), order_no_for("RQ-1", 2)
    assert a1 == order_no_for("RQ-1", 1) and a1 != a2 and a1[:17] == a2[:17]
    assert len(a1) == 20 and a1.isalnum() and a1 != order_no_for("RQ-2", 1)


def test_billing_content_uses_decimal_strings_and_the_provider_fields() -> None:
    import datetime as dt

    request = make_request("M1", lines=[meal("113.00"), goods("226.00", quantity="2")],
                           buyer=PERSON)
    order = billing_content(request, SELLER, "X" * 20, clerk="张三", extension_number="",
                            at=dt.datetime(2026, 3, 10, 2, 0, tzinfo=dt.UTC))["order"]
    assert order["invoiceDate"] == "2026-03-10 10:00:00"  # Beijing time
    assert (order["pushMode"], order["invoiceType"], order["invoiceLine"],
            order["naturalPersonFlag"]) == ("-1", "1", "pc", "1")
    first, second = order["invoiceDetail"]
    assert first["goodsName"] == "*餐饮服务*餐费" and first["goodsCode"] == "3070401000000000000"
    assert (first["taxExcludedAmount"], first["tax"], first["taxIncludedAmount"]) == (
        "106.60", "6.40", "113.00")
    assert (second["price"], second["num"], second["taxRate"]) == ("113", "2", "0.13")
    text = json.dumps(order)
    assert all(isinstance(v, str) for d in order["invoiceDetail"] for v in d.values()), text


# --- the happy path and polling --------------------------------------------------------


def test_accepted_then_in_progress_then_done(fake: FakeNuonuo, gw: NuonuoGateway) -> None:
    fake.script("20", "21", "21", "2")
    inv = gw.issue(make_request("A1"))
    assert fake.platform.get_invoice(inv.number) is not None
    assert fake.state.calls[BILLING] == 1 and fake.state.calls[QUERY] == 4
    assert gw.issue(make_request("A1")) == inv and fake.state.calls[BILLING] == 1
    assert len(fake.state.token_calls) == 1 and fake.state.bad_signatures == 0


def test_still_in_progress_is_a_timeout_that_keeps_the_order_no(fake: FakeNuonuo,
                                                                tmp_path: Path) -> None:
    gw = gateway_for(fake, tmp_path / "k", max_polls=3)
    fake.script("20", "20", "20", "20", "2")
    with pytest.raises(PlatformTimeout) as info:
        gw.issue(make_request("P1"))
    assert info.value.code == "platform.nuonuo.pending"
    inv = gw.query_request("RQ-P1")  # the next queries see it done
    assert inv is not None and gw.issue(make_request("P1")) == inv
    assert fake.billing_codes() == ["E0000"] and count_invoices(fake.platform) == 1


def test_status_22_is_a_definite_failure_and_the_retry_takes_a_new_order_no(
        fake: FakeNuonuo, gw: NuonuoGateway) -> None:
    fake.script("20", "22")
    with pytest.raises(PlatformRejected) as info:
        gw.issue(make_request("F1"))
    assert info.value.codes == ["NUONUO_STATUS_22"] and "税局校验不通过" in info.value.message_zh
    assert gw.query_request("RQ-F1") is None
    inv = gw.issue(make_request("F1"))
    sent = order_nos_sent(fake)
    assert sent == [order_no_for("RQ-F1", 1), order_no_for("RQ-F1", 2)]
    assert count_invoices(fake.platform) == 1 and inv.order_nos == ("F1",)


def test_seal_failed_is_reinvoiced(fake: FakeNuonuo, gw: NuonuoGateway) -> None:
    fake.script("20", "24")
    inv = gw.issue(make_request("S1"))
    assert fake.state.calls[REINVOICE] == 1 and count_invoices(fake.platform) == 1
    assert inv.number == fake.platform.query_request("NN-" + order_nos_sent(fake)[0]).number


def test_reinvoice_limit_keeps_the_order_and_is_an_open_outcome(fake: FakeNuonuo,
                                                                tmp_path: Path) -> None:
    fake.reinvoice_limit = 0
    gw = gateway_for(fake, tmp_path / "k")
    fake.script("24")
    with pytest.raises(PlatformTimeout) as info:
        gw.issue(make_request("S2"))
    assert info.value.code == "platform.nuonuo.unknown" and "E9613" in info.value.message_en
    assert gw.query_request("RQ-S2") is None  # still 24: not done, not failed
    fake.reinvoice_limit = 20  # the next day
    inv = gw.issue(make_request("S2"))
    assert fake.billing_codes() == ["E0000", "E9106"] and count_invoices(fake.platform) == 1
    assert inv.order_nos == ("S2",)


# --- exactly once ------------------------------------------------------------------------


def test_lost_answer_then_retry_is_answered_e9106_and_queried(fake: FakeNuonuo,
                                                              gw: NuonuoGateway) -> None:
    fake.lose_next(BILLING)
    with pytest.raises(PlatformTimeout):
        gw.issue(make_request("L1"))
    inv = gw.issue(make_request("L1"))
    assert fake.billing_codes() == ["E0000", "E9106"]
    assert len(set(order_nos_sent(fake))) == 1 and count_invoices(fake.platform) == 1
    assert gw.query_order("L1") == inv


@pytest.mark.parametrize("code", ["E9613", "E9999"])
@pytest.mark.parametrize("processed", [False, True])
def test_limited_or_system_error_keeps_the_order_no(fake: FakeNuonuo, gw: NuonuoGateway,
                                                    code: str, processed: bool) -> None:
    fake.answer_next(BILLING, code, "系统繁忙", process=processed)
    with pytest.raises(PlatformTimeout) as info:
        gw.issue(make_request("U1"))
    assert info.value.code == "platform.nuonuo.unknown"
    gw.issue(make_request("U1"))
    assert len(set(order_nos_sent(fake))) == 1 and count_invoices(fake.platform) == 1
    assert fake.billing_codes() == ([code, "E9106"] if processed else [code, "E0000"])


def test_slow_answer_times_out_and_the_retry_does_not_duplicate(fake: FakeNuonuo,
                                                                 tmp_path: Path) -> None:
    gw = gateway_for(fake, tmp_path / "k", timeout_s=0.3)
    fake.delay_next(BILLING, 5.0)
    with pytest.raises(PlatformTimeout):
        gw.issue(make_request("D1"))
    gw.issue(make_request("D1"))
    assert len(set(order_nos_sent(fake))) == 1 and count_invoices(fake.platform) == 1


def test_a_refusal_takes_a_new_order_no_only_next_time(fake: FakeNuonuo,
                                                       gw: NuonuoGateway) -> None:
    fake.answer_next(BILLING, "E9101", "购方名称不合法")
    with pytest.raises(PlatformRejected) as info:
        gw.issue(make_request("R1"))
    assert info.value.codes == ["E9101"] and "购方名称不合法" in info.value.message_zh
    gw.issue(make_request("R1"))
    assert order_nos_sent(fake) == [order_no_for("RQ-R1", 1), order_no_for("RQ-R1", 2)]


def test_quota_refusal_is_quota_exceeded(fake: FakeNuonuo, gw: NuonuoGateway) -> None:
    with pytest.raises(QuotaExceeded):
        gw.issue(make_request("Q1", lines=[meal("99999.00"), meal("99999.00")]))
    with pytest.raises(PlatformError) as info:
        gw.remaining_quota()
    assert info.value.code == "platform.nuonuo.no_quota_api" and "额度" in info.value.message_zh


def test_unreachable_provider_is_unavailable(tmp_path: Path) -> None:
    from kiosk.platform.nuonuo_client import NuonuoClient

    client = NuonuoClient("http://127.0.0.1:9/open/v1/services", "http://127.0.0.1:9/accessToken",
                          NN_KEY, "s", SELLER.tax_id, TokenStore(tmp_path, NN_KEY), timeout_s=2)
    gw = NuonuoGateway(client, SELLER, tmp_path, poll_seconds=0)
    with pytest.raises(PlatformUnavailable):
        gw.issue(make_request("N1"))
    assert not gw.health().ok


# --- the operator session ---------------------------------------------------------------


def test_lapsed_operator_session_stops_issuing_with_a_clear_code(fake: FakeNuonuo,
                                                                 gw: NuonuoGateway) -> None:
    fake.lapse_operator_session()
    with pytest.raises(OperatorSessionLapsed) as info:
        gw.issue(make_request("O1"))
    assert isinstance(info.value, PlatformUnavailable)
    assert info.value.code == "platform.nuonuo.operator_session"
    assert "暂停服务" in info.value.message_zh and "face verification" in info.value.message_en
    health = gw.health()
    assert not health.ok and "face verification" in health.message
    fake.lapse_operator_session(False)
    gw.issue(make_request("O1"))
    assert gw.health().ok


# --- tokens ---------------------------------------------------------------------------


def test_one_token_for_many_calls_and_one_refetch_when_refused(fake: FakeNuonuo,
                                                               gw: NuonuoGateway) -> None:
    for i in range(3):
        gw.issue(make_request(f"T{i}"))
    assert len(fake.state.token_calls) == 1
    fake.expire_tokens()
    gw.issue(make_request("T9"))
    assert len(fake.state.token_calls) == 2
    stored = TokenStore(gw.folder, NN_KEY).state()
    assert stored.token and len(stored.fetched) == 2
    assert oct(gw.client.tokens.path.stat().st_mode & 0o777) == "0o600"


def test_token_limit_is_explained_not_retried(fake: FakeNuonuo, tmp_path: Path) -> None:
    fake.token_limit = 0
    gw = gateway_for(fake, tmp_path / "k")
    with pytest.raises(NuonuoAuthError) as info:
        gw.issue(make_request("TL"))
    assert info.value.code == "platform.nuonuo.token_limit" and "50" in info.value.message_zh
    assert len(fake.state.token_calls) == 1 and fake.state.calls[BILLING] == 0


def test_the_local_limit_stops_before_the_provider_s(tmp_path: Path) -> None:
    store = TokenStore(tmp_path, "app", clock=lambda: 1_000_000.0, local_limit=2)
    calls = []

    def fetch() -> tuple[str, int]:
        calls.append(1)
        return f"tok{len(calls)}", 0  # expires at once

    store.get(fetch)
    store.get(fetch)
    with pytest.raises(NuonuoAuthError) as info:
        store.get(fetch)
    assert info.value.code == "platform.nuonuo.token_limit_local" and len(calls) == 2


def test_wrong_secret_is_a_bad_signature_explained(fake: FakeNuonuo, tmp_path: Path) -> None:
    gw = gateway_for(fake, tmp_path / "k", secret="not-the-secret")
    with pytest.raises(NuonuoAuthError) as info:
        gw.issue(make_request("W1"))
    assert info.value.code == "platform.nuonuo.app_refused"  # the token call is refused first
    good = gateway_for(fake, tmp_path / "k2")
    good.issue(make_request("W2"))
    bad = client_for(fake, tmp_path / "k2", secret="not-the-secret")  # shares k2's token
    answer_code = None
    try:
        bad.call(QUERY, {"orderNos": ["X"]})
    except NuonuoAuthError as err:
        answer_code = err.code
    assert answer_code == "platform.nuonuo.bad_signature" and fake.state.bad_signatures == 1


_CHILD = """
import sys
from pathlib import Path
from kiosk.platform.nuonuo_client import NuonuoClient
from kiosk.platform.nuonuo_token import TokenStore
gateway, token_url, key, secret, tax, folder = sys.argv[1:7]
client = NuonuoClient(gateway, token_url, key, secret, tax, TokenStore(Path(folder), key))
for _ in range(3):
    print(client.call("nuonuo.OpeMplatform.queryInvoiceResult", {"orderNos": ["NONE"]}).code)
"""


def test_two_processes_share_one_token(fake: FakeNuonuo, tmp_path: Path) -> None:
    from tests.helpers.fake_nuonuo import NN_SECRET, NN_TAX

    env = dict(os.environ, PYTHONPATH=str(REPO))
    argv = [sys.executable, "-c", _CHILD, fake.gateway_url, fake.token_url, NN_KEY, NN_SECRET,
            NN_TAX, str(tmp_path / "shared")]
    procs = [subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True) for _ in range(2)]
    outs = [p.communicate(timeout=60) for p in procs]
    assert all(p.returncode == 0 for p in procs), outs
    assert all(out.split() == ["E9500"] * 3 for out, _ in outs)
    assert len(fake.state.token_calls) == 1


# --- documents ----------------------------------------------------------------------------


def test_official_files_are_downloaded_once(fake: FakeNuonuo, gw: NuonuoGateway) -> None:
    inv = gw.issue(make_request("DOC"))
    files = gw.official_files(inv.number)
    assert sorted(files) == ["ofd", "pdf", "xml"]
    assert files["pdf"].read_bytes().startswith(b"%PDF")
    assert files["pdf"].parent == gw.folder / "nuonuo-documents"
    docs = gw.documents(inv.number)
    assert docs.pdf == files["pdf"].read_bytes() and inv.number.encode() in docs.xml


def test_amount_mismatch_is_flagged(fake: FakeNuonuo, gw: NuonuoGateway,
                                    caplog: pytest.LogCaptureFixture) -> None:
    from kiosk.platform.nuonuo_mapping import amount_mismatch

    inv = gw.issue(make_request("AM"))
    assert amount_mismatch({"exTaxAmount": "106.60", "taxAmount": "6.40",
                            "orderAmount": "113.00"}, inv) is None
    assert amount_mismatch({"orderAmount": "113.01"}, inv) == ("None/None/113.01",
                                                               "106.60/6.40/113.00")
    assert Decimal("113.00") == inv.total


# --- red letters ------------------------------------------------------------------------


def _forms(fake: FakeNuonuo) -> int:
    with fake.platform._db() as db:
        return int(db.conn.execute("SELECT count(*) FROM red_forms").fetchone()[0])


def test_lost_form_answer_is_read_back_by_bill_id(fake: FakeNuonuo, gw: NuonuoGateway) -> None:
    from kiosk.model import RedReason
    from kiosk.platform.nuonuo_red import RED_SAVE

    blue = gw.issue(make_request("RL", buyer=PERSON))
    fake.lose_next(RED_SAVE)
    with pytest.raises(PlatformTimeout):
        gw.file_red_form(blue.number, RedReason.ISSUED_IN_ERROR, "seller")
    form = gw.file_red_form(blue.number, RedReason.ISSUED_IN_ERROR, "seller")  # E9999 申请号重复
    assert _forms(fake) == 1 and form.original_number == blue.number
    assert gw.ledger.forms_of(blue.number) == [form.form_number]


def test_lost_red_invoice_answer_is_found_by_our_order_no(
        fake: FakeNuonuo, gw: NuonuoGateway) -> None:
    from kiosk.model import Colour, RedReason
    from kiosk.platform.nuonuo_red import RED_ISSUE

    blue = gw.issue(make_request("RI", buyer=PERSON))
    form = gw.file_red_form(blue.number, RedReason.GOODS_RETURNED, "seller")
    fake.lose_next(RED_ISSUE)
    with pytest.raises(PlatformTimeout):
        gw.issue_red_invoice(form.form_number)
    red = gw.issue_red_invoice(form.form_number)
    assert red.colour is Colour.RED and red.total == -blue.total
    # the form names the red invoice; it is fetched by our orderNo, not requested again
    assert fake.state.calls[RED_ISSUE] == 1 and gw.issue_red_invoice(form.form_number) == red
    assert gw.query_order("RI") is None  # fully credited
    assert gw.query_red_form(form.form_number).red_invoice_number == red.number


def test_confirming_is_the_counterparty_s_act(fake: FakeNuonuo, gw: NuonuoGateway) -> None:
    from kiosk.model import RedReason

    blue = gw.issue(make_request("RC"))
    form = gw.file_red_form(blue.number, RedReason.ISSUED_IN_ERROR, "seller")
    with pytest.raises(PlatformError) as info:
        gw.confirm_red_form(form.form_number)
    assert info.value.code == "platform.nuonuo.red_action_elsewhere"
    with pytest.raises(Exception) as refused:
        gw.issue_red_invoice(form.form_number)  # 02: not confirmed yet
    assert type(refused.value).__name__ == "RedFormStateError"
    fake.platform.confirm_red_form(form.form_number)  # the buyer, in the bureau
    assert gw.issue_red_invoice(form.form_number).red_form_number == form.form_number


def test_an_order_is_free_again_after_a_full_credit(fake: FakeNuonuo, gw: NuonuoGateway) -> None:
    from kiosk.model import RedReason

    blue = gw.issue(make_request("FR", buyer=PERSON))
    form = gw.file_red_form(blue.number, RedReason.ISSUED_IN_ERROR, "seller")
    gw.issue_red_invoice(form.form_number)
    renewed = gw.issue(make_request("FR", buyer=PERSON, request_id="RQ-FR-2"))
    assert renewed.number != blue.number and gw.query_order("FR") == renewed


def test_red_invoice_request_that_never_arrived_is_resent_under_the_same_order_no(
        fake: FakeNuonuo, gw: NuonuoGateway) -> None:
    from kiosk.model import RedReason
    from kiosk.platform.nuonuo_red import RED_ISSUE

    blue = gw.issue(make_request("RN", buyer=PERSON))
    form = gw.file_red_form(blue.number, RedReason.GOODS_RETURNED, "seller")
    fake.lose_next(RED_ISSUE, process=False)
    with pytest.raises(PlatformTimeout):
        gw.issue_red_invoice(form.form_number)
    red = gw.issue_red_invoice(form.form_number)
    assert fake.state.calls[RED_ISSUE] == 1  # the lost one was never processed
    assert red.red_form_number == form.form_number and red.total == -blue.total
