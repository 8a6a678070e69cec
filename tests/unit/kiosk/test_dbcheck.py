"""A damaged or emptied kiosk database is refused, never replaced (issue 15, item 3).

Real SQLite files damaged the ways a bad day damages them: emptied to zero
bytes, an empty SQLite file, garbage, a scribbled b-tree page, a broken
audit chain. Opening refuses each with a problem code; nothing is re-created
over them; ``kiosk doctor`` fails; ``kiosk db check|backup|restore`` give the
operator the way back.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from kiosk import doctor, storage
from kiosk.audit import TABLE, AuditTrail
from kiosk.cli import main
from kiosk.config import config_from_dict
from kiosk.dbcheck import DatabaseRefused, check_file, guard_database
from kiosk.orders import OrderStore
from tests.helpers.storage_faults import scribble_table


@pytest.fixture
def data(isolated_data_dir: Path) -> Path:
    isolated_data_dir.mkdir(parents=True, exist_ok=True)
    return isolated_data_dir


def make_kiosk_db(data: Path, orders: int = 5) -> Path:
    path = data / storage.DB_FILE
    db = storage.open_database(path)
    from kiosk.demo import seed_demo_orders

    seed_demo_orders(OrderStore(db))
    trail = AuditTrail(db)
    for i in range(orders):
        trail.record("invoice.issued", "kiosk", {"i": i})
    db.close()
    return path


def emptied(data: Path) -> Path:
    path = data / storage.DB_FILE
    path.write_bytes(b"")
    return path


def empty_sqlite(data: Path) -> Path:
    path = data / storage.DB_FILE
    sqlite3.connect(path).execute("PRAGMA user_version = 0").connection.close()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.close()
    return path


def garbage(data: Path) -> Path:
    path = data / storage.DB_FILE
    path.write_bytes(b"this is not a database" * 500)
    return path


def scribbled(data: Path) -> Path:
    path = make_kiosk_db(data)
    scribble_table(path, "orders")
    return path


def audit_broken(data: Path) -> Path:
    path = make_kiosk_db(data)
    conn = sqlite3.connect(path)
    conn.execute(f"DROP TRIGGER {TABLE}_no_delete")
    conn.execute(f"DELETE FROM {TABLE} WHERE seq = 2")
    conn.commit()
    conn.close()
    return path


DAMAGE = {"emptied": (emptied, "db.emptied"), "empty sqlite": (empty_sqlite, "db.emptied"),
          "garbage": (garbage, "db.damaged"), "scribbled": (scribbled, "db.damaged")}


@pytest.mark.parametrize("kind", sorted(DAMAGE))
def test_opening_refuses_damage_and_keeps_the_file(data: Path, kind: str) -> None:
    make, code = DAMAGE[kind]
    path = make(data)
    before = path.read_bytes()
    with pytest.raises(DatabaseRefused) as err:
        storage.open_database(path)
    assert err.value.problem.code == code
    assert path.read_bytes() == before  # never replaced, never migrated over


def test_a_first_start_creates_the_database_whole(data: Path) -> None:
    path = data / storage.DB_FILE
    db = storage.open_database(path)
    db.close()
    assert check_file(path).ok
    assert sorted(p.name for p in data.iterdir() if not p.name.startswith("kiosk.db")) == []
    guard_database(path)  # and opening it again is fine


def test_a_broken_audit_chain_is_found_by_the_full_check(data: Path) -> None:
    path = audit_broken(data)
    report = check_file(path)
    assert not report.ok and report.problem is not None
    assert report.problem.code == "db.audit_broken"


@pytest.mark.parametrize("kind", sorted(DAMAGE))
def test_cli_commands_give_one_line_and_issue_nothing(
        data: Path, kind: str, capsys: pytest.CaptureFixture[str]) -> None:
    make, _code = DAMAGE[kind]
    make(data)
    for argv in (["orders", "list"], ["issue", "--order", "D1", "--buyer-name", "个人"]):
        assert main(argv) == 4, argv
        err = capsys.readouterr().err.strip()
        assert err.count("\n") == 0 and "kiosk db" in err, err
    assert not (data / "sandbox.db").exists()  # nothing reached the platform


@pytest.mark.parametrize("kind", sorted(DAMAGE) + ["audit broken"])
def test_doctor_fails_on_a_damaged_or_emptied_database(data: Path, kind: str) -> None:
    make = audit_broken if kind == "audit broken" else DAMAGE[kind][0]
    make(data)
    checks = {c.name: c for c in doctor.run_checks(doctor.all_checks(config_from_dict({})))}
    assert doctor.FAIL in (checks["database"].status, checks["audit chain"].status), checks


def test_db_check_backup_corrupt_restore_brings_everything_back(
        data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = make_kiosk_db(data, orders=7)
    db = storage.open_database(path)
    before = [o.order_no for o in OrderStore(db).list()]
    db.close()
    assert main(["db", "check"]) == 0
    assert "ok" in capsys.readouterr().out.lower()
    backups = tmp_path / "backups"
    assert main(["db", "backup", "--to", str(backups)]) == 0
    copy = Path(capsys.readouterr().out.strip().splitlines()[-1].split()[-1])
    assert copy.parent == backups and check_file(copy).ok
    scribble_table(path, "orders")
    assert main(["db", "check"]) == 1
    assert "damaged" in capsys.readouterr().err
    assert main(["db", "restore", str(copy)]) == 0
    capsys.readouterr()
    assert main(["db", "check"]) == 0
    db = storage.open_database(path)
    assert [o.order_no for o in OrderStore(db).list()] == before
    assert AuditTrail(db).verify().rows == 7
    db.close()


def test_restore_refuses_a_bad_file_and_keeps_the_database(
        data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = make_kiosk_db(data)
    before = check_file(path)
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"junk" * 1000)
    assert main(["db", "restore", str(bad)]) == 1
    assert "not restored" in capsys.readouterr().err
    assert check_file(path) == before


def test_restore_over_an_emptied_database(data: Path, tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    path = make_kiosk_db(data)
    assert main(["db", "backup", "--to", str(tmp_path)]) == 0
    copy = Path(capsys.readouterr().out.strip().splitlines()[-1].split()[-1])
    path.write_bytes(b"")
    assert main(["db", "restore", str(copy)]) == 0
    assert check_file(path).ok


def test_daily_backup_with_retention(data: Path, tmp_path: Path) -> None:
    import datetime as dt
    import os

    from kiosk.dbcheck import backup_if_due, backups_in

    path = make_kiosk_db(data)
    folder = tmp_path / "daily"
    start = dt.datetime(2026, 12, 1, 3, 0, tzinfo=dt.UTC)
    for day in range(5):
        now = start + dt.timedelta(days=day)
        made = backup_if_due(path, folder, keep=3, now=now)
        assert made is not None
        os.utime(made, (now.timestamp(), now.timestamp()))  # made "on" that day
        assert backup_if_due(path, folder, keep=3, now=now + dt.timedelta(hours=23)) is None
    kept = backups_in(folder)
    assert [p.name for p in kept] == [f"kiosk-2026120{d}-030000.db" for d in (3, 4, 5)]
    assert all(check_file(p).ok for p in kept)
    assert backup_if_due(path, folder, keep=0, now=start + dt.timedelta(days=30)) is None


def test_db_backup_if_due_uses_the_configured_folder(data: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    make_kiosk_db(data)
    assert main(["db", "backup", "--if-due"]) == 0
    assert "backed up to" in capsys.readouterr().out
    assert len(list((data / "backups").glob("kiosk-*.db"))) == 1
    assert main(["db", "backup", "--if-due"]) == 0
    assert "none made" in capsys.readouterr().out
