"""``kiosk run``: open the kiosk window (full screen and frameless in kiosk mode).

Registered by :func:`app.cli.main` (the subcommand needs the whole composition root,
which :mod:`kiosk.cli` may not import).


- ``--windowed``: a normal 1280x800 window (development, demonstrations);
- ``--screenshot FILE.png``: render offscreen, save the first screen (or the
  ``--screen NAME`` filled with demo data), exit 0; ``--lang en``,
  ``--large-text`` choose how it looks;
- ``--out-of-service-on-error`` (implied under systemd, ``$INVOCATION_ID``): a
  configuration error shows the out-of-service screen instead of exiting;
  on a terminal it prints the one-line message and exits 2.

With emulated devices the device simulator panel opens beside the window
(``--no-simulator`` to hide it; Ctrl+Shift+S toggles it).
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk.cli import CommandError, Context
from kiosk.config import ConfigError

if TYPE_CHECKING:
    from app.gui import Gui

log = logging.getLogger("kiosk.run")

WINDOWED_SIZE = (1280, 800)


def register(sub: Any) -> None:  # argparse's private _SubParsersAction
    parser = sub.add_parser("run", help="open the kiosk window")
    parser.add_argument("--windowed", action="store_true",
                        help="a normal 1280x800 window instead of full screen")
    parser.add_argument("--screenshot", metavar="FILE.png",
                        help="render offscreen, save a screenshot and exit")
    parser.add_argument("--screen", metavar="NAME",
                        help="with --screenshot: the screen to show, filled with demo data "
                             "(e.g. orders, buyer, review, result, bad_qr)")
    parser.add_argument("--lang", choices=("zh_CN", "en"), help="language (default: ui.language)")
    parser.add_argument("--large-text", action="store_true", help="large-text mode")
    parser.add_argument("--no-simulator", action="store_true",
                        help="do not open the device simulator panel")
    parser.add_argument("--control", metavar="SOCKET",
                        help="listen for JSON control commands on this local socket "
                             "(emulated devices only; demonstrations and end-to-end tests)")
    parser.add_argument("--out-of-service-on-error", action="store_true",
                        help="show the out-of-service screen on a configuration error "
                             "(implied under systemd)")
    parser.set_defaults(func=handler)


def handler(args: argparse.Namespace, ctx: Context) -> int:
    under_systemd = bool(os.environ.get("INVOCATION_ID"))
    try:
        config = ctx.config
    except ConfigError as err:
        if not (args.out_of_service_on_error or under_systemd):
            raise  # the CLI prints the one-line message and exits 2
        return _out_of_service(args, str(err))
    if args.screenshot:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    if args.screenshot and args.screen:
        # Demo data in a fresh folder: the real data dir is never touched by a screenshot.
        import dataclasses
        import tempfile

        scratch = tempfile.mkdtemp(prefix="kiosk-screenshot-")
        config = dataclasses.replace(config, data_path=Path(scratch),
                                     orders=dataclasses.replace(config.orders, seed_demo=True))
    from kiosk.cli import refuse_start, startup_problem  # issue 15: storage unusable, db damaged

    if (problem := startup_problem(config)) is not None:
        return refuse_start(config, problem, (lambda m: _out_of_service(args, m))
                            if args.out_of_service_on_error or under_systemd else None)
    from kiosk.logs import setup_logging

    setup_logging(config.data_path, level=config.logging.level,
                  max_bytes=config.logging.max_bytes, backups=config.logging.backups)
    from kiosk.logs import log_dir
    from kiosk.logview import prune_logs

    prune_logs(log_dir(config.data_path), config.logging.retention_days)  # old rotated files
    _check_qt_binding()
    from PySide6.QtWidgets import QApplication

    from app.gui import build_gui
    from ui.widgets.keyboard import prepare_environment

    prepare_environment(config.data_path / "state")  # before the QApplication exists
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    kiosk_mode = config.ui.kiosk_mode and not args.windowed and not args.screenshot
    gui = build_gui(config, app, lang=args.lang,
                    large_text=True if args.large_text else None, kiosk_mode=kiosk_mode,
                    start_devices=True, downloads=not args.screenshot)
    if args.screenshot:
        try:
            return _screenshot(gui, args)
        finally:
            if args.screen:
                import shutil

                shutil.rmtree(config.data_path, ignore_errors=True)
    return _run(gui, args, kiosk_mode)


def _check_qt_binding() -> None:
    """Warn when running on the PySide6 release that aborts CPython < 3.12.

    PySide6 6.12.0 drops a reference to None/True/False on some calls (each signal
    emitted from Python, ``processEvents``); before CPython 3.12 made those objects
    immortal, the process aborts after a few thousand (none_dealloc/bool_dealloc).
    pyproject.toml excludes it; this catches an environment installed by hand.
    """
    import PySide6

    if PySide6.__version__ == "6.12.0" and sys.version_info < (3, 12):
        log.warning("PySide6 6.12.0 on Python %s aborts after a few thousand signals: "
                    "install the pinned version (scripts/setup.sh)", sys.version.split()[0],
                    extra={"event": "app.qt_binding_unsafe"})


def _run(gui: Gui, args: argparse.Namespace, kiosk_mode: bool) -> int:
    from PySide6.QtCore import QTimer

    from app.systemd import install_systemd_integration

    window = gui.window
    if kiosk_mode:
        from PySide6.QtCore import Qt

        gui.app.setOverrideCursor(Qt.CursorShape.BlankCursor)  # a touch screen: no pointer
        # The whole screen even where no window manager honours "full screen" (a bare X
        # server, Xvfb): without it the window kept its own size (1152x720 on 1920x1080).
        window.setGeometry(window.screen().geometry())
        window.showFullScreen()
    else:
        window.resize(*WINDOWED_SIZE)
        window.show()
    _maybe_simulator(gui, args)
    from app.diagnostics import install_diagnostics

    install_diagnostics(gui)  # the hidden gesture -> PIN -> technician screens
    if args.control:
        from ui.control import ControlError, ControlServer

        try:
            gui.control = ControlServer(gui, args.control)
        except ControlError as err:
            gui.close()
            raise CommandError(str(err)) from err
    gui.systemd = install_systemd_integration(gui.app, on_terminate=gui.close)
    QTimer.singleShot(0, lambda: log.info("kiosk shown", extra={
        "event": "app.ready", "screen": gui.core.session.screen.value}))
    code = gui.app.exec()
    gui.close()
    return int(code)


def _maybe_simulator(gui: Gui, args: argparse.Namespace) -> None:
    """Open the device simulator panel when any device is emulated (ui.simulator, if present)."""
    emulators = gui.devices.emulators
    if args.no_simulator or not any(vars(emulators).values()):
        return
    from ui.simulator import SimulatorPanel, sample_codes

    core = gui.core
    sms_dir = core.config.data_path / "sms" if core.config.sms.backend == "folder" else None
    panel = SimulatorPanel(gui.devices,
                           sample_codes(core.orders.list(8), core.config.orders.qr_secret),
                           platform_faults=getattr(core.gateway, "faults", None),
                           sms_dir=sms_dir,
                           red_forms=core.gateway if hasattr(core.gateway,
                                                             "confirm_newest_red_form") else None)
    gui.simulator = panel
    geo = gui.window.frameGeometry()
    panel.move(geo.right() + 8, geo.top())
    panel.show()

    def toggle() -> None:
        panel.setVisible(not panel.isVisible())
        if panel.isVisible():
            panel.raise_()

    gui.window.simulatorRequested.connect(toggle)


def _screenshot(gui: Gui, args: argparse.Namespace) -> int:
    from ui.screenshots import ScreenshotError, prepare_screen, save_screenshot

    try:
        if args.screen:
            prepare_screen(gui, args.screen)
        save_screenshot(gui.window, args.screenshot, WINDOWED_SIZE)
    except ScreenshotError as err:
        raise CommandError(str(err)) from err
    finally:
        gui.close()
    print(args.screenshot)
    return 0


def _out_of_service(args: argparse.Namespace, message: str) -> int:
    """No usable configuration: the out-of-service screen, and the reason in the journal."""
    print(f"kiosk: configuration error: {message}", file=sys.stderr)
    if args.screenshot:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from ui.out_of_service import show_out_of_service

    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    window = show_out_of_service(app, windowed=args.windowed or bool(args.screenshot))
    if args.screenshot:
        from ui.screenshots import save_screenshot

        save_screenshot(window, args.screenshot, WINDOWED_SIZE)
        return 0
    return int(app.exec())
