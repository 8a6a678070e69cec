"""The sandbox HTTP server beyond the contract: admin faults, bad requests, download pages."""

from __future__ import annotations

import http.client
import json
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from kiosk.platform.sandbox import SandboxPlatform
from kiosk.platform.server import SandboxServer
from kiosk.platform.signing import sign_headers
from tests.helpers.platform import (
    APP_KEY,
    APP_SECRET,
    COMPANY,
    MutableClock,
    make_request,
    make_sandbox,
    remote_for,
    running_server,
)


def call(server: SandboxServer, method: str, path: str, payload: Any = None,
         raw: bytes | None = None) -> tuple[int, dict]:
    body = raw if raw is not None else (b"" if payload is None else json.dumps(payload).encode())
    host, port = server.server_address[:2]
    conn = http.client.HTTPConnection(str(host), int(port), timeout=10)
    try:
        conn.request(method, path, body=body or None,
                     headers=sign_headers(APP_KEY, APP_SECRET, method, path, body))
        resp = conn.getresponse()
        return resp.status, json.loads(resp.read())
    finally:
        conn.close()


@pytest.fixture
def sandbox(tmp_path: Path) -> Iterator[SandboxPlatform]:
    sb = make_sandbox(tmp_path, MutableClock())
    yield sb
    sb.close()


def test_faults_admin_is_off_unless_enabled(sandbox: SandboxPlatform) -> None:
    with running_server(sandbox) as server:
        status, body = call(server, "POST", "/admin/faults", {"unavailable": True})
    assert status == 404 and body["error"]["code"] == "NOT_FOUND"
    assert not sandbox.faults.settings.unavailable


def test_faults_admin_sets_and_clears_faults(sandbox: SandboxPlatform) -> None:
    with running_server(sandbox, faults_admin=True) as server:
        status, body = call(server, "POST", "/admin/faults", {"fail_next": 1, "fail_code": "E_X"})
        assert status == 200 and body["faults"]["fail_next"] == 1
        status, body = call(server, "GET", "/v1/quota")
        assert status == 500 and body["error"]["code"] == "E_X"
        call(server, "POST", "/admin/faults", {"unavailable": True})
        assert not remote_for(server).health().ok
        status, body = call(server, "POST", "/admin/faults", {"clear": True})
        assert body["faults"]["unavailable"] is False and remote_for(server).health().ok
        status, body = call(server, "POST", "/admin/faults", {"no_such_fault": 1})
        assert status == 400 and body["error"]["code"] == "BAD_REQUEST"
        status, body = call(server, "POST", "/admin/faults", {"latency_s": -1})
        assert status == 400


@pytest.mark.parametrize(
    ("method", "path", "raw", "status", "code"),
    [
        ("POST", "/v1/invoices", b"not json", 400, "BAD_REQUEST"),
        ("POST", "/v1/invoices", b"[1]", 400, "BAD_REQUEST"),
        ("POST", "/v1/invoices", b"{}", 400, "BAD_REQUEST"),
        ("POST", "/v1/invoices", b'{"request": {"request_id": 5}}', 400, "BAD_REQUEST"),
        ("POST", "/v1/red-forms", b'{"original_number": "1", "reason": "9", "filed_by": "seller"}',
         400, "BAD_REQUEST"),
        ("GET", "/v1/nowhere", b"", 404, "NOT_FOUND"),
        ("DELETE", "/v1/invoices", b"", 501, None),
    ],
)
def test_bad_requests_get_coded_answers(sandbox: SandboxPlatform, method: str, path: str, raw: bytes,
                                        status: int, code: str | None) -> None:
    with running_server(sandbox) as server:
        if code is None:  # methods the server does not speak: stdlib's 501 page
            host, port = server.server_address[:2]
            conn = http.client.HTTPConnection(str(host), int(port), timeout=10)
            conn.request(method, path)
            assert conn.getresponse().status == status
            conn.close()
            return
        got, body = call(server, method, path, raw=raw)
    assert got == status and body["error"]["code"] == code


def test_download_page_escapes_what_the_buyer_typed(sandbox: SandboxPlatform) -> None:
    buyer = replace(COMPANY, name="<script>alert(1)</script>公司")
    with running_server(sandbox) as server:
        inv = remote_for(server).issue(make_request("H1", buyer=buyer))
        with urllib.request.urlopen(inv.download_url, timeout=10) as resp:
            page = resp.read().decode()
            assert resp.headers["Cache-Control"] == "no-store"
        assert "<script>" not in page and "&lt;script&gt;" in page
        for bad in ("/i/short", "/i/" + "A" * 32 + ".exe", "/i/../v1/quota"):
            with pytest.raises(urllib.error.HTTPError) as info:
                urllib.request.urlopen(server.base_url + bad, timeout=10)
            assert info.value.code == 404


def test_concurrent_issues_over_http_give_one_invoice_per_request_and_no_gaps(
    sandbox: SandboxPlatform,
) -> None:
    import threading

    with running_server(sandbox) as server:
        gw = remote_for(server)
        results: list[str] = []
        lock = threading.Lock()

        def worker(k: int) -> None:
            for i in range(5):
                inv = gw.issue(make_request(f"C{i}"))  # every worker issues the same 5 requests
                inv2 = gw.issue(make_request(f"W{k}-{i}"))
                with lock:
                    results.extend([inv.number, inv2.number])

        threads = [threading.Thread(target=worker, args=(k,)) for k in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
    numbers = sorted(set(results))
    assert len(numbers) == 5 + 4 * 5
    assert [int(n[5:]) for n in numbers] == list(range(1, 26))


@pytest.mark.parametrize("day", ["2026-3-10", "20260310", "2026-02-30", "today"])
def test_day_listing_needs_a_real_iso_date(sandbox: SandboxPlatform, day: str) -> None:
    with running_server(sandbox) as server:
        status, body = call(server, "GET", f"/v1/days/{day}/invoices")
        assert status == 400 and body["error"]["code"] == "BAD_REQUEST"
        status, body = call(server, "GET", "/v1/days/2026-03-10/invoices")
        assert status == 200 and body == {"invoices": []}
