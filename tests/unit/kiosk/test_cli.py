"""The CLI's exit codes: 0 ok, 2 usage/config errors, never a traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from kiosk import __version__
from kiosk.cli import main


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as ex:
        main(["--version"])
    assert ex.value.code == 0
    assert __version__ in capsys.readouterr().out


def test_no_command_prints_help_and_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2
    assert "usage: kiosk" in capsys.readouterr().out


def test_config_check_ok(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["config", "check"]) == 0
    assert "OK" in capsys.readouterr().out


def test_config_check_bad_file_one_line_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("[printer]\nencoding='GBK'\n", encoding="utf-8")
    assert main(["config", "check", str(bad)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0
    assert "unknown key 'printer'" in err and str(bad) in err


def test_global_config_option_applies_to_commands(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("[ui]\nlanguage = 'fr'\n", encoding="utf-8")
    assert main(["--config", str(bad), "config", "show"]) == 2
    assert "expects one of 'zh_CN', 'en'" in capsys.readouterr().err


def test_config_show_hides_secrets(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["config", "show"]) == 0
    out = capsys.readouterr().out
    assert "change-me-demo-secret" not in out and '"app_secret": "***"' in out


def test_hash_pin_rejects_non_digits(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["config", "hash-pin", "--pin", "abcd"]) == 2
    assert main(["config", "hash-pin", "--pin", "2468"]) == 0
    assert capsys.readouterr().out.startswith("scrypt$")


def test_python_dash_m_entry_point_and_unknown_command() -> None:
    proc = subprocess.run([sys.executable, "-m", "kiosk", "no-such-command"],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr


def test_printer_profiles_are_cached_in_the_data_folder(
    isolated_data_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("ESCPOS_CAPABILITIES_PICKLE_DIR", "")  # recorded: restored afterwards
    monkeypatch.delenv("ESCPOS_CAPABILITIES_PICKLE_DIR")
    assert main(["config", "show"]) == 0
    import os

    assert os.environ["ESCPOS_CAPABILITIES_PICKLE_DIR"] == str(isolated_data_dir / "cache" / "escpos")
    assert (isolated_data_dir / "cache" / "escpos").is_dir()
