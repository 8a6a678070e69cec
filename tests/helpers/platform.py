"""Helpers for the issuing-platform tests: sample requests, a settable clock, a loopback server.

``platform_under_test("sandbox" | "remote" | "nuonuo", folder)`` gives the same
:class:`PlatformUnderTest` shape for every gateway, so one contract suite runs
against the in-process sandbox, against RemoteGateway talking to a real
``SandboxServer`` on 127.0.0.1 (port 0), and against NuonuoGateway talking to
the fake Nuonuo platform (``tests/helpers/fake_nuonuo.py``) over the same
sandbox. In each case the backing ``SandboxPlatform`` is reachable
(``put.sandbox``) to move its clock or set its faults, and a server runs so
download URLs can be fetched with plain urllib.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Protocol

from kiosk.model import Buyer, BuyerType, InvoiceKind, InvoiceRequest, OrderLine, Seller
from kiosk.platform.gateway import IssuingGateway
from kiosk.platform.remote import RemoteGateway
from kiosk.platform.sandbox import PLATFORM_TZ, SandboxPlatform
from kiosk.platform.server import SandboxServer

D = Decimal
SELLER = Seller("北京示例科技有限公司", "91110108MA01ABCD2X", "北京市海淀区中关村大街1号",
                "010-62345678", "中国工商银行北京中关村支行", "0200001234567890123")
COMPANY = Buyer(BuyerType.COMPANY, "厦门示例贸易有限公司", "91350200776049653A")
PERSON = Buyer(BuyerType.PERSON, "个人")
APP_KEY = "test-kiosk"
APP_SECRET = "test-secret-0123456789"
KEYS = {APP_KEY: APP_SECRET}
START = dt.datetime(2026, 3, 10, 10, 0, tzinfo=PLATFORM_TZ)


class MutableClock:
    """A clock the test moves by hand (thread-safe reads)."""

    def __init__(self, at: dt.datetime = START) -> None:
        self._at = at
        self._lock = threading.Lock()

    def __call__(self) -> dt.datetime:
        with self._lock:
            return self._at

    def advance(self, **delta: float) -> dt.datetime:
        with self._lock:
            self._at += dt.timedelta(**delta)
            return self._at

    def set(self, at: dt.datetime) -> None:
        with self._lock:
            self._at = at


def meal(amount: str = "113.00", name: str = "餐费", quantity: str = "1") -> OrderLine:
    """A catering line at 6 % (price-inclusive)."""
    q = D(quantity)
    return OrderLine(name, "餐饮服务", "3070401000000000000", q, D(amount) / q, D(amount), D("0.06"))


def goods(amount: str = "113.00", name: str = "打印纸", quantity: str = "1") -> OrderLine:
    """A goods line at 13 % (price-inclusive)."""
    q = D(quantity)
    return OrderLine(name, "纸制品", "1060106000000000000", q, D(amount) / q, D(amount), D("0.13"),
                     unit="包")


def make_request(
    *order_nos: str,
    lines: Sequence[OrderLine] | None = None,
    buyer: Buyer = COMPANY,
    kind: InvoiceKind = InvoiceKind.NORMAL,
    request_id: str | None = None,
) -> InvoiceRequest:
    orders = order_nos or ("ORD-1",)
    return InvoiceRequest(
        request_id="RQ-" + "-".join(orders) if request_id is None else request_id,
        order_nos=tuple(orders),
        buyer=buyer,
        kind=kind,
        lines=tuple(lines if lines is not None else (meal(),)),
        drawer="自助终端",
    )


def make_sandbox(folder: Path, clock: MutableClock, quota: str = "100000.00",
                 name: str = "sandbox.db") -> SandboxPlatform:
    return SandboxPlatform(folder / name, SELLER, monthly_quota=D(quota), clock=clock,
                           download_base_url="http://placeholder.invalid")


@contextlib.contextmanager
def running_server(platform: SandboxPlatform, *, faults_admin: bool = False,
                   port: int = 0) -> Iterator[SandboxServer]:
    """A SandboxServer on 127.0.0.1 in a thread; download URLs point at it; stopped on exit."""
    server = SandboxServer(("127.0.0.1", port), platform, KEYS, faults_admin=faults_admin)
    platform.download_base_url = server.base_url
    server.start(poll_interval=0.02)
    try:
        yield server
    finally:
        server.stop()


def remote_for(server: SandboxServer, *, timeout_s: float = 5.0, retries: int = 2) -> RemoteGateway:
    return RemoteGateway(server.base_url, APP_KEY, APP_SECRET, timeout_s, retries, backoff_s=0.0)


class _Served(Protocol):
    @property
    def base_url(self) -> str: ...


@dataclass
class PlatformUnderTest:
    kind: str
    gateway: IssuingGateway
    sandbox: SandboxPlatform
    clock: MutableClock
    server: _Served  # SandboxServer, FakeNuonuo for "nuonuo", FakeBaiwang for "baiwang"


@contextlib.contextmanager
def platform_under_test(kind: str, folder: Path, quota: str = "100000.00") -> Iterator[PlatformUnderTest]:
    clock = MutableClock()
    sandbox = make_sandbox(folder, clock, quota)
    try:
        if kind == "nuonuo":
            from tests.helpers.fake_nuonuo import gateway_for, running_fake

            with running_fake(sandbox) as fake:
                yield PlatformUnderTest(kind, gateway_for(fake, folder / "kiosk"), sandbox, clock,
                                        fake)
            return
        if kind == "baiwang":
            from tests.helpers import fake_baiwang

            with fake_baiwang.running_fake(sandbox) as bw:
                gw = fake_baiwang.gateway_for(bw, folder / "kiosk")
                try:
                    yield PlatformUnderTest(kind, gw, sandbox, clock, bw)
                finally:
                    gw.close()
            return
        with running_server(sandbox) as server:
            gateway: IssuingGateway = sandbox if kind == "sandbox" else remote_for(server)
            yield PlatformUnderTest(kind, gateway, sandbox, clock, server)
    finally:
        sandbox.close()


def count_invoices(platform: SandboxPlatform) -> int:
    with platform._db() as db:
        return int(db.conn.execute("SELECT count(*) FROM invoices").fetchone()[0])
