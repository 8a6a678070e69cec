"""The kiosk's SQLite database: one file, opened one way, migrated in named sets.

:class:`Database` owns the file. It is a ``sqlite_utils.Database`` whose ``conn``
is the CALLING THREAD's own connection (made on first use), so every store built
over it (orders, accounts, outbox, mail, audit) can be shared by the UI thread
and the pool threads without two threads ever using one connection. Writes are
serialised in ONE place, the database's ``write_lock``: every ``with db.conn:``
block (how the stores and sqlite-utils itself write) and every
:meth:`Database.write` transaction (``BEGIN IMMEDIATE``) holds it, so two
writers of one process never meet inside SQLite (no ``database is locked`` and
no busy waits); another process still waits up to ``busy_timeout``.

Every connection gets WAL, ``synchronous=FULL`` (an issued invoice must survive
a power cut), ``foreign_keys=ON`` and a ``busy_timeout``. Schema changes are
sqlite-utils ``Migrations``: each subsystem owns one named set (this module
owns ``core``), and :func:`open_database` applies every registered set in
order, so an old database is brought up to date at start-up.

The path is always injected; nothing here knows where the data folder is.
"""

from __future__ import annotations

import fcntl
import importlib
import logging
import os
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import Literal

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
    "kiosk.centre.store:migrations",  # after outbox: indexes its invoices
]


def _registered_sets() -> list[Migrations]:
    sets = []
    for spec in MIGRATION_SETS:
        module, attr = spec.split(":")
        sets.append(getattr(importlib.import_module(module), attr))
    return sets


class _Connection(sqlite3.Connection):
    """A connection whose ``with conn:`` block holds its database's write lock."""

    write_lock: threading.RLock

    def __enter__(self) -> _Connection:
        self.write_lock.acquire()
        try:
            super().__enter__()
        except BaseException:
            self.write_lock.release()
            raise
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 tb: TracebackType | None) -> Literal[False]:
        try:
            super().__exit__(kind, value, tb)
        finally:
            self.write_lock.release()
        return False


def _open_connection(path: Path, write_lock: threading.RLock) -> sqlite3.Connection:
    conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False,
                           factory=_Connection)
    conn.write_lock = write_lock
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA recursive_triggers = on")  # as sqlite_utils.Database sets it
    return conn


class Database(sqlite_utils.Database):
    """The kiosk's database file: one connection per thread, one write lock.

    Build one per process (the composition root does) and share it. ``conn`` is the
    calling thread's connection; :meth:`write` is a ``BEGIN IMMEDIATE`` transaction
    under the write lock; :meth:`close` closes every thread's connection.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.write_lock = threading.RLock()
        self._local = threading.local()
        self._opened: list[sqlite3.Connection] = []
        self._guard = threading.Lock()
        super().__init__(self._connection(), recursive_triggers=False, execute_plugins=False)

    def _connection(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = _open_connection(self.path, self.write_lock)
            self._local.conn = conn
            with self._guard:
                self._opened.append(conn)
        return conn

    @property
    def conn(self) -> sqlite3.Connection:
        """The calling thread's connection (opened on first use)."""
        return self._connection()

    @conn.setter
    def conn(self, value: sqlite3.Connection) -> None:
        self._local.conn = value  # sqlite_utils.Database.__init__ hands back ours

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """A ``BEGIN IMMEDIATE`` transaction on this thread's connection, holding the write
        lock; committed (durable: synchronous=FULL) when the block ends, else rolled back."""
        conn = self.conn
        with self.write_lock:
            if conn.in_transaction:  # a stray implicit transaction must not swallow ours
                conn.commit()
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                conn.rollback()
                raise
            conn.commit()

    def close(self) -> None:
        """Close every thread's connection (the database is done with)."""
        with self._guard:
            opened, self._opened = self._opened, []
        for conn in opened:
            conn.close()


def connect(path: str | Path) -> Database:
    """Open the database with the kiosk's pragmas, without migrating."""
    return Database(path)


_held = threading.local()  # the lock files this thread holds (migration_lock is re-entrant)


@contextmanager
def migration_lock(path: str | Path) -> Iterator[None]:
    """Hold ``<path>-lock`` exclusively (``flock``) while a database file is created/migrated.

    Two processes starting on a fresh data folder used to create the same schema at once
    ("table sequences already exists", "database is locked": issue 15). SQLite's own locks
    cannot cover "look whether the file exists, then create and migrate it", so the OS
    file lock (stdlib ``fcntl``; released by the kernel if the holder is killed) does.
    Re-entrant within a thread; other threads and processes wait for it.
    """
    lock = Path(path).with_name(Path(path).name + "-lock")
    held: set[str] = getattr(_held, "paths", set())
    _held.paths = held
    key = str(lock.resolve())
    if key in held:
        yield
        return
    lock.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        held.add(key)
        try:
            yield
        finally:
            held.discard(key)
    finally:
        os.close(fd)  # closing the descriptor releases the lock


def _db_file(db: sqlite_utils.Database) -> str:
    """The main file of ``db`` ("" for an in-memory database)."""
    for row in db.conn.execute("PRAGMA database_list"):
        if row[1] == "main":
            return str(row[2] or "")
    return ""


def migrate(db: sqlite_utils.Database, sets: list[Migrations] | None = None, *,
            lock: bool = True) -> list[str]:
    """Apply pending migrations of every set; returns the names applied.

    Under :func:`migration_lock` of the database's file unless ``lock`` is False (a
    private file no other process can see yet, as :func:`kiosk.dbcheck.create_whole` makes).
    """
    where = _db_file(db) if lock else ""
    if where:
        with migration_lock(where):
            return migrate(db, sets, lock=False)
    applied: list[str] = []
    for mig in sets if sets is not None else _registered_sets():
        pending = [m.name for m in mig.pending(db)]
        if pending:
            mig.apply(db)
            applied += [f"{mig.name}:{name}" for name in pending]
    if applied:
        log.info("database migrated", extra={"event": "db.migrated", "applied": applied})
    return applied


def open_database(path: str | Path, sets: list[Migrations] | None = None) -> Database:
    """Open (creating if needed) and migrate the database at ``path``.

    A missing file is created whole; a damaged or emptied one is refused
    (:class:`kiosk.dbcheck.DatabaseRefused`), never re-created over.
    """
    from kiosk.dbcheck import guard_database  # issue 15: never silently replace kiosk.db

    with migration_lock(path):  # another process may be creating or migrating it right now
        guard_database(path, sets)
        db = connect(path)
        try:
            migrate(db, sets)
        except BaseException:
            db.close()
            raise
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
