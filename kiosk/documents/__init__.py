"""The documents of an issued invoice: the legal XML, its PDF layout, the courtesy receipt.

- :func:`invoice_to_xml` / :func:`parse_invoice_xml` (:mod:`kiosk.documents.xml`)
- :func:`invoice_to_pdf` (:mod:`kiosk.documents.pdf`, 210 x 140 mm like a published 数电 PDF)
- :func:`~kiosk.documents.ofd.invoice_to_ofd` (:mod:`kiosk.documents.ofd`, an OFD copy in
  GB/T 33190; imported from its module, so fontTools loads only when an OFD is made)
- :func:`receipt_ops` (:mod:`kiosk.documents.receipt`, printer ops for 58/80 mm paper)
- text helpers for fixed-width layout (:mod:`kiosk.documents.text`) and the font
  finder (:mod:`kiosk.documents.fonts`).
"""

from kiosk.documents.fonts import CjkFont, FontNotFound, find_cjk_font
from kiosk.documents.pdf import invoice_to_pdf
from kiosk.documents.qr import invoice_qr_payload
from kiosk.documents.receipt import YEN, ops_to_text, receipt_ops
from kiosk.documents.text import display_width, sanitize_text, wrap_text
from kiosk.documents.xml import (
    InvoiceXmlError,
    invoice_from_xml,
    invoice_to_xml,
    parse_invoice_xml,
)

__all__ = [
    "CjkFont", "FontNotFound", "InvoiceXmlError", "YEN", "display_width", "find_cjk_font",
    "invoice_from_xml", "invoice_qr_payload", "invoice_to_pdf", "invoice_to_xml", "ops_to_text", "parse_invoice_xml",
    "receipt_ops", "sanitize_text", "wrap_text",
]
