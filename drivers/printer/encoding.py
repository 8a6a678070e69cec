"""Text to printer bytes: the per-printer encoding, substitutions, no control bytes.

python-escpos's ``text()`` goes through its "magic encoder", whose Chinese
support is a fixed GB18030 path; real printers differ (GB18030, GBK, Big5,
UTF-8 firmware), so the kiosk encodes text itself with the configured codec.

Rules, in order, for each character of a Text op:

1. Control characters (Unicode category Cc: C0, DEL, C1; and the line/paragraph
   separators) are removed and a warning is logged. Text ops are one line; a
   control byte reaching the printer could start a command (ESC, GS, DLE...).
2. A character in :data:`SUBSTITUTES` is replaced by the first candidate the
   printer's encoding holds (e.g. ``¥`` U+00A5 -> ``￥`` U+FFE5, GBK ``A3 A4``;
   Big5 only has the yen at ``A2 44``, which Python's codec names U+00A5;
   anything else -> ``RMB``).
3. Anything else the encoding cannot hold becomes ``?`` and a warning names the
   code points (never the text: it may be a person's name).

"Holds" means: encodable by the codec AND no longer than the profile's
``max_char_bytes``. GB18030 can encode every code point, but its four-byte
sequences (``¥`` is ``81 30 84 36``) are missing from most printer fonts, so
the GB18030 profile is limited to the one- and two-byte (GBK-compatible) range.
No multi-byte sequence of these encodings contains a byte below 0x40
(GB/Big5 trail bytes are >= 0x40, UTF-8 continuation bytes >= 0x80), so after
rule 1 no byte below 0x20 can come out of :func:`TextEncoder.encode`.
"""

from __future__ import annotations

import logging
import unicodedata
from dataclasses import dataclass

log = logging.getLogger("drivers.printer")


@dataclass(frozen=True)
class EncodingProfile:
    name: str  # as written in kiosk.toml
    codec: str  # Python codec
    max_char_bytes: int  # longest byte sequence the printer font has glyphs for
    double_byte_mode: bool  # FS & (Chinese character mode) after ESC @; else UTF-8 mode


PROFILES: dict[str, EncodingProfile] = {
    "GB18030": EncodingProfile("GB18030", "gb18030", 2, True),
    "GBK": EncodingProfile("GBK", "gbk", 2, True),
    "Big5": EncodingProfile("Big5", "big5", 2, True),
    "UTF-8": EncodingProfile("UTF-8", "utf-8", 4, False),
}

# The encodings a printer can be set to, in the order offered (config choices,
# diagnostics' calibration page and its picker, the local override).
ENCODINGS: tuple[str, ...] = tuple(PROFILES)

SUBSTITUTES: dict[str, tuple[str, ...]] = {
    "\u00a5": ("\uffe5", "\u00a5", "RMB"),  # ¥ half-width yen/yuan
    "\uffe5": ("\uffe5", "\u00a5", "RMB"),  # ￥ full-width
    "\u20ac": ("\u20ac", "EUR"),
    "\u2022": ("\u2022", "\u00b7", "*"),  # bullet
    "\u00a0": (" ",),  # no-break space
    "\u3000": ("\u3000", "  "),  # ideographic space
    "\u2013": ("\u2013", "-"),  # en dash
}


def profile_for(encoding: str) -> EncodingProfile:
    for key, profile in PROFILES.items():
        if key.lower() == encoding.lower():
            return profile
    raise ValueError(f"unsupported printer encoding {encoding!r} (one of {', '.join(PROFILES)})")


def _is_control(ch: str) -> bool:
    return unicodedata.category(ch) in ("Cc", "Zl", "Zp")


def strip_controls(text: str) -> str:
    """``text`` without control characters; logs a warning when it removed any."""
    kept = "".join(ch for ch in text if not _is_control(ch))
    if len(kept) != len(text):
        log.warning(
            "removed %d control characters from printer text", len(text) - len(kept),
            extra={"event": "printer.text.control_removed", "count": len(text) - len(kept)},
        )
    return kept


class TextEncoder:
    """Encodes Text/Rule content for one printer's encoding."""

    def __init__(self, encoding: str) -> None:
        self.profile = profile_for(encoding)
        self._cache: dict[str, bytes | None] = {}

    def char_bytes(self, ch: str) -> bytes | None:
        """``ch`` encoded, or None when the printer cannot print it."""
        if ch in self._cache:
            return self._cache[ch]
        try:
            data: bytes | None = ch.encode(self.profile.codec)
        except UnicodeEncodeError:
            data = None
        if data is not None and len(data) > self.profile.max_char_bytes:
            data = None
        self._cache[ch] = data
        return data

    def encode(self, text: str) -> bytes:
        out: list[bytes] = []
        missing: list[str] = []
        for ch in strip_controls(text):
            data = self._encode_char(ch)
            if data is None:
                missing.append(f"U+{ord(ch):04X}")
                data = b"?"
            out.append(data)
        if missing:
            log.warning(
                "printer encoding %s cannot hold %s; printed '?'", self.profile.name,
                " ".join(missing),
                extra={"event": "printer.text.unencodable", "encoding": self.profile.name,
                       "code_points": missing},
            )
        return b"".join(out)

    def _encode_char(self, ch: str) -> bytes | None:
        for candidate in SUBSTITUTES.get(ch, (ch,)):
            parts = [self.char_bytes(c) for c in candidate]
            if all(p is not None for p in parts):
                return b"".join(p for p in parts if p is not None)
        return None

    def cells(self, ch: str) -> int:
        """Font A half-width columns ``ch`` takes on the paper (1 or 2)."""
        if ord(ch) < 0x80:
            return 1
        if self.profile.double_byte_mode:
            data = self._encode_char(ch)
            return 2 if data is not None and len(data) >= 2 else 1
        return 2 if unicodedata.east_asian_width(ch) in "WF" else 1

    def text_cells(self, text: str) -> int:
        return sum(self.cells(ch) for ch in text)
