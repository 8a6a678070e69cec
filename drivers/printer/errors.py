"""Printer failures as exceptions with a message a person can act on.

Each error carries the :class:`~drivers.base.DeviceStatus` it stands for, so
a caller can both show ``str(err)`` and update a status display. They never
carry receipt content (which may hold personal data).
"""

from __future__ import annotations

from drivers.base import DeviceStatus, StatusEvent


class PrinterError(Exception):
    """Printing failed; ``str(err)`` is the human message."""

    status: DeviceStatus = DeviceStatus.ERROR

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class PrinterOffline(PrinterError):
    """Unplugged, port gone, or the printer reports itself offline."""

    status = DeviceStatus.OFFLINE


class PaperOut(PrinterError):
    status = DeviceStatus.PAPER_OUT


class CoverOpen(PrinterError):
    status = DeviceStatus.COVER_OPEN


class PrinterTimeout(PrinterError):
    """The printer stayed silent (status unknown) or a write did not finish in time."""

    status = DeviceStatus.UNKNOWN


class PrinterDisabled(PrinterError):
    """Backend "none": this kiosk has no printer."""

    status = DeviceStatus.DISABLED


def error_for(event: StatusEvent) -> PrinterError | None:
    """The exception that stops a print for ``event``, or None when it may print."""
    if event.status.usable:
        return None
    cls: type[PrinterError] = {
        DeviceStatus.OFFLINE: PrinterOffline,
        DeviceStatus.PAPER_OUT: PaperOut,
        DeviceStatus.COVER_OPEN: CoverOpen,
        DeviceStatus.UNKNOWN: PrinterTimeout,
        DeviceStatus.DISABLED: PrinterDisabled,
    }.get(event.status, PrinterError)
    return cls(event.message or f"printer not ready ({event.status.value})")
