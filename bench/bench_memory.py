"""Steady memory: the kiosk process's resident size after 10 walk-in sessions and
after many more (1,000 by default; ``KIOSK_BENCH_SESSIONS`` to change it).

Each session is a whole personal e-invoice on the Qt-free core: scan the receipt
QR, accept, buyer, confirm, issue on the embedded sandbox (XML + PDF), print the
receipt on the emulated printer behind its worker, finish (wipe). Orders are
imported up front (one order is invoiced once). The figure that matters is the
growth between the two readings, measured in the same process and run: a leak
of a few kilobytes per session shows as megabytes here. Target (issue 10): the
growth stays within 10 MB.
"""

from __future__ import annotations

import gc
import logging
import os
import shutil
import tempfile
from pathlib import Path

from bench.runner import Runner


def _rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def _orders(n: int) -> list[dict[str, object]]:
    return [{"order_no": f"MEM{i:06d}", "paid_at": "2026-11-29T12:30:00+08:00",
             "lines": [{"name": "工作日午餐套餐", "short_name": "餐饮服务",
                        "tax_code": "3070401000000000000", "quantity": "1",
                        "unit_price": "56.00", "amount": "56.00", "rate": "0.06"}]}
            for i in range(n)]


def run(r: Runner) -> None:
    from kiosk.flow.states import Screen
    from tests.helpers.app import kiosk_core

    total = int(os.environ.get("KIOSK_BENCH_SESSIONS", "1000"))
    data = Path(tempfile.mkdtemp(prefix="bench-memory-"))
    rig = kiosk_core(data / "kiosk", orders={"seed_demo": False})
    for handler in logging.getLogger().handlers:  # the JSON log only, not the terminal
        if not isinstance(handler, logging.FileHandler):
            logging.getLogger().removeHandler(handler)
    try:
        report = rig.core.orders.import_orders(_orders(total))
        assert not report.refused, report.messages()
        orders = sorted(rig.core.orders.list(limit=total), key=lambda o: o.order_no)
        session = rig.session
        readings: list[tuple[int, float]] = []
        for n, order in enumerate(orders, start=1):
            session.code_scanned(rig.qr(order))
            session.orders.next()
            session.buyer.next()
            session.review.confirm()
            if session.screen is not Screen.RESULT or not session.data.printed:
                raise RuntimeError(f"session {n} ended on {session.screen.value}")
            session.finish()
            if n in (10, len(orders)) or n % 250 == 0:
                gc.collect()
                readings.append((n, _rss_mb()))
        base = readings[0][1]
        r.table(f"resident memory over {total} walk-in sessions (issue + PDF + receipt each)",
                ["after sessions", "RSS MB", "growth since 10 MB", "per session KB"],
                [[n, f"{mb:.1f}", f"{mb - base:+.1f}",
                  f"{(mb - base) * 1024 / (n - 10):.1f}" if n > 10 else "-"]
                 for n, mb in readings])
    finally:
        rig.close()
        shutil.rmtree(data, ignore_errors=True)
