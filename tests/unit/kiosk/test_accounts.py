"""Accounts: scrypt passwords, lockout on an injected clock, masked attempt log, titles."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

import pytest

from kiosk import storage
from kiosk.accounts import (
    LOCK_MINUTES,
    MAX_FAILURES,
    TITLES_KEPT,
    AccountError,
    AccountKind,
    AccountStore,
    AuthError,
    migrations,
    seed_demo_accounts,
)
from kiosk.model import Buyer, BuyerType

T0 = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=8)))


class Clock:
    def __init__(self, now: dt.datetime) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **kw: float) -> None:
        self.now += dt.timedelta(**kw)


@pytest.fixture()
def clock() -> Clock:
    return Clock(T0)


@pytest.fixture()
def db(tmp_path: Path):
    return storage.open_database(tmp_path / "kiosk.db", sets=[storage.core, migrations])


@pytest.fixture()
def store(db, clock: Clock) -> AccountStore:
    return AccountStore(db, clock=clock)


def test_password_is_stored_as_scrypt_hash_and_authenticates(store: AccountStore, db) -> None:
    acc = store.create("Alice", "s3cret-pw", "person", "爱丽丝")
    row = db.execute("SELECT username, password_hash FROM accounts").fetchone()
    assert row[0] == "alice"  # case-folded
    assert row[1].startswith("scrypt$") and "s3cret-pw" not in row[1]
    assert store.authenticate(" ALICE ", "s3cret-pw") == acc
    assert acc.kind is AccountKind.PERSON and not acc.is_business


@pytest.mark.parametrize(
    ("username", "password", "kind", "problem"),
    [
        ("", "longenough", "person", "username"),
        ("bob", "short", "person", "password"),
        ("x" * 65, "longenough", "person", "username"),
        ("bo\x07b", "longenough", "person", "username"),
    ],
)
def test_create_refuses_bad_input(store: AccountStore, username: str, password: str,
                                  kind: str, problem: str) -> None:
    with pytest.raises(AccountError) as err:
        store.create(username, password, kind, "")
    assert problem in err.value.message_en.lower() and err.value.message_zh


def test_create_refuses_unknown_kind_and_taken_username(store: AccountStore) -> None:
    with pytest.raises(ValueError):
        store.create("carol", "longenough", "admin", "")
    store.create("carol", "longenough", "business", "")
    with pytest.raises(AccountError, match="taken"):
        store.create("CAROL", "otherpass", "person", "")


def test_wrong_password_and_unknown_user_read_the_same(store: AccountStore) -> None:
    store.create("dave", "right-pass", "person", "")
    with pytest.raises(AuthError) as wrong:
        store.authenticate("dave", "wrong-pass")
    with pytest.raises(AuthError) as unknown:
        store.authenticate("nobody", "wrong-pass")
    assert wrong.value.code == unknown.value.code == "bad_credentials"
    assert wrong.value.message_zh == unknown.value.message_zh
    assert wrong.value.message_en == unknown.value.message_en
    assert wrong.value.attempts_left == MAX_FAILURES - 1


def test_lockout_after_repeated_failures_then_expiry(store: AccountStore, clock: Clock) -> None:
    store.create("erin", "right-pass", "person", "")
    lefts = []
    for _ in range(MAX_FAILURES - 1):
        with pytest.raises(AuthError) as err:
            store.authenticate("erin", "nope-nope")
        lefts.append(err.value.attempts_left)
    assert lefts == list(range(MAX_FAILURES - 1, 0, -1))
    with pytest.raises(AuthError) as err:
        store.authenticate("erin", "nope-nope")
    until = T0 + dt.timedelta(minutes=LOCK_MINUTES)
    assert err.value.code == "locked" and err.value.locked_until == until
    assert "09:45" in err.value.message_zh and "09:45" in err.value.message_en
    # Even the right password is refused while locked.
    clock.advance(minutes=LOCK_MINUTES - 1)
    with pytest.raises(AuthError) as err:
        store.authenticate("erin", "right-pass")
    assert err.value.code == "locked"
    # After the lock: a fresh count, and the right password works.
    clock.advance(minutes=1)
    with pytest.raises(AuthError) as err:
        store.authenticate("erin", "nope-nope")
    assert err.value.attempts_left == MAX_FAILURES - 1
    assert store.authenticate("erin", "right-pass").username == "erin"


def test_success_resets_the_failure_count(store: AccountStore) -> None:
    store.create("fay", "right-pass", "person", "")
    for _ in range(MAX_FAILURES - 1):
        with pytest.raises(AuthError):
            store.authenticate("fay", "bad-bad")
    store.authenticate("fay", "right-pass")
    with pytest.raises(AuthError) as err:
        store.authenticate("fay", "bad-bad")
    assert err.value.attempts_left == MAX_FAILURES - 1


def test_unknown_usernames_lock_too(store: AccountStore) -> None:
    for _ in range(MAX_FAILURES - 1):
        with pytest.raises(AuthError):
            store.authenticate("ghost", "x-x-x-x")
    with pytest.raises(AuthError) as err:
        store.authenticate("ghost", "x-x-x-x")
    assert err.value.code == "locked"


def test_empty_input_is_refused_plainly(store: AccountStore) -> None:
    with pytest.raises(AuthError) as err:
        store.authenticate("", "")
    assert err.value.code == "empty"


def test_every_attempt_is_logged_masked(store: AccountStore, db,
                                        caplog: pytest.LogCaptureFixture) -> None:
    store.create("harriet", "right-pass", "person", "")
    caplog.set_level(logging.INFO, logger="kiosk.accounts")
    with pytest.raises(AuthError):
        store.authenticate("harriet", "wrong-pass")
    store.authenticate("harriet", "right-pass")
    rows = db.execute("SELECT username_masked, outcome FROM login_attempts ORDER BY id").fetchall()
    assert rows == [("h***", "bad_credentials"), ("h***", "ok")]
    events = [r for r in caplog.records if getattr(r, "event", "") == "accounts.login"]
    assert [r.__dict__["outcome"] for r in events] == ["bad_credentials", "ok"]
    assert all("harriet" not in r.getMessage() and r.__dict__["username"] == "h***"
               for r in events)
    assert "wrong-pass" not in caplog.text and "right-pass" not in caplog.text


def test_sql_injection_in_username_stays_data(store: AccountStore, db) -> None:
    evil = "x' OR '1'='1'; DROP TABLE accounts; --"
    acc = store.create(evil, "longenough", "person", "")
    assert store.find(evil) == acc
    with pytest.raises(AuthError):
        store.authenticate("x' OR '1'='1", "anything")
    assert store.authenticate(evil, "longenough") == acc
    assert db.execute("SELECT COUNT(*) FROM accounts").fetchone()[0] == 1


def _buyer(name: str, tax_id: str = "", **kw: object) -> Buyer:
    return Buyer(type=BuyerType.COMPANY if tax_id else BuyerType.PERSON, name=name,
                 tax_id=tax_id, **kw)  # type: ignore[arg-type]


def test_titles_most_recent_first_and_deduplicated(store: AccountStore) -> None:
    acc = store.create("ivy", "longenough", "person", "")
    a = _buyer("甲公司", "91350200776049653A")
    b = _buyer("乙公司", "91110108MA01ABCD2X", address="北京")
    store.remember_title(acc.id, a)
    store.remember_title(acc.id, b)
    store.remember_title(acc.id, a)  # used again: moves to the top, not duplicated
    b2 = _buyer("乙公司", "91110108MA01ABCD2X", address="上海", email="x@example.com")
    store.remember_title(acc.id, b2)  # same name + tax id: updated in place
    assert store.titles_for(acc.id) == [b2, a]
    other = store.create("jack", "longenough", "person", "")
    assert store.titles_for(other.id) == []
    assert store.forget_titles(acc.id) == 2
    assert store.titles_for(acc.id) == []


def test_titles_are_capped_per_owner(store: AccountStore) -> None:
    acc = store.create("kim", "longenough", "person", "")
    for i in range(TITLES_KEPT + 3):
        store.remember_title(acc.id, _buyer(f"公司{i}", f"9135020077604965{i:02d}"))
    titles = store.titles_for(acc.id)
    assert len(titles) == TITLES_KEPT
    assert titles[0].name == f"公司{TITLES_KEPT + 2}" and titles[-1].name == "公司3"


def test_identity_titles_are_keyed_by_salted_hash(store: AccountStore, db) -> None:
    number = "11010519491231002X"
    title = _buyer("丙公司", "91350200776049653A")
    store.remember_title_for_identity(number, title)
    assert store.titles_for_identity("11010519491231002x") == [title]  # normalised
    assert store.titles_for_identity("110105194912310011") == []
    owners = [r[0] for r in db.execute("SELECT owner FROM remembered_titles")]
    assert owners == [f"identity:{store.identity_key(number)}"]
    assert all(number not in o and "1949" not in o for o in owners)
    # The salt is per install: another database gives another key.
    assert store.identity_key(number) == store.identity_key(number)
    salt = storage.get_meta(db, "accounts.identity_salt")
    assert salt and len(salt) == 64
    assert store.forget_identity_titles(number) == 1


def test_identity_key_differs_between_installs(tmp_path: Path, clock: Clock) -> None:
    keys = set()
    for name in ("a.db", "b.db"):
        db = storage.open_database(tmp_path / name, sets=[storage.core, migrations])
        keys.add(AccountStore(db, clock=clock).identity_key("11010519491231002X"))
    assert len(keys) == 2


def test_seed_demo_accounts_is_idempotent(store: AccountStore) -> None:
    made = seed_demo_accounts(store)
    assert {(a.username, a.kind) for a in made} == {("demo", AccountKind.PERSON),
                                                   ("shop", AccountKind.BUSINESS)}
    assert seed_demo_accounts(store) == []
    assert store.authenticate("demo", "demo1234").kind is AccountKind.PERSON
    assert store.authenticate("shop", "shop1234").is_business
