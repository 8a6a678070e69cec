"""Reliability: kill -9 during red-letter corrections, and during issuing over HTTP
(issue 15, item 10).

Same invariants as ``test_kill_and_race``: whatever point a kill lands on, the
platform holds at most one invoice per order (blue) or per form (red), and once
the kiosk runs again (``pending --resolve``, then the same command) the kiosk
reports exactly that one. Kill points are the processes' own log events, read
from the JSON log, so nothing depends on timing: a run that ended before its
kill point is a run without a kill, and the invariants hold the same.

The HTTP runs use a real ``kiosk sandbox serve`` subprocess; besides killing
``kiosk issue``, the SERVER is killed while it handles the issue call and then
restarted on the same port (the kiosk must query, never issue twice).
"""

from __future__ import annotations

import json
import re
import socket
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers.kioskenv import KioskEnv
from tests.reliability.test_kill_and_race import _log_events, _order

pytestmark = pytest.mark.e2e

RED_POINTS = ["corrections.sent", "audit.recorded", "corrections.red_issued"]
# ``kiosk pending --resolve`` (what start-up does) killed while it finishes a request
RESOLVE_POINTS = ["issuing.sent", "platform.sandbox.issued", "audit.recorded"]
REMOTE_POINTS = ["issuing.recorded", "issuing.sent", "audit.recorded", "issuing.issued"]
# (whose log, event): the server killed just as the kiosk sends (the call may not have
# arrived), and just after the server committed the invoice (the answer is lost).
SERVER_POINTS = [("kiosk", "issuing.sent"), ("server", "platform.sandbox.issued")]
KILLED: list[str] = []


def kill_at(env: KioskEnv, log: Path, point: str, proc_args: list[str],
            victim: subprocess.Popen[str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``kiosk PROC_ARGS``; SIGKILL ``victim`` (default: that process) once ``point`` is
    logged in ``log``. Returns what the kiosk process did."""
    offset = log.stat().st_size if log.exists() else 0
    proc = env.popen(*proc_args)
    target = victim or proc
    try:
        while proc.poll() is None:
            events, offset = _log_events(log, offset)
            if point in events:
                target.kill()
                KILLED.append(point)
                break
            try:
                proc.wait(timeout=0.005)
            except subprocess.TimeoutExpired:
                pass
    finally:
        out, err = proc.communicate(timeout=180)
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


# --- red letters on the embedded platform ------------------------------------------------------

@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> KioskEnv:
    env = KioskEnv.create(tmp_path_factory.mktemp("red"))
    orders = [_order(f"B{i}") for i in range(len(RED_POINTS))]
    orders += [_order(f"P{i}") for i in range(len(RESOLVE_POINTS))]
    assert env.run("orders", "import", str(env.write_orders(orders))).returncode == 0
    return env


def reds_for(env: KioskEnv, form: str) -> list[str]:
    with sqlite3.connect(env.data / "sandbox.db") as conn:
        return [r[0] for r in conn.execute(
            "SELECT number FROM invoices WHERE colour = 'red' AND red_form_number = ?", [form])]


def red_form_for(env: KioskEnv, order_no: str) -> str:
    blue = env.run("issue", "--order", order_no, "--buyer-name", "个人", "--json")
    assert blue.returncode == 0, blue.stderr
    number = json.loads(blue.stdout)["invoice_number"]
    filed = env.run("red", "file", "--invoice", number, "--reason", "01", "--json")
    assert filed.returncode == 0, filed.stderr
    return str(json.loads(filed.stdout)["form_number"])


@pytest.mark.parametrize("i, point", list(enumerate(RED_POINTS)))
def test_kill_9_during_red_issue_loses_and_duplicates_nothing(env: KioskEnv, i: int,
                                                              point: str) -> None:
    form = red_form_for(env, f"B{i}")
    kill_at(env, env.data / "logs" / "kiosk.jsonl", point, ["red", "issue", form, "--json"])
    assert len(reds_for(env, form)) <= 1
    env.run("pending", "--resolve")
    again = env.run("red", "issue", form, "--json")
    assert again.returncode == 0, (again.stdout, again.stderr)
    result = json.loads(again.stdout)
    assert Path(result["pdf"]).is_file()
    assert reds_for(env, form) == [result["invoice_number"]]


def blue_for(env: KioskEnv, order_no: str) -> list[str]:
    with sqlite3.connect(env.data / "sandbox.db") as conn:
        return [r[0] for r in conn.execute(
            "SELECT invoice_number FROM invoice_orders WHERE order_no = ?", [order_no])]


@pytest.mark.parametrize("i, point", list(enumerate(RESOLVE_POINTS)))
def test_kill_9_during_resolve_loses_and_duplicates_nothing(env: KioskEnv, i: int,
                                                            point: str) -> None:
    order_no = f"P{i}"
    log = env.data / "logs" / "kiosk.jsonl"
    # leave the request recorded and unsent, as a power cut right after recording would
    kill_at(env, log, "issuing.recorded", ["issue", "--order", order_no, "--buyer-name", "个人",
                                           "--json"])
    kill_at(env, log, point, ["pending", "--resolve"])
    assert len(blue_for(env, order_no)) <= 1
    env.run("pending", "--resolve")
    again = env.run("issue", "--order", order_no, "--buyer-name", "个人", "--json")
    assert again.returncode == 0, (again.stdout, again.stderr)
    assert blue_for(env, order_no) == [json.loads(again.stdout)["invoice_number"]]


# --- issuing over HTTP: the kiosk killed, the server killed ---------------------------------

SECRET = "reliability-http-secret-0123456789"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Served:
    """``kiosk sandbox serve`` on a fixed port, restartable after a kill."""

    def __init__(self, env: KioskEnv, port: int) -> None:
        self.env, self.port = env, port
        self.proc: subprocess.Popen[str] | None = None

    def start(self) -> None:
        self.proc = self.env.popen("sandbox", "serve", "--port", str(self.port))
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()  # printed once it listens
        assert re.search(rf"127\.0\.0\.1:{self.port}", line), line

    def ensure(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            if self.proc is not None:
                self.proc.communicate(timeout=60)
            self.start()

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
        if self.proc is not None:
            self.proc.communicate(timeout=60)


@pytest.fixture(scope="module")
def remote(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[KioskEnv, Served]]:
    root = tmp_path_factory.mktemp("remote")
    port = free_port()
    keys = (f'[platform.remote]\nbase_url = "http://127.0.0.1:{port}"\n'
            f'app_key = "reliability"\napp_secret = "{SECRET}"\ntimeout_s = 20.0\n')
    server_env = KioskEnv.create(root / "server", "[platform.sandbox]\nserve_downloads = false\n"
                                 + keys.replace("timeout_s = 20.0\n", ""))
    kiosk = KioskEnv.create(root / "kiosk", '[platform]\nbackend = "remote"\n' + keys)
    served = Served(server_env, port)
    served.start()
    orders = [_order(f"H{i}") for i in range(len(REMOTE_POINTS))]
    orders += [_order(f"S{i}") for i in range(len(SERVER_POINTS))]
    assert kiosk.run("orders", "import", str(kiosk.write_orders(orders))).returncode == 0
    try:
        yield kiosk, served
    finally:
        served.stop()


def served_invoices(served: Served, order_no: str) -> list[str]:
    with sqlite3.connect(served.env.data / "sandbox.db") as conn:
        return [r[0] for r in conn.execute(
            "SELECT invoice_number FROM invoice_orders WHERE order_no = ?", [order_no])]


def recover_remote(kiosk: KioskEnv, served: Served, order_no: str) -> None:
    served.ensure()
    kiosk.run("pending", "--resolve")
    again = kiosk.run("issue", "--order", order_no, "--buyer-name", "个人", "--json")
    assert again.returncode == 0, (again.stdout, again.stderr)
    result = json.loads(again.stdout)
    assert Path(result["pdf"]).is_file()
    assert served_invoices(served, order_no) == [result["invoice_number"]]


@pytest.mark.parametrize("i, point", list(enumerate(REMOTE_POINTS)))
def test_kill_9_of_the_kiosk_over_http_loses_and_duplicates_nothing(
        remote: tuple[KioskEnv, Served], i: int, point: str) -> None:
    kiosk, served = remote
    served.ensure()
    kill_at(kiosk, kiosk.data / "logs" / "kiosk.jsonl", point,
            ["issue", "--order", f"H{i}", "--buyer-name", "个人", "--json"])
    assert len(served_invoices(served, f"H{i}")) <= 1
    recover_remote(kiosk, served, f"H{i}")


@pytest.mark.parametrize("i, where, point", [(i, w, p) for i, (w, p) in enumerate(SERVER_POINTS)])
def test_kill_9_of_the_server_mid_issue_loses_and_duplicates_nothing(
        remote: tuple[KioskEnv, Served], i: int, where: str, point: str) -> None:
    kiosk, served = remote
    served.ensure()
    assert served.proc is not None
    log = (kiosk if where == "kiosk" else served.env).data / "logs" / "kiosk.jsonl"
    done = kill_at(kiosk, log, point,
                   ["issue", "--order", f"S{i}", "--buyer-name", "个人", "--json"],
                   victim=served.proc)
    assert "Traceback" not in done.stderr
    # issued; accepted and not known yet (3); or issued with the platform's files not
    # fetched yet because the server died (1, saying so: issue 13's rule for `kiosk issue`)
    assert done.returncode in (0, 3) or (done.returncode == 1 and "is issued, but" in
                                         done.stderr), done.stderr
    assert len(served_invoices(served, f"S{i}")) <= 1
    recover_remote(kiosk, served, f"S{i}")


def test_the_kills_landed() -> None:
    assert len(KILLED) >= 4, KILLED
