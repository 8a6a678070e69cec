"""Verification codes: 6 digits, 5 minutes, single use, 5 tries, throttled per destination.

:meth:`VerificationCodes.issue` makes a code for a destination (a mobile
number or an e-mail address) and a purpose, and returns it for the caller to
send (:mod:`kiosk.messaging`); :meth:`VerificationCodes.check` takes it back.

* A code is :attr:`CodePolicy.length` random digits (``secrets``), valid for
  :attr:`CodePolicy.ttl_s` seconds, good for ONE successful check; after
  :attr:`CodePolicy.max_tries` wrong tries it is dead. A new code for the same
  destination and purpose replaces the older ones.
* Per destination, across purposes: a new code at most every
  :attr:`CodePolicy.resend_s` seconds and at most :attr:`CodePolicy.daily_limit`
  in any 24 hours (rolling, so midnight does not reset it).
* Stored hashed: HMAC-SHA256 under a per-install key kept in ``meta`` (a
  six-digit code is too small a space for a plain hash to hide it), with a
  per-row salt; the destination is stored as an HMAC too, never in clear.
  The code is never logged: the log names the masked destination only.

The clock is injected (``clock=lambda: datetime``): tests move time, never wait.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import logging
import secrets
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

import sqlite_utils

from kiosk.masking import mask_email, mask_phone
from kiosk.storage import get_meta, set_meta

log = logging.getLogger("kiosk.accounts.codes")

KEY_META = "accounts.code_key"


class CodePurpose(StrEnum):
    REGISTER = "register"
    LOGIN = "login"
    RESET = "reset"
    MEMBER = "member"  # a new member confirms an administrator's invitation


@dataclass(frozen=True)
class CodePolicy:
    length: int = 6
    ttl_s: int = 300
    max_tries: int = 5
    resend_s: int = 60
    daily_limit: int = 10


class CodeError(Exception):
    """A code was not issued or not accepted; the words are for the screen.

    ``reason``: ``too_soon``, ``daily_limit``, ``wrong``, ``expired``,
    ``no_code`` (none, used, or replaced) or ``no_tries`` (too many wrong tries).
    """

    def __init__(self, reason: str, message_zh: str, message_en: str, *,
                 tries_left: int | None = None, retry_after_s: int | None = None) -> None:
        super().__init__(message_en)
        self.reason = reason
        self.message_zh = message_zh
        self.message_en = message_en
        self.tries_left = tries_left
        self.retry_after_s = retry_after_s


def normalise_destination(destination: str) -> str:
    """A phone number's digits, or an e-mail address trimmed and case-folded."""
    d = unicodedata.normalize("NFKC", destination or "").strip()
    if "@" in d:
        return d.casefold()
    digits = "".join(ch for ch in d if ch.isdigit())
    return digits[2:] if digits.startswith("86") and len(digits) == 13 else digits


def mask_destination(destination: str) -> str:
    d = normalise_destination(destination)
    return mask_email(d) if "@" in d else mask_phone(d)


def _iso(t: dt.datetime) -> str:
    return t.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")


def _local_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class VerificationCodes:
    """Issue and check codes in the accounts database (table ``verification_codes``)."""

    def __init__(self, db: sqlite_utils.Database, *, policy: CodePolicy | None = None,
                 clock: Callable[[], dt.datetime] = _local_now) -> None:
        self.db = db
        self.policy = policy or CodePolicy()
        self.clock = clock

    def _key(self) -> bytes:
        key = get_meta(self.db, KEY_META)
        if key is None:
            key = secrets.token_hex(32)
            set_meta(self.db, KEY_META, key)
        return bytes.fromhex(key)

    def _mac(self, *parts: str) -> str:
        return hmac.new(self._key(), "\x1f".join(parts).encode(), hashlib.sha256).hexdigest()

    def destination_key(self, destination: str) -> str:
        return self._mac("dest", normalise_destination(destination))

    def issue(self, destination: str, purpose: CodePurpose) -> str:
        """A new code for ``destination`` (to be sent by the caller), or :class:`CodeError`."""
        p = self.policy
        now = self.clock()
        dest = self.destination_key(destination)
        masked = mask_destination(destination)
        day_ago = _iso(now - dt.timedelta(hours=24))
        with self.db.conn:
            rows = self.db.execute(
                "SELECT created_at FROM verification_codes WHERE destination_key = ?"
                " AND created_at > ? ORDER BY created_at DESC", [dest, day_ago]).fetchall()
            if rows:
                last = dt.datetime.fromisoformat(rows[0][0]).replace(tzinfo=dt.UTC)
                wait = p.resend_s - int((now - last).total_seconds())
                if wait > 0:
                    log.info("code refused: too soon for %s", masked, extra={
                        "event": "accounts.code_too_soon", "to": masked})
                    raise CodeError("too_soon", f"请 {wait} 秒后再获取验证码。",
                                    f"Please wait {wait} s before asking for a new code.",
                                    retry_after_s=wait)
            if len(rows) >= p.daily_limit:
                log.warning("code refused: daily limit for %s", masked, extra={
                    "event": "accounts.code_daily_limit", "to": masked})
                raise CodeError("daily_limit", "该号码今日获取验证码次数已达上限，请明天再试。",
                                "Too many codes for this number today; please try tomorrow.")
            code = "".join(secrets.choice("0123456789") for _ in range(p.length))
            salt = secrets.token_hex(8)
            self.db.execute(
                "UPDATE verification_codes SET used = 1 WHERE destination_key = ?"
                " AND purpose = ? AND used = 0", [dest, purpose.value])
            self.db.execute(
                "INSERT INTO verification_codes(destination_key, purpose, code_hash, created_at,"
                " expires_at) VALUES (?, ?, ?, ?, ?)",
                [dest, purpose.value, f"{salt}${self._mac('code', salt, dest, purpose, code)}",
                 _iso(now), _iso(now + dt.timedelta(seconds=p.ttl_s))])
        log.info("code issued for %s (%s)", masked, purpose.value, extra={
            "event": "accounts.code_issued", "to": masked, "purpose": purpose.value})
        return code

    def check(self, destination: str, purpose: CodePurpose, code: str) -> None:
        """Accept ``code`` once (return) or raise :class:`CodeError` with the reason."""
        p = self.policy
        now = self.clock()
        dest = self.destination_key(destination)
        typed = unicodedata.normalize("NFKC", code or "").strip()
        masked = mask_destination(destination)
        with self.db.conn:
            row = self.db.execute(
                "SELECT id, code_hash, expires_at, tries FROM verification_codes"
                " WHERE destination_key = ? AND purpose = ? AND used = 0"
                " ORDER BY created_at DESC LIMIT 1", [dest, purpose.value]).fetchone()
            if row is None:
                raise CodeError("no_code", "没有有效的验证码，请重新获取。",
                                "There is no valid code: ask for a new one.")
            row_id, stored, expires, tries = row
            if now >= dt.datetime.fromisoformat(expires).replace(tzinfo=dt.UTC):
                self.db.execute("UPDATE verification_codes SET used = 1 WHERE id = ?", [row_id])
                log.info("expired code for %s", masked, extra={
                    "event": "accounts.code_expired", "to": masked})
                raise CodeError("expired", "验证码已过期，请重新获取。",
                                "The code has expired: ask for a new one.")
            salt, _, digest = stored.partition("$")
            good = hmac.compare_digest(digest, self._mac("code", salt, dest, purpose, typed))
            if good:
                self.db.execute("UPDATE verification_codes SET used = 1 WHERE id = ?", [row_id])
            else:
                tries += 1
                dead = tries >= p.max_tries
                self.db.execute("UPDATE verification_codes SET tries = ?, used = ? WHERE id = ?",
                                [tries, int(dead), row_id])
        if good:
            log.info("code accepted for %s", masked, extra={
                "event": "accounts.code_ok", "to": masked, "purpose": purpose.value})
            return
        log.warning("wrong code for %s", masked, extra={
            "event": "accounts.code_wrong", "to": masked, "tries": tries})
        if dead:
            raise CodeError("no_tries", "验证码错误次数过多，已失效，请重新获取。",
                            "Too many wrong tries: this code no longer works. Ask for a new one.",
                            tries_left=0)
        left = p.max_tries - tries
        raise CodeError("wrong", f"验证码不正确，还可尝试 {left} 次。",
                        f"Wrong code; {left} tr{'ies' if left != 1 else 'y'} left.",
                        tries_left=left)
