"""The thermal courtesy receipt (开票凭条) of an issued invoice, as printer ops.

Not an invoice: it says so in both languages and carries a QR code to fetch
the e-invoice. Laid out for Font A columns (32 on 58 mm paper, 48 on 80 mm);
every line is measured with :func:`~kiosk.documents.text.display_width` in
printer mode (any non-ASCII character two columns), so no line can wrap on
the printer whatever its encoding. Every string that came from a user or the
platform goes through :func:`~kiosk.documents.text.sanitize_text` first, so no
ESC/GS/FS byte can reach the printer. Personal data is masked with
:mod:`kiosk.masking`: a natural person's name and ID number never print in
full; a company's name and credit code do. Money prints with the full-width
yen ``￥`` (U+FFE5, GBK A3 A4), never U+00A5, which GBK lacks.
"""

from __future__ import annotations

from decimal import Decimal

from drivers.printer.ops import Align, Cut, Feed, Op, Qr, Rule, Text
from drivers.printer.paper import Paper
from kiosk.documents.text import display_width, money, pad_between, sanitize_text, wrap_text
from kiosk.masking import mask_name, mask_tax_id
from kiosk.messages import Problem, words
from kiosk.model import BuyerType, Colour, Invoice, InvoiceLine
from kiosk.rules import amount_in_words, plain_decimal, rate_label

__all__ = ["receipt_ops", "claim_ops", "change_ops", "columns_for", "op_width", "ops_to_text",
           "YEN"]

YEN = "\uffe5"  # ￥ full-width
_GENERIC_PERSON = "个人"  # the title of an anonymous personal invoice: not personal data


def columns_for(paper_width_mm: int) -> int:
    """Font A columns of a paper width (:data:`drivers.printer.paper.PAPERS`)."""
    return Paper.for_width(paper_width_mm).columns


def _w(s: str) -> int:
    return display_width(s, printer=True)


def op_width(op: Op) -> int:
    """Columns a Text op takes on paper (magnification included); 0 for other ops."""
    return _w(op.text) * op.width if isinstance(op, Text) else 0


class _Layout:
    def __init__(self, cols: int) -> None:
        self.cols = cols
        self.ops: list[Op] = []

    def text(self, s: str, align: Align = Align.LEFT, bold: bool = False) -> None:
        for line in wrap_text(s, self.cols, printer=True):
            self.ops.append(Text(line, align=align, bold=bold))

    def field(self, label: str, value: str, *, bold: bool = False) -> None:
        """``label`` + value on one line, or the value wrapped under the label (indented
        unless only the full width keeps it whole, as a 32-character reference on 58 mm)."""
        if _w(label) + _w(value) <= self.cols:
            self.ops.append(Text(label + value, bold=bold))
            return
        self.ops.append(Text(label))
        indent = "  " if _w(value) + 2 <= self.cols or " " in value else ""
        for line in wrap_text(value, self.cols - len(indent), printer=True):
            self.ops.append(Text(indent + line, bold=bold))

    def both(self, left: str, right: str, bold: bool = False) -> None:
        for line in pad_between(left, right, self.cols, printer=True):
            self.ops.append(Text(line, bold=bold))


def _buyer_lines(invoice: Invoice) -> tuple[str, str]:
    b = invoice.buyer
    name = sanitize_text(b.name)
    tax_id = sanitize_text(b.tax_id)
    if b.type is BuyerType.PERSON and name != _GENERIC_PERSON:
        name = mask_name(name)
    return name, mask_tax_id(tax_id) if tax_id else ""


def _line_detail(line: InvoiceLine) -> str:
    rate = rate_label(line.rate, line.rate_mark)
    if not line.quantity:
        return f"  {rate}"
    unit = sanitize_text(line.unit)
    qty = f"{plain_decimal(line.quantity):f}{unit}"
    return f"  {qty} x {plain_decimal(line.unit_price):f} {rate}"


def receipt_ops(invoice: Invoice, *, fetch_url: str, paper: Paper | None = None,
                paper_width_mm: int | None = None) -> list[Op]:
    """The courtesy receipt for ``invoice`` on the printer's ``paper``, QR to ``fetch_url``.

    ``paper`` is the printer's (``printer.paper``); ``paper_width_mm`` is for callers
    with only a configured width (the CLI's preview). One of them is needed."""
    if paper is None:
        if paper_width_mm is None:
            raise TypeError("receipt_ops needs the printer's paper (or paper_width_mm)")
        paper = Paper.for_width(paper_width_mm)
    cols = paper.columns
    lay = _Layout(cols)
    red = invoice.colour is Colour.RED
    lay.ops.append(Text("开票凭条", align=Align.CENTER, bold=True, width=2, height=2))
    lay.text("本凭条不是发票", Align.CENTER, bold=True)
    lay.text("This slip is not an invoice", Align.CENTER)
    lay.ops.append(Rule("="))
    lay.text(invoice.kind.invoice_title + ("（红字）" if red else ""), Align.CENTER, bold=True)
    lay.field("销售方：", sanitize_text(invoice.seller.name))
    lay.field("发票号码：", sanitize_text(invoice.number))
    lay.field("开票日期：", invoice.issued_at.strftime("%Y-%m-%d %H:%M"))
    if red:
        lay.field("原蓝字发票：", sanitize_text(invoice.original_number))
        lay.field("确认单编号：", sanitize_text(invoice.red_form_number))
    name, tax_id = _buyer_lines(invoice)
    lay.field("购买方：", name)
    if tax_id:
        lay.field("税号：", tax_id)
    lay.ops.append(Rule("-"))
    for line in invoice.lines:
        lay.text(sanitize_text(line.name))
        lay.both(_line_detail(line), money(line.amount))
    lay.ops.append(Rule("-"))
    lay.both("金额", money(invoice.total_net, YEN))
    lay.both("税额", money(invoice.total_tax, YEN))
    lay.both("价税合计", money(invoice.total, YEN), bold=True)
    lay.field("大写：", amount_in_words(invoice.total))
    lay.ops.append(Rule("-"))
    url = sanitize_text(fetch_url)
    if url:
        lay.ops.append(Feed(1))
        lay.ops.append(Qr(url, size=paper.qr_module, align=Align.CENTER))
        lay.ops.append(Feed(1))  # a quiet zone under the code before its caption
        lay.text("扫码下载电子发票（PDF/XML）", Align.CENTER)
        lay.text("Scan to download the e-invoice", Align.CENTER)
        lay.text(url, Align.CENTER)
    lay.text("电子发票已开具，以税务平台数据为准。", Align.LEFT)
    lay.text("The e-invoice itself is the XML/PDF file.", Align.LEFT)
    lay.ops.append(Feed(2))
    lay.ops.append(Cut())
    return lay.ops


def claim_ops(request_id: str, qr: str, order_nos: tuple[str, ...], total: Decimal, *,
              paper: Paper, lang: str = "zh") -> list[Op]:
    """The claim slip of a queued request, in the person's language (``zh``/``en``).

    The reference as text and as the signed claim code ``qr``
    (:func:`kiosk.orderqr.make_claim_qr`), the orders and total, what happens next and
    how to claim the invoice at any kiosk of the shop. No buyer data goes on it. Every
    sentence wraps whole words (Latin) or between characters (CJK) to the paper's
    columns; nothing is cut short.
    """
    lay = _Layout(paper.columns)

    def say(code: str) -> str:
        return words(Problem.of(f"flow.slip.{code}"), lang)

    lay.ops.append(Text(say("title"), align=Align.CENTER, bold=True, width=2, height=2)
                   if _w(say("title")) * 2 <= paper.columns else
                   Text(say("title"), align=Align.CENTER, bold=True))
    lay.text(say("not_invoice"), Align.CENTER, bold=True)
    lay.ops.append(Rule("="))
    lay.text(say("saved"))
    lay.ops.append(Rule("-"))
    lay.field(say("reference"), sanitize_text(request_id), bold=True)
    lay.field(say("orders"), sanitize_text(", ".join(order_nos)))
    lay.both(say("total"), money(total, YEN), bold=True)
    code = sanitize_text(qr)
    if code:  # the shop's signed claim code (none without a key: staff use the reference)
        lay.ops.append(Feed(1))
        lay.ops.append(Qr(code, size=paper.qr_module, align=Align.CENTER))
        lay.ops.append(Feed(1))
    lay.text(say("scan"))
    lay.ops.append(Feed(2))
    lay.ops.append(Cut())
    return lay.ops


def change_ops(reference: str, original_number: str, *, paper: Paper,
               lang: str = "zh") -> list[Op]:
    """The slip of a change left waiting (personal centre), in the person's language
    (``zh``/``en``), laid out like the claim slip: what is being waited for, the change
    reference in text and as a QR code, the invoice it changes, how to come back. No
    buyer data goes on it."""
    lay = _Layout(paper.columns)

    def say(code: str, **fields: str) -> str:
        return words(Problem.of(f"centre.slip.{code}", **fields), lang)

    title = say("title")
    lay.ops.append(Text(title, align=Align.CENTER, bold=True, width=2, height=2)
                   if _w(title) * 2 <= paper.columns else
                   Text(title, align=Align.CENTER, bold=True))
    lay.text(say("not_invoice"), Align.CENTER, bold=True)
    lay.ops.append(Rule("="))
    lay.text(say("waiting"))
    lay.ops.append(Rule("-"))
    lay.field(say("reference"), sanitize_text(reference), bold=True)
    lay.field(say("original"), sanitize_text(original_number))
    lay.ops.append(Feed(1))
    lay.ops.append(Qr(sanitize_text(reference), size=paper.qr_module, align=Align.CENTER))
    lay.ops.append(Feed(1))
    lay.text(say("come_back"))
    lay.ops.append(Feed(2))
    lay.ops.append(Cut())
    return lay.ops


def ops_to_text(ops: list[Op], paper_width_mm: int) -> str:
    """A debug picture of the receipt in a box of the paper's columns (width-true)."""
    cols = columns_for(paper_width_mm)
    out = ["+" + "-" * cols + "+"]
    for op in ops:
        if isinstance(op, Text):
            tw = op_width(op)  # a magnified text is shown at x1, its extra width as spaces
            pad = cols - tw
            left = {Align.LEFT: 0, Align.CENTER: max(pad, 0) // 2, Align.RIGHT: max(pad, 0)}[op.align]
            body = " " * left + op.text + " " * (tw - _w(op.text)) + " " * max(pad - left, 0)
            out.append("|" + body + "|" + (" <-- TOO WIDE" if pad < 0 else ""))
        elif isinstance(op, Rule):
            out.append("|" + op.char * (cols // max(_w(op.char), 1)) + "|")
        elif isinstance(op, Feed):
            out.extend("|" + " " * cols + "|" for _ in range(op.lines))
        elif isinstance(op, Qr):
            out.append("|" + f"[QR {op.data}]"[:cols].center(cols) + "|")
        elif isinstance(op, Cut):
            out.append("+" + "~" * cols + "+")
    return "\n".join(out)
