"""The Qt binding the kiosk runs on must survive months of signals.

PySide6 6.12.0 on CPython 3.11 drops one reference to ``True`` per signal
emitted from Python; after a few thousand emits the interpreter aborts
("bool_dealloc"). A kiosk emits that many in an hour, so the binding is pinned
and this test fails on any version with the leak. It runs in a subprocess
because the failure is an abort of the whole interpreter.
"""

from __future__ import annotations

import subprocess
import sys

PROGRAM = r"""
import sys
from PySide6.QtCore import QCoreApplication, QObject, Signal

app = QCoreApplication([])

class Emitter(QObject):
    value = Signal(object)
    flag = Signal(bool)

e = Emitter()
seen = [0]

def count(_value):
    seen[0] += 1

e.value.connect(count)
e.flag.connect(count)
before = sys.getrefcount(True)
for i in range(20000):
    e.value.emit(i)
    e.flag.emit(True)
assert seen[0] == 40000
print(before, sys.getrefcount(True))
"""


def test_many_signal_emits_do_not_leak_references() -> None:
    proc = subprocess.run([sys.executable, "-c", PROGRAM], capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    before, after = map(int, proc.stdout.split())
    assert abs(after - before) < 100


def test_suite_ignores_exactly_the_keyboards_known_qt_warnings() -> None:
    import tomllib
    from pathlib import Path

    from ui.widgets.keyboard import QT_LOG_IGNORE

    pyproject = Path(__file__).resolve().parents[3] / "pyproject.toml"
    ini = tomllib.loads(pyproject.read_text(encoding="utf-8"))["tool"]["pytest"]["ini_options"]
    assert ini["qt_log_ignore"] == list(QT_LOG_IGNORE)
