"""Request signing: the Verifier alone, then the server answering 401 over HTTP."""

from __future__ import annotations

import http.client
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.platform.server import SandboxServer
from kiosk.platform.signing import (
    HEADER_NONCE,
    HEADER_SIGNATURE,
    HEADER_TIMESTAMP,
    SignatureError,
    Verifier,
    sign_headers,
    signature,
    string_to_sign,
)
from tests.helpers.platform import (
    APP_KEY,
    APP_SECRET,
    KEYS,
    MutableClock,
    make_sandbox,
    running_server,
)

NOW = 1_770_000_000


class Clock:
    def __init__(self) -> None:
        self.t = float(NOW)

    def __call__(self) -> float:
        return self.t


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def verifier(clock: Clock) -> Verifier:
    return Verifier(KEYS, clock=clock)


def headers(method: str = "POST", path: str = "/v1/invoices", body: bytes = b"{}", **kw: object
            ) -> dict[str, str]:
    return sign_headers(APP_KEY, APP_SECRET, method, path, body, timestamp=NOW, **kw)  # type: ignore[arg-type]


def code_of(verifier: Verifier, h: dict[str, str], method: str = "POST", path: str = "/v1/invoices",
            body: bytes = b"{}") -> str:
    with pytest.raises(SignatureError) as info:
        verifier.verify(h, method, path, body)
    return info.value.code


def test_string_to_sign_covers_method_path_time_nonce_and_body_hash() -> None:
    s = string_to_sign("post", "/v1/x?a=1", "123", "n1", b"abc")
    assert s == (b"POST\n/v1/x?a=1\n123\nn1\n"
                 b"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    assert len(signature("k", "GET", "/", "1", "n", b"")) == 64


def test_a_good_request_passes_once(verifier: Verifier) -> None:
    h = headers()
    assert verifier.verify(h, "POST", "/v1/invoices", b"{}") == APP_KEY
    assert code_of(verifier, h) == "AUTH_REPLAY"


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"method": "GET"}, "AUTH_BAD_SIGNATURE"),
        ({"path": "/v1/invoices?x=1"}, "AUTH_BAD_SIGNATURE"),
        ({"body": b'{"a":1}'}, "AUTH_BAD_SIGNATURE"),
    ],
)
def test_anything_changed_breaks_the_signature(verifier: Verifier, change: dict, expected: str) -> None:
    args = {"method": "POST", "path": "/v1/invoices", "body": b"{}", **change}
    assert code_of(verifier, headers(), **args) == expected


def test_wrong_secret_unknown_key_and_missing_headers(verifier: Verifier) -> None:
    bad = sign_headers(APP_KEY, "not-the-secret", "POST", "/v1/invoices", b"{}", timestamp=NOW)
    assert code_of(verifier, bad) == "AUTH_BAD_SIGNATURE"
    other = sign_headers("someone", APP_SECRET, "POST", "/v1/invoices", b"{}", timestamp=NOW)
    assert code_of(verifier, other) == "AUTH_UNKNOWN_KEY"
    h = headers()
    del h[HEADER_NONCE]
    assert code_of(verifier, h) == "AUTH_MISSING"
    h = headers()
    h[HEADER_TIMESTAMP] = "12x"
    assert code_of(verifier, h) == "AUTH_MALFORMED"


def test_timestamps_older_or_newer_than_five_minutes_are_stale(verifier: Verifier, clock: Clock) -> None:
    clock.t = NOW + 300
    assert verifier.verify(headers(), "POST", "/v1/invoices", b"{}")
    clock.t = NOW + 301
    assert code_of(verifier, headers()) == "AUTH_STALE"
    clock.t = NOW - 301
    assert code_of(verifier, headers()) == "AUTH_STALE"


def test_a_forged_request_does_not_burn_the_nonce(verifier: Verifier) -> None:
    h = headers(nonce="n-1")
    forged = dict(h, **{HEADER_SIGNATURE: "0" * 64})
    assert code_of(verifier, forged) == "AUTH_BAD_SIGNATURE"
    assert verifier.verify(h, "POST", "/v1/invoices", b"{}") == APP_KEY


def test_nonces_are_forgotten_after_the_window(verifier: Verifier, clock: Clock) -> None:
    for i in range(1100):  # more than the pruning threshold
        verifier.verify(headers(nonce=f"n{i}"), "POST", "/v1/invoices", b"{}")
    assert code_of(verifier, headers(nonce="n5")) == "AUTH_REPLAY"  # pruning kept live nonces
    clock.t = NOW + 601  # past twice the skew window: the old nonce may come back
    later = sign_headers(APP_KEY, APP_SECRET, "POST", "/v1/invoices", b"{}", timestamp=NOW + 601,
                         nonce="n5")
    assert verifier.verify(later, "POST", "/v1/invoices", b"{}") == APP_KEY


# --- over HTTP ------------------------------------------------------------------------


@pytest.fixture
def server(tmp_path: Path) -> Iterator[SandboxServer]:
    sb = make_sandbox(tmp_path, MutableClock())
    with running_server(sb) as srv:
        yield srv
    sb.close()


def send(server: SandboxServer, method: str, path: str, body: bytes, hdrs: dict[str, str]
         ) -> tuple[int, dict]:
    host, port = server.server_address[:2]
    conn = http.client.HTTPConnection(str(host), int(port), timeout=10)
    try:
        conn.request(method, path, body=body or None, headers=hdrs)
        resp = conn.getresponse()
        return resp.status, json.loads(resp.read())
    finally:
        conn.close()


def test_server_refuses_bad_stale_and_replayed_requests_with_401(server: SandboxServer) -> None:
    good = sign_headers(APP_KEY, APP_SECRET, "GET", "/v1/quota")
    assert send(server, "GET", "/v1/quota", b"", good) == (200, {"remaining": "100000.00"})
    status, body = send(server, "GET", "/v1/quota", b"", good)
    assert status == 401 and body["error"]["code"] == "AUTH_REPLAY"
    bad = sign_headers(APP_KEY, "wrong", "GET", "/v1/quota")
    status, body = send(server, "GET", "/v1/quota", b"", bad)
    assert status == 401 and body["error"]["code"] == "AUTH_BAD_SIGNATURE"
    assert body["error"]["message_zh"] and body["error"]["message_en"]
    stale = sign_headers(APP_KEY, APP_SECRET, "GET", "/v1/quota", timestamp=NOW - 86400 * 400)
    status, body = send(server, "GET", "/v1/quota", b"", stale)
    assert status == 401 and body["error"]["code"] == "AUTH_STALE"
    status, body = send(server, "GET", "/v1/quota", b"", {})
    assert status == 401 and body["error"]["code"] == "AUTH_MISSING"


def test_server_refuses_a_tampered_body(server: SandboxServer) -> None:
    h = sign_headers(APP_KEY, APP_SECRET, "POST", "/v1/red-forms", b"{}")
    status, body = send(server, "POST", "/v1/red-forms", b'{"original_number": "1"}', h)
    assert status == 401 and body["error"]["code"] == "AUTH_BAD_SIGNATURE"
