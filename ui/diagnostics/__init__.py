"""The technician's diagnostics mode (Qt), behind the admin PIN.

Construct :class:`DiagnosticsMode` over a :class:`kiosk.diagnostics.DiagnosticsService`;
the composition root wires it into the running kiosk
(:func:`app.diagnostics.install_diagnostics`).
"""

from ui.diagnostics.mode import DiagnosticsMode

__all__ = ["DiagnosticsMode"]
