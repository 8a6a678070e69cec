"""The real kiosk as a subprocess (``kiosk run``, offscreen, emulated devices, a temp data
dir), driven through its control socket (emulated scanner, screen taps), with the
assertions made on its JSON log events (``<data_dir>/logs/kiosk.jsonl``)."""

from __future__ import annotations

import json
import os
import queue
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kiosk.config import config_from_dict
from kiosk.orderqr import make_order_qr
from kiosk.orders import OrderStore
from kiosk.storage import connect

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]


class Kiosk:
    """The kiosk subprocess; ``send`` talks to its control socket (blocking reads with a
    timeout: the kiosk answers ``wait`` once the event happened, so nothing sleeps)."""

    def __init__(self, data_dir: Path, sock_path: Path) -> None:
        self.data_dir = data_dir
        self.log = data_dir / "logs" / "kiosk.jsonl"
        self.sock_path = sock_path
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "KIOSK_DATA_DIR": str(data_dir)}
        env.pop("INVOCATION_ID", None)
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "kiosk", "run", "--windowed", "--no-simulator",
             "--control", str(sock_path)],
            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.output: queue.Queue[str] = queue.Queue()
        self.lines: list[str] = []
        threading.Thread(target=self._pump, daemon=True).start()
        self.sock: socket.socket | None = None

    def _pump(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.output.put(line)
        self.output.put("")  # EOF

    def wait_ready(self, timeout: float = 60.0) -> None:
        """Block on the kiosk's own output until it says it is shown (its stderr log)."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                line = self.output.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                raise AssertionError(f"kiosk not ready within {timeout}s") from None
            self.lines.append(line)
            if line == "":
                raise AssertionError("kiosk exited: " + "".join(self.lines[-30:]))
            if "kiosk shown" in line:
                return

    def events(self) -> list[dict[str, Any]]:
        return [json.loads(line) for line in self.log.read_text("utf-8").splitlines() if line]

    def send(self, **command: Any) -> dict[str, Any]:
        if self.sock is None:
            self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            self.sock.settimeout(60)
            self.sock.connect(str(self.sock_path))
            self.reader = self.sock.makefile("rb")
        self.sock.sendall(json.dumps(command).encode() + b"\n")
        answer = json.loads(self.reader.readline())
        assert answer["ok"], answer
        return answer

    def wait_event(self, name: str, timeout: float = 30.0, **fields: Any) -> dict[str, Any]:
        seen = self.send(cmd="wait", event=name, fields=fields, timeout_ms=int(timeout * 1000))
        return seen["seen"]

    def stop(self) -> int:
        if self.sock is not None:
            self.sock.close()
        self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            raise


@pytest.fixture
def kiosk(tmp_path: Path) -> Iterator[Kiosk]:
    k = Kiosk(tmp_path / "data", tmp_path / "control.sock")
    try:
        k.wait_ready()
        yield k
    finally:
        if k.proc.poll() is None:
            k.stop()


def order_qr(kiosk: Kiosk, index: int) -> str:
    """The receipt QR of a demo order the kiosk seeded (read from its own database)."""
    db = connect(kiosk.data_dir / "kiosk.db")
    try:
        order = sorted(OrderStore(db).list(), key=lambda o: o.order_no)[index]
    finally:
        db.conn.close()
    return make_order_qr(order.order_no, order.total, config_from_dict({}).orders.qr_secret)


def test_walk_in_personal_invoice_through_the_real_kiosk(kiosk: Kiosk) -> None:
    kiosk.send(cmd="scan", text=order_qr(kiosk, 0))
    kiosk.wait_event("session.transition", to="review")  # the scan opens the review
    kiosk.send(cmd="tap", button="primary")  # confirm & issue: the one touch
    issued = kiosk.wait_event("session.transition", to="result")
    printed = kiosk.wait_event("session.printed")
    assert printed["session"] == issued["session"]
    assert kiosk.send(cmd="state")["screen"] == "result"
    kiosk.send(cmd="tap", button="primary")  # finish
    wiped = kiosk.wait_event("session.wiped", reason="finish")
    assert wiped["session"] == issued["session"]
    assert kiosk.stop() == 0  # the log is complete once the kiosk has exited
    transitions = [(e["from"], e["to"]) for e in kiosk.events()
                   if e["event"] == "session.transition" and e["session"] == issued["session"]]
    assert transitions == [("attract", "review"), ("review", "issuing"),
                           ("issuing", "result")]
    events = json.dumps(kiosk.events(), ensure_ascii=False)
    assert "session.started" in events and '"level": "ERROR"' not in events


def test_paper_out_and_a_forged_code_through_the_real_kiosk(kiosk: Kiosk) -> None:
    good = order_qr(kiosk, 1)
    kiosk.send(cmd="scan", text=good[:-3] + "AAA")  # the signature no longer matches
    kiosk.wait_event("session.transition", to="bad_qr", kind="altered")
    kiosk.send(cmd="paper", state="out")
    kiosk.send(cmd="scan", text=good)
    kiosk.wait_event("session.transition", to="review")
    kiosk.send(cmd="tap", button="primary")
    kiosk.wait_event("session.transition", to="printer_problem")
    assert kiosk.stop() == 0
