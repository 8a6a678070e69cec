"""Paper geometry of 58 mm and 80 mm thermal printers (203 dpi, Font A 12x24 dots).

:data:`PAPERS` is the one table of supported widths: the config schema's
choices, the renderer's rules and the receipt layouts' columns all read it.
"""

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
    qr_module: int  # dots per QR module for a receipt's fetch code

    @classmethod
    def for_width(cls, width_mm: int) -> Paper:
        try:
            return PAPERS[width_mm]
        except KeyError:
            raise ValueError(f"unsupported paper width {width_mm} mm "
                             f"({' or '.join(map(str, PAPERS))})") from None


PAPERS: dict[int, Paper] = {
    58: Paper(58, 384, 32, 6),
    80: Paper(80, 576, 48, 8),
}
PAPER_WIDTHS_MM: tuple[int, ...] = tuple(PAPERS)
