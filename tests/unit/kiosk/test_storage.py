"""Storage: pragmas on every connection, migrations bring an old database up to date."""

from __future__ import annotations

from pathlib import Path

import sqlite_utils
from sqlite_utils.migrations import Migrations

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
