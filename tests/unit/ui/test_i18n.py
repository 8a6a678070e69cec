"""The translation files: every source string of the screens is in the .ts files, every
Chinese one is translated, and the committed .qm files are what lrelease makes of them."""

from __future__ import annotations

import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from ui.i18n import I18N, sources

BIN = Path(sys.executable).parent
SOURCES = [str(p) for p in sources()]


def tool(name: str) -> str:
    path = BIN / name
    if not path.exists():
        pytest.skip(f"{name} not installed")
    return str(path)


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_qm_is_up_to_date_with_ts(tmp_path: Path, lang: str) -> None:
    ts = I18N / f"kiosk_{lang}.ts"
    out = tmp_path / f"kiosk_{lang}.qm"
    subprocess.run([tool("pyside6-lrelease"), str(ts), "-qm", str(out)], check=True,
                   capture_output=True)
    assert out.read_bytes() == (I18N / f"kiosk_{lang}.qm").read_bytes(), (
        f"run: pyside6-lrelease {ts}")


def test_ts_has_every_source_string_translated(tmp_path: Path) -> None:
    copy = tmp_path / "kiosk_zh_CN.ts"
    shutil.copy(I18N / "kiosk_zh_CN.ts", copy)
    subprocess.run([tool("pyside6-lupdate"), "-no-obsolete", *SOURCES, "-ts", str(copy)],
                   check=True, capture_output=True)
    unfinished = [m.find("source").text for m in ET.parse(copy).iter("message")
                  if m.find("translation").get("type") == "unfinished"]
    assert unfinished == [], "untranslated (run pyside6-lupdate, then translate): " + repr(
        unfinished)
