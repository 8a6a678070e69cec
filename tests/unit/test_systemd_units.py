"""The deployment files in systemd/: the unit verifies, has what a kiosk needs; rules and installer work."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SYSTEMD = ROOT / "systemd"
UNIT = SYSTEMD / "kiosk.service"


def parse_unit(text: str) -> dict[str, list[tuple[str, str]]]:
    """Sections of a unit file as ordered (key, value) pairs; keys may repeat."""
    sections: dict[str, list[tuple[str, str]]] = {}
    current = None
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line[0] in "#;":
            continue
        if line.startswith("[") and line.endswith("]"):
            current = line[1:-1]
            sections.setdefault(current, [])
            continue
        assert current is not None, f"key outside a section: {line}"
        key, sep, value = line.partition("=")
        assert sep, f"not key=value: {line}"
        sections[current].append((key.strip(), value.strip()))
    return sections


def values(unit: dict, section: str, key: str) -> list[str]:
    return [v for k, v in unit.get(section, []) if k == key]


def one(unit: dict, section: str, key: str) -> str:
    found = values(unit, section, key)
    assert len(found) == 1, f"[{section}] {key}= expected once, found {found}"
    return found[0]


@pytest.fixture(scope="module")
def unit() -> dict:
    return parse_unit(UNIT.read_text(encoding="utf-8"))


def test_unit_runs_the_kiosk_under_cage(unit: dict) -> None:
    assert one(unit, "Service", "ExecStart") == (
        "/usr/bin/cage -s -- /opt/kiosk/.venv/bin/kiosk --config /etc/kiosk/kiosk.toml run")
    assert one(unit, "Service", "PAMName") == "kiosk"
    assert one(unit, "Service", "TTYPath") == "/dev/tty1"
    assert one(unit, "Service", "StandardInput") == "tty-fail"
    assert "getty@tty1.service" in " ".join(values(unit, "Unit", "Conflicts"))
    assert one(unit, "Install", "WantedBy") == "graphical.target"


def test_unit_notify_watchdog_and_restart(unit: dict) -> None:
    assert one(unit, "Service", "Type") == "notify"
    assert one(unit, "Service", "NotifyAccess") == "all"
    assert one(unit, "Service", "WatchdogSec") == "30"
    assert one(unit, "Service", "Restart") == "always"
    assert int(one(unit, "Service", "RestartSec")) > 0
    assert int(one(unit, "Unit", "StartLimitIntervalSec")) > 0
    assert int(one(unit, "Unit", "StartLimitBurst")) > 1
    assert "--parent $MAINPID" in one(unit, "Service", "ExecStop")


def test_unit_user_folders_and_environment(unit: dict) -> None:
    assert one(unit, "Service", "User") == "kiosk"
    assert set(one(unit, "Service", "SupplementaryGroups").split()) >= {"dialout", "video", "lp"}
    assert one(unit, "Service", "StateDirectory") == "kiosk"
    assert one(unit, "Service", "LogsDirectory") == "kiosk"
    env = values(unit, "Service", "Environment")
    assert "KIOSK_DATA_DIR=/var/lib/kiosk" in env
    assert "QT_QPA_PLATFORM=wayland" in env


def test_unit_builds_the_common_font_face_in_its_state_folder(unit: dict) -> None:
    """The kiosk user's home is not where setup.sh ran: without its own cache the service
    would draw every invoice with the whole CJK face. Built before the kiosk starts, in
    the state folder; a failure ("-") does not stop the kiosk."""
    env = values(unit, "Service", "Environment")
    assert "KIOSK_FONT_CACHE=/var/lib/kiosk/fonts" in env
    assert one(unit, "Service", "ExecStartPre") == (
        "-/opt/kiosk/.venv/bin/python -m kiosk.documents.fonts")


def test_unit_hardening(unit: dict) -> None:
    for key, expected in [("NoNewPrivileges", "yes"), ("ProtectSystem", "strict"),
                          ("ProtectHome", "yes"), ("PrivateTmp", "yes"),
                          ("PrivateDevices", "no")]:
        assert one(unit, "Service", key) == expected, key
    rw = one(unit, "Service", "ReadWritePaths").split()
    assert "/var/lib/kiosk" in rw and "/var/log/kiosk" in rw
    # PrivateDevices=no must say why, right where it is set.
    text = UNIT.read_text(encoding="utf-8")
    comment = text[: text.index("PrivateDevices=no")].rsplit("\n\n", 1)[-1]
    assert "serial" in comment and "printer" in comment


def _verify(unit_text: str, tmp_path: Path) -> subprocess.CompletedProcess:
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed (Debian package 'systemd')")
    # cage and the venv do not exist on a build machine: point the commands at
    # binaries that do, so verify checks everything else.
    text = re.sub(r"^ExecStart=.*$", "ExecStart=/bin/true", unit_text, flags=re.M)
    text = re.sub(r"^ExecStartPre=(-?).*$", r"ExecStartPre=\1/bin/true", text, flags=re.M)
    if not Path("/usr/bin/pkill").exists():
        text = re.sub(r"^ExecStop=.*$", "ExecStop=/bin/true", text, flags=re.M)
    path = tmp_path / "kiosk.service"
    path.write_text(text, encoding="utf-8")
    return subprocess.run([analyze, "verify", str(path)], capture_output=True, text=True,
                          timeout=60, cwd=tmp_path)


def _complaints(result: subprocess.CompletedProcess) -> list[str]:
    out = result.stdout + result.stderr
    return [line for line in out.splitlines()
            if "kiosk.service" in line or "Unknown" in line or "ignoring" in line]


def test_systemd_analyze_verify(tmp_path: Path) -> None:
    result = _verify(UNIT.read_text(encoding="utf-8"), tmp_path)
    assert result.returncode == 0, result.stderr
    assert _complaints(result) == []


def test_systemd_analyze_verify_catches_mistakes(tmp_path: Path) -> None:
    """The check above can fail: a typo'd key and a bad value are reported."""
    broken = UNIT.read_text(encoding="utf-8").replace("WatchdogSec=30", "WatchdogSec=thirty") \
        .replace("NotifyAccess=all", "NotifyAcess=all")
    complaints = _complaints(_verify(broken, tmp_path))
    assert any("NotifyAcess" in c for c in complaints)
    assert any("thirty" in c or "WatchdogSec" in c or "sec value" in c for c in complaints)


# --- udev rules -----------------------------------------------------------------

_MATCH_KEYS = re.compile(r"^(SUBSYSTEM|KERNEL|KERNELS|DEVTYPE|ATTR\{\w+\}|ATTRS\{\w+\}|ENV\{\w+\})$")
_ASSIGN_KEYS = re.compile(r"^(SYMLINK|GROUP|MODE|OWNER|ENV\{\w+\}|TAG)$")
_PAIR = re.compile(r'\s*([A-Z]+(?:\{\w+\})?)\s*(==|!=|\+=|:=|=)\s*"([^"]*)"\s*(?:,|$)')


def parse_rule(line: str) -> list[tuple[str, str, str]]:
    pairs, pos = [], 0
    while pos < len(line):
        m = _PAIR.match(line, pos)
        assert m, f"cannot parse udev rule at: {line[pos:]!r}"
        key, op, value = m.groups()
        pairs.append((key, op, value))
        pos = m.end()
    return pairs


def test_udev_rules() -> None:
    links = {}
    for raw in (SYSTEMD / "99-kiosk.rules").read_text(encoding="utf-8").splitlines():
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        pairs = parse_rule(raw)
        for key, op, value in pairs:
            if op in ("==", "!="):
                assert _MATCH_KEYS.match(key), key
            else:
                assert _ASSIGN_KEYS.match(key), key
            if key in ("ATTRS{idVendor}", "ATTRS{idProduct}", "ATTR{idVendor}", "ATTR{idProduct}"):
                assert re.fullmatch(r"[0-9a-f]{4}", value), value
            if key == "MODE":
                assert value == "0660"
            if key == "SYMLINK":
                links[value] = dict((k, v) for k, _, v in pairs)
    assert {"kiosk-scanner", "kiosk-idreader", "kiosk-printer"} <= set(links)
    assert links["kiosk-scanner"]["GROUP"] == "dialout"
    assert links["kiosk-idreader"]["SUBSYSTEM"] == "tty"
    assert links["kiosk-printer"]["GROUP"] == "lp"
    for link in ("kiosk-scanner", "kiosk-idreader"):
        assert links[link]["ENV{ID_MM_DEVICE_IGNORE}"] == "1"


def test_pam_service() -> None:
    lines = [ln.split() for ln in (SYSTEMD / "kiosk.pam").read_text().splitlines()
             if ln.strip() and not ln.startswith("#")]
    assert all(ln[0] in {"auth", "account", "session", "password"} for ln in lines)
    assert ["session", "required", "pam_systemd.so"] in lines


# --- installer ------------------------------------------------------------------

INSTALL = SYSTEMD / "install.sh"


def test_install_script_syntax() -> None:
    subprocess.run(["bash", "-n", str(INSTALL)], check=True, timeout=30)


def test_install_dry_run_changes_nothing() -> None:
    watched = [Path("/etc/kiosk"), Path("/opt/kiosk"), Path("/etc/systemd/system/kiosk.service"),
               Path("/etc/udev/rules.d/99-kiosk.rules"), Path("/usr/local/bin/kiosk")]
    before = {p: p.exists() for p in watched}
    result = subprocess.run(["bash", str(INSTALL), "--dry-run", "--no-apt"], capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "dry run: nothing is changed" in out
    assert "+ systemctl daemon-reload" in out
    assert "+ systemctl enable kiosk.service" in out
    assert "+ install -m 0644 " + str(SYSTEMD / "kiosk.service") in out
    assert "/etc/udev/rules.d/99-kiosk.rules" in out
    assert "-m venv /opt/kiosk/.venv" in out or "/opt/kiosk/.venv/bin/python" in out
    if not before[Path("/etc/kiosk")]:
        assert 'data_dir = "/var/lib/kiosk"' in out
    user_known = subprocess.run(["id", "kiosk"], capture_output=True).returncode == 0
    assert ("+ usermod --append" if user_known else "+ useradd --system") in out
    assert {p: p.exists() for p in watched} == before


def test_install_rejects_unknown_options() -> None:
    result = subprocess.run(["bash", str(INSTALL), "--bogus"], capture_output=True, text=True,
                            timeout=30)
    assert result.returncode == 2
    assert "unknown option --bogus" in result.stderr
