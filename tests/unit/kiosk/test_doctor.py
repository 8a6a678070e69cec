"""``kiosk doctor``: each check against a real temp data folder, and the time limits."""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import threading
from pathlib import Path

import pytest
import serial

from kiosk import doctor, storage
from kiosk.audit import TABLE, AuditTrail
from kiosk.cli import main
from kiosk.config import config_from_dict
from kiosk.doctor import FAIL, OK, WARN, Check, run_checks
from kiosk.doctor_devices import network_printer_check, real_check, serial_port_check


@pytest.fixture()
def data(tmp_path: Path, monkeypatch) -> Path:
    d = tmp_path / "data"
    d.mkdir()
    monkeypatch.setenv("KIOSK_DATA_DIR", str(d))
    return d


def write_config(tmp_path: Path, extra: str = "") -> str:
    path = tmp_path / "kiosk.toml"
    path.write_text(extra, encoding="utf-8")
    return str(path)


def cfg(extra: dict | None = None):
    return config_from_dict(extra or {})


def by_name(checks: list[Check]) -> dict[str, Check]:
    return {c.name: c for c in checks}


def test_db_file_name_matches_the_composition_root() -> None:
    from kiosk.storage import DB_FILE

    assert doctor.DB_FILE_NAME == DB_FILE


def test_full_run_on_a_fresh_kiosk(tmp_path: Path, data: Path, capsys) -> None:
    storage.open_database(data / "kiosk.db").close()
    code = main(["--config", write_config(tmp_path), "doctor"])
    out = capsys.readouterr().out
    assert code == 0, out
    for name in ("config", "data dir", "database", "audit chain", "platform", "outbox",
                 "device printer", "device scanner", "device ID reader", "device camera",
                 "serial ports", "versions"):
        assert name in out
    assert "emulated: ready" in out
    assert "0 failed" in out
    assert main(["--config", write_config(tmp_path), "doctor", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["ok"] is True
    checks = {c["name"]: c for c in result["checks"]}
    assert checks["database"]["status"] == OK
    assert "migrations current" in checks["database"]["detail"]
    assert checks["device printer"]["status"] == OK


def test_broken_config_fails(tmp_path: Path, data: Path, capsys) -> None:
    path = write_config(tmp_path, "[devices.printer]\nbackend = 'laser'\n")
    assert main(["--config", path, "doctor"]) == 1
    out = capsys.readouterr().out
    assert "FAIL  config" in out and "laser" in out


def test_data_dir_checks(tmp_path: Path, data: Path, monkeypatch) -> None:
    assert doctor.check_data_dir(cfg()).status == OK
    monkeypatch.setattr(doctor, "FREE_WARN_BYTES", 1 << 62)
    assert doctor.check_data_dir(cfg()).status == WARN
    monkeypatch.setattr(doctor, "FREE_FAIL_BYTES", 1 << 61)
    assert doctor.check_data_dir(cfg()).status == FAIL
    monkeypatch.setenv("KIOSK_DATA_DIR", str(tmp_path / "missing"))
    assert doctor.check_data_dir(cfg()).status == FAIL
    file_instead = tmp_path / "a-file"
    file_instead.write_text("x")
    monkeypatch.setenv("KIOSK_DATA_DIR", str(file_instead))
    assert doctor.check_data_dir(cfg()).status == FAIL


def test_database_missing_pending_and_corrupt(data: Path) -> None:
    assert doctor.check_database(cfg()).status == WARN
    storage.open_database(data / "kiosk.db", [storage.core]).close()
    check = doctor.check_database(cfg())
    assert check.status == WARN and "pending" in check.detail and "audit:" in check.detail
    (data / "kiosk.db").unlink()
    for suffix in ("-wal", "-shm"):
        (data / f"kiosk.db{suffix}").unlink(missing_ok=True)
    (data / "kiosk.db").write_bytes(b"this is not a database" * 100)
    check = doctor.check_database(cfg())
    assert check.status == FAIL and "not a database" in check.detail


def test_database_integrity_failure(data: Path) -> None:
    path = data / "kiosk.db"
    db = storage.open_database(path)
    db.execute("CREATE TABLE filler (id INTEGER PRIMARY KEY, body TEXT)")
    db.execute("CREATE INDEX filler_body ON filler(body)")
    with db.conn:
        db.conn.executemany("INSERT INTO filler(body) VALUES (?)", [(f"row {i}" * 20,) for i in range(2000)])
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    page = db.execute("PRAGMA page_size").fetchone()[0]
    root = db.execute("SELECT rootpage FROM sqlite_master WHERE name = 'filler_body'").fetchone()[0]
    db.close()
    with path.open("r+b") as fh:  # scribble over the index's root page
        fh.seek((root - 1) * page + 8)
        fh.write(b"\xff" * 64)
    check = doctor.check_database(cfg())
    assert check.status == FAIL
    assert any(w in check.detail for w in ("integrity_check", "quick_check", "malformed"))


def test_audit_check(data: Path) -> None:
    db = storage.open_database(data / "kiosk.db")
    trail = AuditTrail(db)
    for i in range(3):
        trail.record("invoice.issued", "kiosk", {"i": i})
    assert doctor.check_audit(cfg()).status == OK
    with db.conn:
        db.execute(f"DROP TRIGGER {TABLE}_no_delete")
        db.execute(f"DELETE FROM {TABLE} WHERE seq = 2")
    db.close()
    check = doctor.check_audit(cfg())
    assert check.status == FAIL and "seq 2" in check.detail


def test_platform_sandbox_ok_and_exhausted(data: Path) -> None:
    assert doctor.check_platform(cfg()).status == OK
    check = doctor.check_platform(cfg({"platform": {"sandbox": {"monthly_quota": "0.00"}}}))
    assert check.status == FAIL and "exhausted" in check.detail
    check = doctor.check_platform(cfg({"platform": {"sandbox": {"monthly_quota": "10000000.00"}}}))
    assert check.status == OK


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_platform_remote_unreachable(data: Path) -> None:
    port = _free_port()
    config = cfg({"platform": {"backend": "remote", "remote": {
        "base_url": f"http://127.0.0.1:{port}", "timeout_s": 0.5, "retries": 0}}})
    check = doctor.check_platform(config)
    assert check.status == FAIL and f"127.0.0.1:{port}" in check.detail


def test_outbox_waiting_requests_warn(data: Path) -> None:
    db = storage.open_database(data / "kiosk.db")
    assert doctor.check_outbox(cfg()).status == OK
    t = "2026-03-01T08:00:00.000000+00:00"
    with db.conn:
        for rid, status in [("r1", "unknown"), ("r2", "pending"), ("r3", "issued")]:
            db.execute(
                "INSERT INTO issue_requests(request_id, order_nos, request, status, total,"
                " created_at, updated_at, next_attempt_at) VALUES (?, '[]', '{}', ?, '1.00', ?, ?, ?)",
                [rid, status, t, t, t])
    db.close()
    check = doctor.check_outbox(cfg())
    assert check.status == WARN
    assert "1 pending" in check.detail and "1 unknown" in check.detail
    assert "issued" not in check.detail


def test_log_dir_check(data: Path) -> None:
    assert doctor.check_log_dir(cfg()).status == WARN  # no folder yet
    logs = data / "logs"
    logs.mkdir()
    (logs / "kiosk.jsonl").write_bytes(b"x" * 100)
    assert doctor.check_log_dir(cfg()).status == OK
    (logs / "kiosk.jsonl.1").write_bytes(b"x" * 50_000)
    small = cfg({"logging": {"max_bytes": 10_000, "backups": 1}})
    check = doctor.check_log_dir(small)
    assert check.status == WARN and "2 file(s)" in check.detail


def test_versions() -> None:
    check = doctor.check_versions()
    assert check.status == OK
    for name in ("python", "kiosk", "Qt", "zxing-cpp", "OpenCV"):
        assert name in check.detail


def test_serial_port_checks(tmp_path: Path) -> None:
    master, slave = os.openpty()
    name = os.ttyname(slave)
    try:
        assert serial_port_check("device scanner", name, 9600).status == OK
        link = tmp_path / "kiosk-scanner"
        link.symlink_to(name)
        check = serial_port_check("device scanner", str(link), 9600)
        assert check.status == OK and f"-> {name}" in check.detail
        held = serial.Serial(name, exclusive=True)
        try:
            check = serial_port_check("device scanner", name, 9600)
            assert check.status == WARN and "in use" in check.detail
        finally:
            held.close()
    finally:
        os.close(master)
        os.close(slave)
    check = serial_port_check("device scanner", str(tmp_path / "kiosk-idreader"), 9600)
    assert check.status == FAIL and "does not exist" in check.detail
    assert serial_port_check("device scanner", "", 9600).status == FAIL


def test_network_printer_check() -> None:
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(1)
        port = server.getsockname()[1]
        assert network_printer_check("device printer", "127.0.0.1", port).status == OK
    assert network_printer_check("device printer", "127.0.0.1", _free_port()).status == FAIL


def test_real_check_dispatch(tmp_path: Path) -> None:
    config = cfg({"devices": {"scanner": {"backend": "wedge"}, "idcard": {"backend": "none"},
                              "camera": {"backend": "opencv", "source": str(tmp_path / "no.mp4")}}})
    assert real_check("scanner", config.devices.scanner).status == OK
    assert real_check("idcard", config.devices.idcard).detail == "disabled in the config"
    assert real_check("camera", config.devices.camera).status == FAIL


def test_run_checks_bounds_a_hung_check() -> None:
    release = threading.Event()

    def hangs() -> Check:
        release.wait(30)
        return Check("hangs", OK, "late")

    def raises() -> Check:
        raise RuntimeError("boom")

    try:
        results = run_checks([("hangs", hangs, 0.2), ("raises", raises, 5),
                              ("fine", lambda: [Check("a", OK, ""), Check("b", WARN, "")], 5)])
    finally:
        release.set()
    assert [(c.name, c.status) for c in results] == [
        ("hangs", FAIL), ("raises", FAIL), ("a", OK), ("b", WARN)]
    assert "did not finish within 0.2 s" in results[0].detail
    assert "RuntimeError: boom" in results[1].detail
    assert doctor.overall(results) == 1
    assert doctor.overall(results[2:]) == 0


def test_integrity_check_is_what_sqlite_says(data: Path) -> None:
    storage.open_database(data / "kiosk.db").close()
    conn = sqlite3.connect(data / "kiosk.db")
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
    assert doctor.check_database(cfg()).status == OK


def test_cli_exits_although_a_check_hangs(tmp_path: Path) -> None:
    """A platform that accepts the connection and never answers: the check is abandoned."""
    import subprocess
    import sys

    from tests.helpers.kioskenv import KioskEnv

    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)  # connections complete, nothing is ever read or answered
        port = silent.getsockname()[1]
        env = KioskEnv.create(tmp_path, '[platform]\nbackend = "remote"\n[platform.remote]\n'
                                        f'base_url = "http://127.0.0.1:{port}"\n'
                                        'timeout_s = 120.0\nretries = 0\n')
        result = subprocess.run([sys.executable, "-m", "kiosk", "doctor", "--timeout", "0.5",
                                 "--json"], env=env.environ(), cwd=env.root, capture_output=True,
                                text=True, timeout=90)
    assert result.returncode == 1, result.stderr
    checks = {c["name"]: c for c in json.loads(result.stdout)["checks"]}
    assert checks["platform"]["status"] == FAIL
    assert checks["platform"]["detail"] == "did not finish within 1 s"
