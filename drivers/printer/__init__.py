"""Thermal receipt printer: ESC/POS rendering, transports, status, emulation.

Public API: :func:`build_printer` (from a PrinterConfig-like object),
:class:`Printer` (the interface), :class:`PrinterWorker` (IO off the UI
thread), the errors, and the emulators for tests and the emulated backend.
Names resolve lazily so ``from drivers.printer.ops import Text`` stays light
(no python-escpos, Pillow or qrcode import).
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "build_printer": "factory", "DisabledPrinter": "factory",
    "Printer": "interface", "PrinterConfigLike": "interface",
    "PrinterWorker": "worker", "EmulatedPrinter": "emulated",
    "EmulatedSerialPrinter": "emulated_serial",
    "PrinterError": "errors", "PrinterOffline": "errors", "PaperOut": "errors",
    "CoverOpen": "errors", "PrinterTimeout": "errors", "PrinterDisabled": "errors",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'drivers.printer' has no attribute {name!r}")
    return getattr(importlib.import_module(f"drivers.printer.{_EXPORTS[name]}"), name)
