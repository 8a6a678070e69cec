"""The Baiwang (百望云) open platform transport: the token and signed business calls.

``BaiwangClient.call(method, biz)`` POSTs the compact JSON ``biz`` (the
``bizContent``, sent byte for byte as signed) to ``<base_url>/router/rest`` with
the common parameters in the query string: ``method``, ``version``, ``appKey``,
``format=json``, ``timestamp`` (Unix milliseconds), ``type=sync``, ``requestId``
(a fresh UUID), ``token`` and ``sign`` (:mod:`kiosk.platform.baiwang_sign`).
The answer is ``{"success", "method", "requestId", "response" | "errorResponse":
{"code", "message", "subCode", "subMessage"}}`` (:class:`Answer`).

The token is ``baiwang.oauth.token`` (``grant_type=password``, ``client_id`` in
the query; ``username``, ``password`` = SHA-256(password + salt) and
``client_secret`` in the signed body), kept in one file shared by every kiosk
process (:class:`~kiosk.platform.nuonuo_token.TokenStore`) and refreshed before it
expires; a refused token (100001/100002) is dropped and ONE fresh one tried.

Told apart as in :mod:`kiosk.platform.nuonuo_client`: could not connect ->
PlatformUnavailable; sent and no usable answer -> :class:`NoAnswer` (unknown:
the caller queries by serialNo before anything is sent again); HTTP 502/503
without an answer body -> PlatformUnavailable. Every call has ``timeout_s``.
"""

from __future__ import annotations

import json
import logging
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from kiosk.platform.baiwang_sign import password_digest, sign
from kiosk.platform.gateway import PlatformUnavailable
from kiosk.platform.nuonuo_client import NoAnswer, post, split_url
from kiosk.platform.nuonuo_errors import problem_error
from kiosk.platform.nuonuo_token import TokenStore

log = logging.getLogger("kiosk.platform.baiwang")

TOKEN_METHOD = "baiwang.oauth.token"
ROUTER = "/router/rest"
VERSION = "6.0"
TOKEN_REFRESHABLE = frozenset({"100001", "100002"})  # token missing / expired
# Codes of the gateway itself (credentials, signature, token): explained, never retried.
AUTH_PREFIX = "1000"

__all__ = ["Answer", "BaiwangAuthError", "BaiwangClient", "NoAnswer"]


class BaiwangAuthError(PlatformUnavailable):
    """Baiwang refused our credentials, signature or token: nothing was issued."""


@dataclass(frozen=True)
class Answer:
    """Baiwang's answer to one business call."""

    success: bool
    response: Any
    code: str = ""  # errorResponse.code
    message: str = ""
    sub_code: str = ""
    sub_message: str = ""

    @property
    def reason(self) -> str:
        """The provider's own words for a refusal (sub-message first)."""
        return self.sub_message or self.message or self.code


class BaiwangClient:
    """One Baiwang application (app key, secret, user, seller tax number) over HTTP."""

    def __init__(self, base_url: str, app_key: str, app_secret: str, username: str,
                 password: str, salt: str, tax_number: str, tokens: TokenStore, *,
                 timeout_s: float = 10.0, clock: Callable[[], float] = time.time) -> None:
        self.base_url = base_url.rstrip("/")
        self._target = split_url(self.base_url + ROUTER)
        self.app_key = app_key
        self._secret = app_secret
        self.username = username
        self._password = password_digest(password, salt)
        self.tax_number = tax_number
        self.tokens = tokens
        self.timeout_s = timeout_s
        self._clock = clock

    def __repr__(self) -> str:  # never shows the secret, the password or the token
        return f"BaiwangClient({self.base_url!r}, app_key={self.app_key!r})"

    def _post(self, params: dict[str, str], body: str) -> tuple[int, bytes]:
        params = dict(params, sign=sign(self._secret, params, body))
        path = f"{self._target[3]}?{urlencode(sorted(params.items()))}"
        return post(self._target, path, body.encode("utf-8"),
                    {"Content-Type": "application/json; charset=utf-8"}, self.timeout_s,
                    "百望云平台", "Baiwang")

    def _millis(self) -> str:
        return str(int(self._clock() * 1000))

    # --- the token ----------------------------------------------------------------
    def _fetch_token(self) -> tuple[str, int]:
        params = {"method": TOKEN_METHOD, "grant_type": "password", "client_id": self.app_key,
                  "version": VERSION, "timestamp": self._millis()}
        body = json.dumps({"username": self.username, "password": self._password,
                           "client_secret": self._secret}, separators=(",", ":"))
        log.info("fetching a Baiwang access token", extra={"event": "platform.baiwang.token_fetch"})
        try:
            _, raw = self._post(params, body)
        except NoAnswer as err:
            raise problem_error(BaiwangAuthError, "platform.baiwang.token_refused",
                                provider_code="-", describe=f"no answer ({err})") from None
        answer = _answer(raw)
        data = answer.response if answer is not None and answer.success else None
        if isinstance(data, dict) and isinstance(data.get("access_token"), str):
            try:
                expires = int(str(data.get("expires_in")))
            except ValueError:
                expires = 7200
            return str(data["access_token"]), expires
        code = answer.code if answer is not None else "?"
        reason = answer.reason if answer is not None else "unreadable answer"
        raise problem_error(BaiwangAuthError, "platform.baiwang.token_refused",
                            provider_code=code, describe=reason)

    # --- business calls -----------------------------------------------------------
    def _send(self, method: str, body: str, token: str) -> Answer:
        params = {"method": method, "version": VERSION, "appKey": self.app_key, "format": "json",
                  "timestamp": self._millis(), "type": "sync", "requestId": str(uuid.uuid4()),
                  "token": token}
        status, raw = self._post(params, body)
        answer = _answer(raw)
        if answer is not None:
            return answer
        if status in (502, 503):
            raise PlatformUnavailable("百望云平台暂停服务，请稍后再试",
                                      f"Baiwang answered HTTP {status}: the service is down")
        raise NoAnswer(f"HTTP {status} without a Baiwang answer")

    def call(self, method: str, biz: dict[str, Any]) -> Answer:
        """One signed business call; token refusals are handled here (see the module doc)."""
        body = json.dumps(biz, ensure_ascii=False, separators=(",", ":"))
        token = self.tokens.get(self._fetch_token)
        answer = self._send(method, body, token)
        if not answer.success and answer.code in TOKEN_REFRESHABLE:
            log.warning("Baiwang refused the stored token; fetching one fresh token", extra={
                "event": "platform.baiwang.token_refused", "provider_code": answer.code})
            self.tokens.invalidate(token)
            answer = self._send(method, body, self.tokens.get(self._fetch_token))
        if not answer.success and answer.code.startswith(AUTH_PREFIX):
            log.error("Baiwang refused the credentials", extra={
                "event": "platform.baiwang.auth_refused", "provider_code": answer.code})
            raise problem_error(BaiwangAuthError, "platform.baiwang.auth_refused",
                                provider_code=answer.code, describe=answer.reason)
        return answer


def _answer(raw: bytes) -> Answer | None:
    try:
        data = json.loads(raw)
    except ValueError:
        return None
    if not isinstance(data, dict) or "success" not in data:
        return None
    err = data.get("errorResponse") if isinstance(data.get("errorResponse"), dict) else {}
    assert isinstance(err, dict)
    return Answer(data.get("success") is True, data.get("response"), str(err.get("code") or ""),
                  str(err.get("message") or ""), str(err.get("subCode") or ""),
                  str(err.get("subMessage") or ""))
