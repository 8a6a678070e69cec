"""Receipt ops -> ESC/POS bytes for one printer (encoding, paper width, QR mode).

python-escpos's ``Dummy`` collects the bytes; its ``set()``, ``qr(native=True)``
and ``cut()`` produce exactly the commands below, so they are used. Text goes
through :class:`~drivers.printer.encoding.TextEncoder` instead of ``text()``
(whose magic encoder is hard-wired to GB18030), and the image QR is built here
because ``Dummy.qr(native=False)`` needs a printer profile with a known paper
width to centre it and adds line feeds of its own.

Bytes each op emits (hex):

- job start: ``1B 40`` (ESC @, initialise), then for GB18030/GBK/Big5
  ``1C 26`` (FS &, Chinese double-byte mode), for UTF-8 ``1C 2E`` (FS ., leave
  double-byte mode) + ``1C 28 43 02 00 30 02`` (FS ( C fn 48: UTF-8 encoding).
- ``Text``: ``1D 21 n`` (GS !, n = (width-1)<<4 | (height-1)), ``1B 45 b``
  (ESC E, bold 0/1), ``1B 61 a`` (ESC a, 0 left 1 centre 2 right), the encoded
  text, ``0A``. Every line sets its own style: a lost line cannot change the next.
- ``Rule``: as Text at 1x1, not bold, left, with ``char`` repeated to fill the
  paper's Font A columns (32 on 58 mm, 48 on 80 mm; a double-width char counts 2).
- ``Feed``: ``1B 64 n`` (ESC d, print and feed n lines), n clamped to 0..255.
- ``Qr`` native: ``1B 61 a`` then GS ( k: model 2 ``1D 28 6B 04 00 31 41 32 00``,
  module size ``1D 28 6B 03 00 31 43 s``, error level M ``1D 28 6B 03 00 31 45 31``,
  store ``1D 28 6B pL pH 31 50 30 <UTF-8 data>``, print ``1D 28 6B 03 00 31 51 30``.
- ``Qr`` image: ``1B 61 00`` (left) + ``1D 76 30 00 xL xH yL yH <raster>`` (GS v 0), a QR drawn by
  ``qrcode`` (error level M, 1-module border, ``size`` dots per module), placed
  per ``align`` by white dots on its left in the bitmap itself (so it does not
  depend on whether a printer applies ESC a to raster images); no right margin
  is sent, which keeps the job short on a slow serial line.
- ``Cut``: ``1B 64 06`` (feed 6 lines past the cutter) + ``1D 56 00`` full or
  ``1D 56 01`` partial (GS V).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

import qrcode
import qrcode.constants
from escpos.constants import QR_ECLEVEL_M, QR_MODEL_2
from escpos.image import EscposImage
from escpos.printer import Dummy
from PIL import Image

from drivers.printer.encoding import TextEncoder, strip_controls
from drivers.printer.ops import Align, Cut, Feed, Op, Qr, Rule, Text
from drivers.printer.paper import Paper

log = logging.getLogger("drivers.printer")

INIT = b"\x1b\x40"
CHINESE_MODE = b"\x1c\x26"
CHINESE_MODE_OFF = b"\x1c\x2e"
UTF8_MODE = b"\x1c\x28\x43\x02\x00\x30\x02"
QR_MODES = ("native", "image")


class EscPosRenderer:
    """Renders receipt ops to the exact ESC/POS bytes documented above."""

    def __init__(self, encoding: str = "GB18030", paper_width_mm: int = 80,
                 qr_mode: str = "native") -> None:
        if qr_mode not in QR_MODES:
            raise ValueError(f"qr_mode must be one of {QR_MODES}, not {qr_mode!r}")
        self.encoder = TextEncoder(encoding)
        self.paper = Paper.for_width(paper_width_mm)
        self.qr_mode = qr_mode

    def job_header(self) -> bytes:
        if self.encoder.profile.double_byte_mode:
            return INIT + CHINESE_MODE
        return INIT + CHINESE_MODE_OFF + UTF8_MODE

    def render(self, ops: Sequence[Op]) -> bytes:
        """A whole print job: header, then every op."""
        out = Dummy()
        out._raw(self.job_header())
        for op in ops:
            self._op(out, op)
        return bytes(out.output)

    def render_op(self, op: Op) -> bytes:
        """One op's bytes (no job header)."""
        out = Dummy()
        self._op(out, op)
        return bytes(out.output)

    def _op(self, out: Dummy, op: Op) -> None:
        if isinstance(op, Text):
            self._line(out, op.text, op.align, op.bold, op.width, op.height)
        elif isinstance(op, Rule):
            self._line(out, self._rule_text(op.char), Align.LEFT, False, 1, 1)
        elif isinstance(op, Feed):
            out._raw(b"\x1b\x64" + bytes([max(0, min(255, op.lines))]))
        elif isinstance(op, Qr):
            self._qr(out, op)
        elif isinstance(op, Cut):
            out.cut(mode="PART" if op.partial else "FULL")
        else:
            raise TypeError(f"not a receipt op: {op!r}")

    def _line(self, out: Dummy, text: str, align: Align, bold: bool, width: int,
              height: int) -> None:
        out.set(align=Align(align).value, bold=bold, custom_size=True,
                width=_mag(width), height=_mag(height))
        out._raw(self.encoder.encode(text) + b"\n")

    def _rule_text(self, char: str) -> str:
        char = strip_controls(char)[:1] or "-"
        cells = self.encoder.cells(char)
        return char * (self.paper.columns // cells)

    def _qr(self, out: Dummy, op: Qr) -> None:
        data = strip_controls(op.data)
        if not data:
            log.warning("empty QR code not printed", extra={"event": "printer.qr.empty"})
            return
        size = max(1, min(16, op.size))
        if self.qr_mode == "native":
            out.set(align=Align(op.align).value)
            out.qr(data, ec=QR_ECLEVEL_M, size=size, model=QR_MODEL_2, native=True)
        else:
            out.set(align="left")  # placement is in the bitmap: same on printers that apply ESC a
            out._raw(raster_command(self.qr_band(data, size, Align(op.align))))

    def qr_band(self, data: str, size: int, align: Align) -> Image.Image:
        """The QR as a 1-bit image, placed per ``align`` by a white left margin."""
        qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M,
                           box_size=size, border=1)
        qr.add_data(data)
        qr.make(fit=True)
        code = qr.make_image().get_image().convert("1")
        if code.width > self.paper.dots:  # too big for the paper: shrink the modules
            scale = max(1, self.paper.dots // (code.width // size))
            return self.qr_band(data, scale, align) if scale < size else code
        x = {Align.LEFT: 0, Align.CENTER: (self.paper.dots - code.width) // 2,
             Align.RIGHT: self.paper.dots - code.width}[align]
        width = min(self.paper.dots, -(-(x + code.width) // 8) * 8)  # whole bytes, no right margin
        band = Image.new("1", (width, code.height), 1)
        band.paste(code, (x, 0))
        return band


def raster_command(image: Image.Image) -> bytes:
    """GS v 0 (normal density) for ``image``: 1 bits are black dots, rows MSB first.

    Written here rather than through ``Dummy.image()``, which prints a notice to
    stdout whenever the printer profile lacks a paper width.
    """
    im = EscposImage(image)
    width: int = im.width_bytes
    height: int = im.height
    return (b"\x1d\x76\x30\x00" + width.to_bytes(2, "little")
            + height.to_bytes(2, "little") + bytes(im.to_raster_format()))


def _mag(n: int) -> int:
    return max(1, min(8, int(n)))
