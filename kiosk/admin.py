"""The technician's PIN gate in front of diagnostics mode.

The PIN is checked against the scrypt hash in ``admin.pin_hash``; after
``max_attempts`` wrong PINs in a row the gate locks for ``lockout_s`` seconds.
The failure count and the lock survive a restart (they live in the database's
``meta`` table), so pulling the plug does not reset the count. Every attempt
is logged and written to the audit trail: the PIN itself never is.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Protocol

import sqlite_utils

from kiosk.config import AdminConfig, verify_pin
from kiosk.storage import get_meta, set_meta

log = logging.getLogger("kiosk.admin")

FAILS_KEY = "admin.failed_attempts"
LOCKED_UNTIL_KEY = "admin.locked_until"


class Auditor(Protocol):
    def record(self, action: str, actor: str, data: dict[str, Any] | None = None) -> int: ...


class GateOutcome(StrEnum):
    OPEN = "open"
    WRONG = "wrong"
    LOCKED = "locked"


@dataclass(frozen=True)
class GateResult:
    outcome: GateOutcome
    attempts_left: int = 0
    locked_until: dt.datetime | None = None

    @property
    def message_zh(self) -> str:
        if self.outcome is GateOutcome.OPEN:
            return "已进入维护模式"
        if self.outcome is GateOutcome.LOCKED and self.locked_until:
            return f"错误次数过多，已锁定至 {self.locked_until.astimezone():%H:%M}"
        return f"PIN 错误，还可尝试 {self.attempts_left} 次"

    @property
    def message_en(self) -> str:
        if self.outcome is GateOutcome.OPEN:
            return "Diagnostics mode opened"
        if self.outcome is GateOutcome.LOCKED and self.locked_until:
            return f"Too many wrong PINs: locked until {self.locked_until.astimezone():%H:%M}"
        return f"Wrong PIN: {self.attempts_left} attempt(s) left"


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class AdminGate:
    def __init__(
        self,
        db: sqlite_utils.Database,
        config: AdminConfig,
        *,
        audit: Auditor | None = None,
        clock: Callable[[], dt.datetime] = _now,
    ) -> None:
        self._db = db
        self._config = config
        self._audit = audit
        self._clock = clock

    def locked_until(self) -> dt.datetime | None:
        raw = get_meta(self._db, LOCKED_UNTIL_KEY)
        if not raw:
            return None
        until = dt.datetime.fromisoformat(raw)
        return until if until > self._clock() else None

    def attempt(self, pin: str) -> GateResult:
        """Check a PIN; logs and audits the attempt whatever its outcome."""
        until = self.locked_until()
        if until is not None:
            self._note("admin.pin_locked", "attempt while locked", logging.WARNING)
            return GateResult(GateOutcome.LOCKED, 0, until)
        if verify_pin(pin, self._config.pin_hash):
            set_meta(self._db, FAILS_KEY, "0")
            set_meta(self._db, LOCKED_UNTIL_KEY, "")
            self._note("admin.pin_ok", "diagnostics mode opened", logging.INFO)
            return GateResult(GateOutcome.OPEN)
        fails = int(get_meta(self._db, FAILS_KEY) or "0") + 1
        if fails >= self._config.max_attempts:
            until = self._clock() + dt.timedelta(seconds=self._config.lockout_s)
            set_meta(self._db, FAILS_KEY, "0")
            set_meta(self._db, LOCKED_UNTIL_KEY, until.isoformat())
            self._note("admin.pin_lockout", f"locked after {fails} wrong PINs", logging.WARNING)
            return GateResult(GateOutcome.LOCKED, 0, until)
        set_meta(self._db, FAILS_KEY, str(fails))
        self._note("admin.pin_failed", f"wrong PIN ({fails} in a row)", logging.WARNING)
        return GateResult(GateOutcome.WRONG, self._config.max_attempts - fails)

    def _note(self, event: str, message: str, level: int) -> None:
        log.log(level, message, extra={"event": event})
        if self._audit is not None:
            self._audit.record(event, "technician", {"message": message})
