"""Invoice documents: XML and PDF for a 1-line and a 100-line invoice, side by side.

Also the PDF's font choice (Noto Sans CJK SC, CFF outlines, vs WenQuanYi Micro
Hei, TrueType), since loading and subsetting a CJK collection is most of a
PDF's cost; the whole face against the common face (kiosk.documents.fonts) for the
PDF and the OFD; the courtesy receipt layout, and the sizes of what is produced.
"""

from __future__ import annotations

import io
from dataclasses import replace

from pypdf import PdfReader

from bench.runner import Runner
from kiosk.documents import invoice_to_pdf, invoice_to_xml, receipt_ops
from kiosk.documents.fonts import CANDIDATES, build_common_face, find_cjk_font
from kiosk.documents.ofd import invoice_to_ofd
from tests.helpers.invoices import sample_invoice

URL = "https://fp.example.com/d/Zx8k2Lq9P0aB7cD4"


def run(r: Runner) -> None:
    one, hundred = sample_invoice(1), sample_invoice(100)
    r.compare("invoice XML: 1 vs 100 lines", {
        "xml 1 line": lambda: invoice_to_xml(one),
        "xml 100 lines": lambda: invoice_to_xml(hundred),
    }, rounds=50, baseline="xml 1 line")
    r.compare("invoice XML vs PDF, 1 and 100 lines", {
        "xml 1 line": lambda: invoice_to_xml(one),
        "xml 100 lines": lambda: invoice_to_xml(hundred),
        "pdf 1 line": lambda: invoice_to_pdf(one),
        "pdf 100 lines": lambda: invoice_to_pdf(hundred),
    }, rounds=8, baseline="pdf 1 line")

    noto = find_cjk_font(env={})
    wqy = next((f for f in CANDIDATES if "wqy" in str(f.path) and f.path.is_file()), None)
    if wqy is not None and wqy.path != noto.path:
        r.compare("PDF font: Noto Sans CJK SC (CFF) vs WenQuanYi Micro Hei (TrueType)", {
            f"{noto.name} 1 line": lambda: invoice_to_pdf(one, font=noto),
            f"{wqy.name} 1 line": lambda: invoice_to_pdf(one, font=wqy),
            f"{noto.name} 100 lines": lambda: invoice_to_pdf(hundred, font=noto),
            f"{wqy.name} 100 lines": lambda: invoice_to_pdf(hundred, font=wqy),
        }, rounds=8, baseline=f"{noto.name} 1 line")

    common = build_common_face(noto)  # built once (scripts/setup.sh does it)
    rare = replace(one, buyer=replace(one.buyer, name="王堃"))  # 堃: GBK, not GB2312
    r.compare("PDF and OFD: the whole CJK face vs the common face (GB2312 + the layouts)", {
        "pdf, whole face": lambda: invoice_to_pdf(one, font=noto),
        "pdf, common face": lambda: invoice_to_pdf(one, font=common),
        "pdf, chosen (common)": lambda: invoice_to_pdf(one),
        "pdf, chosen (a rare hanzi: whole)": lambda: invoice_to_pdf(rare),
        "ofd, whole face": lambda: invoice_to_ofd(one, font=noto),
        "ofd, chosen (common)": lambda: invoice_to_ofd(one),
    }, rounds=8, baseline="pdf, whole face")

    r.compare("courtesy receipt ops (58 mm)", {
        "receipt 1 line": lambda: receipt_ops(one, paper_width_mm=58, fetch_url=URL),
        "receipt 100 lines": lambda: receipt_ops(hundred, paper_width_mm=58, fetch_url=URL),
    }, rounds=30, baseline="receipt 1 line", unit="ms")

    rows = []
    for label, inv in (("1 line", one), ("100 lines", hundred)):
        xml = invoice_to_xml(inv)
        pdf = invoice_to_pdf(inv)
        pages = len(PdfReader(io.BytesIO(pdf)).pages)
        ops = receipt_ops(inv, paper_width_mm=58, fetch_url=URL)
        rows.append([label, f"{len(xml):,}", f"{len(pdf):,}", pages, len(ops)])
    r.table("document sizes", ["invoice", "xml bytes", "pdf bytes", "pdf pages", "receipt ops"], rows)
