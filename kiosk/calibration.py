"""The printer-encoding calibration page: one sample printed in each encoding.

A printer's firmware decides how it reads text bytes (GB18030, GBK, Big5 or
UTF-8), and a wrong setting prints mojibake. The technician prints this page,
reads which numbered block is legible, and picks that encoding in diagnostics.
Each block's label is plain ASCII so it is readable whatever the encoding.
"""

from __future__ import annotations

from drivers.printer.encoding import ENCODINGS
from drivers.printer.escpos_render import EscPosRenderer
from drivers.printer.ops import Align, Cut, Feed, Rule, Text

SAMPLE = "发票 开票凭条 ￥113.00 壹佰壹拾叁圆整"


def calibration_bytes(paper_width_mm: int) -> bytes:
    """ESC/POS bytes of the calibration page: a block per encoding, then a cut."""
    out = bytearray()
    ascii_renderer = EscPosRenderer(encoding="GB18030", paper_width_mm=paper_width_mm)
    out += ascii_renderer.job_header()
    out += ascii_renderer.render_op(Text("ENCODING CALIBRATION", align=Align.CENTER, bold=True))
    for number, encoding in enumerate(ENCODINGS, start=1):
        renderer = EscPosRenderer(encoding=encoding, paper_width_mm=paper_width_mm)
        out += ascii_renderer.render_op(Rule("-"))
        out += ascii_renderer.render_op(Text(f"{number}. {encoding}:", bold=True))
        out += renderer.job_header()  # each block in its own mode (FS & or UTF-8)
        out += renderer.render_op(Text(SAMPLE))
        out += ascii_renderer.job_header()
    out += ascii_renderer.render_op(Rule("-"))
    out += ascii_renderer.render_op(Text("Pick the number whose line reads clearly."))
    out += ascii_renderer.render_op(Feed(3))
    out += ascii_renderer.render_op(Cut())
    return bytes(out)
