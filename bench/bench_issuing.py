"""Issuing through the sandbox in-process vs over HTTP (RemoteGateway -> SandboxServer on loopback).

What it answers: how much the HTTP hop (signing, a new TCP connection per
call, JSON both ways, a server thread) costs against calling the sandbox
directly, for ``issue`` (a write transaction with synchronous=FULL) and
``query_request`` (a read). Calls are interleaved (in-process, HTTP,
in-process, ...) so machine noise hits both alike; each side has its own
SQLite file in a temporary folder. A last table issues from 4 threads at once
over HTTP to show what the threaded server and SQLite's single writer allow.
"""

from __future__ import annotations

import statistics
import tempfile
import threading
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from bench.runner import Runner
from kiosk.model import Buyer, BuyerType, InvoiceKind, InvoiceRequest, OrderLine, Seller
from kiosk.platform.remote import RemoteGateway
from kiosk.platform.sandbox import SandboxPlatform
from kiosk.platform.server import SandboxServer

SELLER = Seller("北京示例科技有限公司", "91110108MA01ABCD2X")
BUYER = Buyer(BuyerType.COMPANY, "厦门示例贸易有限公司", "91350200776049653A")
LINES = (
    OrderLine("餐费", "餐饮服务", "3070401000000000000", Decimal("1"), Decimal("113.00"),
              Decimal("113.00"), Decimal("0.06")),
    OrderLine("打印纸", "纸制品", "1060106000000000000", Decimal("2"), Decimal("22.60"),
              Decimal("45.20"), Decimal("0.13")),
)
KEYS = {"bench": "bench-secret"}


def request(tag: str, i: int) -> InvoiceRequest:
    return InvoiceRequest(f"RQ-{tag}-{i}", (f"{tag}-{i}",), BUYER, InvoiceKind.NORMAL, LINES)


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def run(r: Runner) -> None:
    n = r.rounds or 300
    with tempfile.TemporaryDirectory() as tmp:
        local = SandboxPlatform(Path(tmp) / "local.db", SELLER, monthly_quota=Decimal("1e12"))
        backing = SandboxPlatform(Path(tmp) / "served.db", SELLER, monthly_quota=Decimal("1e12"))
        server = SandboxServer(("127.0.0.1", 0), backing, KEYS)
        server.start()
        try:
            remote = RemoteGateway(server.base_url, "bench", "bench-secret", 10.0, 0)
            _interleaved(r, n, local, remote)
            _concurrent(r, n, remote)
        finally:
            server.stop()
            local.close()
            backing.close()


def _interleaved(r: Runner, n: int, local: SandboxPlatform, remote: RemoteGateway) -> None:
    sides: dict[str, object] = {"in-process": local, "HTTP loopback": remote}
    issue_ms: dict[str, list[float]] = {k: [] for k in sides}
    query_ms: dict[str, list[float]] = {k: [] for k in sides}
    for warm in range(5):  # warm-up: connections, caches, first transactions
        for k, gw in sides.items():
            gw.issue(request(f"warm-{k}", warm))  # type: ignore[attr-defined]
    for i in range(n):
        for k, gw in sides.items():
            t0 = time.perf_counter()
            inv = gw.issue(request(k, i))  # type: ignore[attr-defined]
            t1 = time.perf_counter()
            gw.query_request(inv.request_id)  # type: ignore[attr-defined]
            t2 = time.perf_counter()
            issue_ms[k].append((t1 - t0) * 1e3)
            query_ms[k].append((t2 - t1) * 1e3)
    base = statistics.median(issue_ms["in-process"])
    rows = []
    for k in sides:
        med = statistics.median(issue_ms[k])
        rows.append([k, f"{1e3 / statistics.mean(issue_ms[k]):.0f}", f"{med:.2f}",
                     f"{pct(issue_ms[k], 99):.2f}", f"{med / base:.2f}x",
                     f"{statistics.median(query_ms[k]):.2f}", f"{pct(query_ms[k], 99):.2f}"])
    r.table(f"issue + query_request, {n} interleaved calls each (sequential, one caller)",
            ["gateway", "issues/s", "issue p50 ms", "issue p99 ms", "p50 ratio",
             "query p50 ms", "query p99 ms"], rows)


def _concurrent(r: Runner, n: int, remote: RemoteGateway, threads: int = 4) -> None:
    per = max(1, n // threads)
    lat: list[float] = []
    lock = threading.Lock()

    def worker(k: int, fn: Callable[[InvoiceRequest], object]) -> None:
        mine = []
        for i in range(per):
            t0 = time.perf_counter()
            fn(request(f"c{k}", i))
            mine.append((time.perf_counter() - t0) * 1e3)
        with lock:
            lat.extend(mine)

    workers = [threading.Thread(target=worker, args=(k, remote.issue)) for k in range(threads)]
    t0 = time.perf_counter()
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    wall = time.perf_counter() - t0
    r.table(f"issue over HTTP from {threads} threads at once ({threads * per} issues)",
            ["gateway", "issues/s", "p50 ms", "p99 ms"],
            [["HTTP loopback x4", f"{len(lat) / wall:.0f}", f"{statistics.median(lat):.2f}",
              f"{pct(lat, 99):.2f}"]])
