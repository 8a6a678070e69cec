"""The documents of an issued invoice: the legal XML, its PDF layout, the courtesy receipt.

- :func:`invoice_to_xml` / :func:`parse_invoice_xml` (:mod:`kiosk.documents.xml`)
- :func:`invoice_to_pdf` (:mod:`kiosk.documents.pdf`, 210 x 140 mm like a published 数电 PDF)
- :func:`~kiosk.documents.ofd.invoice_to_ofd` (:mod:`kiosk.documents.ofd`, an OFD copy in
  GB/T 33190; imported from its module, so fontTools loads only when an OFD is made)
- :func:`receipt_ops` (:mod:`kiosk.documents.receipt`, printer ops for 58/80 mm paper)
- text helpers for fixed-width layout (:mod:`kiosk.documents.text`) and the font
  finder (:mod:`kiosk.documents.fonts`).
"""

from __future__ import annotations

import importlib
from typing import Any

# Names resolve lazily (PEP 562): importing one light submodule (the renderer port,
# the receipt layout) must not pull fpdf and fontTools in before the first frame.
_WHERE = {
    "CjkFont": "fonts", "FontNotFound": "fonts", "find_cjk_font": "fonts",
    "invoice_to_pdf": "pdf", "invoice_qr_payload": "qr",
    "YEN": "receipt", "ops_to_text": "receipt", "receipt_ops": "receipt",
    "display_width": "text", "sanitize_text": "text", "wrap_text": "text",
    "InvoiceXmlError": "xml", "invoice_from_xml": "xml", "invoice_to_xml": "xml",
    "parse_invoice_xml": "xml",
}


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module 'kiosk.documents' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"kiosk.documents.{_WHERE[name]}"), name)
    globals()[name] = value
    return value


__all__ = [
    "CjkFont", "FontNotFound", "InvoiceXmlError", "YEN", "display_width", "find_cjk_font",
    "invoice_from_xml", "invoice_qr_payload", "invoice_to_pdf", "invoice_to_xml", "ops_to_text", "parse_invoice_xml",
    "receipt_ops", "sanitize_text", "wrap_text",
]
