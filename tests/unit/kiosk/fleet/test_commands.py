"""``kiosk central serve`` as a real subprocess: it starts, serves the page, stops on SIGTERM."""

from __future__ import annotations

import signal
import subprocess
import urllib.request
from pathlib import Path

from kiosk.config import FleetConfig
from kiosk.fleet.devservers import free_port
from tests.helpers.kioskenv import KioskEnv


def fleet_toml(fleet: FleetConfig, http_port: int = 0) -> str:
    c = fleet.central
    return (f'[fleet]\nenabled = true\nkiosk_id = "{fleet.kiosk_id}"\nnats_url = "{fleet.nats_url}"\n'
            f'stream = "{fleet.stream}"\nsubject_prefix = "{fleet.subject_prefix}"\n'
            f'updates_bucket = "{fleet.updates_bucket}"\nretry_s = 0.2\n'
            f'[fleet.central]\ndatabase_url = "{c.database_url}"\nhttp_port = {http_port}\n')


def test_central_serve_starts_serves_the_page_and_stops_on_sigterm(
        tmp_path: Path, fleet_config: FleetConfig) -> None:
    port = free_port()
    env = KioskEnv.create(tmp_path, fleet_toml(fleet_config, port))
    proc = subprocess.Popen(env.argv("central", "serve", "--instance", "t1"), env=env.environ(),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()  # printed once the consumer is bound
        assert "back office at http://127.0.0.1:" in line, proc.stderr.read() if proc.stderr else ""
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10) as resp:
            page = resp.read().decode("utf-8")
        assert "<h2>kiosks</h2>" in page
    finally:
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err


def test_central_migrate_reports_once(tmp_path: Path, fleet_config: FleetConfig) -> None:
    env = KioskEnv.create(tmp_path, fleet_toml(fleet_config))
    first = subprocess.run(env.argv("central", "migrate"), env=env.environ(), capture_output=True,
                           text=True, timeout=60)
    again = subprocess.run(env.argv("central", "migrate"), env=env.environ(), capture_output=True,
                           text=True, timeout=60)
    assert first.stdout.strip() == "applied migrations: 1", first.stderr
    assert again.stdout.strip() == "schema up to date"
