"""What the invoice's QR code carries, and the QR image for the PDF.

Decision: the PDF's QR carries the invoice key data, in the comma-separated
shape of published invoice QR codes, so a verification app can read it
offline: ``01,<type>,,<number>,<total>,<YYYYMMDD>,,<check>`` where type is
``31`` (数电 special) or ``32`` (数电 ordinary), total the 价税合计 with two
decimals (negative for a red invoice) and check 4 hex digits of CRC-32 over the
preceding fields. The tax bureau's own field 8 is not published, so this
check is ours: docs/invoice-qr.md says which field it is and why. The download URL (``Invoice.download_url``) goes into the
courtesy receipt's QR instead, where fetching the file is the point.
"""

from __future__ import annotations

import zlib

import qrcode
from PIL import Image

from kiosk.model import Invoice, InvoiceKind

__all__ = ["invoice_qr_payload", "qr_image"]

_TYPE_CODES = {InvoiceKind.SPECIAL: "31", InvoiceKind.NORMAL: "32"}


def invoice_qr_payload(invoice: Invoice) -> str:
    fields = ["01", _TYPE_CODES[invoice.kind], "", invoice.number, f"{invoice.total:.2f}",
              invoice.issued_at.strftime("%Y%m%d"), ""]
    head = ",".join(fields)
    # UTF-8, not ASCII: a number the platform sent with non-ASCII digits crashed the PDF
    # (issue 15); for a valid (ASCII) number the bytes, and so the check, are the same.
    return f"{head},{zlib.crc32(head.encode('utf-8', 'replace')) & 0xFFFF:04X}"


def qr_image(data: str, box_size: int = 8, border: int = 1) -> Image.Image:
    """A black-on-white QR image (error correction M) as a PIL image."""
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M,
                       box_size=box_size, border=border)
    qr.add_data(data)
    qr.make(fit=True)
    img = qr.make_image(fill_color="black", back_color="white")
    return img.get_image() if hasattr(img, "get_image") else img  # type: ignore[no-any-return]
