"""What the kiosk sees of a printer, and the settings a printer is built from."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, runtime_checkable

from drivers.base import StatusEvent, StatusPublisher
from drivers.printer.ops import Op
from drivers.printer.paper import Paper


@runtime_checkable
class Printer(Protocol):
    """A receipt printer. Every method does IO: call it from a PrinterWorker, not the UI thread.

    ``status()`` asks the printer; ``preflight()`` is the same, logged (it works =
    READY, BUSY or PAPER_LOW; silence is UNKNOWN, which does not).
    ``print_ops``/``print_raw`` raise a :class:`~drivers.printer.errors.PrinterError`
    subclass carrying a problem code. Status changes go to ``publisher`` listeners.
    ``paper`` and ``encoding`` are the printer's; layouts read the paper's columns
    from here, and ``reconfigure`` changes them from the next job on.
    """

    name: str
    publisher: StatusPublisher

    @property
    def paper(self) -> Paper: ...

    @property
    def encoding(self) -> str: ...

    def reconfigure(self, *, encoding: str | None = None,
                    paper_width_mm: int | None = None) -> None: ...

    def status(self) -> StatusEvent: ...

    def preflight(self) -> StatusEvent: ...

    def print_ops(self, ops: Sequence[Op]) -> None: ...

    def print_raw(self, data: bytes) -> None: ...

    def close(self) -> None: ...


class PrinterConfigLike(Protocol):
    """The fields of ``kiosk.config.PrinterConfig`` the factory reads (drivers may not import kiosk).

    Read-only members, so frozen dataclasses (like PrinterConfig) match. ``qr_mode``
    ("native" | "image") is optional: read with getattr, default "native".
    """

    @property
    def backend(self) -> str: ...

    @property
    def url(self) -> str: ...

    @property
    def baudrate(self) -> int: ...

    @property
    def usb_vendor_id(self) -> int: ...

    @property
    def usb_product_id(self) -> int: ...

    @property
    def host(self) -> str: ...

    @property
    def port(self) -> int: ...

    @property
    def encoding(self) -> str: ...

    @property
    def paper_width_mm(self) -> int: ...

    @property
    def status_timeout_s(self) -> float: ...
