"""Counting a person's touches on the real main window, from the receipt scan to the
printed receipt.

:class:`TouchCounter` drives the kiosk built by :func:`tests.helpers.app.kiosk_gui`: a
scan goes through the emulated scanner's pty (not a touch), every touch is a
``qtbot.mouseClick`` on a real, visible, enabled, finger-sized widget (counted), and
the walk ends when the receipt's bytes have arrived at the emulated printer. Tests
assert :attr:`TouchCounter.count` against the touch budget (README, issue 11).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from kiosk.flow.states import Screen

FINGER_PX = 64  # the smallest button a finger hits reliably (design.md)


class TouchCounter:
    """Scans (free) and taps (counted) on the real window; waits for the receipt bytes."""

    def __init__(self, qtbot: Any, gui: Any) -> None:
        self.qtbot = qtbot
        self.gui = gui
        self.count = 0
        self.taps: list[str] = []  # what was tapped, in order (for failure messages)
        printer = gui.devices.emulators.printer
        self._receipts_before = len(printer.receipts) if printer is not None else 0

    @property
    def window(self) -> Any:
        return self.gui.window

    @property
    def session(self) -> Any:
        return self.gui.core.session

    def page(self, screen: Screen) -> Any:
        return self.window.pages[screen]

    def scan(self, code: str, then: Screen | None = None, timeout: int = 15000) -> None:
        """A code through the emulated scanner's pty; wait until ``then`` is on show."""
        self.gui.devices.emulators.scanner.scan(code)
        if then is not None:
            self.wait_screen(then, timeout)

    def wait_screen(self, screen: Screen, timeout: int = 15000) -> None:
        self.qtbot.waitUntil(lambda: self.session.screen is screen
                             and self.window.stack.currentWidget() is self.page(screen),
                             timeout=timeout)

    def tap(self, widget: QWidget) -> None:
        """One touch: a click on a real widget a person can see and reach."""
        name = widget.text() if hasattr(widget, "text") else type(widget).__name__
        assert widget.isVisible(), f"{name!r} is not visible"
        assert widget.isEnabled(), f"{name!r} is disabled"
        assert widget.height() >= FINGER_PX, f"{name!r} is only {widget.height()} px high"
        self.count += 1
        self.taps.append(str(name))
        self.qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)

    def wait_receipt(self, timeout: int = 20000) -> bytes:
        """Wait until the receipt's bytes arrived at the emulated printer; return them."""
        printer = self.gui.devices.emulators.printer
        want = self._receipts_before + 1
        self.qtbot.waitUntil(lambda: len(printer.receipts) >= want, timeout=timeout)
        data: bytes = printer.receipts[want - 1]
        return data

    def summary(self) -> str:
        return f"{self.count} touches: " + " -> ".join(self.taps)
