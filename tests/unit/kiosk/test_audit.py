"""The audit hash chain: appends, verification, and every kind of tampering caught."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import threading
from decimal import Decimal
from pathlib import Path

import pytest

from kiosk import storage
from kiosk.audit import GENESIS, HEAD_KEY, TABLE, AuditTrail, audit, row_hash
from kiosk.cli import main


class Clock:
    def __init__(self) -> None:
        self.now = dt.datetime(2026, 3, 1, 8, 0, tzinfo=dt.UTC)

    def __call__(self) -> dt.datetime:
        self.now += dt.timedelta(seconds=1)
        return self.now


@pytest.fixture()
def db(tmp_path: Path):
    database = storage.open_database(tmp_path / "kiosk.db", [storage.core, audit])
    yield database
    database.close()


@pytest.fixture()
def trail(db) -> AuditTrail:
    t = AuditTrail(db, clock=Clock())
    t.record("invoice.issued", "kiosk", {"number": "26112000000000000001", "total": Decimal("113.00")})
    t.record("invoice.issued", "kiosk", {"number": "26112000000000000002", "total": Decimal("10.00")})
    t.record("admin.login", "admin", {"ok": True})
    t.record("invoice.red_issued", "admin", {"number": "26112000000000000003",
                                             "original": "26112000000000000001",
                                             "total": Decimal("-113.00")})
    t.record("admin.logout", "admin", {})
    return t


def tamper(db, sql: str, params: list) -> None:
    """What an attacker with a SQLite shell does: drop the guard, then edit."""
    with db.conn:
        db.execute(f"DROP TRIGGER IF EXISTS {TABLE}_no_update")
        db.execute(f"DROP TRIGGER IF EXISTS {TABLE}_no_delete")
        db.execute(sql, params)


def test_records_form_a_chain(trail: AuditTrail, db) -> None:
    rows = trail.rows()
    assert [r["seq"] for r in rows] == [1, 2, 3, 4, 5]
    assert rows[0]["prev_hash"] == GENESIS
    for before, after in zip(rows, rows[1:], strict=False):
        assert after["prev_hash"] == before["hash"]
    raw = db.execute(f"SELECT * FROM {TABLE} WHERE seq = 1").fetchone()
    assert raw[6] == row_hash(raw[5], raw[0], raw[1], raw[2], raw[3], raw[4])
    assert rows[0]["data"] == {"number": "26112000000000000001", "total": "113.00"}
    assert rows[0]["ts"] == "2026-03-01T08:00:01.000+00:00"
    assert trail.head() == (5, rows[-1]["hash"])
    result = trail.verify()
    assert result.ok and result.rows == 5 and result.head_seq == 5
    assert "OK" in str(result)


def test_personal_data_is_masked(trail: AuditTrail) -> None:
    seq = trail.record("admin.lookup", "admin", {"note": "buyer 11010519491231002X 13812345678"})
    data = trail.rows(last=1)[0]["data"]
    assert trail.rows(last=1)[0]["seq"] == seq
    assert "11010519491231002X" not in data["note"] and "13812345678" not in data["note"]
    assert "1101**********002X" in data["note"]


def test_table_is_append_only(trail: AuditTrail, db) -> None:
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        with db.conn:
            db.execute(f"UPDATE {TABLE} SET actor = 'x' WHERE seq = 1")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        with db.conn:
            db.execute(f"DELETE FROM {TABLE} WHERE seq = 5")
    assert trail.verify().ok


def test_altered_row_detected(trail: AuditTrail, db) -> None:
    data = json.dumps({"number": "26112000000000000002", "total": "1.00"}, separators=(",", ":"))
    tamper(db, f"UPDATE {TABLE} SET data = ? WHERE seq = 2", [data])
    result = trail.verify()
    assert not result.ok
    assert (result.broken_seq, result.kind) == (2, "altered")
    assert "seq 2" in str(result)


def test_altered_row_with_recomputed_hash_breaks_the_next_link(trail: AuditTrail, db) -> None:
    row = db.execute(f"SELECT * FROM {TABLE} WHERE seq = 2").fetchone()
    forged = row_hash(row[5], 2, row[1], row[2], "admin", row[4])
    tamper(db, f"UPDATE {TABLE} SET actor = 'admin', hash = ? WHERE seq = 2", [forged])
    result = trail.verify()
    assert (result.ok, result.broken_seq, result.kind) == (False, 3, "removed")
    assert "prev_hash" in result.reason


def test_deleted_row_detected(trail: AuditTrail, db) -> None:
    tamper(db, f"DELETE FROM {TABLE} WHERE seq = 3", [])
    result = trail.verify()
    assert (result.ok, result.broken_seq, result.kind) == (False, 3, "removed")
    assert "3 missing" in result.reason


def test_deleted_first_row_detected(trail: AuditTrail, db) -> None:
    tamper(db, f"DELETE FROM {TABLE} WHERE seq = 1", [])
    result = trail.verify()
    assert (result.ok, result.broken_seq, result.kind) == (False, 1, "removed")


def test_deleted_last_row_detected_by_head(trail: AuditTrail, db) -> None:
    tamper(db, f"DELETE FROM {TABLE} WHERE seq >= 4", [])
    result = trail.verify()
    assert (result.ok, result.broken_seq, result.kind) == (False, 4, "removed")
    assert "4..5" in result.reason


def test_all_rows_deleted_detected(trail: AuditTrail, db) -> None:
    tamper(db, f"DELETE FROM {TABLE}", [])
    result = trail.verify()
    assert (result.ok, result.broken_seq, result.kind) == (False, 1, "removed")


def test_reordered_rows_detected(trail: AuditTrail, db) -> None:
    tamper(db, f"UPDATE {TABLE} SET seq = 100 WHERE seq = 2", [])
    tamper(db, f"UPDATE {TABLE} SET seq = 2 WHERE seq = 3", [])
    tamper(db, f"UPDATE {TABLE} SET seq = 3 WHERE seq = 100", [])
    result = trail.verify()
    assert (result.ok, result.broken_seq, result.kind) == (False, 2, "reordered")
    assert "written as seq 3" in result.reason


def test_row_slipped_in_detected(trail: AuditTrail, db) -> None:
    last = trail.rows(last=1)[0]
    ts = "2026-03-01T09:00:00.000+00:00"
    digest = row_hash(last["hash"], 6, ts, "invoice.issued", "kiosk", "{}")
    with db.conn:
        db.execute(f"INSERT INTO {TABLE} VALUES (6, ?, 'invoice.issued', 'kiosk', '{{}}', ?, ?)",
                   [ts, last["hash"], digest])
    result = trail.verify()
    assert (result.ok, result.broken_seq, result.kind) == (False, 6, "appended")


def test_empty_trail_verifies(db) -> None:
    result = AuditTrail(db).verify()
    assert result.ok and result.rows == 0


def test_rows_filter_by_action(trail: AuditTrail) -> None:
    assert [r["seq"] for r in trail.rows(action="admin")] == [3, 5]
    assert [r["seq"] for r in trail.rows(action="invoice.issued")] == [1, 2]
    assert [r["seq"] for r in trail.rows(last=2)] == [4, 5]


def test_record_rejects_empty_names(db) -> None:
    t = AuditTrail(db)
    with pytest.raises(ValueError):
        t.record("", "kiosk", {})
    with pytest.raises(ValueError):
        t.record("x", " ", {})


def test_record_joins_callers_write_transaction(db) -> None:
    t = AuditTrail(db)
    db.conn.execute("BEGIN IMMEDIATE")
    t.record("invoice.issued", "kiosk", {"n": 1})
    db.conn.execute("ROLLBACK")
    assert t.rows() == [] and t.head() is None
    assert t.verify().ok


def test_concurrent_writers_do_not_fork_the_chain(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.db"
    storage.open_database(path, [storage.core, audit]).close()
    start = threading.Barrier(4)
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        db = storage.connect(path)  # a connection each, as separate processes would have
        try:
            trail = AuditTrail(db)
            start.wait(timeout=10)
            for i in range(25):
                trail.record("invoice.issued", f"w{n}", {"i": i})
        except BaseException as err:  # noqa: BLE001 - reported below
            errors.append(err)
        finally:
            db.close()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(timeout=60)
    assert not errors
    db = storage.connect(path)
    result = AuditTrail(db).verify()
    db.close()
    assert result.ok and result.rows == 100


def _cli_config(tmp_path: Path) -> str:
    cfg = tmp_path / "kiosk.toml"
    cfg.write_text(f'[storage]\ndata_dir = "{tmp_path / "data"}"\n', encoding="utf-8")
    return str(cfg)


def test_cli_verify_ok_and_broken(tmp_path: Path, capsys, monkeypatch) -> None:
    monkeypatch.delenv("KIOSK_DATA_DIR", raising=False)
    cfg = _cli_config(tmp_path)
    db = storage.open_database(tmp_path / "data" / "kiosk.db", [storage.core, audit])
    trail = AuditTrail(db)
    for i in range(3):
        trail.record("invoice.issued", "kiosk", {"i": i})
    assert main(["--config", cfg, "audit", "verify"]) == 0
    assert "audit chain OK: 3 rows" in capsys.readouterr().out
    assert main(["--config", cfg, "audit", "show", "--json"]) == 0
    shown = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["seq"] for r in shown] == [1, 2, 3]
    tamper(db, f"DELETE FROM {TABLE} WHERE seq = 2", [])
    db.close()
    assert main(["--config", cfg, "audit", "verify"]) == 1
    out = capsys.readouterr().out
    assert "BROKEN at seq 2 (removed)" in out
    assert main(["--config", cfg, "audit", "verify", "--json"]) == 1
    assert json.loads(capsys.readouterr().out)["broken_seq"] == 2


def test_cli_without_database_says_so(tmp_path: Path, capsys, monkeypatch) -> None:
    monkeypatch.delenv("KIOSK_DATA_DIR", raising=False)
    assert main(["--config", _cli_config(tmp_path), "audit", "verify"]) == 1
    assert "no kiosk database" in capsys.readouterr().err
    assert not (tmp_path / "data" / "kiosk.db").exists()


def test_head_key_lives_in_meta(trail: AuditTrail, db) -> None:
    assert storage.get_meta(db, HEAD_KEY) == f"5:{trail.rows(last=1)[0]['hash']}"
