"""The kiosk's SQLite database: one file, opened one way, migrated in named sets.

Every connection gets WAL, ``synchronous=FULL`` (an issued invoice must survive
a power cut), ``foreign_keys=ON`` and a ``busy_timeout``. Schema changes are
sqlite-utils ``Migrations``: each subsystem owns one named set (this module
owns ``core``), and :func:`open_database` applies every registered set in
order, so an old database is brought up to date at start-up.

The path is always injected; nothing here knows where the data folder is.
"""

from __future__ import annotations

import importlib
import logging
import sqlite3
from pathlib import Path

import sqlite_utils
from sqlite_utils.migrations import Migrations

log = logging.getLogger("kiosk.storage")

BUSY_TIMEOUT_MS = 5000

# The kiosk's database file in the data folder (every part opens this one name).
DB_FILE = "kiosk.db"

core = Migrations("core")


@core()
def m001_meta(db: sqlite_utils.Database) -> None:
    """A key/value table for small durable facts (first start, seeded demo, ...)."""
    db.table("meta").create({"key": str, "value": str}, pk="key", not_null={"value"})


# Modules that own a migration set, each as ``module:attribute``. A subsystem
# adds its line here; order matters only where a set references another's table.
MIGRATION_SETS: list[str] = [
    "kiosk.storage:core",
    "kiosk.audit:audit",
    "kiosk.orders:migrations",
    "kiosk.mail:migrations",
    "kiosk.outbox:migrations",
    "kiosk.accounts:migrations",
    "kiosk.catalogue:migrations",
]


def _registered_sets() -> list[Migrations]:
    sets = []
    for spec in MIGRATION_SETS:
        module, attr = spec.split(":")
        sets.append(getattr(importlib.import_module(module), attr))
    return sets


def connect(path: str | Path) -> sqlite_utils.Database:
    """Open a connection with the kiosk's pragmas, without migrating."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False)
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA foreign_keys = ON")
    return sqlite_utils.Database(conn)


def migrate(db: sqlite_utils.Database, sets: list[Migrations] | None = None) -> list[str]:
    """Apply pending migrations of every set; returns the names applied."""
    applied: list[str] = []
    for mig in sets if sets is not None else _registered_sets():
        pending = [m.name for m in mig.pending(db)]
        if pending:
            mig.apply(db)
            applied += [f"{mig.name}:{name}" for name in pending]
    if applied:
        log.info("database migrated", extra={"event": "db.migrated", "applied": applied})
    return applied


def open_database(path: str | Path, sets: list[Migrations] | None = None) -> sqlite_utils.Database:
    """Open (creating if needed) and migrate the database at ``path``."""
    db = connect(path)
    migrate(db, sets)
    return db


def get_meta(db: sqlite_utils.Database, key: str) -> str | None:
    rows = list(db.query("SELECT value FROM meta WHERE key = ?", [key]))
    return rows[0]["value"] if rows else None


def set_meta(db: sqlite_utils.Database, key: str, value: str) -> None:
    with db.conn:
        db.execute(
            "INSERT INTO meta(key, value) VALUES (?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            [key, value],
        )
