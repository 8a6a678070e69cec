"""The technician's diagnostics mode (Qt), behind the admin PIN.

Build it with :func:`install_diagnostics` from a :class:`kiosk.app.Gui`, or
construct :class:`DiagnosticsMode` over a :class:`kiosk.diagnostics.DiagnosticsService`.
"""

from ui.diagnostics.mode import DiagnosticsMode, install_diagnostics

__all__ = ["DiagnosticsMode", "install_diagnostics"]
