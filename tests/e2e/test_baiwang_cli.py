"""``kiosk issue --json`` with ``backend = "baiwang"``: the second provider, selected by config.

A real ``kiosk`` subprocess talks to the fake Baiwang platform on loopback (in
this process, so the test can read what it saw): it returns the fake's invoice
number and the downloaded official PDF, OFD and XML; run again it issues
nothing more; both runs share one token.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from kiosk.platform.baiwang_fake import FakeBaiwang
from kiosk.platform.sandbox import SandboxPlatform
from tests.e2e.test_issue_cli import ORDER
from tests.helpers.kioskenv import KioskEnv
from tests.helpers.platform import SELLER

pytestmark = pytest.mark.e2e

KEY, SECRET, USER, PASSWORD, SALT = "bw-e2e", "bw-e2e-secret", "api-user", "api-pass", "s4lt"


def baiwang_toml(root: Path, base_url: str) -> str:
    root.mkdir(parents=True, exist_ok=True)
    for name, value in (("baiwang.secret", SECRET), ("baiwang.password", PASSWORD)):
        (root / name).write_text(value + "\n", encoding="utf-8")
        (root / name).chmod(0o600)
    return (f'[seller]\nname = "{SELLER.name}"\ntax_id = "{SELLER.tax_id}"\n'
            f'[platform]\nbackend = "baiwang"\n'
            f'[platform.baiwang]\nbase_url = "{base_url}"\napp_key = "{KEY}"\n'
            f'app_secret_file = "baiwang.secret"\nusername = "{USER}"\n'
            f'password_file = "baiwang.password"\nsalt = "{SALT}"\ndrawer = "张三"\n'
            f'timeout_s = 60.0\n')  # the fake renders its PDF on first download


@pytest.fixture()
def fake(tmp_path: Path) -> Iterator[FakeBaiwang]:
    platform = SandboxPlatform(tmp_path / "provider.db", SELLER, monthly_quota=Decimal("100000.00"))
    server = FakeBaiwang(("127.0.0.1", 0), platform, KEY, SECRET, USER, PASSWORD, SALT,
                         SELLER.tax_id)
    server.start()
    try:
        yield server
    finally:
        server.stop()
        platform.close()


def test_issue_through_baiwang_returns_the_official_files_and_is_exactly_once(
        tmp_path: Path, fake: FakeBaiwang) -> None:
    env = KioskEnv.create(tmp_path / "kiosk", baiwang_toml(tmp_path / "kiosk", fake.base_url))
    assert env.run("config", "check").returncode == 0
    assert env.run("orders", "import", str(env.write_orders([ORDER]))).returncode == 0
    done = env.run("issue", "--order", "2024060100017", "--buyer-name", "个人", "--json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    number = data["invoice_number"]
    assert fake.platform.get_invoice(number) is not None  # the fake's own number
    official = data["official"]
    assert Path(official["pdf"]).read_bytes().startswith(b"%PDF")
    assert Path(official["ofd"]).read_bytes().startswith(b"PK")
    assert number.encode() in Path(official["xml"]).read_bytes()
    assert Path(data["ofd"]).read_bytes() == Path(official["ofd"]).read_bytes()
    again = env.run("issue", "--order", "2024060100017", "--buyer-name", "个人", "--json")
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout)["invoice_number"] == number
    assert fake.issue_results() == ["ok"]
    assert len(fake.state.token_calls) == 1  # two processes, one shared token


def test_sigkill_mid_issue_loses_and_duplicates_nothing(tmp_path: Path, fake: FakeBaiwang) -> None:
    import signal

    env = KioskEnv.create(tmp_path / "kiosk", baiwang_toml(tmp_path / "kiosk", fake.base_url))
    assert env.run("orders", "import", str(env.write_orders([ORDER]))).returncode == 0
    issue = ("issue", "--order", "2024060100017", "--buyer-name", "个人", "--json")
    fake.delay_next("baiwang.output.invoice.issue", 60.0)  # issued; the answer held back
    proc = env.popen(*issue)
    try:
        assert fake.delaying.wait(60), "the kiosk never reached the fake"
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.communicate(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    done = env.run(*issue)  # asks by serialNo first: found, nothing sent again
    assert done.returncode == 0, done.stderr
    number = json.loads(done.stdout)["invoice_number"]
    assert fake.issue_results() == ["ok"]
    assert [i.number for i in fake.platform.list_invoices(fake.platform.now().date())] == [number]


def test_sandbox_serve_flavour_baiwang(tmp_path: Path) -> None:
    import os
    import signal
    import urllib.request

    env = KioskEnv.create(tmp_path / "kiosk", baiwang_toml(tmp_path / "kiosk", "http://127.0.0.1:9"))
    proc = env.popen("sandbox", "serve", "--flavour", "baiwang", "--port", "0")
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        assert "fake Baiwang platform listening" in line
        base = line.split('base_url = "')[1].split('"')[0]
        with urllib.request.urlopen(base + "/router/rest?method=x", data=b"{}",
                                    timeout=10) as resp:
            answer = json.loads(resp.read())
        assert answer["success"] is False and answer["errorResponse"]["code"].startswith("1000")
    finally:
        os.kill(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
        assert proc.returncode == 0
