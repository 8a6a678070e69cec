"""``kiosk lookup``, ``kiosk reprint`` and ``kiosk red`` as real subprocesses on a real sandbox:
full and partial credits, the buyer's confirmation, a lost answer, exit codes."""

from __future__ import annotations

import json
import re
import sqlite3
import subprocess
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from kiosk.platform.sandbox import SandboxPlatform
from tests.e2e.test_issue_cli import ORDER, SELLER_TOML
from tests.helpers.kioskenv import KioskEnv
from tests.helpers.platform import APP_KEY, APP_SECRET, COMPANY, SELLER, running_server

pytestmark = pytest.mark.e2e

ORDER_NO = ORDER["order_no"]


@pytest.fixture()
def env(tmp_path: Path) -> KioskEnv:
    env = KioskEnv.create(tmp_path, SELLER_TOML)
    done = env.run("orders", "import", str(env.write_orders([ORDER])))
    assert done.returncode == 0, done.stderr
    return env


def run_json(env: KioskEnv, *args: str) -> tuple[int, Any, str]:
    done: subprocess.CompletedProcess[str] = env.run(*args)
    data = json.loads(done.stdout) if done.stdout.strip() else None
    assert "Traceback" not in done.stderr, done.stderr
    return done.returncode, data, done.stderr


def issue_blue(env: KioskEnv, *extra: str) -> dict[str, Any]:
    code, data, err = run_json(env, "issue", "--order", ORDER_NO, "--json", *extra)
    assert code == 0, err
    return data  # type: ignore[no-any-return]


def platform_reds(db: Path) -> list[str]:
    with sqlite3.connect(db) as conn:
        return [r[0] for r in conn.execute("SELECT number FROM invoices WHERE colour = 'red'")]


def test_full_red_reprint_and_a_new_invoice(env: KioskEnv) -> None:
    blue = issue_blue(env, "--buyer-name", "张三")["invoice_number"]
    code, found, err = run_json(env, "lookup", "--order", ORDER_NO, "--json")
    assert code == 0, err
    [entry] = found["invoices"]
    assert (entry["invoice_number"], entry["state"], entry["colour"]) == (blue, "issued", "blue")
    assert [ln["line"] for ln in entry["lines"]] == [1, 2]

    code, form, err = run_json(env, "red", "file", "--invoice", blue, "--reason", "1", "--json")
    assert code == 0, err
    assert form["status"] == "01" and form["total"] == "-79.00" and form["original_number"] == blue
    assert form["reason"] == "01" and form["void"] is False  # 1 is accepted as 01
    assert re.fullmatch(r"110108\d{4}\d{10}", form["form_number"])  # county + YYMM + 10 digits
    code, status, _ = run_json(env, "red", "status", form["form_number"], "--json")
    assert code == 0 and status["allows_red_invoice"] is True

    slip = env.root / "red.bin"
    code, red, err = run_json(env, "red", "issue", form["form_number"], "--json",
                              "--receipt-out", str(slip))
    assert code == 0, err
    assert red["status"] == "issued" and red["total"] == "-79.00"
    assert Path(red["xml"]).read_bytes().startswith(b"<?xml") and Path(red["pdf"]).is_file()
    data = slip.read_bytes()
    assert data.startswith(b"\x1b@") and "（红字）".encode("gb18030") in data
    assert blue.encode() in data  # the slip names the blue invoice it corrects
    code, again, _ = run_json(env, "red", "issue", form["form_number"], "--json")
    assert code == 0 and again["status"] == "already_invoiced"
    assert again["invoice_number"] == red["invoice_number"]
    assert platform_reds(env.data / "sandbox.db") == [red["invoice_number"]]

    code, found, _ = run_json(env, "lookup", "--order", ORDER_NO, "--json")
    states = {e["invoice_number"]: e["state"] for e in found["invoices"]}
    assert states == {blue: "credited", red["invoice_number"]: "red"}

    renewed = issue_blue(env, "--buyer-name", "张三")  # the order is free after a full credit
    assert renewed["status"] == "issued"
    assert renewed["invoice_number"] not in (blue, red["invoice_number"])
    assert issue_blue(env, "--buyer-name", "张三")["status"] == "already_invoiced"

    reprint = env.root / "again.bin"
    done = env.run("reprint", "--invoice", blue, "--receipt-out", str(reprint))
    assert done.returncode == 0, done.stderr
    assert reprint.read_bytes().startswith(b"\x1b@") and blue.encode() in reprint.read_bytes()

    day = renewed["issued_at"][:10]  # the platform's Beijing date
    code, report, err = run_json(env, "report", "daily", "--date", day, "--json")
    assert code == 0, (report, err)
    assert report["kiosk"]["blue"]["count"] == 2 and report["kiosk"]["red"]["count"] == 1
    assert report["kiosk"]["all"]["total"] == "79.00"


def test_company_partial_credit_waits_for_the_buyer(env: KioskEnv) -> None:
    blue = issue_blue(env, "--buyer-name", COMPANY.name, "--buyer-tax-id",
                      COMPANY.tax_id)["invoice_number"]
    code, form, err = run_json(env, "red", "file", "--invoice", blue, "--reason", "02",
                               "--line", "1:38.00", "--json")
    assert code == 0, err
    assert form["status"] == "02"
    assert [(ln["quantity"], ln["amount"], ln["tax"]) for ln in form["lines"]] == [
        ("-1", "-35.85", "-2.15")]
    done = env.run("red", "issue", form["form_number"], "--json")
    assert done.returncode == 1 and json.loads(done.stdout)["status"] == "rejected"
    assert "04" in done.stderr and done.stderr.count("\n") == 1
    code, confirmed, _ = run_json(env, "red", "confirm", form["form_number"], "--json")
    assert code == 0 and confirmed["status"] == "04"
    code, red, err = run_json(env, "red", "issue", form["form_number"], "--json")
    assert code == 0 and red["total"] == "-38.00", err
    code, found, _ = run_json(env, "lookup", "--invoice", blue, "--json")
    [entry] = found["invoices"]
    assert entry["state"] == "partly_credited" and entry["credited"] == "-38.00"
    assert entry["red_invoices"] == [red["invoice_number"]]
    assert issue_blue(env, "--buyer-name", "张三")["status"] == "already_invoiced"


@pytest.mark.parametrize(("args", "code", "expect"), [
    (["red", "file", "--invoice", "123", "--reason", "1"], 2, "20-digit"),
    (["red", "file", "--invoice", "26112000000000000001", "--reason", "1", "--line", "x"], 2,
     "INDEX:AMOUNT"),
    (["red", "file", "--invoice", "26112000000000000001", "--reason", "1"], 1, "no invoice"),
    (["red", "status", "SHORT"], 2, "20-character"),
    (["red", "status", "26112000000000000099"], 1, "no red-letter form"),
    (["red", "issue", "26112000000000000099"], 1, "no red invoice"),
    (["lookup", "--order", "NOPE"], 1, "no invoice for order NOPE"),
    (["lookup", "--order", "bad order"], 2, "--order"),
    (["reprint", "--invoice", "26112000000000000099", "--receipt-out", "x.bin"], 1, "no invoice"),
])
def test_errors_are_one_line(env: KioskEnv, args: list[str], code: int, expect: str) -> None:
    done = env.run(*args)
    assert done.returncode == code, done.stderr
    line = done.stderr.strip()
    assert "Traceback" not in done.stderr and line.count("\n") == 0
    assert expect.lower() in line.lower(), line
    assert not (env.root / "x.bin").exists()


def test_too_much_on_a_line_is_refused(env: KioskEnv) -> None:
    blue = issue_blue(env, "--buyer-name", "张三")["invoice_number"]
    done = env.run("red", "file", "--invoice", blue, "--reason", "4", "--line", "2:3.01")
    assert done.returncode == 1 and "exceeds" in done.stderr


@pytest.fixture()
def remote_env(tmp_path: Path) -> Iterator[tuple[KioskEnv, SandboxPlatform]]:
    platform = SandboxPlatform(tmp_path / "platform.db", SELLER, monthly_quota=Decimal("100000"))
    with running_server(platform) as server:
        toml = SELLER_TOML + (f'[platform]\nbackend = "remote"\n[platform.remote]\n'
                              f'base_url = "{server.base_url}"\napp_key = "{APP_KEY}"\n'
                              f'app_secret = "{APP_SECRET}"\nretries = 0\n')
        env = KioskEnv.create(tmp_path / "kiosk", toml)
        assert env.run("orders", "import", str(env.write_orders([ORDER]))).returncode == 0
        yield env, platform
    platform.close()


def test_lost_answer_over_http_gives_one_red_invoice(remote_env: tuple[KioskEnv, Any]) -> None:
    env, platform = remote_env
    blue = issue_blue(env, "--buyer-name", "张三")["invoice_number"]
    code, form, err = run_json(env, "red", "file", "--invoice", blue, "--reason", "1", "--json")
    assert code == 0, err
    platform.faults.set(timeout_after_commit=1)  # the server drops the red invoice's answer
    code, red, err = run_json(env, "red", "issue", form["form_number"], "--json")
    assert code == 0, err
    assert red["status"] == "issued"  # found by asking about the form, not by sending again
    assert platform_reds(platform.db_path) == [red["invoice_number"]]
    platform.faults.set(unavailable=True)
    code, later, err = run_json(env, "red", "status", form["form_number"], "--json")
    assert code == 3 and later is None and "cannot be asked" in err
    code, found, _ = run_json(env, "lookup", "--invoice", blue, "--json")  # the kiosk's record
    assert code == 0 and found["invoices"][0]["state"] == "credited"


def test_red_issue_while_down_is_queued_then_resolved(env: KioskEnv, tmp_path: Path) -> None:
    from tests.helpers.smtp import free_port

    blue = issue_blue(env, "--buyer-name", "张三")["invoice_number"]
    code, form, err = run_json(env, "red", "file", "--invoice", blue, "--reason", "1", "--json")
    assert code == 0, err
    original = env.config.read_text(encoding="utf-8")
    env.config.write_text(original + f'[platform]\nbackend = "remote"\n[platform.remote]\n'
                          f'base_url = "http://127.0.0.1:{free_port()}"\nretries = 0\n',
                          encoding="utf-8")
    code, queued, err = run_json(env, "red", "issue", form["form_number"], "--json")
    assert code == 3 and queued["status"] == "queued" and "not issued yet" in err
    listed = env.run("pending", "--json")
    assert listed.returncode == 3
    assert json.loads(listed.stdout)["form_number"] == form["form_number"]
    env.config.write_text(original, encoding="utf-8")  # the platform is back
    resolved = env.run("pending", "--resolve", "--json")
    assert resolved.returncode == 0, resolved.stderr
    assert json.loads(resolved.stdout.splitlines()[0])["status"] == "issued"
    assert len(platform_reds(env.data / "sandbox.db")) == 1
