"""Run the kiosk window on a real X server and report what its keyboard looks like.

``python -m tests.helpers.keyboard_probe OUT_DIR`` (with ``DISPLAY`` set to an X
server, e.g. Xvfb): builds the whole kiosk (emulated devices, keyboard on), goes to
the login screen, taps the user-name field with a real X pointer click (xdotool),
grabs the keyboard's area from the X server once it is shown, then types ``demo``
by tapping the on-screen keys with xdotool. Writes ``OUT_DIR/probe.json`` (and the
grab as ``keyboard.png``; the window after a wrong password tapped in and sent with
the keyboard's Enter key as ``login-error.png``) for ``tests/unit/ui/test_keyboard_xvfb.py``. Waits on
conditions with deadlines, never sleeps blind.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QDeadlineTimer, QPoint, Qt, QThread
from PySide6.QtGui import QImage
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from tests.helpers.keyboard_pixels import band_stats, keyboard_drawn
from tests.helpers.sight import banner_problems, in_sight


def wait_for(condition: Callable[[], bool], timeout_ms: int = 20000) -> bool:
    deadline = QDeadlineTimer(timeout_ms)
    while not condition():
        if deadline.hasExpired():
            return False
        QCoreApplication.processEvents()
        QThread.msleep(20)  # let the X server and Qt's render thread work between polls
    return True


def tap(widget: QWidget, pos: QPoint) -> None:
    """A real X pointer click (xdotool) at ``pos`` of ``widget``; Qt's own click without it."""
    where = widget.mapToGlobal(pos)
    if shutil.which("xdotool"):
        subprocess.run(["xdotool", "mousemove", str(where.x()), str(where.y()), "click", "1"],
                       check=True, timeout=30)
    else:
        QTest.mouseClick(widget, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, pos)


def grab_screen(widget: QWidget) -> QImage:
    """The widget's area as the X server shows it (not as Qt would paint it)."""
    top_left = widget.mapToGlobal(QPoint(0, 0))
    screen = widget.screen()
    return screen.grabWindow(0, top_left.x(), top_left.y(), widget.width(),
                             widget.height()).toImage()


def tap_keys(window: Any, keys: list[str]) -> list[str]:
    """Tap each key on the keyboard with the X pointer; the keys not found."""
    kb = window.keyboard
    missing = []
    for key in keys:
        pos = kb.key_position(key)
        if pos is None:
            missing.append(key)
            continue
        tap(kb.view(), pos)
        QCoreApplication.processEvents()
    return missing


def wrong_login(window: Any, page: Any, out_dir: Path) -> dict[str, Any]:
    """Enter (to the password), a wrong password, Enter: what the error banner covers."""
    kb = window.keyboard
    missing = tap_keys(window, ["enter"])
    wait_for(page.password.hasFocus, 10000)
    missing += tap_keys(window, list("wrong"))
    wait_for(lambda: page.password.text() == "wrong", 10000)
    missing += tap_keys(window, ["enter"])
    shown = wait_for(page.notice.isVisible, 10000)
    # The banner's layout, the scroll area's range, the field revealed: all settle.
    wait_for(lambda: not banner_problems(page, page.notice, page.header, kb)
             and in_sight(page.password, kb) == "", 5000)
    grab_screen(window).save(str(out_dir / "login-error.png"))
    return {"missing_keys": missing, "notice_shown": shown, "notice": page.notice.text(),
            "keyboard_shown": kb.isVisible(),
            "problems": banner_problems(page, page.notice, page.header, kb),
            "password_in_sight": in_sight(page.password, kb)}


def main(out_dir: Path) -> dict[str, Any]:
    from ui.widgets.keyboard import prepare_environment

    prepare_environment(Path(tempfile.mkdtemp(prefix="kbd-probe-state-")))
    app = QApplication(sys.argv[:1])
    app.setQuitOnLastWindowClosed(False)
    from kiosk.flow.states import Screen
    from tests.helpers.app import kiosk_gui
    from ui.screenshots import prepare_screen

    gui = kiosk_gui(None, out_dir / "data", keyboard=True)
    window = gui.window
    report: dict[str, Any] = {"platform": app.platformName()}
    try:
        window.move(0, 0)
        assert wait_for(window.isVisible) and wait_for(lambda: window.windowHandle().isExposed())
        prepare_screen(gui, "login")
        page = window.pages[Screen.LOGIN]
        wait_for(lambda: page.user.isVisible())
        kb = window.keyboard
        report["hidden_before"] = not kb.isVisible()
        tap(page.user, page.user.rect().center())
        report["shown"] = wait_for(kb.isVisible)
        report["drawn"] = wait_for(lambda: keyboard_drawn(grab_screen(kb)))
        # Defect 2: the first field tapped in a fresh window lies whole above the keyboard.
        wait_for(lambda: in_sight(page.user, kb) == "", 10000)
        first_in_sight = in_sight(page.user, kb)
        image = grab_screen(kb)
        image.save(str(out_dir / "keyboard.png"))
        grab_screen(window).save(str(out_dir / "window.png"))
        report["rows"] = band_stats(image)
        report["keys_bottom"] = kb.keys_bottom()
        report["view_height"] = kb.view().height()
        report["keyboard_rect"] = list(kb.geometry().getRect())
        report["window_rect"] = list(window.rect().getRect())
        report["focus_is_user"] = page.user.hasFocus()
        typed = []
        for letter in "demo":
            pos = kb.key_position(letter)
            if pos is None:
                typed.append(f"<no key {letter}>")
                break
            before = page.user.text()
            tap(kb.view(), pos)
            wait_for(lambda b=before: page.user.text() != b, 10000)  # type: ignore[misc]
        report["typed"] = page.user.text() if not typed else "".join(typed)
        # Defect 8: Enter moves to the password, a wrong one is tapped in, Enter logs in.
        report["first_in_sight"] = first_in_sight
        report["login_error"] = wrong_login(window, page, out_dir)
    finally:
        gui.close()
    return report


if __name__ == "__main__":
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("QT_QPA_PLATFORM", "xcb")
    result = main(out)
    (out / "probe.json").write_text(json.dumps(result, indent=1), encoding="utf-8")
    print(json.dumps(result))
