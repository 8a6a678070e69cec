"""Shipped demo secrets are flagged unless the config says it is a demo (issue 15, item 2).

The technician PIN 246810, the receipt-QR key and the platform app secret of
the shipped kiosk.toml are public. ``[kiosk] demo = true`` (the shipped
default) allows them; otherwise ``kiosk config check`` and ``kiosk doctor``
fail, the kiosk is out of service with the reason, and ``systemd/install.sh``
writes a config with fresh ones.
"""

from __future__ import annotations

import subprocess
import tomllib
from pathlib import Path

import pytest

from kiosk import doctor
from kiosk.cli import main
from kiosk.config import DEFAULT_CONFIG_PATH, config_from_dict, hash_pin, load_config, verify_pin
from kiosk.demo_secrets import demo_secret_problem, demo_secrets_in, fresh_config
from kiosk.messages import words

ROOT = Path(__file__).resolve().parents[3]
NOT_DEMO = "[kiosk]\ndemo = false\n"
ALL_DEMO = ["admin.pin_hash", "orders.qr_secret", "platform.remote.app_secret"]


def write(tmp_path: Path, text: str) -> str:
    path = tmp_path / "k.toml"
    path.write_text(text, encoding="utf-8")
    return str(path)


def fresh_secrets() -> dict[str, dict[str, object]]:
    return {"admin": {"pin_hash": hash_pin("135790", n=2)},
            "orders": {"qr_secret": "pos-key-0123456789abcdef"},
            "platform": {"remote": {"app_secret": "platform-secret-0123456789abcdef"}}}


def test_the_shipped_file_is_a_demo_holding_every_demo_secret() -> None:
    config = load_config(DEFAULT_CONFIG_PATH)
    assert config.kiosk.demo is True
    assert demo_secrets_in(config) == ALL_DEMO
    assert demo_secret_problem(config) is None


def test_a_non_demo_kiosk_with_a_demo_secret_has_a_problem_naming_it() -> None:
    config = config_from_dict({"kiosk": {"demo": False}})
    problem = demo_secret_problem(config)
    assert problem is not None and problem.code == "config.demo_secrets"
    for key in ALL_DEMO:
        assert key in words(problem, "en") and key in words(problem, "zh_CN")


def test_the_demo_pin_hashed_again_is_still_the_demo_pin() -> None:
    data = fresh_secrets()
    data["admin"] = {"pin_hash": hash_pin("246810", n=2)}  # another salt, same public PIN
    config = config_from_dict({"kiosk": {"demo": False}, **data})
    assert demo_secrets_in(config) == ["admin.pin_hash"]


def test_fresh_secrets_have_no_problem() -> None:
    config = config_from_dict({"kiosk": {"demo": False}, **fresh_secrets()})
    assert demo_secrets_in(config) == []
    assert demo_secret_problem(config) is None


def test_config_check_fails_on_demo_secrets_unless_demo(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["config", "check", write(tmp_path, NOT_DEMO)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and all(key in err for key in ALL_DEMO)
    assert main(["config", "check", write(tmp_path, "[kiosk]\ndemo = true\n")]) == 0
    assert "demo" in capsys.readouterr().out


def test_doctor_fails_on_demo_secrets_unless_demo() -> None:
    check = doctor.check_secrets(config_from_dict({"kiosk": {"demo": False}}))
    assert check.status == doctor.FAIL and "orders.qr_secret" in check.detail
    assert doctor.check_secrets(config_from_dict({})).status == doctor.WARN
    real = config_from_dict({"kiosk": {"demo": False}, **fresh_secrets()})
    assert doctor.check_secrets(real).status == doctor.OK


def test_fresh_config_from_the_shipped_file(tmp_path: Path) -> None:
    template = DEFAULT_CONFIG_PATH.read_text(encoding="utf-8")
    text, pin = fresh_config(template, data_dir="/var/lib/kiosk")
    config = config_from_dict(tomllib.loads(text))
    assert config.kiosk.demo is False and config.orders.seed_demo is False
    assert config.storage.data_dir == "/var/lib/kiosk"
    assert demo_secrets_in(config) == []
    assert pin.isdigit() and len(pin) == 6 and verify_pin(pin, config.admin.pin_hash)
    again, pin2 = fresh_config(template, data_dir="/var/lib/kiosk")
    assert again != text  # fresh every time
    # The comments explaining each key are kept.
    assert text.count("\n#") == template.count("\n#")


def test_install_script_writes_a_non_demo_config_with_fresh_secrets() -> None:
    result = subprocess.run(["bash", str(ROOT / "systemd" / "install.sh"), "--dry-run", "--no-apt"],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    if Path("/etc/kiosk/kiosk.toml").exists():
        pytest.skip("/etc/kiosk/kiosk.toml exists here: install.sh leaves it alone")
    written = result.stdout.split("+ write /etc/kiosk/kiosk.toml", 1)[1]
    assert "demo = false" in written
    assert "technician PIN" in result.stdout + result.stderr


def test_kiosk_run_off_a_demo_with_demo_secrets_refuses_to_serve(tmp_path: Path) -> None:
    """Under systemd: the out-of-service screen, the reason in the journal; on a terminal: one line."""
    from tests.helpers.kioskenv import KioskEnv

    env = KioskEnv.create(tmp_path, NOT_DEMO)
    shot = tmp_path / "shot.png"
    done = subprocess.run(env.argv("run", "--screenshot", str(shot)), capture_output=True,
                          text=True, timeout=120, cwd=env.root,
                          env={**env.environ(), "INVOCATION_ID": "test"})
    assert done.returncode == 0, done.stderr
    assert shot.is_file() and "orders.qr_secret" in done.stderr and "Traceback" not in done.stderr
    done = env.run("run", "--screenshot", str(shot))
    assert done.returncode == 2, done.stderr
    assert done.stderr.strip().count("\n") == 0 and "admin.pin_hash" in done.stderr
