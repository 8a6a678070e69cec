"""Every kiosk screen as a PNG, in Chinese and English, standard and large text.

    .venv/bin/python scripts/screenshots.py OUTDIR [--screen NAME ...] [--lang zh_CN|en ...]
                        [--size standard|large ...] [--window 1920x1080] [--docs]

Each screen (each value of ``kiosk.flow.states.Screen``) is reached with demo data
through the real flow (``ui.screenshots.prepare_screen``, the same code as
``kiosk run --screenshot FILE --screen NAME``), one fresh data folder per screen, in
one process: ``OUTDIR/<screen>-<lang>-<standard|large>.png``. A screen that cannot be
reached is reported and the others go on (exit 1 at the end).

``--docs`` refreshes the README's screenshots in ``docs/screenshots/`` instead (and
``diag_board.png`` through ``python -m app.shots``, which draws the diagnostics screens).

Runs offscreen unless ``QT_QPA_PLATFORM`` says otherwise (``QT_QPA_PLATFORM=xcb
DISPLAY=:N`` draws on a real X server).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

LANGS = ("zh_CN", "en")
SIZES = ("standard", "large")
# The README's pictures: (screen, lang, size) -> file name in docs/screenshots/.
DOCS = {
    ("attract", "zh_CN", "standard"): "attract-zh_CN.png",
    ("attract", "en", "large"): "attract-en-large.png",
    ("review", "zh_CN", "standard"): "review-zh_CN.png",
    ("result", "zh_CN", "standard"): "result-zh_CN.png",
    ("buyer", "zh_CN", "standard"): "buyer-zh_CN.png",
    ("register", "zh_CN", "standard"): "register-zh_CN.png",
    ("centre", "zh_CN", "standard"): "centre-zh_CN.png",
}


def _render(screen: str, lang: str, size: str, out: Path,
            window: tuple[int, int] = (1280, 800)) -> str | None:
    """One screen in a fresh data folder; the error text when it cannot be reached."""
    from PySide6.QtWidgets import QApplication

    from app.gui import build_gui
    from drivers.manager import DeviceManager
    from kiosk.config import config_from_dict
    from kiosk.logs import setup_logging
    from ui.screenshots import ScreenshotError, prepare_screen, save_screenshot
    from ui.screenshots import _settle as settle

    data = Path(tempfile.mkdtemp(prefix="kiosk-shots-"))
    try:
        config = config_from_dict({"storage": {"data_dir": str(data)},
                                   "orders": {"seed_demo": True}})
        setup_logging(config.data_path, level="WARNING", stderr=False)
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        devices = DeviceManager(config.devices, printer_poll_s=None)
        gui = build_gui(config, app, lang=lang, large_text=size == "large", kiosk_mode=False,
                        devices=devices, documents_process=False, voice=False)
        try:
            gui.window.resize(*window)
            gui.window.show()
            prepare_screen(gui, screen)
            save_screenshot(gui.window, out, window)
        except ScreenshotError as err:
            return str(err)
        finally:
            settle(gui)  # no result may arrive after the window is gone (issuing)
            gui.close()
        return None
    finally:
        shutil.rmtree(data, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, nargs="?", default=ROOT / "docs" / "screenshots")
    parser.add_argument("--screen", action="append", help="only this screen (repeatable)")
    parser.add_argument("--lang", action="append", choices=LANGS)
    parser.add_argument("--size", action="append", choices=SIZES)
    parser.add_argument("--window", default="1280x800",
                        help="window size in pixels (the terminal's panel is 1920x1080)")
    parser.add_argument("--docs", action="store_true",
                        help="write only the README's screenshots, under their names")
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from kiosk.flow.states import Screen
    from ui.widgets.keyboard import prepare_environment

    state = Path(tempfile.mkdtemp(prefix="kiosk-shots-state-"))
    prepare_environment(state)  # the keyboard's settings, before the QApplication exists
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert app is not None
    if args.docs:
        jobs = [(screen, lang, size, args.folder / name)
                for (screen, lang, size), name in DOCS.items()]
    else:
        screens = args.screen or [s.value for s in Screen]
        jobs = [(screen, lang, size, args.folder / f"{screen}-{lang}-{size}.png")
                for lang in args.lang or LANGS for size in args.size or SIZES
                for screen in screens]
    width, height = (int(v) for v in args.window.split("x"))
    failed = 0
    for screen, lang, size, out in jobs:
        problem = _render(screen, lang, size, out, (width, height))
        if problem is None:
            print(out, flush=True)
        else:
            failed += 1
            print(f"{screen} {lang} {size}: {problem}", file=sys.stderr, flush=True)
    shutil.rmtree(state, ignore_errors=True)
    if args.docs:
        failed += _diagnostics_board(args.folder)
    return 1 if failed else 0


def _diagnostics_board(folder: Path) -> int:
    """``diag_board.png`` (the README's diagnostics picture), drawn by ``app.shots``."""
    import subprocess

    with tempfile.TemporaryDirectory(prefix="kiosk-diag-") as tmp:
        done = subprocess.run([sys.executable, "-m", "app.shots", tmp], cwd=ROOT, check=False,
                              stdout=subprocess.DEVNULL)
        board = Path(tmp) / "diag_board.png"
        if done.returncode != 0 or not board.exists():
            print("diag_board: app.shots failed", file=sys.stderr)
            return 1
        shutil.copy(board, folder / board.name)
        print(folder / board.name)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
