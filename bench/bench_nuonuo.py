"""What the Nuonuo and Baiwang adapters cost per issue, against a bare HTTP round trip on loopback.

Cases, interleaved round by round, each issue on a fresh order:

- ``bare HTTP round trip``: one stdlib ``http.client`` POST of a billing-sized
  JSON body to a trivial loopback server answering fixed JSON (new connection
  each time, as the adapter does);
- ``sign one call``: the X-Nuonuo-Sign HMAC alone;
- ``sandbox.issue direct``: the work the fake provider does per issue (rules,
  number, quota, SQLite FULL sync);
- ``NuonuoGateway.issue``: the whole adapter against the fake (ledger write
  before sending, token from the shared file, sign, submit, one poll that
  answers done, ledger write of the invoice): 2 HTTP round trips + the fake's
  checks + ``sandbox.issue``;
- ``BaiwangGateway.issue``: the second provider's adapter against its fake (ledger
  write, token, MD5 sign, synchronous issue, one query for the files' URLs,
  ledger write): also 2 HTTP round trips + ``sandbox.issue``;
- ``official_files``: downloading and storing (fsync + rename) the PDF, OFD and
  XML of one invoice (3 GETs; the fake rendered them beforehand).

Each adapter's own overhead per issue is printed as
``issue - sandbox.issue - 2 x bare round trip`` (all medians of this run).
"""

from __future__ import annotations

import http.client
import itertools
import json
import tempfile
import threading
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from bench.runner import Runner
from kiosk.model import Buyer, BuyerType, InvoiceKind, InvoiceRequest, OrderLine, Seller
from kiosk.platform.baiwang import BaiwangGateway
from kiosk.platform.baiwang_client import BaiwangClient
from kiosk.platform.baiwang_fake import FakeBaiwang
from kiosk.platform.nuonuo import NuonuoGateway
from kiosk.platform.nuonuo_client import NuonuoClient
from kiosk.platform.nuonuo_fake import FakeNuonuo
from kiosk.platform.nuonuo_mapping import billing_content
from kiosk.platform.nuonuo_sign import new_nonce, new_senid, sign
from kiosk.platform.nuonuo_token import TokenStore
from kiosk.platform.sandbox import SandboxPlatform

SELLER = Seller("北京示例科技有限公司", "91110108MA01ABCD2X")
LINE = OrderLine("餐费", "餐饮服务", "3070401000000000000", Decimal("1"), Decimal("113.00"),
                 Decimal("113.00"), Decimal("0.06"))
KEY, SECRET = "bench-app", "bench-secret"


class _Fixed(BaseHTTPRequestHandler):
    def do_POST(self) -> None:  # noqa: N802 - stdlib naming
        self.rfile.read(int(self.headers.get("Content-Length", "0")))
        body = b'{"code":"E0000","describe":"","result":{"invoiceSerialNum":"x"}}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass


def _request(n: int) -> InvoiceRequest:
    return InvoiceRequest(f"RQ-B{n}", (f"B{n}",), Buyer(BuyerType.PERSON, "个人"),
                          InvoiceKind.NORMAL, (LINE,), drawer="自助终端")


def run(r: Runner) -> None:
    tmp = Path(tempfile.mkdtemp(prefix="bench-nuonuo-"))
    provider = SandboxPlatform(tmp / "provider.db", SELLER, monthly_quota=Decimal("1e12"))
    direct = SandboxPlatform(tmp / "direct.db", SELLER, monthly_quota=Decimal("1e12"))
    fake = FakeNuonuo(("127.0.0.1", 0), provider, KEY, SECRET, SELLER.tax_id)
    fake.start()
    bare = ThreadingHTTPServer(("127.0.0.1", 0), _Fixed)
    threading.Thread(target=bare.serve_forever, args=(0.05,), daemon=True).start()
    client = NuonuoClient(fake.gateway_url, fake.token_url, KEY, SECRET, SELLER.tax_id,
                          TokenStore(tmp / "kiosk", KEY))
    gw = NuonuoGateway(client, SELLER, tmp / "kiosk", poll_seconds=0.0)
    bw_provider = SandboxPlatform(tmp / "bw-provider.db", SELLER, monthly_quota=Decimal("1e12"))
    bw_fake = FakeBaiwang(("127.0.0.1", 0), bw_provider, KEY, SECRET, "user", "pw", "salt",
                          SELLER.tax_id)
    bw_fake.start()
    bw = BaiwangGateway(BaiwangClient(bw_fake.base_url, KEY, SECRET, "user", "pw", "salt",
                                      SELLER.tax_id,
                                      TokenStore(tmp / "bw", KEY, provider="baiwang")),
                        SELLER, tmp / "bw")
    body = json.dumps(billing_content(_request(0), SELLER, "X" * 20, clerk="c",
                                      extension_number="", at=provider.now()),
                      ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    counter = itertools.count()
    issued: list[str] = []

    def bare_round_trip() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", bare.server_address[1], timeout=10)
        conn.request("POST", "/open/v1/services", body=body,
                     headers={"Content-Type": "application/json; charset=UTF-8"})
        conn.getresponse().read()
        conn.close()

    def sign_once() -> None:
        sign(SECRET, KEY, new_senid(), new_nonce(), "1700000000", body.decode("utf-8"))

    def sandbox_direct() -> None:
        direct.issue(_request(next(counter)))

    def adapter_issue() -> None:
        fake.script("2")  # done on the first query: 1 submit + 1 query
        issued.append(gw.issue(_request(next(counter))).number)

    def baiwang_issue() -> None:
        bw.issue(_request(next(counter)))

    def download() -> None:
        for kind in ("pdf", "ofd", "xml"):  # the provider renders once; we fetch every time
            (gw.documents_folder / f"{issued[0]}.{kind}").unlink(missing_ok=True)
        gw.official_files(issued[0])

    try:
        adapter_issue()
        provider.documents(issued[0])  # the fake renders its PDF once, outside the timing
        med = r.compare("Nuonuo / Baiwang adapter per issue vs a bare loopback round trip", {
            "bare HTTP round trip": bare_round_trip,
            "sign one call": sign_once,
            "sandbox.issue direct": sandbox_direct,
            "NuonuoGateway.issue": adapter_issue,
            "BaiwangGateway.issue": baiwang_issue,
            "official_files (3 GETs)": download,
        }, rounds=30, baseline="bare HTTP round trip")
        rows = []
        for name in ("NuonuoGateway.issue", "BaiwangGateway.issue"):
            overhead = (med[name] - med["sandbox.issue direct"]
                        - 2 * med["bare HTTP round trip"])
            rows.append([f"{name} - sandbox.issue - 2 x bare", f"{overhead:.3f}",
                         f"{overhead / med['bare HTTP round trip']:.2f}x"])
        rows.append(["token calls for all issues (Nuonuo / Baiwang)",
                     f"{len(fake.state.token_calls)} / {len(bw_fake.state.token_calls)}", ""])
        r.table("Adapters' own overhead per issue", ["figure", "ms", "x bare round trip"], rows)
    finally:
        fake.stop()
        bw_fake.stop()
        bare.shutdown()
        bare.server_close()
        provider.close()
        direct.close()
        gw.close()
        bw.close()
        bw_provider.close()
