"""What exactly-once costs: issuing through the durable outbox vs calling the gateway bare.

Cases, interleaved round by round on fresh order numbers against one sandbox:

- ``gateway.issue``: the sandbox alone (its own SQLite transaction, FULL sync);
- ``service, no documents``: IssuingService.issue with the documents step fed
  fixed bytes, so the figure is the outbox itself: record PENDING, mark SENT,
  query the order first, store + ISSUED + audit row in one transaction, write
  two files atomically (fsync + rename);
- ``service, full``: the same plus the platform's real XML + PDF rendering.

Also the order QR check (HMAC-SHA256 verify) per scan.
"""

from __future__ import annotations

import itertools
import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any

from bench.runner import Runner
from kiosk import audit, mail, orders, outbox, storage
from kiosk.audit import AuditTrail
from kiosk.issuing import IssuingService
from kiosk.model import Buyer, BuyerType, InvoiceKind, InvoiceRequest, OrderLine, Seller
from kiosk.orderqr import make_order_qr, verify_order_qr
from kiosk.platform.gateway import InvoiceDocuments
from kiosk.platform.sandbox import SandboxPlatform
from kiosk.rules import request_id_for

SELLER = Seller("北京示例科技有限公司", "91110108MA01ABCD2X")
LINE = OrderLine("餐费", "餐饮服务", "3070401000000000000", Decimal("1"), Decimal("113.00"),
                 Decimal("113.00"), Decimal("0.06"))


class _FixedDocuments:
    """The real sandbox, but documents() returns fixed bytes (isolates the outbox cost)."""

    def __init__(self, sandbox: SandboxPlatform) -> None:
        self.sandbox = sandbox

    def __getattr__(self, name: str) -> Any:
        return getattr(self.sandbox, name)

    def documents(self, number: str) -> InvoiceDocuments:
        return InvoiceDocuments(number, pdf=b"%PDF-1.7\n" + b"x" * 30000, xml=b"<x/>" * 500)


def run(r: Runner) -> None:
    tmp = Path(tempfile.mkdtemp(prefix="bench-outbox-"))
    sandbox = SandboxPlatform(tmp / "sandbox.db", SELLER, monthly_quota=Decimal("1e12"))
    db = storage.open_database(tmp / "kiosk.db", sets=[storage.core, audit.audit,
                               orders.migrations, mail.migrations, outbox.migrations])
    bare = IssuingService(db, _FixedDocuments(sandbox), seller_tax_id=SELLER.tax_id,  # type: ignore[arg-type]
                          documents_dir=tmp / "docs-bare", audit=AuditTrail(db))
    full = IssuingService(db, sandbox, seller_tax_id=SELLER.tax_id,
                          documents_dir=tmp / "docs-full", audit=AuditTrail(db))
    counter = itertools.count()

    def request() -> InvoiceRequest:
        no = f"B{next(counter)}"
        return InvoiceRequest(request_id_for([no], SELLER.tax_id), (no,),
                              Buyer(BuyerType.PERSON, "个人"), InvoiceKind.NORMAL, (LINE,))

    r.compare("issue one invoice: bare gateway vs through the outbox", {
        "gateway.issue": lambda: sandbox.issue(request()),
        "service, no documents": lambda: bare.issue(request()),
        "service, full": lambda: full.issue(request()),
    }, rounds=15, baseline="gateway.issue")

    secret = "bench-secret"
    payload = make_order_qr("2024060100017", "76.00", secret)
    r.compare("order QR: verify one scan", {
        "verify_order_qr": lambda: verify_order_qr(payload, secret),
        "make_order_qr": lambda: make_order_qr("2024060100017", "76.00", secret),
    }, rounds=2000, unit="us")
    sandbox.close()
