"""The Aliyun Dysms adapter against a local HTTP server that checks the RPC v1 signature strictly.

The server is written from the provider's documented rules, independently of
the adapter: it re-derives the canonical query from the raw form body it
received, signs it with the shared secret and refuses any difference, a
missing common parameter, a stale timestamp or a reused nonce, answering in
the provider's JSON (``SignatureDoesNotMatch``, ``isv.MOBILE_NUMBER_ILLEGAL``...).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import threading
import urllib.parse
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from kiosk.messaging import CodeMessage, MessagingError
from kiosk.messaging.aliyun import AliyunSms

KEY_ID, SECRET = "LTAI-test-key", "test-secret/with+chars"
NOW = dt.datetime(2026, 3, 2, 1, 30, tzinfo=dt.UTC)
REQUIRED = {"AccessKeyId", "Action", "Format", "PhoneNumbers", "RegionId", "SignName",
            "SignatureMethod", "SignatureNonce", "SignatureVersion", "TemplateCode",
            "TemplateParam", "Timestamp", "Version", "Signature"}


def _enc(s: str) -> str:
    # RFC 3986 by hand, the way the provider's documentation spells it out.
    return (urllib.parse.quote_plus(s, safe="~").replace("+", "%20").replace("*", "%2A")
            .replace("%7E", "~"))


class Gateway:
    def __init__(self) -> None:
        self.received: list[dict[str, str]] = []
        self.nonces: set[str] = set()
        self.answer_code = "OK"

    def verify(self, method: str, body: str) -> tuple[int, dict[str, Any]]:
        pairs = urllib.parse.parse_qsl(body, keep_blank_values=True, strict_parsing=True)
        params = dict(pairs)
        if len(params) != len(pairs) or set(params) != REQUIRED:
            return 400, {"Code": "MissingParameter", "Message": sorted(REQUIRED ^ set(params))}
        signature = params.pop("Signature")
        canonical = "&".join(f"{_enc(k)}={_enc(v)}" for k, v in sorted(params.items()))
        to_sign = f"{method}&{_enc('/')}&{_enc(canonical)}"
        expected = base64.b64encode(hmac.new((SECRET + "&").encode(), to_sign.encode(),
                                             hashlib.sha1).digest()).decode()
        if not hmac.compare_digest(signature, expected):
            return 400, {"Code": "SignatureDoesNotMatch", "Message": "bad signature"}
        if (params["AccessKeyId"], params["SignatureMethod"], params["SignatureVersion"],
                params["Action"], params["Version"]) != (
                KEY_ID, "HMAC-SHA1", "1.0", "SendSms", "2017-05-25"):
            return 400, {"Code": "InvalidParameter", "Message": "common parameters"}
        ts = dt.datetime.strptime(params["Timestamp"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.UTC)
        if abs((ts - NOW).total_seconds()) > 900:
            return 400, {"Code": "InvalidTimeStamp.Expired", "Message": "stale"}
        if params["SignatureNonce"] in self.nonces:
            return 400, {"Code": "SignatureNonceUsed", "Message": "nonce reused"}
        self.nonces.add(params["SignatureNonce"])
        if not params["PhoneNumbers"].isdigit():
            return 200, {"Code": "isv.MOBILE_NUMBER_ILLEGAL", "Message": "bad number"}
        self.received.append(params)
        return 200, {"Code": self.answer_code, "Message": self.answer_code, "BizId": "9^1",
                     "RequestId": "F655A8D5-B967-440B-8683-DAD6FF8DE990"}


@pytest.fixture()
def gateway() -> Iterator[tuple[Gateway, str]]:
    state = Gateway()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - http.server's name
            length = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(length).decode()
            status, answer = state.verify("POST", body)
            raw = json.dumps(answer).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(raw)))
            self.end_headers()
            self.wfile.write(raw)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state, f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def sms(endpoint: str, secret: str = SECRET) -> AliyunSms:
    return AliyunSms(endpoint=endpoint, access_key_id=KEY_ID, access_key_secret=secret,
                     sign_name="示例科技", template_code="SMS_123456789", clock=lambda: NOW)


def test_signed_request_is_accepted(gateway: tuple[Gateway, str]) -> None:
    state, url = gateway
    sms(url).send(CodeMessage("13800000000", "042917", "login"))
    sms(url).send(CodeMessage("13800000001", "000001", "register"))  # a fresh nonce each
    [first, _] = state.received
    assert json.loads(first["TemplateParam"]) == {"code": "042917"}
    assert first["SignName"] == "示例科技" and first["PhoneNumbers"] == "13800000000"


def test_wrong_secret_is_refused_by_the_signature_check(gateway: tuple[Gateway, str]) -> None:
    state, url = gateway
    with pytest.raises(MessagingError, match="SignatureDoesNotMatch") as err:
        sms(url, secret="not-the-secret").send(CodeMessage("13800000000", "042917", "login"))
    assert err.value.permanent and not state.received


def test_provider_refusal_is_reported(gateway: tuple[Gateway, str]) -> None:
    state, url = gateway
    with pytest.raises(MessagingError, match="MOBILE_NUMBER_ILLEGAL"):
        sms(url).send(CodeMessage("+86-138", "042917", "login"))
    state.answer_code = "isv.BUSINESS_LIMIT_CONTROL"
    with pytest.raises(MessagingError) as err:
        sms(url).send(CodeMessage("13800000000", "042917", "login"))
    assert not err.value.permanent  # the provider's rate limit passes


def test_unreachable_gateway_is_a_messaging_error() -> None:
    with pytest.raises(MessagingError, match="unreachable"):
        sms("http://127.0.0.1:9/").send(CodeMessage("13800000000", "042917", "login"))
