"""Cold start to the first painted frame: the kiosk vs a bare PySide6 window.

Both run as fresh subprocesses, interleaved round by round, offscreen. The kiosk
case is ``kiosk run --screenshot`` on a NEW data folder each round (database
created and migrated, demo data seeded, emulated devices started, the attract
screen painted and saved); the bare case imports PySide6, shows one window,
paints it to a PNG and exits. The ratio is the kiosk's own start-up cost.
A third case restarts on an EXISTING data folder, as a terminal does every day
(database migrated, demo seeded and the printer-profile cache filled already).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.runner import Runner

ROOT = Path(__file__).resolve().parent.parent

BARE = """
import sys
from PySide6.QtWidgets import QApplication, QLabel
app = QApplication(sys.argv[:1])
w = QLabel("扫描小票二维码开票")
w.resize(1280, 800)
w.show()
app.processEvents()
w.grab().save(sys.argv[1])
"""


def _env(data: str) -> dict[str, str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "KIOSK_DATA_DIR": data}
    env.pop("INVOCATION_ID", None)
    return env


def run(r: Runner) -> None:
    scratch = Path(tempfile.mkdtemp(prefix="bench-startup-"))
    count = [0]

    def kiosk() -> None:
        count[0] += 1
        data = scratch / f"data{count[0]}"
        subprocess.run([sys.executable, "-m", "kiosk", "run", "--screenshot",
                        str(scratch / "kiosk.png")], cwd=ROOT, env=_env(str(data)),
                       check=True, capture_output=True)
        shutil.rmtree(data, ignore_errors=True)

    kept = scratch / "kept"

    def restart() -> None:
        subprocess.run([sys.executable, "-m", "kiosk", "run", "--screenshot",
                        str(scratch / "restart.png")], cwd=ROOT, env=_env(str(kept)),
                       check=True, capture_output=True)

    def bare() -> None:
        subprocess.run([sys.executable, "-c", BARE, str(scratch / "bare.png")], cwd=ROOT,
                       env=_env(str(scratch)), check=True, capture_output=True)

    try:
        r.compare("cold start to the first painted frame (subprocess, offscreen)",
                  {"bare PySide6 window": bare, "kiosk run (fresh data dir)": kiosk,
                   "kiosk run (restart, existing data dir)": restart},
                  rounds=5, baseline="bare PySide6 window", unit="s")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
