"""Storage faults at start-up: one line and exit 4, never a traceback (issue 15, item 4).

An unusable data folder (a path through a file; a real read-only or full
tmpfs in a user namespace) and every command that touches it; ``kiosk run``
under systemd shows out of service instead of a traceback that systemd would
restart in a loop, and watches for the fault to clear.
"""

from __future__ import annotations

import os
import sys
import threading
from pathlib import Path

import pytest

from kiosk import storage
from kiosk.cli import EXIT_STORAGE, main, startup_problem, watch_until_clear
from kiosk.config import config_from_dict
from tests.helpers.kioskenv import KioskEnv
from tests.helpers.storage_faults import run_on_tmpfs

COMMANDS = [
    ["orders", "list"],
    ["orders", "seed-demo"],
    ["issue", "--order", "D1", "--buyer-name", "个人"],
    ["lookup", "--order", "D1"],
    ["pending"],
    ["db", "check"],
    ["db", "backup"],
]


@pytest.mark.parametrize("argv", COMMANDS, ids=" ".join)
def test_a_data_folder_that_cannot_exist_is_one_line(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, argv: list[str],
        capsys: pytest.CaptureFixture[str]) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    monkeypatch.setenv("KIOSK_DATA_DIR", str(blocker / "data"))
    code = main(argv)
    err = capsys.readouterr().err.strip()
    assert code in (1, EXIT_STORAGE), (code, err)
    assert err.startswith("kiosk: ") and err.count("\n") == 0, err
    assert "Traceback" not in err


def _env_with_db(tmp_path: Path) -> KioskEnv:
    env = KioskEnv.create(tmp_path)
    storage.open_database(env.data / storage.DB_FILE).close()
    return env


@pytest.mark.parametrize("argv", [["orders", "list"], ["issue", "--order", "D1", "--buyer-name", "个人"],
                                  ["orders", "seed-demo"]], ids=" ".join)
def test_a_read_only_data_folder_is_one_line_exit_4(tmp_path: Path, argv: list[str]) -> None:
    env = _env_with_db(tmp_path)
    result = run_on_tmpfs(env.data, env.argv(*argv), read_only=True, env=env.environ())
    assert result.returncode == EXIT_STORAGE, result.stderr
    assert result.stderr.strip().count("\n") == 0 and "Traceback" not in result.stderr
    assert "cannot be used" in result.stderr or "read-only" in result.stderr.lower()


def test_a_full_data_folder_is_one_line_exit_4(tmp_path: Path) -> None:
    env = _env_with_db(tmp_path)
    result = run_on_tmpfs(env.data, env.argv("orders", "seed-demo"), size_kib=1024, fill=True,
                          env=env.environ())
    assert result.returncode == EXIT_STORAGE, result.stderr
    assert result.stderr.strip().count("\n") == 0 and "Traceback" not in result.stderr


def test_kiosk_run_under_systemd_on_a_read_only_folder_is_out_of_service(tmp_path: Path) -> None:
    env = _env_with_db(tmp_path)
    shot = tmp_path / "shot.png"
    environ = {**env.environ(), "INVOCATION_ID": "test", "QT_QPA_PLATFORM": "offscreen"}
    result = run_on_tmpfs(env.data, env.argv("run", "--screenshot", str(shot)), read_only=True,
                          env=environ)
    assert result.returncode == 0, result.stderr
    assert shot.is_file()
    assert "Traceback" not in result.stderr and "cannot be used" in result.stderr


def test_kiosk_run_on_a_terminal_with_an_emptied_database_is_one_line(tmp_path: Path) -> None:
    env = KioskEnv.create(tmp_path)
    (env.data / storage.DB_FILE).write_bytes(b"")
    result = env.run("run", "--screenshot", str(tmp_path / "x.png"))
    assert result.returncode == EXIT_STORAGE, result.stderr
    assert "is empty" in result.stderr and "Traceback" not in result.stderr
    assert (env.data / storage.DB_FILE).stat().st_size == 0


def test_startup_problem_and_watching_until_it_clears(isolated_data_dir: Path) -> None:
    config = config_from_dict({})
    assert startup_problem(config) is None  # creates the database whole
    path = isolated_data_dir / storage.DB_FILE
    good = path.read_bytes()
    path.write_bytes(b"")
    problem = startup_problem(config)
    assert problem is not None and problem.code == "db.emptied"
    cleared = threading.Event()
    stop = watch_until_clear(config, problem, interval_s=0.05, on_clear=cleared.set)
    try:
        assert not cleared.wait(0.3)  # still broken: keeps watching
        path.write_bytes(good)
        assert cleared.wait(30)
    finally:
        stop.set()


@pytest.mark.skipif(sys.platform != "linux", reason="uses /proc")
def test_no_probe_file_is_left_behind(isolated_data_dir: Path) -> None:
    startup_problem(config_from_dict({}))
    assert not [p for p in os.listdir(isolated_data_dir) if p.startswith(".kiosk-probe")]
