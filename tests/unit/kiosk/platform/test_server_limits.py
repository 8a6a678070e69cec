"""Limits that keep one client from holding the sandbox server (issue 15, items 6 and 7).

A client trickling a byte at a time must not keep a request open forever, nor
keep ``kiosk sandbox serve`` from stopping on SIGTERM; a replayed signed request
is refused after a restart; deeply nested JSON is a 400, not a 500. Real
sockets and a real subprocess; waits are on events, with generous bounds.
"""

from __future__ import annotations

import re
import signal
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.platform.sandbox import SandboxPlatform
from kiosk.platform.server import SandboxServer
from tests.helpers.kioskenv import KioskEnv
from tests.helpers.platform import KEYS, MutableClock, make_sandbox


class Trickler:
    """Sends ``data`` one byte per ``every`` seconds until the server closes the connection."""

    def __init__(self, address: tuple[str, int], data: bytes, every: float = 0.1) -> None:
        self.sock = socket.create_connection(address, timeout=10)
        self.data = data
        self.every = every
        self.closed_by_server = threading.Event()
        self.quit = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> Trickler:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.quit.set()
        self.thread.join(10)
        self.sock.close()

    def _run(self) -> None:
        i = 0
        while not self.quit.wait(self.every):
            try:
                self.sock.send(self.data[i % len(self.data):i % len(self.data) + 1])
                i += 1
                self.sock.settimeout(0.0)
                try:
                    if self.sock.recv(1) == b"":
                        break  # orderly close by the server
                except BlockingIOError:
                    pass
                finally:
                    self.sock.settimeout(10)
            except OSError:
                break  # reset by the server
        self.closed_by_server.set()


@pytest.fixture
def sandbox(tmp_path: Path) -> Iterator[SandboxPlatform]:
    sb = make_sandbox(tmp_path, MutableClock())
    yield sb
    sb.close()


# A request that never ends: headers trickle on forever.
ENDLESS = b"GET /v1/health HTTP/1.1\r\nHost: x\r\n" + b"X-Pad: " + b"a" * 10_000


def test_a_trickling_request_is_cut_at_its_read_deadline(sandbox: SandboxPlatform) -> None:
    server = SandboxServer(("127.0.0.1", 0), sandbox, KEYS, read_deadline_s=0.5)
    server.start(poll_interval=0.02)
    try:
        with Trickler(server.server_address[:2], ENDLESS) as client:
            assert client.closed_by_server.wait(30), "the trickling client was never cut off"
    finally:
        server.stop()


def test_stop_cuts_a_connection_still_reading_its_request(sandbox: SandboxPlatform) -> None:
    server = SandboxServer(("127.0.0.1", 0), sandbox, KEYS)  # the default 20 s deadline
    server.start(poll_interval=0.02)
    stopped = threading.Event()
    with Trickler(server.server_address[:2], ENDLESS) as client:
        threading.Thread(target=lambda: (server.stop(), stopped.set()), daemon=True).start()
        assert stopped.wait(10), "stop() waited for a client that is still trickling"
        assert client.closed_by_server.wait(10)


def test_sandbox_serve_stops_on_sigterm_despite_a_trickling_client(tmp_path: Path) -> None:
    env = KioskEnv.create(tmp_path)
    proc = env.popen("sandbox", "serve", "--port", "0")
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        m = re.search(r"http://127\.0\.0\.1:(\d+)", line)
        assert m, (line, proc.stderr.read() if proc.poll() is not None and proc.stderr else "")
        with Trickler(("127.0.0.1", int(m.group(1))), ENDLESS, every=0.2):
            proc.send_signal(signal.SIGTERM)
            assert proc.wait(timeout=20) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def _send(server: SandboxServer, method: str, path: str, headers: dict[str, str],
          body: bytes = b"") -> tuple[int, dict[str, object]]:
    import http.client
    import json

    host, port = server.server_address[:2]
    conn = http.client.HTTPConnection(str(host), int(port), timeout=10)
    try:
        conn.request(method, path, body=body or None, headers=headers)
        resp = conn.getresponse()
        return resp.status, json.loads(resp.read())
    finally:
        conn.close()


def test_a_replayed_request_is_refused_after_a_restart(tmp_path: Path) -> None:
    from kiosk.platform.signing import sign_headers
    from tests.helpers.platform import APP_KEY, APP_SECRET

    headers = sign_headers(APP_KEY, APP_SECRET, "GET", "/v1/quota")
    first = make_sandbox(tmp_path, MutableClock())
    server = SandboxServer(("127.0.0.1", 0), first, KEYS)
    server.start(poll_interval=0.02)
    try:
        assert _send(server, "GET", "/v1/quota", headers)[0] == 200
        assert _send(server, "GET", "/v1/quota", headers)[0] == 401
    finally:
        server.stop()
        first.close()
    again = make_sandbox(tmp_path, MutableClock())  # a restart: same database file
    server = SandboxServer(("127.0.0.1", 0), again, KEYS)
    server.start(poll_interval=0.02)
    try:
        status, body = _send(server, "GET", "/v1/quota", headers)
        assert status == 401, body
        assert body["error"]["code"] == "AUTH_REPLAY"  # type: ignore[index]
        fresh = sign_headers(APP_KEY, APP_SECRET, "GET", "/v1/quota")
        assert _send(server, "GET", "/v1/quota", fresh)[0] == 200
    finally:
        server.stop()
        again.close()


@pytest.mark.parametrize("body", [b"[" * 100_000, b'{"request": ' * 50_000])
def test_deeply_nested_json_is_a_bad_request(sandbox: SandboxPlatform, body: bytes) -> None:
    from kiosk.platform.signing import sign_headers
    from tests.helpers.platform import APP_KEY, APP_SECRET

    server = SandboxServer(("127.0.0.1", 0), sandbox, KEYS)
    server.start(poll_interval=0.02)
    try:
        headers = sign_headers(APP_KEY, APP_SECRET, "POST", "/v1/invoices", body)
        status, answer = _send(server, "POST", "/v1/invoices", headers, body)
    finally:
        server.stop()
    assert status == 400, answer
    assert answer["error"]["code"] == "BAD_REQUEST"  # type: ignore[index]
