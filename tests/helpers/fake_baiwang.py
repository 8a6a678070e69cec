"""The fake Baiwang open platform in tests: start it on loopback, point a BaiwangGateway at it.

The server is :class:`kiosk.platform.baiwang_fake.FakeBaiwang`; this module gives
the tests a running one over a sandbox, and gateways wired to it with the
test's data folder (token file, ledger, documents).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

from kiosk.platform.baiwang import BaiwangGateway
from kiosk.platform.baiwang_client import BaiwangClient
from kiosk.platform.baiwang_fake import FakeBaiwang
from kiosk.platform.nuonuo_token import TokenStore
from kiosk.platform.sandbox import SandboxPlatform
from tests.helpers.platform import SELLER

BW_KEY = "bw-app-10001"
BW_SECRET = "bw-secret-2f9c"
BW_USER = "kiosk-api"
BW_PASSWORD = "pass-word-7"
BW_SALT = "salt-3a1b"
BW_TAX = SELLER.tax_id


@contextlib.contextmanager
def running_fake(platform: SandboxPlatform, **kwargs: object) -> Iterator[FakeBaiwang]:
    """A FakeBaiwang on 127.0.0.1 (any free port) over ``platform``; stopped on exit."""
    fake = FakeBaiwang(("127.0.0.1", 0), platform, BW_KEY, BW_SECRET, BW_USER, BW_PASSWORD,
                       BW_SALT, BW_TAX, **kwargs)  # type: ignore[arg-type]
    fake.start()
    try:
        yield fake
    finally:
        fake.stop()


def client_for(fake: FakeBaiwang, folder: Path, *, timeout_s: float = 5.0,
               secret: str = BW_SECRET, password: str = BW_PASSWORD) -> BaiwangClient:
    return BaiwangClient(fake.base_url, BW_KEY, secret, BW_USER, password, BW_SALT, BW_TAX,
                         TokenStore(folder, BW_KEY, provider="baiwang", refresh_margin_s=300.0,
                                    local_limit=1000), timeout_s=timeout_s)


def gateway_for(fake: FakeBaiwang, folder: Path, *, timeout_s: float = 30.0,
                secret: str = BW_SECRET) -> BaiwangGateway:
    """A BaiwangGateway on ``folder`` talking to ``fake``."""
    return BaiwangGateway(client_for(fake, folder, timeout_s=timeout_s, secret=secret), SELLER,
                          folder, drawer="张三", clock=lambda: fake.platform.now())
