"""Paper geometry of 58 mm and 80 mm thermal printers (203 dpi, Font A 12x24 dots)."""

from __future__ import annotations

from dataclasses import dataclass

FONT_A_WIDTH = 12  # dots per half-width (ASCII) cell; a CJK cell is two of these
FONT_A_HEIGHT = 24
LINE_HEIGHT = 30  # default line spacing (ESC 2) in dots


@dataclass(frozen=True)
class Paper:
    width_mm: int
    dots: int  # printable width in dots
    columns: int  # Font A half-width columns per line

    @classmethod
    def for_width(cls, width_mm: int) -> Paper:
        if width_mm == 58:
            return cls(58, 384, 32)
        if width_mm == 80:
            return cls(80, 576, 48)
        raise ValueError(f"unsupported paper width {width_mm} mm (58 or 80)")
