"""Printer failures as exceptions carrying a problem code (words: :mod:`kiosk.messages`).

Each error carries the :class:`~drivers.base.DeviceStatus` it stands for and a
:class:`~drivers.problem.Problem`, so a caller can both show the catalogue's
words and update a status display; ``str(err)`` is the code plus a technical
detail for the log. They never carry receipt content (which may hold personal
data).
"""

from __future__ import annotations

from drivers.base import DeviceStatus, StatusEvent
from drivers.problem import Problem, ProblemError


class PrinterError(ProblemError):
    """Printing failed: ``problem`` says why, ``message`` is the log line."""

    status: DeviceStatus = DeviceStatus.ERROR

    def __init__(self, problem: Problem, detail: str = "", *, held: bool = False) -> None:
        super().__init__(problem, detail)
        self.detail = detail
        self.message = str(self)
        # The job reached the printer, which stopped (paper out, cover open) and keeps the
        # rest in its buffer: it prints by itself once the fault is cleared.
        self.held = held


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


_ERRORS: dict[DeviceStatus, type[PrinterError]] = {
    DeviceStatus.OFFLINE: PrinterOffline,
    DeviceStatus.PAPER_OUT: PaperOut,
    DeviceStatus.COVER_OPEN: CoverOpen,
    DeviceStatus.UNKNOWN: PrinterTimeout,
    DeviceStatus.DISABLED: PrinterDisabled,
}


def error_for(event: StatusEvent) -> PrinterError | None:
    """The exception that stops a print for ``event``, or None when it may print."""
    if event.status.works:
        return None
    cls = _ERRORS.get(event.status, PrinterError)
    problem = event.problem or Problem.of("printer.fault", status=event.status.value)
    return cls(problem, event.detail or f"printer not ready ({event.status.value})")
