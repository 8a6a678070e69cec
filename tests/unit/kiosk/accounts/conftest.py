"""Shared fixtures: a real SQLite file, the real folder SMS backend, a movable clock."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from kiosk import storage
from kiosk.accounts import AccountsService, migrations
from kiosk.audit import AuditTrail, audit
from kiosk.mail import migrations as mail_migrations
from kiosk.messaging import Messenger
from kiosk.messaging.folder import FolderSms, latest_sms

T0 = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=8)))
STRONG = "violet-harbour-7-lantern"  # zxcvbn scores it 4


class Clock:
    def __init__(self, now: dt.datetime) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **kw: float) -> None:
        self.now += dt.timedelta(**kw)


class Inbox:
    """Reads what the folder SMS backend wrote (the real files)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def count(self) -> int:
        return len(list(self.path.glob("*.json"))) if self.path.exists() else 0

    def last_code(self) -> str:
        msg = latest_sms(self.path)
        assert msg is not None, "no SMS was written"
        return str(msg["code"])


@pytest.fixture()
def clock() -> Clock:
    return Clock(T0)


@pytest.fixture()
def db(tmp_path: Path):
    return storage.open_database(tmp_path / "kiosk.db", sets=[storage.core, audit, mail_migrations,
                                                            migrations])


@pytest.fixture()
def inbox(tmp_path: Path) -> Inbox:
    return Inbox(tmp_path / "sms")


@pytest.fixture()
def service(db, clock: Clock, tmp_path: Path) -> AccountsService:
    messenger = Messenger(FolderSms(tmp_path / "sms", clock=clock))
    return AccountsService(db, messenger=messenger, audit=AuditTrail(db, clock=clock), clock=clock)
