"""drivers/ (and the device coordinator) import no Qt: checked in a fresh interpreter."""

from __future__ import annotations

import pkgutil
import subprocess
import sys
from pathlib import Path

import drivers

ROOT = Path(__file__).resolve().parents[3]


def test_importing_every_driver_module_loads_no_qt() -> None:
    modules = sorted(m.name for m in pkgutil.walk_packages(drivers.__path__, "drivers."))
    assert "drivers.manager" in modules and "drivers.camera.device" in modules
    code = ("import importlib, sys\n"
            f"for name in {modules + ['kiosk.devices']!r}:\n"
            "    importlib.import_module(name)\n"
            "print(sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken6', 'ui'))))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                         check=True, timeout=120)
    assert out.stdout.strip() == "[]"
