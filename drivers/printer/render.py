"""ESC/POS bytes -> a picture of the printed receipt (what a 203 dpi printer would print).

Understands the subset :mod:`drivers.printer.escpos_render` emits plus a few
common commands: ESC @, ESC a, ESC E, ESC !, GS !, LF, ESC d, FS & / FS .,
GS ( k QR (model, module size, error level, store, print: the symbol is
re-generated with ``qrcode`` from the stored data), GS v 0 raster images (the
bits are drawn), GS V cut (a dashed line). Everything else is skipped by
:mod:`drivers.printer.parse`. Text is drawn with a CJK font in Font A cells
(12x24 dots half-width, 24x24 full-width, times the GS ! magnification),
wrapping at the paper's printable width like a printer does.
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass, field

import numpy as np
import qrcode
import qrcode.constants
from PIL import Image, ImageDraw, ImageFont

from drivers.printer import parse as P
from drivers.printer.encoding import TextEncoder
from drivers.printer.paper import FONT_A_HEIGHT, FONT_A_WIDTH, LINE_HEIGHT, Paper

FONT_CANDIDATES = (
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2),  # index 2: SC
    ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),
)
BOLD_CANDIDATES = (("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc", 2),)
_QR_EC = {48: qrcode.constants.ERROR_CORRECT_L, 49: qrcode.constants.ERROR_CORRECT_M,
          50: qrcode.constants.ERROR_CORRECT_Q, 51: qrcode.constants.ERROR_CORRECT_H}


@dataclass
class _Style:
    align: int = 0
    bold: bool = False
    width: int = 1
    height: int = 1


@dataclass
class _Segment:
    data: bytearray
    bold: bool
    width: int
    height: int


@dataclass
class _State:
    style: _Style = field(default_factory=_Style)
    line: list[_Segment] = field(default_factory=list)
    line_align: int | None = None  # alignment in force when the line began
    qr_size: int = 3
    qr_ec: int = 48
    qr_data: bytes = b""


def render_escpos(data: bytes, *, paper_width_mm: int, encoding: str) -> Image.Image:
    """Draw ``data`` as printed on ``paper_width_mm`` paper; returns an 8-bit grey image."""
    return _Renderer(Paper.for_width(paper_width_mm), TextEncoder(encoding)).run(data)


class _Renderer:
    def __init__(self, paper: Paper, encoder: TextEncoder) -> None:
        self.paper = paper
        self.encoder = encoder
        self.blocks: list[Image.Image] = []
        self.st = _State()

    def run(self, data: bytes) -> Image.Image:
        for token in P.parse_all(data):
            self._token(token)
        if self.st.line:
            self._flush_line()
        height = max(1, sum(b.height for b in self.blocks))
        page = Image.new("L", (self.paper.dots, height), 255)
        y = 0
        for block in self.blocks:
            page.paste(block, (0, y))
            y += block.height
        return page

    def _token(self, t: P.Token) -> None:  # noqa: C901 - one branch per command
        st = self.st
        if t.kind == P.TEXT:
            if st.line_align is None:
                st.line_align = st.style.align
            s = st.style
            if st.line and (st.line[-1].bold, st.line[-1].width, st.line[-1].height) == (
                    s.bold, s.width, s.height):
                st.line[-1].data += t.data
            else:
                st.line.append(_Segment(bytearray(t.data), s.bold, s.width, s.height))
        elif t.kind == P.LF:
            self._flush_line()
        elif t.kind == P.FEED:
            if st.line:
                self._flush_line()
            self._blank(LINE_HEIGHT * t.value)
        elif t.kind == P.INIT:
            st.style = _Style()
        elif t.kind == P.ALIGN:
            st.style.align = t.value % 48 if t.value >= 48 else t.value
        elif t.kind == P.BOLD:
            st.style.bold = bool(t.value & 1)
        elif t.kind == P.SIZE:
            st.style.width = (t.value >> 4 & 7) + 1
            st.style.height = (t.value & 7) + 1
        elif t.kind == P.OTHER and t.raw[:2] == b"\x1b!" and len(t.raw) == 3:  # ESC ! n
            st.style.bold = bool(t.raw[2] & 0x08)
            st.style.height = 2 if t.raw[2] & 0x10 else 1
            st.style.width = 2 if t.raw[2] & 0x20 else 1
        elif t.kind == P.QR_SIZE:
            st.qr_size = max(1, min(16, t.value))
        elif t.kind == P.QR_EC:
            st.qr_ec = t.value
        elif t.kind == P.QR_STORE:
            st.qr_data = t.data
        elif t.kind == P.QR_PRINT:
            self._flush_pending()
            self._qr()
        elif t.kind == P.RASTER:
            self._flush_pending()
            self._raster(t)
        elif t.kind == P.CUT:
            self._flush_pending()
            self._cut(partial=t.value in (1, 49, 66, 98, 104))

    # -- text -------------------------------------------------------------------------
    def _flush_pending(self) -> None:
        if self.st.line:
            self._flush_line()

    def _flush_line(self) -> None:
        st = self.st
        align = st.line_align if st.line_align is not None else st.style.align
        chars: list[tuple[str, int, _Segment]] = []
        for seg in st.line:
            for ch in bytes(seg.data).decode(self.encoder.profile.codec, errors="replace"):
                chars.append((ch, self.encoder.cells(ch), seg))
        st.line = []
        st.line_align = None
        if not chars:
            self._blank(LINE_HEIGHT)
            return
        rows: list[list[tuple[str, int, _Segment]]] = [[]]
        x = 0
        for ch, cells, seg in chars:
            w = cells * FONT_A_WIDTH * seg.width
            if x + w > self.paper.dots and rows[-1]:
                rows.append([])
                x = 0
            rows[-1].append((ch, cells, seg))
            x += w
        for row in rows:
            self._text_row(row, align)

    def _text_row(self, row: list[tuple[str, int, _Segment]], align: int) -> None:
        cell_h = max(FONT_A_HEIGHT * seg.height for _, _, seg in row)
        height = max(LINE_HEIGHT, cell_h + LINE_HEIGHT - FONT_A_HEIGHT)
        block = Image.new("L", (self.paper.dots, height), 255)
        width = sum(cells * FONT_A_WIDTH * seg.width for _, cells, seg in row)
        x = {0: 0, 1: (self.paper.dots - width) // 2, 2: self.paper.dots - width}.get(align, 0)
        for ch, cells, seg in row:
            w = cells * FONT_A_WIDTH * seg.width
            h = FONT_A_HEIGHT * seg.height
            if not ch.isspace():
                glyph = _glyph(ch, seg.bold, cells, seg.width, seg.height)
                block.paste(0, (x, cell_h - h), glyph)  # bottom-aligned in the row
            x += w
        self.blocks.append(block)

    def _blank(self, height: int) -> None:
        if height > 0:
            self.blocks.append(Image.new("L", (self.paper.dots, height), 255))

    # -- images -----------------------------------------------------------------------
    def _place(self, image: Image.Image) -> None:
        if image.width > self.paper.dots:
            image = image.crop((0, 0, self.paper.dots, image.height))
        block = Image.new("L", (self.paper.dots, image.height), 255)
        align = self.st.style.align
        x = {0: 0, 1: (self.paper.dots - image.width) // 2,
             2: self.paper.dots - image.width}.get(align, 0)
        block.paste(image.convert("L"), (x, 0))
        self.blocks.append(block)

    def _qr(self) -> None:
        if not self.st.qr_data:
            return
        qr = qrcode.QRCode(error_correction=_QR_EC.get(self.st.qr_ec, _QR_EC[48]),
                           box_size=self.st.qr_size, border=0)
        qr.add_data(self.st.qr_data)
        qr.make(fit=True)
        self._place(qr.make_image().get_image())

    def _raster(self, t: P.Token) -> None:
        if not t.width_bytes or not t.height:
            return
        bits = np.unpackbits(np.frombuffer(t.data, dtype=np.uint8)).reshape(
            t.height, t.width_bytes * 8)
        image = Image.fromarray(np.where(bits == 1, 0, 255).astype(np.uint8), "L")
        mode = t.value % 48 if t.value >= 48 else t.value
        sx, sy = (2 if mode & 1 else 1), (2 if mode & 2 else 1)
        if sx != 1 or sy != 1:
            image = image.resize((image.width * sx, image.height * sy), Image.Resampling.NEAREST)
        self._place(image)

    def _cut(self, partial: bool) -> None:
        block = Image.new("L", (self.paper.dots, LINE_HEIGHT), 255)
        draw = ImageDraw.Draw(block)
        dash, gap = (6, 6) if partial else (12, 4)
        y = LINE_HEIGHT // 2
        for x in range(0, self.paper.dots, dash + gap):
            draw.line([(x, y), (x + dash - 1, y)], fill=128, width=2)
        self.blocks.append(block)


@functools.lru_cache(maxsize=8)
def _font(bold: bool, size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    for path, index in (BOLD_CANDIDATES if bold else ()) + FONT_CANDIDATES:
        if os.path.exists(path):
            return ImageFont.truetype(path, size, index=index)
    return ImageFont.load_default(size)


@functools.lru_cache(maxsize=4096)
def _glyph(ch: str, bold: bool, cells: int, wmag: int, hmag: int) -> Image.Image:
    """A mask of ``ch`` filling its cell (255 = ink), stretched by the GS ! magnification."""
    height = FONT_A_HEIGHT * hmag
    base = cells * FONT_A_WIDTH * hmag  # cell width at the same scale as the height
    font = _font(bold, max(8, round(height * 0.92)))
    natural = max(1, int(np.ceil(font.getlength(ch))))
    canvas = Image.new("L", (max(natural, base), height), 0)
    x = (canvas.width - natural) // 2
    ImageDraw.Draw(canvas).text((x, round(height * 0.86)), ch, font=font, fill=255, anchor="ls")
    target = cells * FONT_A_WIDTH * wmag
    if canvas.size != (target, height):
        canvas = canvas.resize((target, height), Image.Resampling.LANCZOS)
    return canvas
