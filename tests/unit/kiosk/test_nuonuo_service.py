"""The issuing service, the walk-in flow and the pump over the fake Nuonuo platform.

- the buyer's e-mail carries the provider's official OFD beside its PDF and XML;
- a lapsed clerk session (税局登录失效) is its own outcome (``out_of_service``), puts the
  kiosk out of service with the reason, issues nothing behind the walk-in's back, and
  the pump brings the kiosk back when ``gateway.health()`` is ok again.

Real HTTP on loopback (the strict fake checks every signature), real SQLite, a real
SMTP server (aiosmtpd).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from app.core import Core, build_core, pump_on
from drivers.printer import PrinterWorker, build_printer
from kiosk.flow.ports import InlineRunner
from kiosk.flow.states import Screen
from kiosk.issuing import IssueStatus, IssuingService
from kiosk.mail import MailOutbox, SmtpMailer
from kiosk.model import BuyerType, RequestStatus
from kiosk.platform.nuonuo import NuonuoGateway
from kiosk.platform.nuonuo_fake import FakeNuonuo
from kiosk.rules import request_id_for
from tests.helpers.app import make_config
from tests.helpers.fake_nuonuo import gateway_for, running_fake
from tests.helpers.kioskenv import kiosk_db
from tests.helpers.platform import PERSON, SELLER, MutableClock, make_request, make_sandbox
from tests.helpers.smtp import smtp_server


class Ticker:
    """A clock the test moves (the health re-check waits on it, not on time)."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture()
def fake(tmp_path: Path) -> Iterator[FakeNuonuo]:
    sandbox = make_sandbox(tmp_path, MutableClock())
    try:
        with running_fake(sandbox) as server:
            yield server
    finally:
        sandbox.close()


def _gateway(fake: FakeNuonuo, folder: Path, ticker: Ticker) -> NuonuoGateway:
    gw = gateway_for(fake, folder)
    gw.session.recheck_s = 300.0
    gw.session.clock = ticker  # the test's clock
    return gw


def _request(order_no: str, email: str = "") -> Any:
    buyer = dataclasses.replace(PERSON, email=email)
    return make_request(order_no, buyer=buyer,
                        request_id=request_id_for([order_no], SELLER.tax_id))


# --- (c) the official OFD in the e-mail ------------------------------------------------


def test_the_mail_carries_the_provider_s_ofd_beside_pdf_and_xml(fake: FakeNuonuo,
                                                                 tmp_path: Path) -> None:
    gw = _gateway(fake, tmp_path / "nn", Ticker())
    db = kiosk_db(tmp_path / "kiosk.db")
    with smtp_server() as srv:
        mail = MailOutbox(db, SmtpMailer(srv.host, srv.port, security="none", timeout_s=5),
                          sender="kiosk@example.com")
        service = IssuingService(db, gw, seller_tax_id=SELLER.tax_id,
                                 documents_dir=tmp_path / "docs", mailer=mail)
        try:
            outcome = service.issue(_request("M1", "buyer@example.com"))
            assert outcome.status is IssueStatus.ISSUED and outcome.invoice is not None
            report = mail.drain()
            assert report.sent and not report.retry_later
            official = gw.official_files(outcome.invoice.number)
        finally:
            db.close()
            gw.close()
        [msg] = srv.messages
    attached = {part.get_filename(): part.get_content() for part in msg.iter_attachments()}
    number = outcome.invoice.number
    assert set(attached) == {f"{number}.pdf", f"{number}.xml", f"{number}.ofd"}
    for kind in ("pdf", "ofd", "xml"):  # the provider's bytes, not a copy of our own
        assert attached[f"{number}.{kind}"] == official[kind].read_bytes()
    # and the OFD beside the stored XML/PDF is the provider's too
    assert (tmp_path / "docs" / f"{number}.ofd").read_bytes() == official["ofd"].read_bytes()


# --- (b) a lapsed clerk session: out of service ----------------------------------------


def test_a_lapsed_session_is_its_own_outcome_and_issues_nothing_behind_the_walk_in(
        fake: FakeNuonuo, tmp_path: Path) -> None:
    ticker = Ticker()
    gw = _gateway(fake, tmp_path / "nn", ticker)
    db = kiosk_db(tmp_path / "kiosk.db")
    service = IssuingService(db, gw, seller_tax_id=SELLER.tax_id,
                             documents_dir=tmp_path / "docs")
    try:
        fake.lapse_operator_session()
        outcome = service.issue(_request("L1"))
        assert outcome.status is IssueStatus.OUT_OF_SERVICE and outcome.invoice is None
        assert "暂停服务" in outcome.message_zh and "face verification" in outcome.message_en
        entry = service.entry(outcome.request_id)
        assert entry is not None and entry.status is RequestStatus.REJECTED  # withdrawn
        assert not service.pending()
        assert service.resolve_pending(force=True) == []  # nothing goes out later
        assert not gw.health().ok
        ticker.now += 299
        assert not gw.health().ok  # reported until the re-check is due
        fake.lapse_operator_session(False)
        ticker.now += 1
        assert gw.health().ok
        again = service.issue(_request("L1"))  # the person comes back: issued once
        assert again.status is IssueStatus.ISSUED and again.invoice is not None
        assert len([c for c in fake.billing_codes() if c == "E0000"]) == 1
    finally:
        db.close()
        gw.close()


def test_a_request_queued_earlier_stays_queued_when_the_session_lapses(
        fake: FakeNuonuo, tmp_path: Path) -> None:
    import datetime as dt

    gw = _gateway(fake, tmp_path / "nn", Ticker())
    db = kiosk_db(tmp_path / "kiosk.db")
    service = IssuingService(db, gw, seller_tax_id=SELLER.tax_id,
                             documents_dir=tmp_path / "docs")
    try:
        request = _request("Q1")
        service.outbox.record(request, dt.datetime.now(dt.UTC))  # queued (claim slip given)
        fake.lapse_operator_session()
        [outcome] = service.resolve_pending(force=True)
        assert outcome.status is IssueStatus.OUT_OF_SERVICE
        [entry] = service.pending()
        assert entry.status is RequestStatus.PENDING  # still the person's, issued later
        fake.lapse_operator_session(False)
        [done] = service.resolve_pending(force=True)
        assert done.status is IssueStatus.ISSUED
    finally:
        db.close()
        gw.close()


@dataclasses.dataclass
class Rig:
    core: Core
    worker: PrinterWorker

    def close(self) -> None:
        self.worker.stop()
        self.core.close()


@pytest.fixture()
def rig(fake: FakeNuonuo, tmp_path: Path) -> Iterator[tuple[Rig, Ticker]]:
    ticker = Ticker()
    config = make_config(tmp_path / "data", seller={"name": SELLER.name,
                                                      "tax_id": SELLER.tax_id})
    worker = PrinterWorker(build_printer(config.devices.printer)).start()
    gw = _gateway(fake, tmp_path / "data", ticker)
    core = build_core(config, printer=worker, gateway=gw, warm_up=False)
    r = Rig(core, worker)
    yield r, ticker
    r.close()


def _walk_in(core: Core) -> None:
    s = core.session
    order = sorted(core.orders.list(), key=lambda o: o.order_no)[0]
    from kiosk.orderqr import make_order_qr

    s.code_scanned(make_order_qr(order.order_no, order.total, core.config.orders.qr_secret),
                   "scanner")
    s.orders.next()
    assert s.data.buyer.type is BuyerType.PERSON
    s.buyer.next()
    s.review.confirm()


def test_the_walk_in_sees_out_of_service_and_the_pump_brings_the_kiosk_back(
        rig: tuple[Rig, Ticker], fake: FakeNuonuo) -> None:
    r, ticker = rig
    s = r.core.session
    fake.lapse_operator_session()
    _walk_in(r.core)
    assert s.screen is Screen.OUT_OF_SERVICE
    assert s.out_of_service_cause == "platform"
    reason = s.out_of_service_reason
    assert reason is not None and "暂停服务" in reason.zh and "登录" in reason.zh
    assert s.data.request is None and not s.data.lines and not s.data.orders  # data gone
    runner = InlineRunner()
    pump_on(r.core, runner)
    assert s.screen is Screen.OUT_OF_SERVICE  # health still says no
    fake.lapse_operator_session(False)
    ticker.now += 300
    pump_on(r.core, runner)
    assert s.screen is Screen.ATTRACT and s.out_of_service_reason is None
    _walk_in(r.core)
    assert s.screen is Screen.RESULT and s.data.invoice is not None


def test_the_pump_leaves_an_out_of_service_it_did_not_cause(rig: tuple[Rig, Ticker]) -> None:
    r, _ = rig
    s = r.core.session
    from kiosk.messages import Text

    s.out_of_service(Text("配置错误", "configuration error"))
    pump_on(r.core, InlineRunner())
    assert s.screen is Screen.OUT_OF_SERVICE  # the platform is fine, but this is not its doing


def test_the_pump_finding_the_lapse_puts_a_resting_kiosk_out_of_service(
        rig: tuple[Rig, Ticker], fake: FakeNuonuo) -> None:
    import datetime as dt

    r, ticker = rig
    s = r.core.session
    request = _request("PQ1")
    r.core.issuing.outbox.record(request, dt.datetime.now(dt.UTC))  # queued (claim slip given)
    fake.lapse_operator_session()
    assert s.screen is Screen.ATTRACT
    runner = InlineRunner()
    pump_on(r.core, runner)
    assert s.screen is Screen.OUT_OF_SERVICE and s.out_of_service_cause == "platform"
    assert s.out_of_service_reason is not None and "暂停服务" in s.out_of_service_reason.zh
    fake.lapse_operator_session(False)
    ticker.now += 300
    pump_on(r.core, runner)  # health ok: back in service
    assert s.screen is Screen.ATTRACT
    r.core.issuing.resolve_pending(force=True)  # the queued request (its back-off is not due)
    assert r.core.issuing.find_invoice_for_order("PQ1") is not None
    assert s.screen is Screen.ATTRACT


def test_kiosk_doctor_reports_the_lapse_with_what_to_do(fake: FakeNuonuo, tmp_path: Path) -> None:
    from kiosk.doctor import FAIL, check_platform

    ticker = Ticker()
    gw = _gateway(fake, tmp_path / "data", ticker)
    db = kiosk_db(tmp_path / "kiosk.db")
    service = IssuingService(db, gw, seller_tax_id=SELLER.tax_id,
                             documents_dir=tmp_path / "docs")
    try:
        fake.lapse_operator_session()
        assert service.issue(_request("D1")).status is IssueStatus.OUT_OF_SERVICE
    finally:
        db.close()
        gw.close()
    config = make_config(tmp_path / "data")

    def doctor_gateway(_cfg: Any) -> NuonuoGateway:  # `kiosk doctor` is another process
        other = gateway_for(fake, tmp_path / "data")
        other.session.clock = ticker
        return other

    check = check_platform(config, doctor_gateway)
    assert check.status == FAIL
    assert "face verification" in check.detail and "sign in to Nuonuo" in check.detail
