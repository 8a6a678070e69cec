"""Screenshots of every diagnostics screen: ``python -m app.shots OUTDIR [--size 1280x800]``.

Builds the whole kiosk in a temporary data folder (emulated devices, sandbox
platform) and saves ``diag_<screen>.png`` for each screen through
:func:`ui.diagnostics.shots.save_screens`. Used for the docs and for looking at layouts.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

from ui.diagnostics.shots import save_screens


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--size", default="1280x800")
    args = parser.parse_args(argv)
    width, height = (int(v) for v in args.size.split("x"))
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    with tempfile.TemporaryDirectory(prefix="kiosk-diag-shots-") as data:
        os.environ["KIOSK_DATA_DIR"] = data
        from PySide6.QtWidgets import QApplication

        from app.diagnostics import install_diagnostics
        from app.gui import build_gui
        from kiosk.config import config_from_dict
        from kiosk.logs import setup_logging

        app = QApplication.instance() or QApplication(sys.argv[:1])
        assert isinstance(app, QApplication)
        config = config_from_dict({"mail": {"backend": "maildir"}})
        setup_logging(config.data_path, level="INFO", stderr=False)
        gui = build_gui(config, app, kiosk_mode=False, keyboard=False)
        gui.window.resize(width, height)
        gui.window.show()  # laid out as on the terminal (hidden widgets are not)
        mode = install_diagnostics(gui)
        try:
            for path in save_screens(gui, mode, args.folder):
                print(path)
        finally:
            gui.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
