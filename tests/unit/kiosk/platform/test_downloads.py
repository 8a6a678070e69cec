"""The public download port of ``kiosk run``: invoice downloads and nothing else (issue 15, item 1).

The port phones reach must not answer the signed platform API, even to a
request signed with the shipped demo key pair, must list nothing and issue
nothing; the embedded sandbox's API is reachable only in-process.
"""

from __future__ import annotations

import http.client
import json
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.config import Config, config_from_dict
from kiosk.platform.downloads import serve_downloads
from kiosk.platform.factory import build_sandbox
from kiosk.platform.sandbox import SandboxPlatform
from kiosk.platform.signing import sign_headers
from tests.helpers.invoices import sample_request
from tests.helpers.smtp import free_port


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Config, SandboxPlatform, int]]:
    port = free_port()
    config = config_from_dict({"storage": {"data_dir": str(tmp_path)},
                               "platform": {"download_base_url": f"http://127.0.0.1:{port}"}})
    sandbox = build_sandbox(config)
    stop = serve_downloads(config, sandbox)
    assert stop is not None
    try:
        yield config, sandbox, port
    finally:
        stop()
        sandbox.close()


def _call(port: int, config: Config, method: str, path: str, payload: object = None) -> tuple[int, bytes]:
    """A request signed with the config's (demo) key pair, as an attacker with the shipped file."""
    body = b"" if payload is None else json.dumps(payload).encode()
    remote = config.platform.remote
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request(method, path, body=body or None,
                     headers=sign_headers(remote.app_key, remote.app_secret, method, path, body))
        resp = conn.getresponse()
        return resp.status, resp.read()
    finally:
        conn.close()


API_CALLS = [
    ("GET", "/v1/days/{day}/invoices", None),
    ("GET", "/v1/invoices/{number}", None),
    ("GET", "/v1/invoices/{number}/documents", None),
    ("GET", "/v1/orders/{order}", None),
    ("GET", "/v1/quota", None),
    ("GET", "/v1/health", None),
    ("POST", "/v1/red-forms", {"original_number": "{number}", "reason": 1, "filed_by": "x"}),
    ("GET", "/admin/faults", None),
    ("POST", "/admin/faults", {"unavailable": True}),
    ("GET", "/", None),
    ("GET", "/i/", None),
]


def test_the_download_port_answers_no_platform_api_call(
        served: tuple[Config, SandboxPlatform, int]) -> None:
    config, sandbox, port = served
    invoice = sandbox.issue(sample_request())
    fill = {"day": invoice.issued_at.date().isoformat(), "number": invoice.number,
            "order": invoice.order_nos[0]}
    for method, path, payload in API_CALLS:
        path = path.format(**fill)
        if isinstance(payload, dict):
            payload = {k: v.format(**fill) if isinstance(v, str) else v for k, v in payload.items()}
        status, body = _call(port, config, method, path, payload)
        assert status == 404, (method, path, status, body[:200])
        assert invoice.number.encode() not in body
        assert invoice.buyer.name.encode() not in body
    assert not sandbox.faults.settings.unavailable


def test_the_download_port_issues_nothing(served: tuple[Config, SandboxPlatform, int]) -> None:
    config, sandbox, port = served
    request = sample_request()
    from kiosk.platform.codec import to_data

    status, _ = _call(port, config, "POST", "/v1/invoices", {"request": to_data(request)})
    assert status == 404
    assert sandbox.query_request(request.request_id) is None


def test_the_download_port_still_serves_downloads(served: tuple[Config, SandboxPlatform, int]) -> None:
    _config, sandbox, port = served
    invoice = sandbox.issue(sample_request())
    assert invoice.download_url.startswith(f"http://127.0.0.1:{port}/i/")
    with urllib.request.urlopen(invoice.download_url + ".pdf", timeout=30) as resp:
        assert resp.read(5) == b"%PDF-"
    with urllib.request.urlopen(invoice.download_url + ".xml", timeout=30) as resp:
        assert resp.read(5) == b"<?xml"
    with urllib.request.urlopen(invoice.download_url, timeout=30) as resp:
        assert invoice.number in resp.read().decode()


def test_the_download_page_offers_the_ofd_copy_beside_pdf_and_xml(
        served: tuple[Config, SandboxPlatform, int]) -> None:
    """Issue 14 item 6: the OFD copy is offered in downloads, marked as a sandbox copy,
    with its watermark and the invoice number on the page."""
    import io
    import zipfile

    _config, sandbox, _port = served
    invoice = sandbox.issue(sample_request())
    with urllib.request.urlopen(invoice.download_url, timeout=30) as resp:
        assert ".ofd" in resp.read().decode()
    with urllib.request.urlopen(invoice.download_url + ".ofd", timeout=60) as resp:
        assert resp.headers["Content-Type"] == "application/ofd"
        ofd = resp.read()
    with zipfile.ZipFile(io.BytesIO(ofd)) as z:
        assert "OFD.xml" in z.namelist()
        pages = "".join(z.read(n).decode() for n in z.namelist() if n.endswith("Content.xml"))
    assert "样票" in pages and invoice.number in pages
    assert sandbox.ofd_copy(invoice) == ofd  # drawn once, then kept
