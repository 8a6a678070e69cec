"""``kiosk run`` as a subprocess: the screenshot mode, and a configuration error on a
terminal (one line, exit 2) versus under systemd (the out-of-service screen)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]


def kiosk(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    base = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    base.pop("INVOCATION_ID", None)
    return subprocess.run([sys.executable, "-m", "kiosk", *args], cwd=ROOT, text=True,
                          capture_output=True, env={**base, **(env or {})}, timeout=120)


def test_screenshot_of_a_named_screen(tmp_path: Path) -> None:
    out = tmp_path / "review.png"
    done = kiosk("run", "--screenshot", str(out), "--screen", "review", "--lang", "en",
                 "--large-text")
    assert done.returncode == 0, done.stderr
    image = QImage(str(out))
    assert (image.width(), image.height()) == (1280, 800)


def test_unknown_screen_name_is_a_clear_error(tmp_path: Path) -> None:
    done = kiosk("run", "--screenshot", str(tmp_path / "x.png"), "--screen", "nope")
    assert done.returncode == 1
    assert "unknown screen 'nope'" in done.stderr and "Traceback" not in done.stderr


def test_config_error_on_a_terminal_is_one_line_and_exit_2(tmp_path: Path) -> None:
    bad = tmp_path / "kiosk.toml"
    bad.write_text("[ui]\nidle_timeout_s = 'soon'\n", encoding="utf-8")
    done = kiosk("--config", str(bad), "run", "--screenshot", str(tmp_path / "x.png"))
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "idle_timeout_s" in done.stderr
    assert not (tmp_path / "x.png").exists()


def test_config_error_under_systemd_shows_out_of_service(tmp_path: Path) -> None:
    bad = tmp_path / "kiosk.toml"
    bad.write_text("[ui]\nidle_timeout_s = 'soon'\n", encoding="utf-8")
    out = tmp_path / "oos.png"
    done = kiosk("--config", str(bad), "run", "--screenshot", str(out),
                 env={"INVOCATION_ID": "0123456789abcdef"})
    assert done.returncode == 0, done.stderr
    assert "idle_timeout_s" in done.stderr  # the reason goes to the journal
    assert QImage(str(out)).width() == 1280
