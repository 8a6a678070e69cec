"""The invoice PDF, laid out like a published 数电 e-invoice (210 x 140 mm).

Layout followed (published 数电 PDFs and the 票面 shown by the national
e-invoice service platform): QR code top left; the title by kind
(电子发票（普通发票） / 电子发票（增值税专用发票）) centred with a double
underline; 发票号码 and 开票日期 top right; one frame holding the 购买方信息 and
销售方信息 blocks side by side (名称, 统一社会信用代码/纳税人识别号, the block
label written vertically), the item table without inner rules (项目名称 规格型号
单位 数量 单价 金额 税率/征收率 税额), the 合计 row with ¥ figures, 价税合计
（大写）⊗words and （小写）¥figures, 备注 (vertical label); 开票人 under the
frame. Labels and rules are brown, values black. The tax bureau's supervision
seal is deliberately not drawn: the kiosk must not imitate an official seal.
Buyer address/phone/bank, when the buyer chose to show them, go into 备注 as on
数电 invoices.

Many lines continue on further pages: every page repeats the header, the
parties and the table head and says 第 m 页 / 共 n 页; the totals, 备注 and
开票人 appear on the last page only. Long texts wrap inside their column;
long numbers shrink to fit and wrap only if they still do not fit.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import cast

from fpdf import FPDF
from fpdf.enums import TextMode
from PIL import Image

from kiosk.documents.fonts import CjkFont, common_face, find_cjk_font
from kiosk.documents.qr import invoice_qr_payload, qr_image
from kiosk.documents.text import money, sanitize_text
from kiosk.model import Colour, Invoice, InvoiceLine
from kiosk.rules import amount_in_words, plain_decimal, rate_label

__all__ = ["invoice_to_pdf", "PAGE_SIZE_MM"]

PAGE_SIZE_MM = (210.0, 140.0)
BROWN = (150, 80, 30)
BLACK = (0, 0, 0)
X0, X1 = 8.0, 202.0  # frame left/right
FRAME_TOP = 30.0
PARTY_H = 22.0
HEAD_H = 6.0
ITEMS_TOP = FRAME_TOP + PARTY_H + HEAD_H
FRAME_BOTTOM = 130.0
SUM_H, TOTAL_H, REMARK_MIN_H = 6.0, 8.0, 14.0
LINE_H = 3.6  # item text line height at 8 pt
ITEM_PT, LABEL_PT, VALUE_PT = 8.0, 8.5, 9.0
# (header, width mm, align)
COLUMNS = (("项目名称", 50.0, "L"), ("规格型号", 22.0, "L"), ("单位", 12.0, "C"),
           ("数量", 18.0, "R"), ("单价", 26.0, "R"), ("金额", 23.0, "R"),
           ("税率/征收率", 18.0, "C"), ("税额", 23.0, "R"))
TABLE_X = X0 + 1.0  # the item table, 1 mm inside the frame on each side (widths sum 192)
YEN = "¥"  # published PDFs print U+00A5; the CJK font has it


@dataclass
class _Row:
    cells: list[tuple[list[str], float]]  # wrapped lines and font size per column
    height: float


class _InvoicePdf(FPDF):
    def __init__(self, font: CjkFont) -> None:
        super().__init__(orientation="P", unit="mm", format=PAGE_SIZE_MM)
        self.set_auto_page_break(False)
        self.set_margins(0, 0, 0)
        # One face only: parsing and subsetting a CJK collection costs ~0.15 s each, so
        # the bold title is the regular face filled and stroked (see _draw_header).
        self.add_font("cjk", "", str(font.path), collection_font_number=font.collection_index)
        self.c_margin = 1.2

    def text_at(self, x: float, y: float, w: float, text: str, *, size: float = VALUE_PT,
                colour: tuple[int, int, int] = BLACK, align: str = "L", bold: bool = False,
                h: float = 4.0) -> None:
        self.set_font("cjk", "", size)
        self.set_text_color(*colour)
        self.set_xy(x, y)
        if bold:
            self.set_draw_color(*colour)
            self.set_line_width(0.25)
            self.text_mode = TextMode.FILL_STROKE
        self.cell(w, h, text, align=align)
        self.text_mode = TextMode.FILL

    def lines(self, w: float, text: str) -> list[str]:
        """How ``multi_cell`` would break ``text`` at width ``w`` in the current font."""
        out = self.multi_cell(w, 1, text, dry_run=True, output="LINES")
        return [str(part) for part in cast(list[str], out)]

    def wrap(self, text: str, w: float, size: float) -> list[str]:
        self.set_font("cjk", "", size)
        if not text:
            return [""]
        return self.lines(w, text)

    def fit(self, text: str, w: float, size: float, min_size: float = 5.5) -> tuple[list[str], float]:
        """Shrink a number until it fits ``w``; wrap at ``min_size`` if it still does not."""
        s = size
        while s > min_size:
            self.set_font("cjk", "", s)
            if self.get_string_width(text) <= w - 2 * self.c_margin:
                return [text], s
            s -= 0.5
        return self.wrap(text, w, min_size), min_size


def _line_cells(line: InvoiceLine) -> list[str]:
    qty = f"{plain_decimal(line.quantity):f}" if line.quantity else ""
    price = f"{plain_decimal(line.unit_price):f}" if line.unit_price else ""
    tax = "***" if line.rate_mark else money(line.tax)
    return [sanitize_text(line.name), sanitize_text(line.spec), sanitize_text(line.unit), qty,
            price, money(line.amount), rate_label(line.rate, line.rate_mark), tax]


def _layout_rows(pdf: _InvoicePdf, invoice: Invoice) -> list[_Row]:
    rows = []
    for line in invoice.lines:
        cells = []
        for text, (_, w, align) in zip(_line_cells(line), COLUMNS, strict=True):
            if align == "R":
                cells.append(pdf.fit(text, w, ITEM_PT))
            else:
                cells.append((pdf.wrap(text, w, ITEM_PT), ITEM_PT))
        height = max(len(lines) for lines, _ in cells) * LINE_H + 0.8
        rows.append(_Row(cells, height))
    return rows


def _remark_text(invoice: Invoice) -> str:
    parts = [sanitize_text(invoice.remark)]
    b = invoice.buyer
    if b.show_address_bank:
        extra = []
        if b.address or b.phone:
            extra.append(f"购方地址：{sanitize_text(b.address)}；电话：{sanitize_text(b.phone)}")
        if b.bank or b.account:
            extra.append(f"购方开户银行：{sanitize_text(b.bank)}；银行账号：{sanitize_text(b.account)}")
        parts.extend(extra)
    return "；".join(p for p in parts if p)


def _split_row(row: _Row, max_height: float) -> list[_Row]:
    """A row taller than a page's item area, cut between text lines into rows that fit."""
    per = max(1, int((max_height - 0.8) // LINE_H))
    depth = max(len(lines) for lines, _ in row.cells)
    if depth <= per:
        return [row]
    out = []
    for start in range(0, depth, per):
        cells = [(lines[start:start + per], size) for lines, size in row.cells]
        used = max(len(lines) for lines, _ in cells)
        out.append(_Row(cells, used * LINE_H + 0.8))
    return out


def _paginate(rows: list[_Row], last_capacity: float) -> list[list[_Row]]:
    """Rows to pages: full pages up to the frame bottom, the last one leaving room for totals."""
    full = FRAME_BOTTOM - ITEMS_TOP
    fitted = [part for row in rows for part in _split_row(row, min(full, last_capacity))]
    pages: list[list[_Row]] = [[]]
    used = 0.0
    for row in fitted:
        if pages[-1] and used + row.height > full:
            pages.append([])
            used = 0.0
        pages[-1].append(row)
        used += row.height
    # The last page also holds the totals: move its trailing rows on until they fit. Every
    # row fits last_capacity on its own, so each round leaves fewer rows on the new page.
    while sum(r.height for r in pages[-1]) > last_capacity:
        overflow: list[_Row] = []
        while sum(r.height for r in pages[-1]) > last_capacity:
            overflow.insert(0, pages[-1].pop())
        pages.append(overflow)
    return pages


def _draw_header(pdf: _InvoicePdf, invoice: Invoice, qr_png: Image.Image, page: int,
                 pages: int) -> None:
    pdf.image(qr_png, x=10, y=5, w=22, h=22)
    title = invoice.kind.invoice_title
    pdf.set_font("cjk", "", 16)
    tw = pdf.get_string_width(title)
    pdf.text_at(0, 9, PAGE_SIZE_MM[0], title, size=16, colour=BROWN, align="C", bold=True, h=7)
    pdf.set_draw_color(*BROWN)
    pdf.set_line_width(0.3)
    left = (PAGE_SIZE_MM[0] - tw) / 2 - 2
    for y in (17.0, 18.0):
        pdf.line(left, y, left + tw + 4, y)
    date = invoice.issued_at.strftime("%Y年%m月%d日")
    number = sanitize_text(invoice.number)  # received from the platform: never a control byte
    for i, (label, value) in enumerate((("发票号码：", number), ("开票日期：", date))):
        y = 11.0 + i * 6
        pdf.text_at(146, y, 18, label, size=LABEL_PT, colour=BROWN)
        pdf.text_at(163, y, 40, value, size=VALUE_PT)
    if pages > 1:
        pdf.text_at(146, 23, 56, f"第 {page} 页 / 共 {pages} 页", size=7.5, colour=BROWN)


def _draw_party(pdf: _InvoicePdf, x: float, w: float, label: str, name: str, tax_id: str) -> None:
    pdf.set_draw_color(*BROWN)
    pdf.line(x + 7, FRAME_TOP, x + 7, FRAME_TOP + PARTY_H)
    for i, ch in enumerate(label):  # the block label, written vertically
        pdf.text_at(x, FRAME_TOP + 1.2 + i * 4, 7, ch, size=LABEL_PT, colour=BROWN, align="C")
    fx = x + 8.5
    fw = w - 9.5
    pdf.text_at(fx, FRAME_TOP + 2, 10, "名称：", size=LABEL_PT, colour=BROWN)
    name_lines = pdf.wrap(name, fw - 10, VALUE_PT)
    size = VALUE_PT if len(name_lines) <= 2 else 7.5
    name_lines = pdf.wrap(name, fw - 10, size)
    for i, part in enumerate(name_lines[:3]):
        pdf.text_at(fx + 10, FRAME_TOP + 2 + i * 3.8, fw - 10, part, size=size)
    label2 = "统一社会信用代码/纳税人识别号："
    pdf.set_font("cjk", "", LABEL_PT)
    lw = pdf.get_string_width(label2) + 1
    pdf.text_at(fx, FRAME_TOP + 15, lw, label2, size=LABEL_PT, colour=BROWN)
    pdf.text_at(fx + lw, FRAME_TOP + 15, fw - lw, tax_id, size=VALUE_PT)


def _draw_frame_and_parties(pdf: _InvoicePdf, invoice: Invoice, bottom: float) -> None:
    pdf.set_draw_color(*BROWN)
    pdf.set_line_width(0.35)
    pdf.rect(X0, FRAME_TOP, X1 - X0, bottom - FRAME_TOP)
    pdf.set_line_width(0.25)
    mid = (X0 + X1) / 2
    pdf.line(mid, FRAME_TOP, mid, FRAME_TOP + PARTY_H)
    pdf.line(X0, FRAME_TOP + PARTY_H, X1, FRAME_TOP + PARTY_H)
    b, s = invoice.buyer, invoice.seller
    _draw_party(pdf, X0, mid - X0, "购买方信息", sanitize_text(b.name), sanitize_text(b.tax_id))
    _draw_party(pdf, mid, X1 - mid, "销售方信息", sanitize_text(s.name), sanitize_text(s.tax_id))
    x = TABLE_X
    for header, w, _ in COLUMNS:
        pdf.text_at(x, FRAME_TOP + PARTY_H + 1, w, header, size=LABEL_PT, colour=BROWN, align="C")
        x += w


def _draw_rows(pdf: _InvoicePdf, rows: list[_Row]) -> None:
    y = ITEMS_TOP
    for row in rows:
        x = TABLE_X
        for (lines, size), (_, w, align) in zip(row.cells, COLUMNS, strict=True):
            for i, part in enumerate(lines):
                pdf.text_at(x, y + i * LINE_H, w, part, size=size, align=align, h=LINE_H)
            x += w
        y += row.height


def _draw_totals(pdf: _InvoicePdf, invoice: Invoice, sum_y: float, remark_lines: list[str],
                 remark_pt: float) -> None:
    amount_x = TABLE_X + sum(w for _, w, _ in COLUMNS[:5])
    tax_x = amount_x + COLUMNS[5][1] + COLUMNS[6][1]
    pdf.text_at(X0, sum_y + 1, COLUMNS[0][1], "合　　计", size=LABEL_PT, colour=BROWN, align="C")
    pdf.text_at(amount_x, sum_y + 1, COLUMNS[5][1], money(invoice.total_net, YEN), align="R")
    pdf.text_at(tax_x, sum_y + 1, COLUMNS[7][1], money(invoice.total_tax, YEN), align="R")
    ty = sum_y + SUM_H
    pdf.set_draw_color(*BROWN)
    pdf.line(X0, ty, X1, ty)
    pdf.line(X0 + 32, ty, X0 + 32, ty + TOTAL_H)
    pdf.text_at(X0, ty + 2, 32, "价税合计（大写）", size=LABEL_PT, colour=BROWN, align="C")
    pdf.text_at(X0 + 34, ty + 2, 4, "⊗", size=VALUE_PT)
    pdf.text_at(X0 + 39, ty + 2, 90, amount_in_words(invoice.total), size=VALUE_PT)
    pdf.text_at(140, ty + 2, 15, "（小写）", size=LABEL_PT, colour=BROWN)
    pdf.text_at(155, ty + 2, 46, money(invoice.total, YEN), size=VALUE_PT)
    ry = ty + TOTAL_H
    pdf.line(X0, ry, X1, ry)
    pdf.line(X0 + 7, ry, X0 + 7, FRAME_BOTTOM)
    for i, ch in enumerate("备注"):
        pdf.text_at(X0, ry + (FRAME_BOTTOM - ry) / 2 - 4 + i * 4, 7, ch, size=LABEL_PT,
                    colour=BROWN, align="C")
    for i, part in enumerate(remark_lines):
        pdf.text_at(X0 + 8.5, ry + 1 + i * (remark_pt * 0.45), X1 - X0 - 10, part, size=remark_pt,
                    h=remark_pt * 0.45)
    pdf.text_at(X0 + 2, FRAME_BOTTOM + 2, 80, f"开票人：{sanitize_text(invoice.drawer)}",
                size=LABEL_PT, colour=BROWN)


REMARK_MAX_H = FRAME_BOTTOM - ITEMS_TOP - SUM_H - TOTAL_H - 3 * LINE_H  # keep 3 item lines
_REMARK_CUT = "……（备注过长，全文见XML）"


def _remark_layout(pdf: _InvoicePdf, text: str) -> tuple[list[str], float, float]:
    """(lines, font size, height): shrink to 6.5 pt to stay within the minimum height.

    A remark too long even for :data:`REMARK_MAX_H` (far beyond the rules' limit) is
    cut there with a note pointing to the XML, which always carries it whole.
    """
    width = X1 - X0 - 10
    lines: list[str] = []
    for size in (8.0, 7.5, 7.0, 6.5):
        pdf.set_font("cjk", "", size)
        lines = pdf.lines(width, text) if text else []
        height = len(lines) * size * 0.45 + 2
        if height <= REMARK_MIN_H:
            return lines, size, REMARK_MIN_H
    room = int((REMARK_MAX_H - 2) // (6.5 * 0.45))
    if len(lines) > room:
        lines = lines[:room - 1] + pdf.lines(width, _REMARK_CUT)
    return lines, 6.5, len(lines) * 6.5 * 0.45 + 2


def invoice_to_pdf(invoice: Invoice, *, font: CjkFont | None = None, watermark: str = "") -> bytes:
    """The invoice as PDF bytes (CJK font embedded and subset, text extractable).

    ``watermark`` (e.g. ``"样票 SANDBOX"``) is drawn light grey across each page:
    the composition root passes it for invoices from the sandbox platform.
    """
    if font is None:
        font = find_cjk_font()
        common = common_face(font)
        if common is not None:
            drawn = _draw(invoice, common, watermark)
            if not any(getattr(f, "missing_glyphs", None) for f in drawn.fonts.values()):
                return bytes(drawn.output())
            # A character outside the common face (a rare hanzi in a name): the whole face.
    return bytes(_draw(invoice, font, watermark).output())


def _draw(invoice: Invoice, font: CjkFont, watermark: str) -> _InvoicePdf:
    pdf = _InvoicePdf(font)
    pdf.set_title(f"{invoice.kind.invoice_title} {sanitize_text(invoice.number)}")
    pdf.set_creator("fapiao-kiosk")
    pdf.set_creation_date(invoice.issued_at.replace(tzinfo=invoice.issued_at.tzinfo or dt.UTC))
    pdf.add_page()  # fpdf measures text only with a page open
    rows = _layout_rows(pdf, invoice)
    remark_lines, remark_pt, remark_h = _remark_layout(pdf, _remark_text(invoice))
    sum_y = FRAME_BOTTOM - remark_h - TOTAL_H - SUM_H
    pages = _paginate(rows, sum_y - ITEMS_TOP)
    qr_png = qr_image(invoice_qr_payload(invoice), box_size=6)
    for n, page_rows in enumerate(pages, start=1):
        if n > 1:
            pdf.add_page()
        if watermark:
            _draw_watermark(pdf, watermark)
        _draw_header(pdf, invoice, qr_png, n, len(pages))
        _draw_frame_and_parties(pdf, invoice, FRAME_BOTTOM)
        _draw_rows(pdf, page_rows)
        if n == len(pages):
            _draw_totals(pdf, invoice, sum_y, remark_lines, remark_pt)
        else:
            pdf.text_at(X1 - 60, FRAME_BOTTOM + 2, 60, "（续下页）", size=LABEL_PT, colour=BROWN,
                        align="R")
    if invoice.colour is Colour.RED:
        pdf.set_subject(f"红字发票，冲销 {sanitize_text(invoice.original_number)}")
    return pdf


def _draw_watermark(pdf: _InvoicePdf, text: str) -> None:
    with pdf.rotation(20, x=PAGE_SIZE_MM[0] / 2, y=PAGE_SIZE_MM[1] / 2):
        pdf.text_at(0, PAGE_SIZE_MM[1] / 2 - 10, PAGE_SIZE_MM[0], sanitize_text(text), size=44,
                    colour=(225, 225, 225), align="C", h=20)


