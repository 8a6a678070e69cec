"""Verification codes: the issue + check round trip, beside what a login costs otherwise.

Cases, interleaved round by round on one real SQLite file (each round a fresh
mobile number, so the 60 s / 10-a-day throttle never refuses):

- ``code issue+check``: VerificationCodes.issue then .check (HMAC-SHA256 hashed,
  throttle queries, two write transactions);
- ``+ folder SMS``: AccountsService.send_code (issue + the sms/ file written
  atomically) then the check: what the kiosk does for phone-code login;
- ``password login (scrypt)``: AccountStore.authenticate, the existing way in;
- ``password policy (zxcvbn)``: check_password on a strong password (registration).
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import tempfile
from pathlib import Path

from bench.runner import Runner
from kiosk import storage
from kiosk.accounts import AccountsService, CodePolicy, CodePurpose, check_password
from kiosk.accounts import migrations as account_migrations
from kiosk.audit import AuditTrail, audit
from kiosk.messaging import Messenger
from kiosk.messaging.folder import FolderSms

STRONG = "violet-harbour-7-lantern"


def run(r: Runner) -> None:
    tmp = Path(tempfile.mkdtemp(prefix="bench-accounts-"))
    db = storage.open_database(tmp / "kiosk.db", sets=[storage.core, audit, account_migrations])
    now = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
    service = AccountsService(db, messenger=Messenger(FolderSms(tmp / "sms")),
                              audit=AuditTrail(db), code_policy=CodePolicy(),
                              clock=lambda: now)
    service.create_account("bench", STRONG, "person", phone="13900000000")
    numbers = (f"138{n:08d}" for n in itertools.count())
    sms = tmp / "sms"

    def codes_only() -> None:
        phone = next(numbers)
        code = service.codes.issue(phone, CodePurpose.LOGIN)
        service.codes.check(phone, CodePurpose.LOGIN, code)

    def with_sms() -> None:
        phone = next(numbers)
        service.send_code(phone, CodePurpose.LOGIN)
        newest = max(sms.glob("*.json"))
        service.codes.check(phone, CodePurpose.LOGIN,
                            json.loads(newest.read_text(encoding="utf-8"))["code"])

    r.compare("verification code round trip vs password login", {
        "code issue+check": codes_only,
        "+ folder SMS": with_sms,
        "password login (scrypt)": lambda: service.authenticate("bench", STRONG),
        "password policy (zxcvbn)": lambda: check_password(STRONG, ["bench"]),
    }, rounds=30)
    db.close()
