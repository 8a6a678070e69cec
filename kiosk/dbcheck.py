"""Is the kiosk database whole? Checks, refusal, and the operator's way back.

A bad day leaves ``kiosk.db`` emptied to zero bytes, an empty SQLite file,
garbage, a damaged b-tree, or an audit chain with a link cut. SQLite would
happily treat an empty file as a new database and the migrations would
re-create the tables over it (outbox, audit trail and PIN lockout gone, demo
orders re-seeded) - so nothing opens the kiosk database without passing here:

- :func:`guard_database` (called by :func:`kiosk.storage.open_database`):
  a missing file is created WHOLE (built and migrated under a temporary name,
  then hard-linked into place, so a crash or a second process never leaves a
  half-made file); an existing one must pass :func:`check_file` (without the
  audit chain: that is for start-up, doctor and ``kiosk db check``) or
  :class:`DatabaseRefused` is raised. An existing file is never replaced.
- :func:`check_file`: ``PRAGMA quick_check`` (b-tree structure, in one pass),
  the kiosk's tables present, and optionally the audit hash chain.
- :func:`backup` (SQLite's online backup API: a consistent copy while the
  kiosk runs, verified) and :func:`restore` (verifies the copy first; writes
  into the live database through the same API so a running kiosk sees it).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import secrets
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import sqlite_utils

from drivers.problem import Problem, ProblemError

if TYPE_CHECKING:
    from sqlite_utils.migrations import Migrations

log = logging.getLogger("kiosk.storage")

BUSY_TIMEOUT_S = 5.0
BACKUP_PREFIX = "kiosk-"
# A kiosk database always has this table (the core migration set makes it first).
MARKER_TABLE = "meta"


class DatabaseRefused(ProblemError):
    """The kiosk database is damaged or emptied: nothing may use it (``problem`` says how)."""


@dataclass(frozen=True)
class DbReport:
    """What :func:`check_file` found: ``ok``, else the problem; ``detail`` for people."""

    ok: bool
    detail: str
    problem: Problem | None = None


def _refuse(code: str, path: Path, detail: str) -> DbReport:
    detail = " ".join(detail.split())  # one line, wherever it is shown
    return DbReport(False, detail, Problem.of(code, path=path, detail=detail))


def _open_plain(path: Path) -> sqlite3.Connection:
    """A connection that writes nothing on open (no journal-mode change)."""
    conn = sqlite3.connect(f"file:{path}?mode=rw", uri=True, timeout=BUSY_TIMEOUT_S,
                           check_same_thread=False)
    conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
    return conn


def check_file(path: str | Path, *, audit: bool = True) -> DbReport:
    """Check the database at ``path`` without changing it.

    Damaged or emptied content is a report; a storage fault (I/O error,
    read-only, full: ``sqlite3.OperationalError``) is raised, as it says
    nothing about the file.
    """
    path = Path(path)
    if not path.is_file():
        return _refuse("db.missing", path, "no such file")
    if path.stat().st_size == 0:
        return _refuse("db.emptied", path, "zero bytes")
    try:
        conn = _open_plain(path)
    except sqlite3.OperationalError:
        raise  # the folder or disk (read-only, full, gone), not the file's content
    except sqlite3.Error as err:
        return _refuse("db.damaged", path, str(err))
    try:
        found = [str(r[0]) for r in conn.execute("PRAGMA quick_check(5)").fetchall()]
        if found != ["ok"]:
            return _refuse("db.damaged", path,
                           "quick_check: " + "; ".join(" ".join(f.split()) for f in found))
        tables = {str(r[0]) for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()}
        if MARKER_TABLE not in tables:
            return _refuse("db.emptied", path, "no kiosk tables")
        if audit:
            from kiosk.audit import TABLE, AuditTrail

            if TABLE in tables:
                result = AuditTrail(sqlite_utils.Database(conn)).verify()
                if not result.ok:
                    return _refuse("db.audit_broken", path, str(result))
        return DbReport(True, f"quick_check ok, {len(tables)} tables"
                        + (", audit chain ok" if audit else ""))
    except sqlite3.OperationalError:
        raise  # I/O error, locked, read-only: the storage, not the content
    except sqlite3.DatabaseError as err:
        return _refuse("db.damaged", path, str(err))
    finally:
        conn.close()


def _remove_with_sidecars(path: Path) -> None:
    for p in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        p.unlink(missing_ok=True)


def create_whole(path: Path, sets: list[Migrations] | None = None) -> bool:
    """Create and migrate a new database at ``path`` atomically; False if one appeared first."""
    from kiosk import storage

    tmp = path.with_name(f".{path.name}.new-{os.getpid()}-{secrets.token_hex(4)}")
    try:
        db = storage.connect(tmp)
        try:
            storage.migrate(db, sets, lock=False)  # a private file: nobody else sees it yet
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            db.close()
        try:
            os.link(tmp, path)  # never replaces: an existing file makes this fail
        except FileExistsError:
            return False
        log.info("database created", extra={"event": "db.created", "path": str(path)})
        return True
    finally:
        _remove_with_sidecars(tmp)


def guard_database(path: str | Path, sets: list[Migrations] | None = None) -> None:
    """Create ``path`` whole if missing, else refuse it when damaged or emptied."""
    path = Path(path)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        if create_whole(path, sets):
            return
    report = check_file(path, audit=False)
    if not report.ok:
        assert report.problem is not None
        log.info("database refused: %s", report.detail,
                  extra={"event": "db.refused", "code": report.problem.code, "path": str(path)})
        raise DatabaseRefused(report.problem, report.detail)


# --- backup and restore ------------------------------------------------------------------


def backup(path: str | Path, folder: str | Path, *, now: dt.datetime | None = None) -> Path:
    """A consistent copy of the live database in ``folder`` (online backup API), verified.

    Raises :class:`DatabaseRefused` when the source is not whole (a copy of a
    damaged database is no backup) or the copy does not verify.
    """
    path, folder = Path(path), Path(folder)
    source = check_file(path)
    if not source.ok:
        assert source.problem is not None
        raise DatabaseRefused(source.problem, source.detail)
    folder.mkdir(parents=True, exist_ok=True)
    stamp = (now or dt.datetime.now(dt.UTC)).strftime("%Y%m%d-%H%M%S")
    target = folder / f"{BACKUP_PREFIX}{stamp}.db"
    n = 1
    while target.exists():
        n += 1
        target = folder / f"{BACKUP_PREFIX}{stamp}-{n}.db"
    partial = target.with_name(target.name + ".partial")
    src = _open_plain(path)
    try:
        dst = sqlite3.connect(partial)
        try:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode = DELETE")  # a single self-contained file
        finally:
            dst.close()
    finally:
        src.close()
    copy = check_file(partial)
    if not copy.ok:
        partial.unlink(missing_ok=True)
        assert copy.problem is not None
        raise DatabaseRefused(copy.problem, copy.detail)
    os.replace(partial, target)
    log.info("database backed up", extra={"event": "db.backup", "path": str(target)})
    return target


def backups_in(folder: str | Path) -> list[Path]:
    """The backups :func:`backup` made in ``folder``, oldest first."""
    folder = Path(folder)
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.glob(f"{BACKUP_PREFIX}*.db") if p.is_file())


def backup_if_due(path: str | Path, folder: str | Path, keep: int, *,
                  now: dt.datetime | None = None,
                  every: dt.timedelta = dt.timedelta(days=1)) -> Path | None:
    """The daily backup: a new copy when the newest is ``every`` old (or none exists),
    then only the newest ``keep`` are kept. ``keep`` 0 turns it off. Cheap when
    not due (a folder listing), so a periodic job may call it often."""
    if keep <= 0 or not Path(path).is_file():
        return None
    now = now or dt.datetime.now(dt.UTC)
    existing = backups_in(folder)
    if existing:
        newest = dt.datetime.fromtimestamp(existing[-1].stat().st_mtime, dt.UTC)
        if now - newest < every:
            return None
    made = backup(path, folder, now=now)
    for old in backups_in(folder)[:-keep]:
        old.unlink(missing_ok=True)
        log.info("old backup removed", extra={"event": "db.backup_pruned", "path": str(old)})
    return made


def restore(copy: str | Path, path: str | Path) -> Path | None:
    """Replace the database at ``path`` with the verified ``copy``.

    Refuses (:class:`DatabaseRefused`) a copy that does not pass the full
    check. The database being replaced is kept beside it
    (``kiosk.db.before-restore-<time>``, returned; None when there was none).
    A readable live database is overwritten through the backup API (a running
    kiosk's connections see the restored content); one SQLite cannot open is
    moved aside and the copy put in its place.
    """
    copy, path = Path(copy), Path(path)
    good = check_file(copy)
    if not good.ok:
        assert good.problem is not None
        raise DatabaseRefused(good.problem, good.detail)
    kept: Path | None = None
    if path.exists():
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M%S")
        kept = path.with_name(f"{path.name}.before-restore-{stamp}")
        shutil.copy2(path, kept)
        wal = path.with_name(path.name + "-wal")
        if wal.exists():
            shutil.copy2(wal, kept.with_name(kept.name + "-wal"))
    src = _open_plain(copy)
    try:
        try:
            if path.exists() and path.stat().st_size > 0:
                dst = _open_plain(path)
                try:
                    src.backup(dst)
                finally:
                    dst.close()
            else:
                raise sqlite3.DatabaseError("empty")
        except sqlite3.DatabaseError:
            # Not a database SQLite can write into: put a fresh copy in its place.
            tmp = path.with_name(f".{path.name}.restore-{secrets.token_hex(4)}")
            dst = sqlite3.connect(tmp)
            try:
                src.backup(dst)
                dst.execute("PRAGMA journal_mode = WAL")
            finally:
                dst.close()
            for side in ("-wal", "-shm"):
                path.with_name(path.name + side).unlink(missing_ok=True)
            os.replace(tmp, path)
    finally:
        src.close()
    after = check_file(path)
    if not after.ok:  # pragma: no cover - the copy verified; this is a disk failing
        assert after.problem is not None
        raise DatabaseRefused(after.problem, after.detail)
    log.warning("database restored", extra={"event": "db.restored", "from": str(copy),
                                            "kept": str(kept) if kept else ""})
    return kept
