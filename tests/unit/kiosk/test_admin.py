"""The technician PIN gate: opens on the PIN, locks after repeated failures, survives restarts."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from kiosk.admin import AdminGate, GateOutcome
from kiosk.audit import AuditTrail
from kiosk.config import AdminConfig, hash_pin
from kiosk.storage import open_database

PIN = "135790"


class Clock:
    def __init__(self) -> None:
        self.now = dt.datetime(2026, 11, 29, 9, 0, tzinfo=dt.UTC)

    def __call__(self) -> dt.datetime:
        return self.now


@pytest.fixture
def setup(tmp_path: Path):
    db = open_database(tmp_path / "k.db")
    cfg = AdminConfig(pin_hash=hash_pin(PIN, n=1024), max_attempts=3, lockout_s=300)
    clock = Clock()
    audit = AuditTrail(db)
    return db, cfg, clock, audit, AdminGate(db, cfg, audit=audit, clock=clock)


def test_right_pin_opens_and_is_audited(setup) -> None:
    db, cfg, clock, audit, gate = setup
    assert gate.attempt(PIN).outcome is GateOutcome.OPEN
    assert [r["action"] for r in audit.rows()] == ["admin.pin_ok"]
    assert PIN not in str(audit.rows())


def test_lockout_after_max_attempts_and_release_after_time(setup) -> None:
    db, cfg, clock, audit, gate = setup
    first = gate.attempt("000000")
    assert (first.outcome, first.attempts_left) == (GateOutcome.WRONG, 2)
    assert "2" in first.message_zh and "2 attempt" in first.message_en
    assert gate.attempt("111111").attempts_left == 1
    locked = gate.attempt("222222")
    assert locked.outcome is GateOutcome.LOCKED
    # Even the right PIN is refused while locked.
    assert gate.attempt(PIN).outcome is GateOutcome.LOCKED
    clock.now += dt.timedelta(seconds=301)
    assert gate.attempt(PIN).outcome is GateOutcome.OPEN
    actions = [r["action"] for r in audit.rows()]
    assert actions.count("admin.pin_failed") == 2
    assert "admin.pin_lockout" in actions and "admin.pin_locked" in actions
    assert audit.verify().ok


def test_lock_survives_a_restart(setup, tmp_path: Path) -> None:
    db, cfg, clock, audit, gate = setup
    for _ in range(3):
        gate.attempt("999999")
    db.conn.close()
    again = AdminGate(open_database(tmp_path / "k.db"), cfg, clock=clock)
    assert again.attempt(PIN).outcome is GateOutcome.LOCKED


def test_success_resets_the_count(setup) -> None:
    db, cfg, clock, audit, gate = setup
    gate.attempt("1")
    gate.attempt("2")
    assert gate.attempt(PIN).outcome is GateOutcome.OPEN
    assert gate.attempt("3").attempts_left == 2
