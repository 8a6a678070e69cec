"""The Nuonuo open platform transport: token fetch and signed business calls.

``NuonuoClient.call(method, content)`` sends one business call the way the
provider documents it: POST ``<gateway_url>?senid=&nonce=&timestamp=&appkey=``
with headers ``X-Nuonuo-Sign``, ``accessToken``, ``userTax``, ``method`` and
``Content-Type: application/json; charset=UTF-8``; the body is the compact
JSON text that was signed, byte for byte. The answer is the envelope
``{"code", "describe", "result"}`` (:class:`Envelope`).

What can happen, told apart the way :mod:`kiosk.platform.remote` does (stdlib
``http.client``, connect first, then send, one connection per call):

- could not connect -> :class:`~kiosk.platform.gateway.PlatformUnavailable`
  (nothing left this machine);
- sent, then no usable answer (read timeout, dropped connection, not JSON) ->
  :class:`NoAnswer`: the outcome is unknown and the caller decides (a billing
  request keeps its orderNo and is queried, never re-sent under a new one);
- HTTP 502/503 without an envelope: the provider's front answered that the
  service is down -> ``PlatformUnavailable`` (assumption, docs/nuonuo.md; a
  resubmit reuses the orderNo, so even a wrong guess cannot duplicate);
- a token/signature code -> the stored token is dropped and ONE fresh token
  tried for 070101/070304/070305; otherwise (and if that fails too)
  :class:`~kiosk.platform.nuonuo_errors.NuonuoAuthError` with a catalogue code.

Every call has ``timeout_s``; the token call too.
"""

from __future__ import annotations

import http.client
import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode, urlsplit

from kiosk.platform.gateway import PlatformUnavailable
from kiosk.platform.nuonuo_errors import (
    TOKEN_CODES,
    TOKEN_REFRESHABLE,
    NuonuoAuthError,
    problem_error,
    token_error,
)
from kiosk.platform.nuonuo_sign import new_nonce, new_senid, path_segments, sign
from kiosk.platform.nuonuo_token import TokenStore

log = logging.getLogger("kiosk.platform.nuonuo")


class NoAnswer(Exception):
    """The call may have arrived and no usable answer came back: the outcome is unknown."""


@dataclass(frozen=True)
class Envelope:
    """The provider's answer to one business call."""

    code: str
    describe: str
    result: Any


def _split(url: str) -> tuple[bool, str, int, str]:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"Nuonuo URL must be http(s), got {url!r}")
    https = parts.scheme == "https"
    return https, parts.hostname, parts.port or (443 if https else 80), parts.path or "/"


def post(target: tuple[bool, str, int, str], path: str, body: bytes, headers: dict[str, str],
         timeout_s: float, name_zh: str, name_en: str) -> tuple[int, bytes]:
    """One POST: could not connect -> PlatformUnavailable (nothing left this machine); sent,
    then no answer -> NoAnswer (unknown). Also Baiwang's transport."""
    https, host, port, _ = target
    cls = http.client.HTTPSConnection if https else http.client.HTTPConnection
    conn = cls(host, port, timeout=timeout_s)
    try:
        try:
            conn.connect()
        except OSError as err:
            raise PlatformUnavailable(f"无法连接{name_zh}，请稍后再试",
                                      f"cannot connect to {name_en} ({err})") from None
        try:
            conn.request("POST", path, body=body, headers=headers)
            resp = conn.getresponse()
            return resp.status, resp.read()
        except (OSError, http.client.HTTPException) as err:
            raise NoAnswer(str(err)) from None
    finally:
        conn.close()


def split_url(url: str) -> tuple[bool, str, int, str]:
    return _split(url)


class NuonuoClient:
    """One Nuonuo application (app key, secret, seller tax number) over HTTP."""

    def __init__(self, gateway_url: str, token_url: str, app_key: str, app_secret: str,
                 tax_number: str, tokens: TokenStore, *, timeout_s: float = 10.0,
                 clock: Callable[[], float] = time.time) -> None:
        self.gateway_url = gateway_url
        self.token_url = token_url
        self._gw = _split(gateway_url)
        self._tk = _split(token_url)
        self._segments = path_segments(gateway_url)
        self.app_key = app_key
        self._secret = app_secret
        self.tax_number = tax_number
        self.tokens = tokens
        self.timeout_s = timeout_s
        self._clock = clock

    def __repr__(self) -> str:  # never shows the secret or the token
        return f"NuonuoClient({self.gateway_url!r}, app_key={self.app_key!r})"

    # --- raw HTTP -----------------------------------------------------------------
    def _post(self, target: tuple[bool, str, int, str], path: str, body: bytes,
              headers: dict[str, str]) -> tuple[int, bytes]:
        return post(target, path, body, headers, self.timeout_s, "诺诺平台", "Nuonuo")

    # --- the token ----------------------------------------------------------------
    def _fetch_token(self) -> tuple[str, int]:
        body = urlencode({"client_id": self.app_key, "client_secret": self._secret,
                          "grant_type": "client_credentials"}).encode("ascii")
        log.info("fetching a Nuonuo access token", extra={"event": "platform.nuonuo.token_fetch"})
        try:
            status, raw = self._post(self._tk, self._tk[3], body, {
                "Content-Type": "application/x-www-form-urlencoded;charset=UTF-8"})
        except NoAnswer as err:
            raise PlatformUnavailable("诺诺平台令牌接口未应答", f"no answer from the token URL ({err})",
                                      code="platform.nuonuo.token_unreadable") from None
        try:
            data = json.loads(raw)
        except ValueError:
            data = None
        if not isinstance(data, dict):
            raise problem_error(NuonuoAuthError, "platform.nuonuo.token_unreadable")
        token, expires = data.get("access_token"), data.get("expires_in")
        if isinstance(token, str) and token and status == 200:
            try:
                return token, int(str(expires))
            except (TypeError, ValueError):
                return token, 86400
        code = str(data.get("error") or data.get("code") or f"HTTP{status}")
        describe = str(data.get("error_description") or data.get("describe") or "")
        raise token_error(code, describe)

    # --- business calls -----------------------------------------------------------
    def _send(self, method: str, body: str, token: str) -> Envelope:
        senid, nonce, timestamp = new_senid(), new_nonce(), str(int(self._clock()))
        query = urlencode({"senid": senid, "nonce": nonce, "timestamp": timestamp,
                           "appkey": self.app_key})
        headers = {
            "Content-Type": "application/json; charset=UTF-8",
            "X-Nuonuo-Sign": sign(self._secret, self.app_key, senid, nonce, timestamp, body,
                                  self._segments),
            "accessToken": token,
            "userTax": self.tax_number,
            "method": method,
        }
        status, raw = self._post(self._gw, f"{self._gw[3]}?{query}", body.encode("utf-8"), headers)
        try:
            data = json.loads(raw)
        except ValueError:
            data = None
        if isinstance(data, dict) and "code" in data:
            return Envelope(str(data["code"]), str(data.get("describe") or ""), data.get("result"))
        if status in (502, 503):
            raise PlatformUnavailable("诺诺平台暂停服务，请稍后再试",
                                      f"Nuonuo answered HTTP {status}: the service is down")
        raise NoAnswer(f"HTTP {status} without a Nuonuo envelope")

    def call(self, method: str, content: dict[str, Any]) -> Envelope:
        """One signed business call; token codes are handled here (see the module doc)."""
        body = json.dumps(content, ensure_ascii=False, separators=(",", ":"))
        token = self.tokens.get(self._fetch_token)
        answer = self._send(method, body, token)
        if answer.code in TOKEN_REFRESHABLE:
            log.warning("Nuonuo refused the stored token; fetching one fresh token", extra={
                "event": "platform.nuonuo.token_refused", "provider_code": answer.code})
            self.tokens.invalidate(token)
            answer = self._send(method, body, self.tokens.get(self._fetch_token))
        if answer.code in TOKEN_CODES:
            log.error("Nuonuo refused the credentials", extra={
                "event": "platform.nuonuo.auth_refused", "provider_code": answer.code})
            raise token_error(answer.code, answer.describe)
        return answer
