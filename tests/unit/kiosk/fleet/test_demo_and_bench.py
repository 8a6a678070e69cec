"""The documented fleet command and the fleet bench, small: real processes, real counts.

``kiosk fleet demo``'s machinery (three kiosks, central, NATS, PostgreSQL) must
get issued invoices into the back office; the bench's fault run (central killed,
NATS restarted, kiosks offline) must lose and double nothing.
"""

from __future__ import annotations

import threading
import time
import urllib.request
from pathlib import Path

import pytest

from bench.bench_fleet import parse_args, simulate
from kiosk.fleet.demo import Demo
from kiosk.fleet.devservers import free_port

pytestmark = pytest.mark.slow


def test_three_kiosk_demo_fleet_shows_its_kiosks_invoices_and_update(tmp_path: Path) -> None:
    port = free_port()
    lines: list[str] = []
    demo = Demo(tmp_path, http_port=port, say=lines.append)
    try:
        url = demo.start()
        numbers = [demo.walk_in() for _ in range(3)]
        assert all(numbers), lines
        deadline = time.monotonic() + 60
        while demo.central_invoices() < 3 and time.monotonic() < deadline:
            threading.Event().wait(0.2)  # polling the back office's store
        assert demo.central_invoices() == 3
        with urllib.request.urlopen(f"{url}?q={numbers[1]}", timeout=10) as resp:
            page = resp.read().decode("utf-8")
        assert "kiosk-1" in page and "kiosk-2" in page and "kiosk-3" in page
        assert "1 invoices" in page and "announcements" in page and "pushed" in page
    finally:
        demo.stop()


def test_bench_fault_run_loses_and_doubles_nothing() -> None:
    lines: list[str] = []
    res = simulate(parse_args(["--kiosks", "8", "--invoices", "8", "--duration", "8",
                               "--offline", "0.25", "--timeout", "120"]), lines.append)
    assert res.expected == 8 * 8 * 2
    assert (res.lost, res.doubled) == (0, 0), lines
    assert res.chains_ok == res.chains_total == 8
    assert len(res.faults) == 4  # central killed + restarted, NATS stopped + restarted
