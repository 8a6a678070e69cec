"""Fuzz the network parsers (issue 15 item 10): HTTP requests to the sandbox server, and the
Nuonuo provider's answers to the kiosk's client.

The server, whatever bytes a client sends, answers with a 4xx (or closes), never a
5xx, and keeps serving; the Nuonuo gateway, whatever the provider answers, returns
a value or raises a PlatformError. Real sockets on 127.0.0.1.
"""

from __future__ import annotations

import json
import logging
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk.platform.gateway import PlatformError
from kiosk.platform.nuonuo import NuonuoGateway
from kiosk.platform.nuonuo_client import NuonuoClient
from kiosk.platform.nuonuo_token import TokenStore
from kiosk.platform.server import SandboxServer
from kiosk.platform.signing import sign_headers
from tests.helpers.hostile import HostilePlatform, hostile_platform
from tests.helpers.invoices import sample_request
from tests.helpers.platform import (
    APP_KEY,
    APP_SECRET,
    SELLER,
    MutableClock,
    make_sandbox,
    running_server,
)

FUZZ = settings(deadline=None,  # max_examples: the profile's (tests/conftest.py)
               suppress_health_check=[HealthCheck.function_scoped_fixture])


class _Failures(logging.Handler):
    """Collects the server's "request failed" records (an exception inside a handler)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.failures: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.exc_info:
            self.failures.append(f"{record.getMessage()}: {record.exc_info[1]!r}")


FAILURES = _Failures()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxServer]:
    sandbox = make_sandbox(tmp_path_factory.mktemp("server"), MutableClock())
    logger = logging.getLogger("kiosk.platform")
    logger.addHandler(FAILURES)
    try:
        with running_server(sandbox) as srv:
            yield srv
    finally:
        logger.removeHandler(FAILURES)
        sandbox.close()


def exchange(server: SandboxServer, raw: bytes) -> bytes:
    """Send ``raw``, half-close, read the whole answer (the server closes after one)."""
    with socket.create_connection(server.server_address[:2], timeout=30) as sock:
        try:
            sock.sendall(raw)
            sock.shutdown(socket.SHUT_WR)
        except OSError:
            return b""  # the server already refused and closed: fine
        chunks = []
        while True:
            try:
                chunk = sock.recv(65536)
            except ConnectionResetError:
                break
            if not chunk:
                break
            chunks.append(chunk)
    return b"".join(chunks)


PATHS = ["/v1/invoices", "/v1/health", "/v1/requests/RQ1", "/v1/orders/%00%1b",
         "/v1/red-forms/1/confirm", "/v1/days/2026-13-45/invoices", "/i/abc.pdf", "/../etc",
         "/" + "a" * 5000]
methods = st.sampled_from(["GET", "POST", "PUT", "DELETE", "HEAD", "G\x00T", "POST\r\n"])
header_lines = st.lists(st.one_of(
    st.sampled_from(["Content-Length: 10", "Content-Length: -1", "Content-Length: 99999999999",
                     "Content-Length: abc", "Transfer-Encoding: chunked", "X-App-Key: test-kiosk",
                     "X-Signature: 00", "X-Timestamp: 9999999999", "Host: \x1b"]),
    st.text(max_size=40).map(lambda t: t.replace("\r", "").replace("\n", ""))), max_size=5)
bodies = st.one_of(st.binary(max_size=200), st.builds(
    lambda v: json.dumps(v).encode(), st.recursive(
        st.one_of(st.none(), st.integers(), st.text(max_size=10)),
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner,
                                                                   max_size=3), max_leaves=10)))


def _status(answer: bytes) -> int | None:
    if not answer.startswith(b"HTTP/"):
        return None
    return int(answer.split(b" ", 2)[1])


@FUZZ
@given(method=methods, path=st.one_of(st.sampled_from(PATHS), st.text(max_size=30)),
       headers=header_lines, body=bodies, signed=st.booleans())
def test_any_request_gets_a_4xx_or_a_close_never_a_5xx(server: SandboxServer, method: str,
                                                      path: str, headers: list[str], body: bytes,
                                                      signed: bool) -> None:
    lines = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1"]
    if signed and method.isalpha() and path.startswith("/"):
        lines += [f"{k}: {v}" for k, v in sign_headers(APP_KEY, APP_SECRET, method, path,
                                                        body).items()]
    lines += headers + [f"Content-Length: {len(body)}"]
    raw = ("\r\n".join(lines) + "\r\n\r\n").encode("utf-8", "surrogatepass") + body
    status = _status(exchange(server, raw))
    # 501 is http.server's answer to a method it has no handler for (PUT, DELETE, ...)
    assert status is None or status < 500 or status == 501, status


def test_the_server_still_serves_after_the_fuzzing(server: SandboxServer) -> None:
    answer = exchange(server, b"GET /i/nosuchtoken.pdf HTTP/1.1\r\nHost: x\r\n\r\n")
    assert _status(answer) == 404
    # a malformed request line made log_message fail inside send_error (AttributeError)
    assert b"400" in exchange(server, b"G T / HTTP/1.1 x\r\n\r\n")
    assert FAILURES.failures == []


# --- Nuonuo: whatever the provider answers -----------------------------------------------------

TOKEN = json.dumps({"access_token": "tok-fuzz", "expires_in": 86400}).encode()


@pytest.fixture(scope="module")
def nuonuo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[HostilePlatform, NuonuoGateway]]:
    folder: Path = tmp_path_factory.mktemp("nuonuo")
    with hostile_platform() as provider:
        provider.fixed["/token"] = (200, TOKEN)
        client = NuonuoClient(provider.base_url + "/open/v1/services", provider.base_url + "/token",
                              "fuzz-key", "fuzz-secret", SELLER.tax_id,
                              TokenStore(folder, "fuzz-key"), timeout_s=10.0)
        gateway = NuonuoGateway(client, SELLER, folder, clerk="张三", poll_seconds=0.0,
                                max_polls=2, retries=0, sleep=lambda _s: None)
        yield provider, gateway
        gateway.close()


json_any = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=20)),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=10), inner,
                                                               max_size=4), max_leaves=15)
RESULT_KEYS = ["invoiceSerialNum", "status", "invoiceNo", "invoiceCode", "invoiceTime",
               "pdfUrl", "ofdUrl", "xmlUrl", "orderNo", "failCause", "invoiceItems", "buyerName",
               "list", "code", "describe", "result"]
envelopes = st.one_of(
    json_any,
    st.fixed_dictionaries({"code": st.sampled_from(["E0000", "E9106", "070101", "E1111", ""]),
                           "describe": st.text(max_size=20),
                           "result": json_any | st.dictionaries(st.sampled_from(RESULT_KEYS),
                                                                json_any, max_size=6)
                           | st.lists(st.dictionaries(st.sampled_from(RESULT_KEYS), json_any,
                                                      max_size=6), max_size=2)}),
    st.binary(max_size=40))


@FUZZ
@given(answer=envelopes, status=st.sampled_from([200, 200, 200, 400, 500, 502]),
       call=st.sampled_from(["query_request", "query_order", "get_invoice", "issue", "health"]))
def test_nuonuo_answers_give_values_or_platform_errors(
        nuonuo: tuple[HostilePlatform, NuonuoGateway], answer: Any, status: int,
        call: str) -> None:
    provider, gateway = nuonuo
    provider.answer(answer, status=status)
    request = sample_request(order_nos=(f"N{abs(hash(json.dumps(answer, default=str))) % 10**8}",))
    args = {"issue": (request,), "health": (), "query_request": (request.request_id,)}
    try:
        result = getattr(gateway, call)(*args.get(call, ("1",)))
    except PlatformError:
        return
    number = getattr(result, "number", None)
    if isinstance(number, str):
        assert number.isprintable()
