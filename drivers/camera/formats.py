"""The symbol formats a camera may decode, named once (config, decoders, docs).

``devices.camera.formats`` in ``kiosk.toml`` is a comma-separated list of these
names ("qr" by default). Searching fewer formats is most of a decoder's speed:
on degraded 1280x720 frames zxing-cpp takes about 1.5 ms a frame for QR only
and about 10 ms (110 ms on noisy frames) for every format
(``python -m bench qr_decoders``). This module imports nothing heavy so the
config loader can check the key without loading a decoder.
"""

from __future__ import annotations

# name -> (zxing-cpp BarcodeFormat name, pyzbar ZBarSymbol name or "" if zbar lacks it)
FORMATS: dict[str, tuple[str, str]] = {
    "qr": ("QRCode", "QRCODE"),
    "micro_qr": ("MicroQRCode", ""),
    "data_matrix": ("DataMatrix", ""),
    "aztec": ("Aztec", ""),
    "pdf417": ("PDF417", "PDF417"),
    "code128": ("Code128", "CODE128"),
    "code39": ("Code39", "CODE39"),
    "code93": ("Code93", "CODE93"),
    "codabar": ("Codabar", "CODABAR"),
    "itf": ("ITF", "I25"),
    "ean13": ("EAN13", "EAN13"),
    "ean8": ("EAN8", "EAN8"),
    "upca": ("UPCA", "UPCA"),
    "upce": ("UPCE", "UPCE"),
}

DEFAULT_FORMATS = "qr"

# The config key's accepted form: names from FORMATS, comma-separated.
_NAME = "(?:" + "|".join(sorted(FORMATS, key=len, reverse=True)) + ")"
FORMATS_PATTERN = rf"^\s*{_NAME}\s*(?:,\s*{_NAME}\s*)*$"


def parse_formats(text: str) -> tuple[str, ...]:
    """``"qr, code128"`` -> ``("qr", "code128")``; an unknown or empty name is a ValueError."""
    names = tuple(dict.fromkeys(part.strip() for part in text.split(",")))
    unknown = [n for n in names if n not in FORMATS]
    if not names or unknown:
        raise ValueError(f"unknown symbol format(s) {unknown or [text]!r} "
                         f"(expected some of {', '.join(FORMATS)})")
    return names
