"""An OFD copy of an invoice (GB/T 33190-2016, the tax system's own layout format).

The official OFD comes from the platform, signed. For sandbox invoices and
previews the kiosk writes its own copy, marked as one (a visible 副本 line, a
``副本`` custom datum, ``IsCopy`` in the tags): it is never the invoice.

Package layout (a zip, as GB/T 33190 lays it out; paths as published 数电 OFDs use)::

    OFD.xml                       DocInfo (ID, title, creator, dates) + CustomData of the
                                  invoice (发票号码, 开票日期, 合计金额, ...) + DocRoot
    Doc_0/Document.xml            CommonData (page area, resources), Pages, CustomTags
    Doc_0/PublicRes.xml           the embedded font
    Doc_0/DocumentRes.xml         the QR image
    Doc_0/Res/font_1.otf          a subset of the CJK font: only the characters used
    Doc_0/Res/qr.png              the invoice QR (kiosk.documents.qr, as on the PDF)
    Doc_0/Pages/Page_N/Content.xml  text objects, line and image objects, in mm
    Doc_0/Tags/CustomTags.xml     index of custom tags
    Doc_0/Tags/CustomTag.xml      InvoiceNo, IssueDate, BuyerName, BuyerTaxID, SellerName,
                                  SellerTaxID, the three totals, Note, InvoiceClerk and the
                                  line fields, each an ObjectRef to its text object

Why written here and not with a library: no maintained Python library writes
usable OFD (the PDF-to-OFD converters depend on AGPL PyMuPDF and draw text as
outlines, which leaves no text objects for the tags to point at). The XML is
built with the standard library's ElementTree and the font subset with
fontTools (already a dependency through fpdf2).
"""

from __future__ import annotations

import datetime as dt
import io
import unicodedata
import uuid
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal

from fontTools import subset
from fontTools.ttLib import TTFont

from kiosk.documents.fonts import CjkFont, common_face, find_cjk_font
from kiosk.documents.qr import invoice_qr_payload, qr_image
from kiosk.documents.text import sanitize_text
from kiosk.model import Colour, Invoice, InvoiceLine
from kiosk.rules import amount_in_words, plain_decimal, rate_label

__all__ = ["invoice_to_ofd", "OFD_NS", "COPY_NOTE", "PAGE_MM"]

OFD_NS = "http://www.ofdspec.org/2016"
PAGE_MM = (210.0, 140.0)  # as the PDF and published 数电 layouts
COPY_NOTE = "副本：本文件由自助终端根据开票记录生成，非税务平台签发的发票文件"
LINES_PER_PAGE = 12
FONT_ID, QR_ID = "1", "2"  # resource IDs; object IDs start after them
_Q = f"{{{OFD_NS}}}"
ET.register_namespace("ofd", OFD_NS)


def _el(parent: ET.Element | None, tag: str, text: str | None = None,
        **attrs: str) -> ET.Element:
    el = ET.Element(_Q + tag, attrs) if parent is None else ET.SubElement(parent, _Q + tag, attrs)
    if text is not None:
        el.text = text
    return el


def _xml(root: ET.Element) -> bytes:
    data: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return data


def _width(text: str, size: float) -> list[float]:
    """Advance of each character: full width for CJK, half for the rest (a monospace
    approximation that keeps DeltaX honest for the subset font's CJK glyphs)."""
    return [size if unicodedata.east_asian_width(ch) in ("W", "F") else size * 0.5
            for ch in text]


def _num(v: float) -> str:
    return f"{v:.2f}".rstrip("0").rstrip(".")


@dataclass
class _Page:
    """One page being laid out: its content layer and the text objects' IDs by tag."""

    layer: ET.Element
    index: int
    ids: dict[str, list[str]] = field(default_factory=dict)


class _Builder:
    """Lays out the pages; every object gets a document-wide ID (GB/T 33190 ST_ID)."""

    def __init__(self) -> None:
        self.next_id = 3
        self.pages: list[tuple[ET.Element, _Page]] = []
        self.tags: list[tuple[str, int, str]] = []  # (tag, page index, object id)
        self.goods: list[list[tuple[str, int, str]]] = []  # the same, one list per line
        self.chars: set[str] = set()

    def new_page(self) -> _Page:
        root = _el(None, "Page")
        layer = _el(_el(root, "Content"), "Layer", ID=self._id(), Type="Body")
        page = _Page(layer, len(self.pages))
        self.pages.append((root, page))
        return page

    def _id(self) -> str:
        self.next_id += 1
        return str(self.next_id)

    def text(self, page: _Page, x: float, y: float, text: str, size: float = 3.2,
             tag: str | None = None, colour: str = "0 0 0", max_w: float | None = None,
             into: list[tuple[str, int, str]] | None = None) -> str:
        """A text object at (x, y) (top left, mm); long text wraps into more TextCodes."""
        text = sanitize_text(text)
        self.chars.update(text)
        lines = _wrap(text, size, max_w) if max_w else [text]
        w = max((sum(_width(ln, size)) for ln in lines), default=size)
        h = size * 1.25 * max(len(lines), 1)
        oid = self._id()
        obj = _el(page.layer, "TextObject", ID=oid, Boundary=f"{_num(x)} {_num(y)} "
                  f"{_num(max(w, 0.1))} {_num(h)}", Font=FONT_ID, Size=_num(size))
        _el(obj, "FillColor", Value=colour)
        for i, line in enumerate(lines or [""]):
            deltas = _width(line, size)[:-1]
            attrs = {"X": "0", "Y": _num(size * (1 + 1.25 * i))}
            if deltas:
                attrs["DeltaX"] = " ".join(_num(d) for d in deltas)
            _el(obj, "TextCode", line, **attrs)
        if tag:
            (self.tags if into is None else into).append((tag, page.index, oid))
        return oid

    def rule(self, page: _Page, x: float, y: float, w: float, h: float) -> None:
        """A rectangle outline (frames of the parties, the table, the remark)."""
        obj = _el(page.layer, "PathObject", ID=self._id(),
                  Boundary=f"{_num(x)} {_num(y)} {_num(w)} {_num(h)}", Stroke="true",
                  Fill="false", LineWidth="0.25")
        _el(obj, "StrokeColor", Value="150 80 30")
        _el(obj, "AbbreviatedData", f"M 0 0 L {_num(w)} 0 L {_num(w)} {_num(h)} L 0 {_num(h)} C")

    def image(self, page: _Page, x: float, y: float, w: float, h: float) -> None:
        _el(page.layer, "ImageObject", ID=self._id(), ResourceID=QR_ID,
            Boundary=f"{_num(x)} {_num(y)} {_num(w)} {_num(h)}", CTM=f"{_num(w)} 0 0 {_num(h)} 0 0")


def _wrap(text: str, size: float, max_w: float) -> list[str]:
    lines, line, used = [], "", 0.0
    for ch, w in zip(text, _width(text, size), strict=True):
        if line and used + w > max_w:
            lines.append(line)
            line, used = "", 0.0
        line += ch
        used += w
    return [*lines, line] if line or not lines else lines


def _amount(d: Decimal) -> str:
    return f"{d.quantize(Decimal('0.01')):f}"


# (header, x mm, width mm, tag)
_COLUMNS = (("项目名称", 10.0, 48.0, "Item"), ("规格型号", 59.0, 20.0, "Specification"),
            ("单位", 80.0, 10.0, "MeasurementDimension"), ("数量", 91.0, 16.0, "Quantity"),
            ("单价", 108.0, 24.0, "Price"), ("金额", 133.0, 22.0, "Amount"),
            ("税率/征收率", 156.0, 20.0, "TaxScheme"), ("税额", 177.0, 22.0, "TaxAmount"))


def _line_values(line: InvoiceLine) -> tuple[str, ...]:
    return (line.name, line.spec, line.unit,
            "" if line.quantity == 0 else f"{plain_decimal(line.quantity):f}",
            "" if line.unit_price == 0 else f"{plain_decimal(line.unit_price):f}",
            _amount(line.amount), rate_label(line.rate, line.rate_mark), _amount(line.tax))


def _draw_page(b: _Builder, invoice: Invoice, lines: tuple[InvoiceLine, ...], n: int,
               total_pages: int, watermark: str) -> None:
    page = b.new_page()
    brown = "150 80 30"
    b.image(page, 10.0, 5.0, 22.0, 22.0)
    title = invoice.kind.invoice_title + ("（红字）" if invoice.colour is Colour.RED else "")
    b.text(page, 62.0, 8.0, title, 6.0, colour=brown)
    b.text(page, 40.0, 17.0, COPY_NOTE, 2.6, colour="200 0 0")
    if watermark:
        b.text(page, 80.0, 70.0, watermark, 9.0, colour="220 200 200")
    b.text(page, 148.0, 8.0, "发票号码：", 3.2, colour=brown)
    b.text(page, 165.0, 8.0, invoice.number, 3.2, tag="InvoiceNo")
    b.text(page, 148.0, 14.0, "开票日期：", 3.2, colour=brown)
    b.text(page, 165.0, 14.0, invoice.issued_at.strftime("%Y年%m月%d日"), 3.2, tag="IssueDate")
    if total_pages > 1:
        b.text(page, 148.0, 20.0, f"第 {n} 页 / 共 {total_pages} 页", 2.8, colour=brown)
    # Parties.
    b.rule(page, 8.0, 30.0, 194.0, 22.0)
    for x0, who, party, prefix in ((10.0, "购买方信息", invoice.buyer, "Buyer"),
                                   (107.0, "销售方信息", invoice.seller, "Seller")):
        b.text(page, x0, 33.0, who, 3.0, colour=brown)
        b.text(page, x0, 39.0, "名称：", 3.0, colour=brown)
        b.text(page, x0 + 10.0, 39.0, party.name, 3.0, tag=prefix + "Name", max_w=84.0)
        b.text(page, x0, 46.0, "统一社会信用代码/纳税人识别号：", 3.0, colour=brown)
        b.text(page, x0 + 47.0, 46.0, party.tax_id, 3.0, tag=prefix + "TaxID")
    # Items.
    b.rule(page, 8.0, 52.0, 194.0, 60.0)
    for head, x, _w, _tag in _COLUMNS:
        b.text(page, x, 54.0, head, 2.8, colour=brown)
    y = 60.0
    for line in lines:
        height = 3.6
        goods: list[tuple[str, int, str]] = []
        b.goods.append(goods)
        for (_head, x, w, tag), value in zip(_COLUMNS, _line_values(line), strict=True):
            b.text(page, x, y, value, 2.8, tag=tag, max_w=w, into=goods)
            height = max(height, 3.6 * len(_wrap(sanitize_text(value), 2.8, w)))
        y += height
    if n < total_pages:
        return
    # Totals, words, remark, drawer: the last page only.
    b.text(page, 10.0, 104.0, "合计", 3.0, colour=brown)
    b.text(page, 130.0, 104.0, "¥", 3.0)
    b.text(page, 133.0, 104.0, _amount(invoice.total_net), 3.0, tag="TaxExclusiveTotalAmount")
    b.text(page, 174.0, 104.0, "¥", 3.0)
    b.text(page, 177.0, 104.0, _amount(invoice.total_tax), 3.0, tag="TaxTotalAmount")
    b.rule(page, 8.0, 112.0, 194.0, 7.0)
    b.text(page, 10.0, 114.0, "价税合计（大写）", 3.0, colour=brown)
    b.text(page, 40.0, 114.0, amount_in_words(invoice.total), 3.2)
    b.text(page, 140.0, 114.0, "（小写）¥", 3.0, colour=brown)
    b.text(page, 156.0, 114.0, _amount(invoice.total), 3.2, tag="TaxInclusiveTotalAmount")
    b.rule(page, 8.0, 119.0, 194.0, 12.0)
    b.text(page, 10.0, 121.0, "备注", 3.0, colour=brown)
    b.text(page, 20.0, 121.0, _remark(invoice), 2.8, tag="Note", max_w=178.0)
    b.text(page, 10.0, 133.0, "开票人：", 3.0, colour=brown)
    b.text(page, 24.0, 133.0, invoice.drawer, 3.0, tag="InvoiceClerk")


def _remark(invoice: Invoice) -> str:
    parts = [invoice.remark]
    buyer = invoice.buyer
    if buyer.show_address_bank:  # as on 数电 invoices: the buyer's chosen details go to 备注
        parts += [f"购方地址电话：{buyer.address} {buyer.phone}".strip(),
                  f"购方开户银行：{buyer.bank} {buyer.account}".strip()]
    return "；".join(p for p in parts if p)


def _font_subset(font: CjkFont, chars: set[str], *, common: bool = False) -> bytes:
    """The CJK font cut down to ``chars`` (CFF outlines kept: an .otf); from the font's
    common face (:func:`kiosk.documents.fonts.common_face`, far quicker to cut) when
    ``common`` and that face holds every one of ``chars``."""
    # recalcTimestamp off: fontTools would stamp head.modified with the time of saving,
    # and the same invoice must give the same bytes (found by the renderer's test when the
    # child and this process drew it in different seconds).
    ttf = None
    face = common_face(font) if common else None
    if face is not None:
        ttf = TTFont(str(face.path), lazy=True, recalcTimestamp=False)
        held = ttf.getBestCmap()
        if any(ord(c) not in held for c in chars):
            ttf = None  # a character the common face lacks: the whole face
    if ttf is None:
        ttf = TTFont(str(font.path), fontNumber=font.collection_index, lazy=True,
                     recalcTimestamp=False)
    for table in ("GSUB", "GPOS", "GDEF", "BASE", "VORG", "vhea", "vmtx", "DSIG"):
        if table in ttf:  # horizontal text without shaping: dropped before the (slow) subset
            del ttf[table]
    options = subset.Options()
    options.layout_features = []
    options.hinting = False
    options.notdef_outline = True
    options.name_IDs = [1, 2, 3, 4, 6]
    subsetter = subset.Subsetter(options)
    subsetter.populate(text="".join(sorted(chars)))
    subsetter.subset(ttf)
    out = io.BytesIO()
    ttf.save(out)
    return out.getvalue()


def invoice_to_ofd(invoice: Invoice, *, watermark: str = "", font: CjkFont | None = None,
                   created: dt.datetime | None = None) -> bytes:
    """The OFD copy of ``invoice`` as bytes (a zip); see the module docstring.

    Deterministic for one invoice and font: its dates come from the invoice
    unless ``created`` is given.
    """
    common = font is None  # the caller's own font is used as given
    font = font or find_cjk_font()
    b = _Builder()
    chunks = [invoice.lines[i:i + LINES_PER_PAGE]
              for i in range(0, len(invoice.lines), LINES_PER_PAGE)] or [()]
    for n, chunk in enumerate(chunks, 1):
        _draw_page(b, invoice, chunk, n, len(chunks), watermark)

    files: dict[str, bytes] = {
        "OFD.xml": _ofd_xml(invoice, created or invoice.issued_at),
        "Doc_0/Document.xml": _document_xml(b),
        "Doc_0/PublicRes.xml": _res_xml("Fonts", font.name),
        "Doc_0/DocumentRes.xml": _res_xml("MultiMedias", ""),
        "Doc_0/Res/font_1.otf": _font_subset(font, b.chars, common=common),
        "Doc_0/Res/qr.png": _png(invoice),
        "Doc_0/Tags/CustomTags.xml": _custom_tags_xml(),
        "Doc_0/Tags/CustomTag.xml": _custom_tag_xml(b),
    }
    for i, (root, _page) in enumerate(b.pages):
        files[f"Doc_0/Pages/Page_{i}/Content.xml"] = _xml(root)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in files.items():
            info = zipfile.ZipInfo(name, date_time=invoice.issued_at.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)
    return out.getvalue()


def _ofd_xml(invoice: Invoice, created: dt.datetime) -> bytes:
    root = _el(None, "OFD", Version="1.1", DocType="OFD")
    body = _el(root, "DocBody")
    info = _el(body, "DocInfo")
    _el(info, "DocID", uuid.uuid5(uuid.NAMESPACE_URL, "fapiao:" + invoice.number).hex)
    _el(info, "Title", f"{invoice.kind.invoice_title} {invoice.number}（副本）")
    _el(info, "Author", sanitize_text(invoice.seller.name))
    _el(info, "CreationDate", created.date().isoformat())
    _el(info, "Creator", "fapiao-kiosk")
    datas = _el(info, "CustomDatas")
    for name, value in (
        ("发票号码", invoice.number), ("开票日期", invoice.issued_at.strftime("%Y年%m月%d日")),
        ("销售方纳税人识别号", invoice.seller.tax_id), ("购买方纳税人识别号", invoice.buyer.tax_id),
        ("合计金额", _amount(invoice.total_net)), ("合计税额", _amount(invoice.total_tax)),
        ("价税合计", _amount(invoice.total)), ("副本", COPY_NOTE),
    ):
        _el(datas, "CustomData", sanitize_text(value), Name=name)
    _el(body, "DocRoot", "Doc_0/Document.xml")
    return _xml(root)


def _document_xml(b: _Builder) -> bytes:
    root = _el(None, "Document")
    common = _el(root, "CommonData")
    _el(common, "MaxUnitID", str(b.next_id))
    area = _el(common, "PageArea")
    _el(area, "PhysicalBox", f"0 0 {_num(PAGE_MM[0])} {_num(PAGE_MM[1])}")
    _el(common, "PublicRes", "PublicRes.xml")
    _el(common, "DocumentRes", "DocumentRes.xml")
    pages = _el(root, "Pages")
    for i in range(len(b.pages)):
        _el(pages, "Page", ID=str(i + 1), BaseLoc=f"Pages/Page_{i}/Content.xml")
    _el(root, "CustomTags", "Tags/CustomTags.xml")
    return _xml(root)


def _res_xml(kind: str, font_name: str) -> bytes:
    root = _el(None, "Res", BaseLoc="Res")
    if kind == "Fonts":
        fonts = _el(root, "Fonts")
        entry = _el(fonts, "Font", ID=FONT_ID, FontName=font_name, FamilyName=font_name)
        _el(entry, "FontFile", "font_1.otf")
    else:
        media = _el(_el(root, "MultiMedias"), "MultiMedia", ID=QR_ID, Type="Image", Format="PNG")
        _el(media, "MediaFile", "qr.png")
    return _xml(root)


def _custom_tags_xml() -> bytes:
    root = _el(None, "CustomTags")
    tag = _el(root, "CustomTag", NameSpace="urn:fapiao-kiosk:invoice-copy")
    _el(tag, "FileLoc", "CustomTag.xml")
    return _xml(root)


def _custom_tag_xml(b: _Builder) -> bytes:
    root = _el(None, "root")
    _el(root, "IsCopy", "true")  # plain text: this file is a copy, not the platform's invoice
    for tag, page_index, oid in b.tags:
        _el(_el(root, tag), "ObjectRef", oid, PageRef=str(page_index + 1))
    for goods in b.goods:  # one group per line, so an empty field cannot shift the others
        info = _el(root, "GoodsInfo")
        for tag, page_index, oid in goods:
            _el(_el(info, tag), "ObjectRef", oid, PageRef=str(page_index + 1))
    return _xml(root)


def _png(invoice: Invoice) -> bytes:
    out = io.BytesIO()
    qr_image(invoice_qr_payload(invoice), box_size=6).save(out, format="PNG")
    return out.getvalue()
