"""``kiosk issue`` as a real subprocess: JSON out, files on disk, one invoice per order,
even when the kiosk process is SIGKILLed in the middle of an issue call."""

from __future__ import annotations

import json
import signal
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kiosk.model import InvoiceRequest
from kiosk.platform.sandbox import SandboxPlatform
from tests.helpers.kioskenv import KioskEnv
from tests.helpers.platform import APP_KEY, APP_SECRET, SELLER, running_server

pytestmark = pytest.mark.e2e

ORDER = {
    "order_no": "2024060100017", "paid_at": "2024-06-01T12:30:00+08:00",
    "lines": [
        {"name": "工作日午餐套餐", "short_name": "餐饮服务", "tax_code": "3070401000000000000",
         "quantity": "2", "unit_price": "38.00", "amount": "76.00", "rate": "0.06", "unit": "份"},
        {"name": "矿泉水", "short_name": "非酒精饮料", "tax_code": "1030307020000000000",
         "quantity": "1", "unit_price": "3.00", "amount": "3.00", "rate": "0.13", "unit": "瓶"},
    ],
}
SELLER_TOML = f'[seller]\nname = "{SELLER.name}"\ntax_id = "{SELLER.tax_id}"\n'


def sandbox_invoices(db: Path, order_no: str) -> list[str]:
    with sqlite3.connect(db) as conn:
        return [r[0] for r in conn.execute(
            "SELECT invoice_number FROM invoice_orders WHERE order_no = ?", [order_no])]


def outbox_status(env: KioskEnv) -> list[str]:
    with sqlite3.connect(env.data / "kiosk.db") as conn:
        return [r[0] for r in conn.execute("SELECT status FROM issue_requests")]


@pytest.fixture()
def env(tmp_path: Path) -> KioskEnv:
    env = KioskEnv.create(tmp_path, SELLER_TOML)
    done = env.run("orders", "import", str(env.write_orders([ORDER])))
    assert done.returncode == 0, done.stderr
    return env


def issue(env: KioskEnv, *extra: str) -> tuple[int, dict[str, Any] | None, str]:
    done = env.run("issue", "--order", "2024060100017", "--buyer-name", "张三", "--json", *extra)
    data = json.loads(done.stdout) if done.stdout.strip() else None
    return done.returncode, data, done.stderr


def test_issue_twice_gives_one_invoice_with_files(env: KioskEnv) -> None:
    receipt = env.root / "slip.bin"
    code, data, err = issue(env, "--email", "zhang@example.com", "--receipt-out", str(receipt))
    assert code == 0, err
    assert data is not None and data["status"] == "issued"
    assert (data["net"], data["tax"], data["total"]) == ("74.35", "4.65", "79.00")  # 76 @6% -> 4.30 tax; 3 @13% -> 0.35
    assert len(data["invoice_number"]) == 20 and data["download_url"].startswith("http")
    xml, pdf = Path(data["xml"]), Path(data["pdf"])
    assert xml.read_bytes().startswith(b"<?xml") and data["invoice_number"].encode() in xml.read_bytes()
    assert pdf.read_bytes().startswith(b"%PDF")
    ofd = Path(data["ofd"])  # the OFD copy beside them (issue 14 item 6), read by ofdkit
    assert ofd.parent == xml.parent and ofd.read_bytes().startswith(b"PK")
    import ofdkit

    read = ofdkit.extract_invoice(ofd.read_bytes())
    assert read is not None and read.invoice_number == data["invoice_number"]
    assert read.total_amount == data["total"]
    slip = receipt.read_bytes()
    assert slip.startswith(b"\x1b@") and b"\x1dV" in slip  # ESC @ ... GS V (cut)
    assert "开票凭条".encode("gb18030") in slip
    [mail] = list((env.data / "maildir" / "new").iterdir())
    import email

    attached = {part.get_filename(): part.get_payload(decode=True)
                for part in email.message_from_bytes(mail.read_bytes()).walk()
                if part.get_filename()}
    assert attached[ofd.name] == ofd.read_bytes()  # the OFD copy goes out with the XML and PDF
    assert err == ""

    code2, again, _ = issue(env, "--buyer-tax-id", "11010519491231002X")
    assert code2 == 0 and again is not None
    assert again["status"] == "already_invoiced"
    assert again["invoice_number"] == data["invoice_number"] and again["ofd"] == data["ofd"]
    assert sandbox_invoices(env.data / "sandbox.db", "2024060100017") == [data["invoice_number"]]
    assert len(list((env.data / "maildir" / "new").iterdir())) == 1


@pytest.mark.parametrize(("args", "expect"), [
    (["--order", "NOPE"], "no order NOPE"),
    (["--order", "2024060100017", "--buyer-tax-id", "91350200776049653B"], "--buyer-tax-id"),
    (["--order", "2024060100017", "--kind", "special"], "special"),
    (["--order", "2024060100017", "--email", "not-an-address"], "--email"),
])
def test_errors_are_one_line_and_leave_nothing(env: KioskEnv, args: list[str], expect: str) -> None:
    receipt = env.root / "slip.bin"
    done = env.run("issue", "--buyer-name", "张三", "--json", "--receipt-out", str(receipt), *args)
    assert done.returncode == 1
    assert done.stdout == ""
    line = done.stderr.strip()
    assert line.count("\n") == 0 and expect.lower() in line.lower(), line
    assert "Traceback" not in done.stderr
    assert not receipt.exists()
    assert not (env.data / "documents").exists() or not any((env.data / "documents").iterdir())
    assert outbox_status(env) == []  # refused before anything was recorded or sent


class _KillableSandbox(SandboxPlatform):
    """The real sandbox; ``issue`` waits (latency fault) so the kiosk can be killed meanwhile."""

    finished = threading.Event()

    def issue(self, request: InvoiceRequest) -> Any:  # type: ignore[override]
        try:
            return super().issue(request)
        finally:
            self.finished.set()


@pytest.fixture()
def remote_env(tmp_path: Path) -> Iterator[tuple[KioskEnv, _KillableSandbox, Any]]:
    platform = _KillableSandbox(tmp_path / "platform.db", SELLER,
                                monthly_quota=__import__("decimal").Decimal("100000"))
    platform.finished = threading.Event()
    with running_server(platform) as server:
        toml = SELLER_TOML + (f'[platform]\nbackend = "remote"\n[platform.remote]\n'
                              f'base_url = "{server.base_url}"\napp_key = "{APP_KEY}"\n'
                              f'app_secret = "{APP_SECRET}"\ntimeout_s = 60.0\n')
        env = KioskEnv.create(tmp_path / "kiosk", toml)
        assert env.run("orders", "import", str(env.write_orders([ORDER]))).returncode == 0
        yield env, platform, server
    platform.close()


def _start_and_kill_while_waiting(env: KioskEnv, platform: _KillableSandbox) -> None:
    original = platform.issue

    def slow_issue(request: InvoiceRequest) -> Any:
        platform.faults.set(latency_s=60)  # only the issue call waits, not the order queries
        return original(request)

    platform.issue = slow_issue  # type: ignore[method-assign]
    proc = env.popen("issue", "--order", "2024060100017", "--buyer-name", "张三", "--json")
    try:
        assert platform.faults.waiting.wait(30), "the kiosk never reached the platform"
        assert outbox_status(env) == ["sent"]  # recorded durably before it was sent
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.communicate(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    platform.issue = original  # type: ignore[method-assign]


def test_sigkill_mid_issue_platform_committed(remote_env: tuple[KioskEnv, Any, Any]) -> None:
    env, platform, _ = remote_env
    _start_and_kill_while_waiting(env, platform)
    platform.faults.clear()  # the platform finishes the orphaned call: the invoice exists
    assert platform.finished.wait(30)
    [number] = sandbox_invoices(platform.db_path, "2024060100017")
    code, data, err = issue(env)  # the kiosk asks first and takes that invoice
    assert code == 0, err
    assert data is not None and data["status"] == "issued" and data["invoice_number"] == number
    code, again, _ = issue(env)
    assert again is not None and again["status"] == "already_invoiced"
    assert sandbox_invoices(platform.db_path, "2024060100017") == [number]


def test_sigkill_mid_issue_platform_lost_it(remote_env: tuple[KioskEnv, Any, Any]) -> None:
    env, platform, server = remote_env
    _start_and_kill_while_waiting(env, platform)
    platform.faults.crash()  # the orphaned call dies too: nothing committed
    assert platform.finished.wait(30)
    assert sandbox_invoices(platform.db_path, "2024060100017") == []
    revived = SandboxPlatform(platform.db_path, SELLER, monthly_quota=platform.monthly_quota)
    server.platform = revived
    try:
        code, data, err = issue(env)  # never seen by the platform: re-sent under the same id
        assert code == 0, err
        assert data is not None and data["status"] == "issued"
        assert sandbox_invoices(platform.db_path, "2024060100017") == [data["invoice_number"]]
    finally:
        server.platform = platform
        revived.close()


def test_platform_down_queues_exit_3(env: KioskEnv, tmp_path: Path) -> None:
    from tests.helpers.smtp import free_port

    down = f'[platform]\nbackend = "remote"\n[platform.remote]\nbase_url = "http://127.0.0.1:{free_port()}"\nretries = 0\n'
    original = env.config.read_text(encoding="utf-8")
    env.config.write_text(original + down, encoding="utf-8")
    code, data, err = issue(env)
    assert code == 3 and data is not None and data["status"] == "queued"
    assert data["invoice_number"] is None and "not issued yet" in err and err.count("\n") == 1
    assert outbox_status(env) == ["pending"]
    listed = env.run("pending", "--json")
    assert listed.returncode == 3
    assert json.loads(listed.stdout)["orders"] == ["2024060100017"]
    env.config.write_text(original, encoding="utf-8")  # the platform is back (embedded sandbox)
    resolved = env.run("pending", "--resolve", "--json")
    assert resolved.returncode == 0, resolved.stderr
    assert json.loads(resolved.stdout.splitlines()[0])["status"] == "issued"
    assert len(sandbox_invoices(env.data / "sandbox.db", "2024060100017")) == 1
