"""The byte pipe under a printer: what the serial, USB, network and in-process links share."""

from __future__ import annotations

from typing import Protocol


class TransportError(OSError):
    """The link failed (cannot open, unplugged, write refused); message says which and why."""


class TransportTimeout(TransportError):
    """A write did not complete in time (flow control held, printer busy or gone)."""


class Transport(Protocol):
    name: str  # for people and logs: "/dev/ttyUSB0", "usb 0416:5011", "10.0.0.5:9100"

    def open(self) -> None:
        """Open the link if it is not open (idempotent). Raises TransportError."""

    def write(self, data: bytes) -> None:
        """Send every byte. Raises TransportError / TransportTimeout."""

    def read(self, size: int, timeout: float) -> bytes:
        """Up to ``size`` bytes that arrive within ``timeout`` seconds (b"" for none)."""

    def discard_input(self) -> None:
        """Drop bytes that already arrived (stale answers) before a new request."""

    def close(self) -> None:
        """Close the link; the next open() reopens it."""
