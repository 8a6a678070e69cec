"""Done-when of issue 13: ``kiosk issue --json`` with ``backend = "nuonuo"`` against the fake.

A real ``kiosk`` subprocess talks to the fake Nuonuo platform on loopback (in
this process, so the test can read what it saw): it returns the fake's invoice
number and the paths of the downloaded official PDF, OFD and XML; run again,
it makes no second ``requestBillingNew`` that is not answered ``E9106``; and
``kiosk sandbox serve --flavour nuonuo`` starts and answers.
"""

from __future__ import annotations

import json
import os
import signal
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from kiosk.platform.nuonuo_fake import FakeNuonuo
from kiosk.platform.sandbox import SandboxPlatform
from tests.e2e.test_issue_cli import ORDER
from tests.helpers.kioskenv import KioskEnv
from tests.helpers.platform import SELLER

pytestmark = pytest.mark.e2e

KEY, SECRET = "SD-e2e-app", "e2e-secret-0123"


def nuonuo_toml(root: Path, gateway_url: str, token_url: str) -> str:
    root.mkdir(parents=True, exist_ok=True)
    secret = root / "nuonuo.secret"
    secret.write_text(SECRET + "\n", encoding="utf-8")
    secret.chmod(0o600)
    return (f'[seller]\nname = "{SELLER.name}"\ntax_id = "{SELLER.tax_id}"\n'
            f'[platform]\nbackend = "nuonuo"\n'
            f'[platform.nuonuo]\ngateway_url = "{gateway_url}"\ntoken_url = "{token_url}"\n'
            f'app_key = "{KEY}"\napp_secret_file = "nuonuo.secret"\nclerk = "张三"\n'
            f'poll_seconds = 0.0\ntimeout_s = 10.0\n')


@pytest.fixture()
def fake(tmp_path: Path) -> Iterator[FakeNuonuo]:
    platform = SandboxPlatform(tmp_path / "provider.db", SELLER, monthly_quota=Decimal("100000.00"))
    server = FakeNuonuo(("127.0.0.1", 0), platform, KEY, SECRET, SELLER.tax_id)
    server.start()
    try:
        yield server
    finally:
        server.stop()
        platform.close()


def test_issue_through_nuonuo_returns_the_official_files_and_is_exactly_once(
        tmp_path: Path, fake: FakeNuonuo) -> None:
    env = KioskEnv.create(tmp_path / "kiosk",
                          nuonuo_toml(tmp_path / "kiosk", fake.gateway_url, fake.token_url))
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
    assert Path(data["pdf"]).read_bytes() == Path(official["pdf"]).read_bytes()  # official copy
    assert data["download_url"].endswith(".pdf") and data["download_url"].startswith(fake.base_url)
    assert fake.billing_codes() == ["E0000"]
    again = env.run("issue", "--order", "2024060100017", "--buyer-name", "个人", "--json")
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout)["invoice_number"] == number
    assert all(code == "E9106" for code in fake.billing_codes()[1:])
    assert len(fake.state.token_calls) == 1  # two processes, one shared token


def test_issue_exits_1_while_the_official_files_are_pending_and_0_once_delivered(
        tmp_path: Path, fake: FakeNuonuo) -> None:
    env = KioskEnv.create(tmp_path / "kiosk",
                          nuonuo_toml(tmp_path / "kiosk", fake.gateway_url, fake.token_url))
    assert env.run("orders", "import", str(env.write_orders([ORDER]))).returncode == 0
    fake.hold_documents()
    pending = env.run("issue", "--order", "2024060100017", "--buyer-name", "个人", "--json")
    assert pending.returncode == 1, (pending.stdout, pending.stderr)
    [line] = pending.stderr.strip().splitlines()  # one line
    [number] = [inv.number for inv in fake.platform.list_invoices(fake.platform.now().date())]
    assert number in line and "official PDF/OFD/XML are not downloaded yet" in line
    assert "run the same command again" in line
    fake.hold_documents(False)
    done = env.run("issue", "--order", "2024060100017", "--buyer-name", "个人", "--json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["invoice_number"] == number and data["status"] == "already_invoiced"
    official = data["official"]
    assert Path(official["ofd"]).read_bytes().startswith(b"PK")
    assert Path(data["pdf"]).read_bytes() == Path(official["pdf"]).read_bytes()
    assert Path(data["ofd"]).read_bytes() == Path(official["ofd"]).read_bytes()  # not our copy
    assert [c for c in fake.billing_codes() if c != "E9106"] == ["E0000"]


def test_issue_with_a_lapsed_clerk_session_exits_1_with_one_line(
        tmp_path: Path, fake: FakeNuonuo) -> None:
    env = KioskEnv.create(tmp_path / "kiosk",
                          nuonuo_toml(tmp_path / "kiosk", fake.gateway_url, fake.token_url))
    assert env.run("orders", "import", str(env.write_orders([ORDER]))).returncode == 0
    fake.lapse_operator_session()
    done = env.run("issue", "--order", "2024060100017", "--buyer-name", "个人", "--json")
    assert done.returncode == 1, (done.stdout, done.stderr)
    assert json.loads(done.stdout)["status"] == "out_of_service"
    [line] = done.stderr.strip().splitlines()
    assert "out_of_service" in line and "face verification" in line
    doctor = env.run("doctor", "--json")  # another process: it knows, and says what to do
    assert "sign in to Nuonuo" in doctor.stdout
    assert fake.platform.list_invoices(fake.platform.now().date()) == []


def test_lost_answer_then_rerun_resubmits_the_same_order_no(tmp_path: Path,
                                                            fake: FakeNuonuo) -> None:
    env = KioskEnv.create(tmp_path / "kiosk",
                          nuonuo_toml(tmp_path / "kiosk", fake.gateway_url, fake.token_url))
    assert env.run("orders", "import", str(env.write_orders([ORDER]))).returncode == 0
    fake.lose_next("nuonuo.OpeMplatform.requestBillingNew")
    first = env.run("issue", "--order", "2024060100017", "--buyer-name", "个人", "--json")
    second = env.run("issue", "--order", "2024060100017", "--buyer-name", "个人", "--json")
    assert second.returncode == 0, (first.stdout, second.stderr)
    order_nos = {order_no for order_no, _ in fake.state.billing}
    assert len(order_nos) == 1  # never a new orderNo after a lost answer
    assert [c for c in fake.billing_codes() if c != "E9106"] == ["E0000"]
    assert len(fake.platform.list_invoices(fake.platform.now().date())) == 1


def test_config_check_refuses_a_secret_readable_by_others(tmp_path: Path) -> None:
    env = KioskEnv.create(tmp_path / "kiosk", nuonuo_toml(
        tmp_path / "kiosk", "http://127.0.0.1:9/open/v1/services", "http://127.0.0.1:9/accessToken"))
    (tmp_path / "kiosk" / "nuonuo.secret").chmod(0o644)
    done = env.run("config", "check")
    assert done.returncode == 2 and "readable by others" in done.stderr and "chmod 600" in done.stderr


def test_sandbox_serve_flavour_nuonuo(tmp_path: Path) -> None:
    env = KioskEnv.create(tmp_path / "kiosk", nuonuo_toml(
        tmp_path / "kiosk", "http://127.0.0.1:9/open/v1/services", "http://127.0.0.1:9/accessToken"))
    proc = env.popen("sandbox", "serve", "--flavour", "nuonuo", "--port", "0")
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        assert "fake Nuonuo platform listening" in line and "/open/v1/services" in line
        token_url = line.split('token_url = "')[1].split('"')[0]
        form = f"client_id={KEY}&client_secret={SECRET}&grant_type=client_credentials"
        import urllib.request

        with urllib.request.urlopen(token_url, data=form.encode(), timeout=10) as resp:
            answer = json.loads(resp.read())
        assert answer["expires_in"] == 86400 and len(answer["access_token"]) == 32
    finally:
        os.kill(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
        assert proc.returncode == 0


def _kill_while_held(env: KioskEnv, fake: FakeNuonuo, method: str, *args: str) -> None:
    """Start ``kiosk ARGS``, hold the answer to its ``method`` call (processed), SIGKILL it."""
    fake.delaying.clear()
    fake.delay_next(method, 60.0)
    proc = env.popen(*args)
    try:
        assert fake.delaying.wait(60), "the kiosk never reached the fake"
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.communicate(timeout=30)
    assert proc.returncode == -signal.SIGKILL


def test_sigkill_mid_issue_and_mid_red_loses_and_duplicates_nothing(
        tmp_path: Path, fake: FakeNuonuo) -> None:
    from kiosk.platform.nuonuo_red import RED_ISSUE, RED_SAVE

    env = KioskEnv.create(tmp_path / "kiosk",
                          nuonuo_toml(tmp_path / "kiosk", fake.gateway_url, fake.token_url))
    assert env.run("orders", "import", str(env.write_orders([ORDER]))).returncode == 0
    issue = ("issue", "--order", "2024060100017", "--buyer-name", "个人", "--json")
    _kill_while_held(env, fake, "nuonuo.OpeMplatform.requestBillingNew", *issue)
    done = env.run(*issue)  # asks first, resubmits the same orderNo at most
    assert done.returncode == 0, done.stderr
    blue = json.loads(done.stdout)["invoice_number"]
    assert [c for c in fake.billing_codes() if c != "E9106"] == ["E0000"]
    assert len({order_no for order_no, _ in fake.state.billing}) == 1
    assert len(fake.platform.list_invoices(fake.platform.now().date())) == 1

    red_file = ("red", "file", "--invoice", blue, "--reason", "1", "--json")
    _kill_while_held(env, fake, RED_SAVE, *red_file)
    filed = env.run(*red_file)  # the same billId: 申请号重复, read back
    assert filed.returncode == 0, filed.stderr
    form = json.loads(filed.stdout)["form_number"]
    with fake.platform._db() as db:
        assert db.conn.execute("SELECT count(*) FROM red_forms").fetchone()[0] == 1

    red_issue = ("red", "issue", form, "--json")
    _kill_while_held(env, fake, RED_ISSUE, *red_issue)
    issued = env.run(*red_issue)
    assert issued.returncode == 0, issued.stderr
    red = json.loads(issued.stdout)["invoice_number"]
    reds = [i for i in fake.platform.list_invoices(fake.platform.now().date())
            if i.colour.value == "red"]
    assert [i.number for i in reds] == [red]
