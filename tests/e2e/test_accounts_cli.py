"""``kiosk accounts ...`` and ``kiosk issue --account`` as real subprocesses (issue 12 item 8)."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest

from tests.e2e.test_issue_cli import ORDER, SELLER_TOML
from tests.helpers.kioskenv import KioskEnv

pytestmark = pytest.mark.e2e

STRONG = "violet-harbour-7-lantern"
CODE = "91350200776049653A"


def run(env: KioskEnv, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(env.argv(*args), env=env.environ(), cwd=env.root, input=stdin,
                          capture_output=True, text=True, timeout=60)


@pytest.fixture(scope="module")
def prepared(tmp_path_factory: pytest.TempPathFactory) -> KioskEnv:
    """The order and three accounts, made once (four ``kiosk`` starts and three scrypt
    hashes); each test gets its own copy of the folder."""
    env = KioskEnv.create(tmp_path_factory.mktemp("accounts"), SELLER_TOML)
    assert run(env, "orders", "import", str(env.write_orders([ORDER]))).returncode == 0
    made = [
        run(env, "accounts", "create", "acme", "--kind", "enterprise", "--name", "示例科技有限公司",
            "--tax-id", CODE, "--phone", "13800000001", stdin=STRONG + "\n"),
        run(env, "accounts", "create", "zhao", "--kind", "person", "--name", "赵六",
            "--phone", "13800000004", "--email", "zhao.liu@example.com",
            "--enterprise", "acme", "--role", "viewer", stdin=STRONG + "\n"),
        run(env, "accounts", "create", "li", "--kind", "person", "--phone", "13800000003",
            "--enterprise", "acme", "--role", "issuer", stdin=STRONG + "\n"),
    ]
    for done in made:
        assert done.returncode == 0, done.stderr
    return env


@pytest.fixture()
def env(prepared: KioskEnv, tmp_path: Path) -> KioskEnv:
    root = shutil.copytree(prepared.root, tmp_path / "env")
    return KioskEnv(root=root, data=root / prepared.data.name, config=root / prepared.config.name)


def test_list_json_shows_roles_and_masks_contacts(env: KioskEnv) -> None:
    done = run(env, "accounts", "list", "--json")
    assert done.returncode == 0, done.stderr
    rows = {r["username"]: r for r in json.loads(done.stdout)}
    assert (rows["zhao"]["enterprise"], rows["zhao"]["role"]) == ("acme", "viewer")
    assert rows["zhao"]["phone"] == "138****0004" and rows["zhao"]["email"] == "z***@example.com"
    assert rows["acme"]["kind"] == "enterprise" and rows["acme"]["tax_id"] == CODE
    assert "13800000004" not in done.stdout
    text = run(env, "accounts", "list")
    assert "viewer@acme" in text.stdout and "13800000004" not in text.stdout


def test_weak_password_and_bad_credit_code_are_refused(env: KioskEnv) -> None:
    weak = run(env, "accounts", "create", "x", "--kind", "person", stdin="password1\n")
    assert weak.returncode == 1 and "too easy to guess" in weak.stderr
    bad = run(env, "accounts", "create", "y", "--kind", "enterprise", "--name", "某公司",
              "--tax-id", CODE[:-1] + "B", stdin=STRONG + "\n")
    assert bad.returncode == 1 and "refused" in bad.stderr
    none = run(env, "accounts", "create", "z", "--kind", "person")
    assert none.returncode == 1 and "standard input" in none.stderr


def test_viewer_may_not_issue_on_the_command_line(env: KioskEnv) -> None:
    done = run(env, "issue", "--order", ORDER["order_no"], "--buyer-name", "示例科技有限公司",
               "--buyer-tax-id", CODE, "--account", "zhao", "--json")
    assert done.returncode == 1
    assert "viewer" in done.stderr and "may not issue" in done.stderr
    with sqlite3.connect(env.data / "kiosk.db") as conn:  # nothing recorded, nothing sent
        assert conn.execute("SELECT COUNT(*) FROM issue_requests").fetchone()[0] == 0


def test_issuer_issues_and_disabled_issuer_is_refused(env: KioskEnv) -> None:
    assert run(env, "accounts", "disable", "li").returncode == 0
    refused = run(env, "issue", "--order", ORDER["order_no"], "--buyer-name", "示例科技有限公司",
                  "--buyer-tax-id", CODE, "--account", "li", "--json")
    assert refused.returncode == 1 and "may not issue" in refused.stderr
    run(env, "accounts", "create", "wu", "--kind", "person", "--enterprise", "acme",
        "--role", "issuer", stdin=STRONG + "\n")
    done = run(env, "issue", "--order", ORDER["order_no"], "--buyer-name", "示例科技有限公司",
               "--buyer-tax-id", CODE, "--account", "wu", "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["status"] == "issued"


def test_reset_password_and_audit(env: KioskEnv) -> None:
    done = run(env, "accounts", "reset-password", "zhao", stdin="copper-meadow-92-quietly\n")
    assert done.returncode == 0, done.stderr
    unknown = run(env, "accounts", "reset-password", "nobody", stdin=STRONG + "\n")
    assert unknown.returncode == 1 and "no such account" in unknown.stderr
    shown = run(env, "audit", "show", "--action", "accounts", "--json")
    actions = [json.loads(line)["action"] for line in shown.stdout.splitlines()]
    assert actions.count("accounts.role_added") == 2 and "accounts.password_reset" in actions
