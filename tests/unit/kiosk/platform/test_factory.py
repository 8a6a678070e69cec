"""build_gateway(config) and the ``kiosk sandbox serve`` command, run for real."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

from kiosk.config import config_from_dict
from kiosk.platform.factory import build_gateway, build_sandbox
from kiosk.platform.gateway import IssuingGateway
from kiosk.platform.remote import RemoteGateway
from kiosk.platform.sandbox import SandboxPlatform
from tests.helpers.platform import make_request

ROOT = Path(__file__).resolve().parents[4]


def test_sandbox_backend_lives_in_the_data_folder(tmp_path: Path) -> None:
    cfg = config_from_dict({
        "storage": {"data_dir": str(tmp_path)},
        "platform": {"backend": "sandbox", "download_base_url": "https://kiosk.example/dl",
                     "sandbox": {"db_file": "sb.db", "monthly_quota": "500.00", "channel": "3"}},
        "seller": {"region_code": "31"},
    })
    gw = build_gateway(cfg)
    assert isinstance(gw, SandboxPlatform) and isinstance(gw, IssuingGateway)
    assert gw.db_path == cfg.data_path / "sb.db" and gw.db_path.exists()
    inv = gw.issue(make_request("F1"))
    assert inv.number[2:5] == "313" and inv.download_url.startswith("https://kiosk.example/dl/i/")
    assert gw.remaining_quota() == Decimal("387.00")
    assert inv.seller.name == cfg.seller.name and inv.seller.tax_id == cfg.seller.tax_id
    gw.close()


def test_remote_backend(tmp_path: Path) -> None:
    cfg = config_from_dict({"storage": {"data_dir": str(tmp_path)}, "platform": {
        "backend": "remote",
        "remote": {"base_url": "http://10.0.0.9:9000/api", "app_key": "k", "app_secret": "s",
                   "timeout_s": 3.0, "retries": 1}}})
    gw = build_gateway(cfg)
    assert isinstance(gw, RemoteGateway) and isinstance(gw, IssuingGateway)
    assert (gw.base_url, gw.app_key, gw.timeout_s, gw.retries) == ("http://10.0.0.9:9000/api", "k",
                                                                  3.0, 1)
    assert "s" not in repr(gw).replace("RemoteGateway", "")  # the secret is never shown
    assert not (cfg.data_path / "sandbox.db").exists()  # nothing local was created


def test_kiosk_sandbox_serve_answers_the_remote_gateway(tmp_path: Path) -> None:
    conf = tmp_path / "kiosk.toml"
    conf.write_text(
        f'[storage]\ndata_dir = "{tmp_path / "data"}"\n'
        '[platform.remote]\napp_key = "cli-key"\napp_secret = "cli-secret"\n',
        encoding="utf-8")
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    env.pop("KIOSK_DATA_DIR", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "kiosk", "--config", str(conf), "sandbox", "serve", "--port", "0"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    first: list[str] = []
    got = threading.Event()

    def read_first_line() -> None:
        assert proc.stdout is not None
        first.append(proc.stdout.readline())
        got.set()

    threading.Thread(target=read_first_line, daemon=True).start()
    try:
        assert got.wait(30), "the server did not start"
        url = first[0].split("listening on ")[1].split()[0]
        gw = RemoteGateway(url, "cli-key", "cli-secret", 10.0, 0)
        inv = gw.issue(make_request("CLI1"))
        assert gw.query_order("CLI1") == inv and gw.health().ok
        cfg = replace(config_from_dict({}), data_path=tmp_path / "data")
        local = build_sandbox(cfg)
        assert local.get_invoice(inv.number) == inv  # in the configured file
        local.close()
    finally:
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
