"""The fleet's command line: ``kiosk central serve`` as a real subprocess (starts, serves the
page, stops on SIGTERM), ``kiosk central migrate``, ``kiosk fleet push|status|invoices``."""

from __future__ import annotations

import asyncio
import signal
import subprocess
import threading
import urllib.request
from pathlib import Path

import pytest

from kiosk.cli import main
from kiosk.config import FleetConfig
from kiosk.fleet.central import CentralService
from kiosk.fleet.devservers import free_port
from kiosk.fleet.publisher import FleetPublisher
from kiosk.fleet.store import CentralStore
from kiosk.fleet.updates import UpdateStore
from tests.helpers.fleet import IssuingKiosk
from tests.helpers.kioskenv import KioskEnv
from tests.unit.kiosk.fleet.test_central import WAIT_S, stored, with_central


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
    assert first.stdout.strip() == "applied migrations: 1, 2", first.stderr
    assert again.stdout.strip() == "schema up to date"


def test_push_reaches_the_kiosk_and_the_outcome_reaches_the_update_history(
        tmp_path: Path, fleet_config: FleetConfig, capsys: pytest.CaptureFixture[str]) -> None:
    env = KioskEnv.create(tmp_path, fleet_toml(fleet_config))
    applied = threading.Event()
    updates = UpdateStore(tmp_path / "k1-fleet", "k1", {})
    updates.listeners.append(lambda name, value: applied.set())
    kiosk = IssuingKiosk(tmp_path / "kiosk.db")
    pub = FleetPublisher(kiosk.path, fleet_config, updates=updates)
    pub.start()
    try:
        good = tmp_path / "catalogue.toml"
        good.write_text('[[items]]\ncode = "S101"\nname = "停车费"\nshort_name = "经营租赁"\n'
                        'tax_code = "3040502020200000000"\nunit_price = "5.00"\nrate = "0.09"\n',
                        encoding="utf-8")
        assert main(["--config", str(env.config), "fleet", "push", "catalogue", str(good)]) == 0
        assert "pushed catalogue revision 1" in capsys.readouterr().out
        assert applied.wait(WAIT_S)
        assert updates.current("catalogue")["items"][0]["unit_price"] == "5.00"
        bad = tmp_path / "bad.json"
        bad.write_text('{"items": [{"code": "X"}]}', encoding="utf-8")
        assert main(["--config", str(env.config), "fleet", "push", "catalogue", str(bad)]) == 1
        assert "update refused: catalogue: items[0] lacks 'name'" in capsys.readouterr().err
        # a bad value that bypassed the CLI check is refused by the kiosk itself
        asyncio.run(_put(fleet_config, "catalogue.k1", b'{"items": 3}'))
        assert pub.wait_published(2, WAIT_S)  # the two update results were queued and sent

        async def body(cs: list[CentralService]) -> None:
            await cs[0].wait_until(lambda: stored(cs) >= 2, WAIT_S)
        with_central(fleet_config, body)
    finally:
        pub.stop()
    assert updates.current("catalogue")["items"][0]["code"] == "S101"  # last good kept
    assert main(["--config", str(env.config), "fleet", "status"]) == 0
    assert "k1" in capsys.readouterr().out
    store = CentralStore(fleet_config.central.database_url)
    try:
        history = [(u["key"], u["event"], u["detail"]) for u in reversed(store.updates())]
    finally:
        store.close()
    assert history[0][:2] == ("catalogue", "pushed")
    assert ("catalogue", "applied", "") in history
    assert ("catalogue.k1", "rejected", "catalogue: expected an object with a list 'items'") \
        in history


async def _put(fleet: FleetConfig, key: str, value: bytes) -> None:
    from kiosk.fleet import transport

    nc = await transport.connect(fleet.nats_url, name="test", reconnect=False)
    kv = await transport.ensure_bucket(nc.jetstream(), fleet)
    await kv.put(key, value)
    await nc.close()


def test_fleet_invoices_lists_the_day(tmp_path: Path, fleet_config: FleetConfig,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    kiosk = IssuingKiosk(tmp_path / "kiosk.db")
    kiosk.issue(3)
    pub = FleetPublisher(kiosk.path, fleet_config)
    pub.start()
    try:
        assert pub.wait_published(6, WAIT_S)
    finally:
        pub.stop()

    async def body(cs: list[CentralService]) -> None:
        await cs[0].wait_until(lambda: stored(cs) >= 6, WAIT_S)
    with_central(fleet_config, body)
    env = KioskEnv.create(tmp_path, fleet_toml(fleet_config))
    assert main(["--config", str(env.config), "fleet", "invoices", "--day", "2026-03-15"]) == 0
    out = capsys.readouterr().out
    assert "2026-03-15: 3 invoices" in out and "SO00000002" in out
