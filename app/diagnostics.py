"""Diagnostics mode wired into the running kiosk (the technician's screens behind the PIN).

The hidden gesture (``window.diagnosticsRequested``) opens the PIN screen;
while the screens are up, customer input from the devices is suspended;
leaving wipes the session (the attract screen shows). The mode's
:class:`~kiosk.diagnostics.DiagnosticsService` uses the core's gateway and
issuing service (one of each in the process).
"""

from __future__ import annotations

from app.gui import Gui
from kiosk.diagnostics import DiagnosticsService, apply_printer_encoding
from ui.diagnostics.mode import DiagnosticsMode
from ui.diagnostics.voice import VoicePage


def install_diagnostics(gui: Gui) -> DiagnosticsMode:
    """Wire diagnostics mode into a built :class:`app.gui.Gui`; returns the mode (also
    kept as ``gui.diagnostics``). A printer encoding saved earlier in diagnostics is
    applied to the running printer now."""
    core = gui.core
    service = DiagnosticsService(core.config, gui.devices, gateway=core.gateway,
                                 issuing=core.issuing, database=core.db)
    if service.encoding != core.config.devices.printer.encoding:
        apply_printer_encoding(gui.devices.printer, service.encoding)
    mode = DiagnosticsMode(service, gui.window)
    voice_page = mode.pages["voice"]
    assert isinstance(voice_page, VoicePage)
    voice_page.attach(gui.voice, gui.presence)  # speaker test, engines, presence preview
    gui.window.diagnosticsRequested.connect(mode.open)

    def suspend_customer_input(on: bool) -> None:
        gui.bridge.suspended = on

    mode.opened.connect(lambda: suspend_customer_input(True))
    mode.closed.connect(lambda: suspend_customer_input(False))
    mode.closed.connect(lambda: core.session.wipe("diagnostics"))

    def close() -> None:
        mode.pool.waitForDone(10000)  # a job in hand finishes before its connection closes
        service.close()

    core.closers.append(close)
    gui.diagnostics = mode
    return mode
