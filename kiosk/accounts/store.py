"""Local kiosk accounts: scrypt passwords, lockout, and remembered buyer titles.

An account is either a ``person`` (a regular customer who wants their invoice
titles remembered) or a ``business`` (a seller issuing its own invoices from
the catalogue). Passwords are hashed with :func:`kiosk.config.hash_pin`
(scrypt) and checked with :func:`kiosk.config.verify_pin` (constant time).

Brute force: every failed attempt counts against the *typed username*,
whether or not such an account exists, so a wrong password and an unknown
user look exactly the same on screen (no user enumeration): after
:data:`MAX_FAILURES` failures in a row the username is locked for
:data:`LOCK_MINUTES`. Unknown usernames also pay one scrypt verification so
timing does not tell them apart. Every attempt is logged and recorded in
``login_attempts`` with the username masked.

Remembered titles (抬头) belong to an *owner*: an account (``account:<id>``)
or an ID-card identity (``identity:<sha256>``). The identity key is the
SHA-256 of a per-install random salt (kept in the ``meta`` table) and the
normalised ID number, so the raw number is never stored. Titles are
deduplicated by name + tax ID and listed most recently used first.

The clock is injected (``clock=lambda: datetime``) so tests drive the lockout.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import logging
import secrets
import sqlite3
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import sqlite_utils

from kiosk.config import hash_pin, verify_pin
from kiosk.masking import mask_id_number
from kiosk.model import Buyer, BuyerType
from kiosk.storage import get_meta, set_meta

log = logging.getLogger("kiosk.accounts")

MAX_FAILURES = 5
LOCK_MINUTES = 15
TITLES_KEPT = 20  # per owner; the oldest beyond this are dropped
MIN_PASSWORD_LENGTH = 6
MAX_USERNAME_LENGTH = 64



@functools.cache
def _dummy_hash() -> str:
    """A fixed hash verified for unknown usernames so they cost the same time (made once)."""
    return hash_pin("not-a-password", salt=b"kiosk-dummy-salt")

class AccountKind(StrEnum):
    PERSON = "person"
    BUSINESS = "business"  # a seller issuing its own invoices
    ENTERPRISE = "enterprise"  # a buyer company whose members log in (kiosk.accounts.members)


class AccountStatus(StrEnum):
    ACTIVE = "active"
    PENDING = "pending"  # registered, the verification code not confirmed yet
    DISABLED = "disabled"  # by an operator (``kiosk accounts disable``)


@dataclass(frozen=True)
class Account:
    id: int
    username: str
    kind: AccountKind
    display_name: str
    created_at: str
    phone: str = ""
    email: str = ""
    tax_id: str = ""  # an enterprise's unified social credit code
    contact: str = ""  # an enterprise's contact person
    status: AccountStatus = AccountStatus.ACTIVE

    @property
    def is_business(self) -> bool:
        return self.kind is AccountKind.BUSINESS

    @property
    def is_enterprise(self) -> bool:
        return self.kind is AccountKind.ENTERPRISE


class AuthError(Exception):
    """A login was refused; the messages are for the screen.

    ``code`` is ``"bad_credentials"`` (wrong password or unknown user, the same
    on purpose), ``"locked"`` or ``"empty"``.
    """

    def __init__(self, code: str, message_zh: str, message_en: str, *,
                 attempts_left: int | None = None,
                 locked_until: dt.datetime | None = None) -> None:
        super().__init__(message_en)
        self.code = code
        self.message_zh = message_zh
        self.message_en = message_en
        self.attempts_left = attempts_left
        self.locked_until = locked_until


class AccountError(ValueError):
    """An account could not be created (bad username, short password, taken)."""

    def __init__(self, message_zh: str, message_en: str) -> None:
        super().__init__(message_en)
        self.message_zh = message_zh
        self.message_en = message_en


def normalise_username(username: str) -> str:
    """NFKC, trimmed, case-folded: the form usernames are stored and compared in."""
    return unicodedata.normalize("NFKC", username or "").strip().casefold()


def mask_username(username: str) -> str:
    """Keep the first character: ``d***`` (also for the attempt log)."""
    u = normalise_username(username)
    return (u[:1] + "***") if u else "(empty)"


def _local_now() -> dt.datetime:
    return dt.datetime.now().astimezone()


class AccountStore:
    """Accounts and remembered titles in the kiosk database."""

    def __init__(self, db: sqlite_utils.Database, *,
                 clock: Callable[[], dt.datetime] = _local_now) -> None:
        self.db = db
        self.clock = clock

    # -- accounts ---------------------------------------------------------------

    def create(self, username: str, password: str, kind: AccountKind | str,
               display_name: str, *, phone: str = "", email: str = "", tax_id: str = "",
               contact: str = "", status: AccountStatus = AccountStatus.ACTIVE) -> Account:
        """Create an account; raises :class:`AccountError` with a message to show.

        The password policy (:mod:`kiosk.accounts.passwords`) is the caller's:
        :class:`~kiosk.accounts.service.AccountsService` applies it to every
        registration; only the demo seed bypasses it.
        """
        user = normalise_username(username)
        if not user or len(user) > MAX_USERNAME_LENGTH or any(
                unicodedata.category(ch).startswith("C") for ch in user):
            raise AccountError("用户名须为 1 至 64 个可见字符。",
                               "A username is 1 to 64 visible characters.")
        if len(password) < MIN_PASSWORD_LENGTH:
            raise AccountError(f"密码至少 {MIN_PASSWORD_LENGTH} 位。",
                               f"A password has at least {MIN_PASSWORD_LENGTH} characters.")
        kind = AccountKind(kind)
        created = self.clock().isoformat(timespec="seconds")
        try:
            with self.db.conn:
                cur = self.db.execute(
                    "INSERT INTO accounts(username, password_hash, kind, display_name, created_at,"
                    " phone, email, tax_id, contact, status)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [user, hash_pin(password), kind.value, display_name.strip() or user, created,
                     phone, email, tax_id, contact, AccountStatus(status).value],
                )
        except sqlite3.IntegrityError as err:
            if "phone" in str(err):
                raise AccountError("该手机号已注册。",
                                   "That mobile number is already registered.") from None
            raise AccountError("该用户名已被使用。", "That username is taken.") from None
        log.info("account created", extra={"event": "accounts.created",
                                           "username": mask_username(user), "kind": kind.value})
        found = self.get(int(cur.lastrowid or 0))
        assert found is not None
        return found

    def get(self, account_id: int) -> Account | None:
        rows = list(self.db.query(f"SELECT {_COLUMNS} FROM accounts WHERE id = ?", [account_id]))
        return _account(rows[0]) if rows else None

    def find(self, username: str) -> Account | None:
        rows = list(self.db.query(f"SELECT {_COLUMNS} FROM accounts WHERE username = ?",
                                  [normalise_username(username)]))
        return _account(rows[0]) if rows else None

    def find_by_phone(self, phone: str) -> Account | None:
        rows = list(self.db.query(f"SELECT {_COLUMNS} FROM accounts WHERE phone = ?",
                                  [phone.strip()]))
        return _account(rows[0]) if phone.strip() and rows else None

    def all(self) -> list[Account]:
        return [_account(r) for r in self.db.query(
            f"SELECT {_COLUMNS} FROM accounts ORDER BY id")]

    def set_status(self, account_id: int, status: AccountStatus) -> None:
        with self.db.conn:
            self.db.execute("UPDATE accounts SET status = ? WHERE id = ?",
                            [AccountStatus(status).value, account_id])

    def set_password(self, account_id: int, password: str) -> None:
        if len(password) < MIN_PASSWORD_LENGTH:
            raise AccountError(f"密码至少 {MIN_PASSWORD_LENGTH} 位。",
                               f"A password has at least {MIN_PASSWORD_LENGTH} characters.")
        with self.db.conn:
            self.db.execute("UPDATE accounts SET password_hash = ? WHERE id = ?",
                            [hash_pin(password), account_id])

    def delete_account(self, account_id: int) -> bool:
        """Delete an account at its holder's request (its throttle row too); its invoices
        stay on record. Titles are forgotten separately (:meth:`forget_titles`)."""
        account = self.get(account_id)
        if account is None:
            return False
        with self.db.conn:
            self.db.execute("DELETE FROM login_throttle WHERE username = ?", [account.username])
            self.db.execute("DELETE FROM accounts WHERE id = ?", [account_id])
        log.info("account deleted", extra={"event": "accounts.deleted",
                                           "username": mask_username(account.username)})
        return True

    def authenticate(self, username: str, password: str) -> Account:
        """Return the account, or raise :class:`AuthError` (see the module notes)."""
        user = normalise_username(username)
        now = self.clock()
        if not user or not password:
            self._record(now, user, None, "empty")
            raise AuthError("empty", "请输入用户名和密码。", "Enter your username and password.")

        failures, locked_until = self._throttle(user)
        if locked_until is not None and now < locked_until:
            self._record(now, user, None, "locked")
            raise _locked_error(locked_until)

        rows = list(self.db.query(
            f"SELECT {_COLUMNS}, password_hash FROM accounts WHERE username = ?", [user]))
        if rows:
            good = verify_pin(password, rows[0]["password_hash"])
        else:
            verify_pin(password, _dummy_hash())  # same cost as a real check
            good = False

        if good:
            with self.db.conn:
                self.db.execute("DELETE FROM login_throttle WHERE username = ?", [user])
            account = _account(rows[0])
            if account.status is not AccountStatus.ACTIVE:
                self._record(now, user, account.id, account.status.value)
                raise inactive_error(account)
            self._record(now, user, rows[0]["id"], "ok")
            return account

        if locked_until is not None:  # an expired lock: start counting afresh
            failures = 0
        failures += 1
        new_lock = now + dt.timedelta(minutes=LOCK_MINUTES) if failures >= MAX_FAILURES else None
        with self.db.conn:
            self.db.execute(
                "INSERT INTO login_throttle(username, failures, locked_until) VALUES (?, ?, ?) "
                "ON CONFLICT(username) DO UPDATE SET failures = excluded.failures, "
                "locked_until = excluded.locked_until",
                [user, 0 if new_lock else failures, new_lock.isoformat() if new_lock else None],
            )
        self._record(now, user, rows[0]["id"] if rows else None,
                     "locked_now" if new_lock else "bad_credentials")
        if new_lock is not None:
            raise _locked_error(new_lock)
        left = MAX_FAILURES - failures
        raise AuthError(
            "bad_credentials",
            f"用户名或密码不正确，还可尝试 {left} 次。",
            f"Wrong username or password; {left} attempt{'s' if left != 1 else ''} left.",
            attempts_left=left,
        )

    def _throttle(self, user: str) -> tuple[int, dt.datetime | None]:
        rows = list(self.db.query(
            "SELECT failures, locked_until FROM login_throttle WHERE username = ?", [user]))
        if not rows:
            return 0, None
        until = rows[0]["locked_until"]
        return int(rows[0]["failures"]), dt.datetime.fromisoformat(until) if until else None

    def _record(self, now: dt.datetime, user: str, account_id: int | None, outcome: str) -> None:
        masked = mask_username(user)
        with self.db.conn:
            self.db.execute(
                "INSERT INTO login_attempts(at, username_masked, account_id, outcome)"
                " VALUES (?, ?, ?, ?)",
                [now.isoformat(timespec="seconds"), masked, account_id, outcome],
            )
        level = logging.INFO if outcome == "ok" else logging.WARNING
        log.log(level, "login attempt: %s", outcome,
                extra={"event": "accounts.login", "username": masked, "outcome": outcome,
                       "account_id": account_id})

    # -- remembered titles --------------------------------------------------------

    def remember_title(self, account_id: int, buyer: Buyer) -> None:
        self._remember(f"account:{account_id}", buyer)

    def titles_for(self, account_id: int) -> list[Buyer]:
        return self._titles(f"account:{account_id}")

    def forget_titles(self, account_id: int) -> int:
        return self._forget(f"account:{account_id}")

    def identity_key(self, id_number: str) -> str:
        """SHA-256 of the per-install salt and the normalised ID number (hex)."""
        salt = get_meta(self.db, "accounts.identity_salt")
        if salt is None:
            salt = secrets.token_hex(32)
            set_meta(self.db, "accounts.identity_salt", salt)
        number = unicodedata.normalize("NFKC", id_number).strip().upper()
        return hashlib.sha256(f"{salt}:{number}".encode()).hexdigest()

    def remember_title_for_identity(self, id_number: str, buyer: Buyer) -> None:
        self._remember(f"identity:{self.identity_key(id_number)}", buyer)
        log.info("title remembered for identity",
                 extra={"event": "accounts.identity_title", "id": mask_id_number(id_number)})

    def titles_for_identity(self, id_number: str) -> list[Buyer]:
        return self._titles(f"identity:{self.identity_key(id_number)}")

    def forget_identity_titles(self, id_number: str) -> int:
        return self._forget(f"identity:{self.identity_key(id_number)}")

    def _remember(self, owner: str, buyer: Buyer) -> None:
        name = buyer.name.strip()
        if not name:
            return
        tax_id = buyer.tax_id.strip().upper()
        with self.db.conn:
            seq = self.db.execute(
                "SELECT COALESCE(MAX(used_seq), 0) + 1 FROM remembered_titles").fetchone()[0]
            self.db.execute(
                "INSERT INTO remembered_titles(owner, type, name, tax_id, address, phone, bank,"
                " account, email, show_address_bank, used_seq) VALUES (?,?,?,?,?,?,?,?,?,?,?) "
                "ON CONFLICT(owner, name, tax_id) DO UPDATE SET type = excluded.type,"
                " address = excluded.address, phone = excluded.phone, bank = excluded.bank,"
                " account = excluded.account, email = excluded.email,"
                " show_address_bank = excluded.show_address_bank, used_seq = excluded.used_seq",
                [owner, buyer.type.value, name, tax_id, buyer.address, buyer.phone, buyer.bank,
                 buyer.account, buyer.email, int(buyer.show_address_bank), seq],
            )
            self.db.execute(
                "DELETE FROM remembered_titles WHERE owner = ? AND id NOT IN ("
                " SELECT id FROM remembered_titles WHERE owner = ?"
                " ORDER BY used_seq DESC LIMIT ?)",
                [owner, owner, TITLES_KEPT],
            )

    def _titles(self, owner: str) -> list[Buyer]:
        rows = self.db.query(
            "SELECT type, name, tax_id, address, phone, bank, account, email, show_address_bank"
            " FROM remembered_titles WHERE owner = ? ORDER BY used_seq DESC", [owner])
        return [
            Buyer(type=BuyerType(r["type"]), name=r["name"], tax_id=r["tax_id"],
                  address=r["address"], phone=r["phone"], bank=r["bank"], account=r["account"],
                  email=r["email"], show_address_bank=bool(r["show_address_bank"]))
            for r in rows
        ]

    def _forget(self, owner: str) -> int:
        with self.db.conn:
            cur = self.db.execute("DELETE FROM remembered_titles WHERE owner = ?", [owner])
        return cur.rowcount


_COLUMNS = "id, username, kind, display_name, created_at, phone, email, tax_id, contact, status"


def _account(row: dict[str, Any]) -> Account:
    return Account(int(row["id"]), row["username"], AccountKind(row["kind"]),
                   row["display_name"], row["created_at"], row["phone"], row["email"],
                   row["tax_id"], row["contact"], AccountStatus(row["status"]))


def inactive_error(account: Account) -> AuthError:
    """The refusal for a right password on an account that may not log in."""
    if account.status is AccountStatus.PENDING:
        return AuthError("pending", "该账户尚未验证，请先输入验证码完成注册。",
                         "This account is not verified yet: confirm it with the code first.")
    return AuthError("disabled", "该账户已停用，请联系管理人员。",
                     "This account is disabled; please ask the staff.")


def _locked_error(until: dt.datetime) -> AuthError:
    hhmm = until.strftime("%H:%M")
    return AuthError(
        "locked",
        f"尝试次数过多，已暂时锁定，请于 {hhmm} 后再试。",
        f"Too many attempts: locked until {hhmm}. Please try again then.",
        attempts_left=0, locked_until=until,
    )


# Demo accounts, created on first start so the flows can be shown at once.
DEMO_ACCOUNTS: tuple[tuple[str, str, AccountKind, str], ...] = (
    ("demo", "demo1234", AccountKind.PERSON, "演示用户"),
    ("shop", "shop1234", AccountKind.BUSINESS, "演示商户"),
)


def seed_demo_accounts(store: AccountStore) -> list[Account]:
    """Create the demo person (``demo``/``demo1234``) and business (``shop``/``shop1234``).

    Idempotent: an existing username is left as it is. Returns the accounts created.
    """
    made = []
    for username, password, kind, display in DEMO_ACCOUNTS:
        if store.find(username) is None:
            made.append(store.create(username, password, kind, display))
    return made
