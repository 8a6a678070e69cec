"""Storage: pragmas on every connection, migrations bring an old database up to date, one
Database hands each thread its own connection and serialises writes with one lock."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest
import sqlite_utils
from sqlite_utils.migrations import Migrations

from kiosk import storage
from kiosk.storage import connect, get_meta, migrate, open_database, set_meta


def test_pragmas_on_every_connection(tmp_path: Path) -> None:
    db = connect(tmp_path / "k.db")
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert db.execute("PRAGMA busy_timeout").fetchone()[0] >= 1000


def test_meta_round_trip_and_reopen(tmp_path: Path) -> None:
    path = tmp_path / "k.db"
    db = open_database(path)
    set_meta(db, "first_start", "2026-11-29")
    set_meta(db, "first_start", "2026-11-30")
    db.conn.close()
    again = open_database(path)
    assert get_meta(again, "first_start") == "2026-11-30"
    assert get_meta(again, "absent") is None


def test_migrations_on_an_old_database(tmp_path: Path) -> None:
    """A database made by version 1 of a set gets version 2 applied, data kept."""
    path = tmp_path / "old.db"
    v1 = Migrations("things")

    @v1()
    def m001_create(db: sqlite_utils.Database) -> None:
        db["things"].create({"id": int, "name": str}, pk="id")

    db = open_database(path, [v1])
    db["things"].insert({"id": 1, "name": "发票"})
    db.conn.close()

    v2 = Migrations("things")
    v2()(m001_create)

    @v2()
    def m002_add_price(db: sqlite_utils.Database) -> None:
        db["things"].add_column("price", str, not_null_default="0.00")

    db = connect(path)
    assert migrate(db, [v2]) == ["things:m002_add_price"]
    assert list(db["things"].rows) == [{"id": 1, "name": "发票", "price": "0.00"}]
    assert migrate(db, [v2]) == []


def test_registered_sets_all_apply_to_a_fresh_database(tmp_path: Path) -> None:
    db = open_database(tmp_path / "fresh.db")
    assert "meta" in db.table_names()
    # Opening again applies nothing new.
    assert migrate(db) == []


def _on_thread(work):  # type: ignore[no-untyped-def]
    """Run ``work`` on a new thread; its result (or exception) back here."""
    out: list[object] = []
    thread = threading.Thread(target=lambda: out.append(work()))
    thread.start()
    thread.join()
    return out[0]


def test_each_thread_gets_its_own_connection_to_the_one_file(tmp_path: Path) -> None:
    db = storage.open_database(tmp_path / "kiosk.db")
    try:
        mine = db.conn
        assert db.conn is mine  # the same thread: the same connection
        other = _on_thread(lambda: db.conn)
        assert other is not mine
        storage.set_meta(db, "k", "v")
        assert _on_thread(lambda: storage.get_meta(db, "k")) == "v"
        for conn in (mine, other):
            assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
            assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
            assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    finally:
        db.close()
    with pytest.raises(sqlite3.ProgrammingError):
        other.execute("SELECT 1")  # close() closed every thread's connection


def test_every_write_block_holds_the_one_write_lock(tmp_path: Path) -> None:
    db = storage.open_database(tmp_path / "kiosk.db")
    inside, leave = threading.Event(), threading.Event()

    def writer() -> None:
        with db.conn:
            db.conn.execute("INSERT INTO meta(key, value) VALUES ('a', '1')")
            inside.set()
            leave.wait(30)

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        assert inside.wait(30)
        assert not db.write_lock.acquire(blocking=False)  # another thread may not write now
    finally:
        leave.set()
        thread.join()
    assert db.write_lock.acquire(blocking=False)
    db.write_lock.release()
    db.close()


def test_write_commits_or_rolls_back_as_one(tmp_path: Path) -> None:
    db = storage.open_database(tmp_path / "kiosk.db")
    with db.write() as conn:
        conn.execute("INSERT INTO meta(key, value) VALUES ('kept', '1')")
    with pytest.raises(RuntimeError), db.write() as conn:
        conn.execute("INSERT INTO meta(key, value) VALUES ('lost', '1')")
        raise RuntimeError("half done")
    db.close()
    again = storage.connect(tmp_path / "kiosk.db")
    try:
        assert storage.get_meta(again, "kept") == "1" and storage.get_meta(again, "lost") is None
    finally:
        again.close()
