"""Printer-independent receipt operations.

A receipt layout (built in ``kiosk.documents.receipt``) is a list of these
operations; the printer driver renders them to ESC/POS for one printer's
encoding and paper width, and the emulated printer renders the resulting bytes
back to an image. Text here is already sanitised: the layout strips control
characters from anything a user typed or scanned, and the driver strips them
again before encoding (defence in depth).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Align(StrEnum):
    LEFT = "left"
    CENTER = "center"
    RIGHT = "right"


@dataclass(frozen=True)
class Text:
    """One line of text (the driver adds the line feed).

    ``width``/``height`` are character magnifications 1..8 (GS ! n).
    """

    text: str
    align: Align = Align.LEFT
    bold: bool = False
    width: int = 1
    height: int = 1


@dataclass(frozen=True)
class Rule:
    """A full-width separator line made of ``char``."""

    char: str = "-"


@dataclass(frozen=True)
class Feed:
    lines: int = 1


@dataclass(frozen=True)
class Qr:
    """A QR code; ``size`` is the module size in dots (1..16)."""

    data: str
    size: int = 6
    align: Align = Align.CENTER


@dataclass(frozen=True)
class Cut:
    partial: bool = False


Op = Text | Rule | Feed | Qr | Cut
