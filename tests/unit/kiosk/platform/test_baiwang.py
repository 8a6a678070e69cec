"""BaiwangGateway against the fake Baiwang platform: signing, tokens, exactly once, files.

Real HTTP on loopback; the fake checks every signature, token and field the
way the provider does. The sandbox behind it is the provider's truth.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.platform.baiwang import ISSUE, QUERY, BaiwangGateway
from kiosk.platform.baiwang_client import BaiwangAuthError
from kiosk.platform.baiwang_fake import FakeBaiwang
from kiosk.platform.baiwang_mapping import issue_data
from kiosk.platform.baiwang_sign import password_digest, sign, string_to_sign
from kiosk.platform.gateway import (
    OperatorActionNeeded,
    PlatformError,
    PlatformRejected,
    PlatformTimeout,
    PlatformUnavailable,
)
from tests.helpers.fake_baiwang import client_for, gateway_for, running_fake
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


@pytest.fixture()
def fake(tmp_path: Path) -> Iterator[FakeBaiwang]:
    sandbox = make_sandbox(tmp_path, MutableClock())
    try:
        with running_fake(sandbox) as server:
            yield server
    finally:
        sandbox.close()


@pytest.fixture()
def gw(fake: FakeBaiwang, tmp_path: Path) -> Iterator[BaiwangGateway]:
    g = gateway_for(fake, tmp_path / "kiosk")
    yield g
    g.close()


# --- signing ----------------------------------------------------------------------------


def test_signature_is_upper_md5_of_secret_sorted_nonempty_params_body_secret() -> None:
    params = {"timestamp": "1", "method": "m", "appKey": "k", "token": "", "sign": "X"}
    body = '{"a":"中文"}'
    assert string_to_sign("s", params, body) == 's' + 'appKeyk' + 'methodm' + 'timestamp1' + body + 's'
    # computed independently: printf '%s' 'sappKeykmethodmtimestamp1{"a":"中文"}s' | md5sum
    assert sign("s", params, body) == "5E325D4A9E0A24FF8FDE2D9A5D22A538"


def test_password_is_sent_as_sha256_of_password_and_salt() -> None:
    # computed independently: printf '%s' 'pwsalt' | sha256sum
    assert password_digest("pw", "salt") == \
        "fe5002e3a1ba48a982f7c31fec72065d1b451547ce2290a766ba477bfec32182"


def test_issue_data_uses_decimal_strings_and_the_provider_fields() -> None:
    request = make_request("B1", lines=[meal("113.00"), goods("10.00")], buyer=PERSON)
    data = issue_data(request, SELLER, "SERIAL0000000000001", drawer="张三",
                      at=__import__("datetime").datetime(2026, 1, 5, 9, 30,
                                                         tzinfo=__import__("datetime").UTC))
    assert data["serialNo"] == "SERIAL0000000000001" and data["invoiceTypeCode"] == "02"
    assert data["naturalPersonFlag"] == "1" and data["orderDateTime"] == "2026-01-05 17:30:00"
    first = data["invoiceDetailsList"][0]
    assert first["goodsTotalPrice"] == "106.60" and first["goodsTotalTax"] == "6.40"
    assert all(isinstance(v, str) for d in data["invoiceDetailsList"] for v in d.values())
    assert data["invoiceTotalPriceTax"] == "123.00"


# --- issuing ----------------------------------------------------------------------------


def test_issue_returns_the_provider_s_invoice_and_its_official_files(
        fake: FakeBaiwang, gw: BaiwangGateway) -> None:
    inv = gw.issue(make_request("B1", lines=[meal("113.00"), goods("10.00")]))
    assert fake.platform.get_invoice(inv.number) is not None
    assert inv.total == fake.platform.get_invoice(inv.number).total  # type: ignore[union-attr]
    assert gw.query_request("RQ-B1") == inv and gw.query_order("B1") == inv
    files = gw.official_files(inv.number)
    assert files["pdf"].read_bytes().startswith(b"%PDF")
    assert files["ofd"].read_bytes().startswith(b"PK")
    docs = gw.documents(inv.number)
    assert docs.ofd == files["ofd"].read_bytes() and inv.number.encode() in docs.xml
    assert fake.state.bad_signatures == 0 and len(fake.state.token_calls) == 1


def test_the_same_request_is_issued_once(fake: FakeBaiwang, gw: BaiwangGateway) -> None:
    first = gw.issue(make_request("B1"))
    assert gw.issue(make_request("B1")) == first
    assert fake.issue_results() == ["ok"] and count_invoices(fake.platform) == 1


def test_a_lost_answer_is_queried_first_and_never_sent_again(fake: FakeBaiwang,
                                                              gw: BaiwangGateway) -> None:
    fake.lose_next(ISSUE)  # processed, answer dropped
    with pytest.raises(PlatformTimeout):
        gw.issue(make_request("B1"))
    inv = gw.issue(make_request("B1"))
    assert fake.issue_results() == ["ok"]  # the retry asked, it did not send
    assert fake.state.calls[QUERY] >= 1 and count_invoices(fake.platform) == 1
    assert gw.get_invoice(inv.number) == inv


def test_a_request_that_never_arrived_is_sent_again_with_the_same_serial(
        fake: FakeBaiwang, gw: BaiwangGateway) -> None:
    fake.lose_next(ISSUE, process=False)
    with pytest.raises(PlatformTimeout):
        gw.issue(make_request("B1"))
    gw.issue(make_request("B1"))
    serials = [s for s, _ in fake.state.issues]
    assert len(serials) == 2 and len(set(serials)) == 1  # the same serialNo, sent again
    assert fake.issue_results() == ["lost", "ok"] and count_invoices(fake.platform) == 1


def test_a_duplicate_serial_answer_is_read_back(fake: FakeBaiwang, gw: BaiwangGateway) -> None:
    fake.answer_next(ISSUE, "200004", "开票流水号重复", process=True)  # issued, then "duplicate"
    inv = gw.issue(make_request("B1"))
    assert fake.platform.get_invoice(inv.number) is not None and count_invoices(fake.platform) == 1


def test_a_provider_error_keeps_the_serial_and_a_refusal_takes_a_new_one(
        fake: FakeBaiwang, gw: BaiwangGateway) -> None:
    fake.answer_next(ISSUE, "999999", "系统繁忙")
    with pytest.raises(PlatformTimeout):
        gw.issue(make_request("B1"))
    fake.answer_next(ISSUE, "200003", "购方名称不合法")
    with pytest.raises(PlatformRejected) as info:
        gw.issue(make_request("B1"))
    assert "购方名称不合法" in info.value.message_zh
    gw.issue(make_request("B1"))
    serials = [s for s, _ in fake.state.issues]
    assert serials[0] == serials[1] != serials[2]  # new serialNo only after the refusal
    assert count_invoices(fake.platform) == 1


def test_an_unreachable_provider_is_unavailable(tmp_path: Path) -> None:
    from kiosk.platform.baiwang_client import BaiwangClient
    from kiosk.platform.nuonuo_token import TokenStore
    from tests.helpers.smtp import free_port

    client = BaiwangClient(f"http://127.0.0.1:{free_port()}", "k", "s", "u", "p", "x",
                           SELLER.tax_id, TokenStore(tmp_path, "k", provider="baiwang"),
                           timeout_s=2)
    gw = BaiwangGateway(client, SELLER, tmp_path)
    try:
        with pytest.raises(PlatformUnavailable):
            gw.issue(make_request("B1"))
        assert not gw.health().ok
    finally:
        gw.close()


# --- credentials and tokens ---------------------------------------------------------------


def test_a_wrong_secret_is_explained_not_retried(fake: FakeBaiwang, tmp_path: Path) -> None:
    gw = gateway_for(fake, tmp_path / "k2", secret="wrong")
    try:
        with pytest.raises(BaiwangAuthError) as info:
            gw.issue(make_request("B1"))
        assert info.value.code.startswith("platform.baiwang.")
        assert "secret" in info.value.message_en or "token" in info.value.message_en
    finally:
        gw.close()
    assert count_invoices(fake.platform) == 0


def test_one_token_shared_and_one_refetch_when_refused(fake: FakeBaiwang, tmp_path: Path) -> None:
    a = gateway_for(fake, tmp_path / "shared")
    b = gateway_for(fake, tmp_path / "shared")  # another process on the same data folder
    try:
        a.issue(make_request("B1"))
        b.issue(make_request("B2"))
        assert len(fake.state.token_calls) == 1
        fake.expire_tokens()
        a.issue(make_request("B3"))
        assert len(fake.state.token_calls) == 2
    finally:
        a.close()
        b.close()


def test_money_as_a_json_number_is_refused_by_the_fake(fake: FakeBaiwang, tmp_path: Path) -> None:
    client = client_for(fake, tmp_path)
    data = issue_data(make_request("B1"), SELLER, "S1", drawer="张三", at=fake.platform.now())
    data["invoiceDetailsList"][0]["goodsPrice"] = 113.0
    answer = client.call(ISSUE, {"taxNo": SELLER.tax_id, "data": data})
    assert not answer.success and "必须为字符串" in answer.reason


# --- the operator session ---------------------------------------------------------------


def test_a_lapsed_clerk_session_stops_issuing_until_health_says_it_is_back(
        fake: FakeBaiwang, tmp_path: Path) -> None:
    now = [0.0]
    gw = BaiwangGateway(client_for(fake, tmp_path), SELLER, tmp_path, drawer="张三",
                        clock=lambda: fake.platform.now(), session_clock=lambda: now[0],
                        session_recheck_s=60)
    try:
        fake.lapse_operator_session()
        with pytest.raises(OperatorActionNeeded) as info:
            gw.issue(make_request("B1"))
        assert info.value.code == "platform.baiwang.operator_session"
        assert "暂停服务" in info.value.message_zh
        assert not gw.health().ok
        other = BaiwangGateway(client_for(fake, tmp_path), SELLER, tmp_path,  # kiosk doctor
                               session_clock=lambda: now[0], session_recheck_s=60)
        try:
            health = other.health()  # another process sees it too, with what to do
            assert not health.ok and "sign in to Baiwang" in health.message
        finally:
            other.close()
        fake.lapse_operator_session(False)
        now[0] = 60
        assert gw.health().ok
        gw.issue(make_request("B1"))
        assert count_invoices(fake.platform) == 1
    finally:
        gw.close()


def test_red_letters_are_not_built_and_say_so(gw: BaiwangGateway) -> None:
    from kiosk.model import RedReason

    with pytest.raises(PlatformError) as info:
        gw.file_red_form("1" * 20, RedReason.ISSUED_IN_ERROR, "seller")
    assert info.value.code == "platform.baiwang.not_built"


# --- selected by configuration --------------------------------------------------------------


def test_backend_baiwang_is_built_from_its_config_table(fake: FakeBaiwang, tmp_path: Path) -> None:
    from kiosk.config import config_from_dict, secret_file_problems
    from kiosk.platform.factory import build_gateway
    from kiosk.platform.gateway import IssuingGateway
    from tests.helpers.fake_baiwang import BW_KEY, BW_PASSWORD, BW_SALT, BW_SECRET, BW_USER

    for name, value in (("bw.secret", BW_SECRET), ("bw.password", BW_PASSWORD)):
        (tmp_path / name).write_text(value + "\n", encoding="utf-8")
        (tmp_path / name).chmod(0o600)
    cfg = config_from_dict({
        "storage": {"data_dir": str(tmp_path / "data")},
        "seller": {"name": SELLER.name, "tax_id": SELLER.tax_id},
        "platform": {"backend": "baiwang", "baiwang": {
            "base_url": fake.base_url, "app_key": BW_KEY, "app_secret_file": "bw.secret",
            "username": BW_USER, "password_file": "bw.password", "salt": BW_SALT,
            "timeout_s": 5.0}}}, base_dir=tmp_path)
    assert secret_file_problems(cfg) == []
    gw = build_gateway(cfg)
    try:
        assert isinstance(gw, BaiwangGateway) and isinstance(gw, IssuingGateway)
        assert BW_SECRET not in repr(gw) and BW_PASSWORD not in repr(gw)
        inv = gw.issue(make_request("CF1"))
        assert fake.platform.get_invoice(inv.number) is not None
    finally:
        gw.close()  # type: ignore[attr-defined]
    (tmp_path / "bw.password").chmod(0o644)
    [problem] = secret_file_problems(cfg)
    assert "platform.baiwang.password_file" in problem and "chmod 600" in problem
