"""The accounts subsystem's tables (one sqlite-utils migration set, ``accounts``).

m001: accounts, the login throttle, the attempt log and remembered titles.
m002: enterprise accounts and their profile (phone, e-mail, tax ID, contact,
status), memberships with roles, and verification codes (stored hashed).
"""

from __future__ import annotations

import sqlite_utils
from sqlite_utils.migrations import Migrations

migrations = Migrations("accounts")


@migrations()
def m001_accounts(db: sqlite_utils.Database) -> None:
    """Accounts, the per-username throttle, the attempt log and remembered titles."""
    db.execute(
        """
        CREATE TABLE accounts (
            id INTEGER PRIMARY KEY,
            username TEXT NOT NULL UNIQUE,
            password_hash TEXT NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('person', 'business')),
            display_name TEXT NOT NULL,
            created_at TEXT NOT NULL
        )
        """
    )
    db.execute(
        """
        CREATE TABLE login_throttle (
            username TEXT PRIMARY KEY,
            failures INTEGER NOT NULL DEFAULT 0,
            locked_until TEXT
        )
        """
    )
    db.execute(
        """
        CREATE TABLE login_attempts (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            username_masked TEXT NOT NULL,
            account_id INTEGER,
            outcome TEXT NOT NULL
        )
        """
    )
    db.execute(
        """
        CREATE TABLE remembered_titles (
            id INTEGER PRIMARY KEY,
            owner TEXT NOT NULL,
            type TEXT NOT NULL,
            name TEXT NOT NULL,
            tax_id TEXT NOT NULL DEFAULT '',
            address TEXT NOT NULL DEFAULT '',
            phone TEXT NOT NULL DEFAULT '',
            bank TEXT NOT NULL DEFAULT '',
            account TEXT NOT NULL DEFAULT '',
            email TEXT NOT NULL DEFAULT '',
            show_address_bank INTEGER NOT NULL DEFAULT 0,
            used_seq INTEGER NOT NULL,
            UNIQUE (owner, name, tax_id)
        )
        """
    )
    db.execute("CREATE INDEX remembered_titles_owner ON remembered_titles(owner, used_seq)")


@migrations()
def m002_enterprises_members_codes(db: sqlite_utils.Database) -> None:
    """Enterprise accounts, member roles and verification codes.

    SQLite cannot change a CHECK constraint in place, so ``accounts`` is rebuilt
    (same ids) with the ``enterprise`` kind and the profile columns.
    """
    db.execute(
        """
        CREATE TABLE accounts_v2 (
            id INTEGER PRIMARY KEY,
            username TEXT NOT NULL UNIQUE,
            password_hash TEXT NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('person', 'business', 'enterprise')),
            display_name TEXT NOT NULL,
            created_at TEXT NOT NULL,
            phone TEXT NOT NULL DEFAULT '',
            email TEXT NOT NULL DEFAULT '',
            tax_id TEXT NOT NULL DEFAULT '',
            contact TEXT NOT NULL DEFAULT '',
            status TEXT NOT NULL DEFAULT 'active'
                CHECK (status IN ('active', 'pending', 'disabled'))
        )
        """
    )
    db.execute(
        "INSERT INTO accounts_v2(id, username, password_hash, kind, display_name, created_at)"
        " SELECT id, username, password_hash, kind, display_name, created_at FROM accounts"
    )
    db.execute("DROP TABLE accounts")
    db.execute("ALTER TABLE accounts_v2 RENAME TO accounts")
    # One account per mobile number: phone + code logs into exactly one account.
    db.execute("CREATE UNIQUE INDEX accounts_phone ON accounts(phone) WHERE phone != ''")
    db.execute(
        """
        CREATE TABLE memberships (
            member_id INTEGER PRIMARY KEY REFERENCES accounts(id),
            enterprise_id INTEGER NOT NULL REFERENCES accounts(id),
            role TEXT NOT NULL CHECK (role IN ('admin', 'issuer', 'viewer')),
            status TEXT NOT NULL CHECK (status IN ('pending', 'active')),
            created_at TEXT NOT NULL
        )
        """
    )
    db.execute("CREATE INDEX memberships_enterprise ON memberships(enterprise_id)")
    db.execute(
        """
        CREATE TABLE verification_codes (
            id INTEGER PRIMARY KEY,
            destination_key TEXT NOT NULL,
            purpose TEXT NOT NULL,
            code_hash TEXT NOT NULL,
            created_at TEXT NOT NULL,
            expires_at TEXT NOT NULL,
            tries INTEGER NOT NULL DEFAULT 0,
            used INTEGER NOT NULL DEFAULT 0
        )
        """
    )
    db.execute(
        "CREATE INDEX verification_codes_dest ON verification_codes(destination_key, created_at)"
    )
