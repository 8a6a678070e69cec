"""Kiosk metrics over HTTP and as a textfile, and the alert rules that use them."""

from __future__ import annotations

import re
import shutil
import subprocess
import urllib.request
from pathlib import Path

import pytest
import yaml

from kiosk.config import config_from_dict
from kiosk.fleet.devservers import free_port
from kiosk.fleet.metrics import KioskMetrics
from kiosk.fleet.wiring import start_fleet
from tests.helpers.fleet import IssuingKiosk
from tests.unit.kiosk.fleet.test_central import WAIT_S

REPO = Path(__file__).resolve().parents[4]
RULES = REPO / "systemd" / "kiosk-alerts.rules.yml"
PROMTOOL = shutil.which("promtool")


def test_metrics_are_served_on_a_local_port() -> None:
    m = KioskMetrics("k1")
    m.set_device("printer", "ok", True)
    m.set_device("printer", "paper_out", True)
    m.invoice_issued("blue")
    m.failure("platform_timeout")
    port = free_port()
    m.serve(port)
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=10) as resp:
        text = resp.read().decode()
    assert 'kiosk_device_state{device="printer",state="ok"} 0.0' in text
    assert 'kiosk_device_state{device="printer",state="paper_out"} 1.0' in text
    assert "kiosk_printer_paper_out 1.0" in text
    assert 'kiosk_invoices_issued_total{colour="blue"} 1.0' in text
    assert 'kiosk_failures_total{kind="platform_timeout"} 1.0' in text


def test_every_metric_an_alert_uses_exists() -> None:
    rules = yaml.safe_load(RULES.read_text(encoding="utf-8"))
    exprs = [r["expr"] for g in rules["groups"] for r in g["rules"]]
    assert all({"alert", "expr", "for", "labels", "annotations"} <= set(r)
               for g in rules["groups"] for r in g["rules"])
    used = {n for e in exprs for n in re.findall(r"\bkiosk_[a-z_]+", e)}
    families = list(KioskMetrics().registry.collect())
    names = {f.name for f in families} | {s.name for f in families for s in f.samples}
    assert used and used <= names


@pytest.mark.skipif(PROMTOOL is None, reason="promtool missing: scripts/setup.sh --test installs "
                                             "Debian's prometheus")
def test_promtool_accepts_the_rules_and_their_unit_tests(tmp_path: Path) -> None:
    assert PROMTOOL is not None
    shutil.copy(RULES, tmp_path)
    shutil.copy(Path(__file__).with_name("alerts.test.yml"), tmp_path)
    for cmd in (["check", "rules", RULES.name], ["test", "rules", "alerts.test.yml"]):
        res = subprocess.run([PROMTOOL, *cmd], cwd=tmp_path, capture_output=True, text=True,
                             timeout=60)
        assert res.returncode == 0, res.stdout + res.stderr


def test_start_fleet_is_off_by_default_and_writes_the_textfile_when_on(
        tmp_path: Path, nats_server: object) -> None:
    off = config_from_dict({"storage": {"data_dir": str(tmp_path)}})
    assert start_fleet(off, tmp_path / "kiosk.db") is None
    prom = tmp_path / "kiosk.prom"
    on = config_from_dict({"storage": {"data_dir": str(tmp_path)}, "fleet": {
        "enabled": True, "kiosk_id": "k9", "nats_url": nats_server.url,  # type: ignore[attr-defined]
        "stream": "TM", "subject_prefix": "tm", "updates_bucket": "um",
        "metrics_textfile": str(prom)}})
    kiosk = IssuingKiosk(tmp_path / "kiosk.db")
    kiosk.issue(2)
    fleet = start_fleet(on, kiosk.path, status=lambda: {"state": "idle"})
    assert fleet is not None
    try:
        assert fleet.publisher.wait_published(4, WAIT_S)
    finally:
        fleet.stop()
    assert "kiosk_publish_backlog" in prom.read_text()  # written at the first heartbeat
