"""HMAC-SHA256 request signing between the kiosk and the platform's HTTP API.

The string signed is::

    METHOD \\n PATH(with query, exactly as sent) \\n TIMESTAMP \\n NONCE \\n hex(sha256(body))

keyed by the app secret; headers ``X-App-Key``, ``X-Timestamp`` (Unix
seconds), ``X-Nonce`` (random, single use) and ``X-Signature`` (hex). The
server refuses an unknown key, a bad signature, a timestamp more than five
minutes off, or a nonce it has seen within the window (a replay). The
signature is checked before the nonce is remembered, so forged requests cannot
burn nonces. Nonces are kept for the window in a :class:`NonceStore`: in
memory by default, or in the server's SQLite database
(:class:`SqliteNonceStore`), so a request replayed after a restart is refused
too. This is the usual shape of tax-platform provider APIs; stdlib
``hmac`` does it in a few lines, so no dependency.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import sqlite3
import threading
import time
from collections.abc import Callable, Mapping
from email.message import Message
from pathlib import Path
from typing import Protocol

HEADER_KEY = "X-App-Key"
HEADER_TIMESTAMP = "X-Timestamp"
HEADER_NONCE = "X-Nonce"
HEADER_SIGNATURE = "X-Signature"
MAX_SKEW_S = 300
MAX_NONCE_LEN = 64


class SignatureError(Exception):
    """A request failed authentication; ``code`` says why (for the 401 body and the log)."""

    def __init__(self, code: str, message_en: str, message_zh: str) -> None:
        self.code = code
        self.message_en = message_en
        self.message_zh = message_zh
        super().__init__(f"[{code}] {message_en}")


def string_to_sign(method: str, path: str, timestamp: str, nonce: str, body: bytes) -> bytes:
    digest = hashlib.sha256(body).hexdigest()
    return "\n".join([method.upper(), path, timestamp, nonce, digest]).encode("utf-8")


def signature(secret: str, method: str, path: str, timestamp: str, nonce: str, body: bytes) -> str:
    return hmac.new(secret.encode("utf-8"), string_to_sign(method, path, timestamp, nonce, body),
                    hashlib.sha256).hexdigest()


def sign_headers(
    app_key: str,
    secret: str,
    method: str,
    path: str,
    body: bytes = b"",
    *,
    timestamp: int | None = None,
    nonce: str | None = None,
) -> dict[str, str]:
    """The four auth headers for one request."""
    ts = str(int(time.time()) if timestamp is None else timestamp)
    nonce = nonce or secrets.token_hex(16)
    return {
        HEADER_KEY: app_key,
        HEADER_TIMESTAMP: ts,
        HEADER_NONCE: nonce,
        HEADER_SIGNATURE: signature(secret, method, path, ts, nonce, body),
    }


class NonceStore(Protocol):
    """Remembers (app key, nonce) pairs until they fall out of the timestamp window."""

    def remember(self, key: str, nonce: str, now: float, forget_at: float) -> bool:
        """Record the pair; False when it is already held and not yet forgotten (a replay)."""
        ...


class MemoryNonceStore:
    """Nonces in a dict: forgotten when the process ends (tests, one-shot servers)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._seen: dict[tuple[str, str], float] = {}  # (app key, nonce) -> forget after

    def remember(self, key: str, nonce: str, now: float, forget_at: float) -> bool:
        with self._lock:
            if len(self._seen) > 1024:
                self._seen = {k: v for k, v in self._seen.items() if v > now}
            held = self._seen.get((key, nonce))
            if held is not None and held > now:
                return False
            self._seen[(key, nonce)] = forget_at
            return True


class SqliteNonceStore:
    """Nonces in a table of the server's database, so they outlive a restart.

    One primary-key insert per signed request; expired rows are deleted every
    :attr:`PRUNE_EVERY` requests. Its own connection (thread-safe by a lock);
    ``CREATE TABLE IF NOT EXISTS`` because it sits beside the platform's own
    migrated tables without being one of its migrations.
    """

    PRUNE_EVERY = 256

    def __init__(self, path: str | Path) -> None:
        self._conn = sqlite3.connect(str(path), timeout=5.0, check_same_thread=False,
                                     isolation_level=None)
        self._conn.execute("PRAGMA busy_timeout = 5000")
        self._conn.execute("CREATE TABLE IF NOT EXISTS request_nonces (app_key TEXT NOT NULL, "
                           "nonce TEXT NOT NULL, forget_at REAL NOT NULL, "
                           "PRIMARY KEY (app_key, nonce)) WITHOUT ROWID")
        self._lock = threading.Lock()
        self._count = 0

    def remember(self, key: str, nonce: str, now: float, forget_at: float) -> bool:
        with self._lock:
            self._count += 1
            if self._count % self.PRUNE_EVERY == 1:
                self._conn.execute("DELETE FROM request_nonces WHERE forget_at <= ?", [now])
            cur = self._conn.execute(
                "INSERT INTO request_nonces(app_key, nonce, forget_at) VALUES (?, ?, ?) "
                "ON CONFLICT(app_key, nonce) DO UPDATE SET forget_at = excluded.forget_at "
                "WHERE request_nonces.forget_at <= ?", [key, nonce, forget_at, now])
            return cur.rowcount == 1

    def close(self) -> None:
        with self._lock:
            self._conn.close()


class Verifier:
    """Checks signed requests; remembers nonces for the skew window (thread-safe)."""

    def __init__(
        self,
        keys: Mapping[str, str],
        *,
        max_skew_s: int = MAX_SKEW_S,
        clock: Callable[[], float] = time.time,
        nonces: NonceStore | None = None,
    ) -> None:
        self._keys = dict(keys)
        self.max_skew_s = max_skew_s
        self._clock = clock
        self.nonces: NonceStore = nonces if nonces is not None else MemoryNonceStore()

    def verify(self, headers: Mapping[str, str] | Message[str, str], method: str, path: str, body: bytes) -> str:
        """Return the app key of a good request, else raise :class:`SignatureError`."""
        key = headers.get(HEADER_KEY, "") or ""
        ts = headers.get(HEADER_TIMESTAMP, "") or ""
        nonce = headers.get(HEADER_NONCE, "") or ""
        sig = headers.get(HEADER_SIGNATURE, "") or ""
        if not (key and ts and nonce and sig):
            raise SignatureError("AUTH_MISSING", "missing authentication headers", "缺少签名信息")
        secret = self._keys.get(key)
        if secret is None:
            raise SignatureError("AUTH_UNKNOWN_KEY", "unknown app key", "应用标识无效")
        if not ts.isdigit() or len(nonce) > MAX_NONCE_LEN:
            raise SignatureError("AUTH_MALFORMED", "malformed timestamp or nonce", "签名参数格式错误")
        expected = signature(secret, method, path, ts, nonce, body)
        if not hmac.compare_digest(expected, sig.lower()):
            raise SignatureError("AUTH_BAD_SIGNATURE", "bad signature", "签名校验失败")
        now = self._clock()
        if abs(now - int(ts)) > self.max_skew_s:
            raise SignatureError("AUTH_STALE", "timestamp outside the allowed window", "请求时间戳已过期")
        if not self.nonces.remember(key, nonce, now, now + 2 * self.max_skew_s):
            raise SignatureError("AUTH_REPLAY", "nonce already used", "请求重复（随机数已使用）")
        return key
