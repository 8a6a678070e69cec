"""The fake Nuonuo open platform in tests: start it on loopback, point a NuonuoGateway at it.

The server itself is :class:`kiosk.platform.nuonuo_fake.FakeNuonuo` (it lives in
the package so ``kiosk sandbox serve --flavour nuonuo`` can serve it by hand);
this module gives the tests a running one over a sandbox, and gateways wired
to it with the test's data folder (token file, ledger, documents).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

from kiosk.platform.nuonuo import NuonuoGateway
from kiosk.platform.nuonuo_client import NuonuoClient
from kiosk.platform.nuonuo_fake import FakeNuonuo
from kiosk.platform.nuonuo_token import TokenStore
from kiosk.platform.sandbox import SandboxPlatform
from tests.helpers.platform import SELLER

NN_KEY = "SD63236305"
NN_SECRET = "SDDED2523BED4643-test"
NN_TAX = SELLER.tax_id


@contextlib.contextmanager
def running_fake(platform: SandboxPlatform, **kwargs: object) -> Iterator[FakeNuonuo]:
    """A FakeNuonuo on 127.0.0.1 (any free port) over ``platform``; stopped on exit."""
    fake = FakeNuonuo(("127.0.0.1", 0), platform, NN_KEY, NN_SECRET, NN_TAX, **kwargs)  # type: ignore[arg-type]
    fake.start()
    try:
        yield fake
    finally:
        fake.stop()


def client_for(fake: FakeNuonuo, folder: Path, *, timeout_s: float = 5.0,
               secret: str = NN_SECRET) -> NuonuoClient:
    return NuonuoClient(fake.gateway_url, fake.token_url, NN_KEY, secret, NN_TAX,
                        TokenStore(folder, NN_KEY), timeout_s=timeout_s)


def gateway_for(fake: FakeNuonuo, folder: Path, *, timeout_s: float = 30.0, max_polls: int = 10,
                secret: str = NN_SECRET) -> NuonuoGateway:
    """A NuonuoGateway on ``folder`` talking to ``fake``; polls without waiting."""
    return NuonuoGateway(client_for(fake, folder, timeout_s=timeout_s, secret=secret), SELLER,
                         folder, clerk="张三", poll_seconds=0.0, max_polls=max_polls,
                         clock=lambda: fake.platform.now())
