"""Receipt printing: ops -> ESC/POS bytes (kiosk renderer vs python-escpos's high-level
path), and ESC/POS -> PNG (the emulated printer's picture), side by side.

``python -m bench receipt``. The python-escpos path is what one would write
without the kiosk's renderer: ``Dummy().set()`` + ``textln()`` (its magic
encoder: GB18030 for any line containing a CJK ideograph, code pages otherwise)
+ ``qr()`` + ``cut()``. A table also shows what each path emits for ``¥`` and
for control bytes in text, which is why the kiosk does not use ``text()``.
"""

from __future__ import annotations

import contextlib
import io

from escpos.constants import QR_ECLEVEL_M
from escpos.printer import Dummy

from bench.runner import Runner
from drivers.printer import render as render_mod
from drivers.printer.escpos_render import EscPosRenderer
from drivers.printer.ops import Cut, Feed, Op, Qr, Rule, Text
from drivers.printer.render import render_escpos
from tests.helpers.printer import sample_receipt_ops


def escpos_high_level(ops: list[Op], native_qr: bool = True, columns: int = 48) -> bytes:
    d = Dummy()
    d.hw("INIT")
    for op in ops:
        if isinstance(op, Text):
            d.set(align=op.align.value, bold=op.bold, custom_size=True, width=op.width,
                  height=op.height)
            d.textln(op.text)
        elif isinstance(op, Rule):
            d.set(align="left", bold=False, custom_size=True, width=1, height=1)
            d.textln(op.char * columns)
        elif isinstance(op, Feed):
            d.ln(op.lines)
        elif isinstance(op, Qr):
            d.set(align=op.align.value)
            with contextlib.redirect_stdout(io.StringIO()):  # image() prints a profile notice
                d.qr(op.data, ec=QR_ECLEVEL_M, size=op.size, native=native_qr)
        elif isinstance(op, Cut):
            d.cut(mode="PART" if op.partial else "FULL")
    return d.output


def run(r: Runner) -> None:
    ops = sample_receipt_ops()
    native = EscPosRenderer("GB18030", 80, "native")
    image = EscPosRenderer("GB18030", 80, "image")

    r.compare("receipt ops -> ESC/POS bytes (native QR)", {
        "kiosk EscPosRenderer": lambda: native.render(ops),
        "python-escpos text()/qr()": lambda: escpos_high_level(ops),
    }, rounds=200, baseline="kiosk EscPosRenderer", unit="us")

    r.compare("receipt ops -> ESC/POS bytes (QR as GS v 0 raster image)", {
        "kiosk EscPosRenderer": lambda: image.render(ops),
        "python-escpos qr(native=False)": lambda: escpos_high_level(ops, native_qr=False),
    }, rounds=50, baseline="kiosk EscPosRenderer", unit="us")

    d = Dummy()
    d.textln("合计 ¥1\x1b@")
    mixed = d.output
    d = Dummy()
    d.textln("Total ¥1\x1dV\x00")
    latin = d.output
    r.table("what each path emits", ["case", "kiosk (GB18030 printer)", "python-escpos"], [
        ["job bytes, native QR", len(native.render(ops)), len(escpos_high_level(ops))],
        ["job bytes, image QR", len(image.render(ops)),
         len(escpos_high_level(ops, native_qr=False))],
        ["'合计 ¥1' + ESC @", native.render_op(Text("合计 ¥1\x1b@")).hex(" ")[27:], mixed.hex(" ")],
        ["'Total ¥1' + GS V 0", native.render_op(Text("Total ¥1\x1dV\x00")).hex(" ")[27:],
         latin.hex(" ")],
    ])

    data80 = native.render(ops)
    data58 = EscPosRenderer("GB18030", 58, "native").render(ops)
    data_img = image.render(ops)

    def cold() -> object:
        render_mod._glyph.cache_clear()
        return render_escpos(data80, paper_width_mm=80, encoding="GB18030")

    def to_png() -> object:
        buf = io.BytesIO()
        render_escpos(data80, paper_width_mm=80, encoding="GB18030").save(buf, format="PNG")
        return buf

    r.compare(f"ESC/POS -> PNG (receipt of {len(data80)} bytes)", {
        "render 80 mm, glyphs cached": lambda: render_escpos(
            data80, paper_width_mm=80, encoding="GB18030"),
        "render 58 mm, glyphs cached": lambda: render_escpos(
            data58, paper_width_mm=58, encoding="GB18030"),
        "render 80 mm, raster QR": lambda: render_escpos(
            data_img, paper_width_mm=80, encoding="GB18030"),
        "render 80 mm + PNG encode": to_png,
        "render 80 mm, cold glyph cache": cold,
    }, rounds=15, baseline="render 80 mm, glyphs cached", unit="ms")
