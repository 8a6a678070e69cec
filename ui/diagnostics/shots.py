"""Screenshots of every diagnostics screen, driven through the real mode on emulated devices.

``python -m app.shots OUTDIR [--size 1280x800]`` (the composition root) builds the whole
kiosk in a temporary data folder (emulated devices, sandbox platform), types
the demo PIN on the keypad, visits each screen with something to show (a
paper-low printer on the board, a printed calibration page, scanned bytes,
a masked ID card, a QR code in front of the camera) and saves
``diag_<screen>.png`` for each. Used for the docs and for looking at layouts.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QDeadlineTimer

DEMO_PIN = "246810"


def _until(check: Callable[[], bool], timeout_ms: int = 10000) -> bool:
    """Process events until ``check()`` holds or the time is up (no blind sleeps)."""
    deadline = QDeadlineTimer(timeout_ms)
    while not check():
        if deadline.hasExpired():
            return False
        QCoreApplication.processEvents()
        QCoreApplication.instance().thread().msleep(10)  # type: ignore[union-attr]
    QCoreApplication.processEvents()
    return True


def _idle(mode: Any) -> bool:
    return _until(lambda: mode.runner.active == 0)


def save_screens(gui: Any, mode: Any, folder: Path) -> list[Path]:
    """Open diagnostics on ``gui`` (see :func:`app.diagnostics.install_diagnostics`), save
    each screen."""
    folder.mkdir(parents=True, exist_ok=True)
    emulators = gui.devices.emulators
    saved: list[Path] = []

    def shot(name: str) -> None:
        _idle(mode)
        for _ in range(3):  # layout requests posted by the last updates
            QCoreApplication.sendPostedEvents()
            QCoreApplication.processEvents()
        path = folder / f"diag_{name}.png"
        gui.window.grab().save(str(path))
        saved.append(path)

    gui.window.diagnosticsRequested.emit()
    mode.pin.field.setText("1234")
    mode.pin.field.returnPressed.emit()
    _until(lambda: mode.pin.message.isVisibleTo(mode.pin))
    shot("pin")
    mode.pin.field.setText(DEMO_PIN)
    mode.pin.field.returnPressed.emit()
    _until(lambda: mode.current == "board")
    if emulators.printer is not None:
        emulators.printer.set_paper("near_end")
    board = mode.pages["board"]
    _until(lambda: len(board.checks) > 0 and board.state("printer") == "warn"
           and "paper_low" in board.devices["printer"].detail)
    shot("board")
    if emulators.printer is not None:
        emulators.printer.set_paper("ok")
    mode.show_page("printer")
    printer = mode.pages["printer"]
    printer.print_calibration()
    _idle(mode)
    shot("printer")
    mode.show_page("scanner")
    if emulators.scanner is not None:
        emulators.scanner.scan("SO20260315001")
        emulators.scanner.send_raw(b"\x1b[2Jjunk\r\n")
        _until(lambda: "DROP" in mode.pages["scanner"].log.toPlainText())
    shot("scanner")
    mode.show_page("idcard")
    idcard = mode.pages["idcard"]
    idcard.start_read()
    if emulators.idcard is not None:
        emulators.idcard.place_card("long_term")
        _until(lambda: idcard.table.rowCount() > 0)
    shot("idcard")
    mode.show_page("camera")
    camera = mode.pages["camera"]
    if emulators.camera is not None:
        emulators.camera.show_code("SO20260315001")
        _until(lambda: bool(camera.found) and camera.camera_fps > 0, 15000)
    shot("camera")
    for name in ("platform", "voice", "system", "config", "logs"):
        mode.show_page(name)
        shot(name)
    mode.leave()
    return saved
