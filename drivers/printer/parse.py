"""A streaming tokenizer for the ESC/POS the kiosk emits (and common others).

Used by the emulated printer (which gets bytes in arbitrary chunks from a pty
and must answer DLE EOT) and by the PNG renderer. Each command is recognised
with its full length, so a ``10 04`` inside raster or QR data is data, not a
status request. Unknown commands are skipped: an unknown ``ESC x``/``GS x``/
``FS x`` skips those two bytes, any other control byte skips one. Nothing
raises on bad input; an incomplete command waits for more bytes.

Hand-written because python-escpos only writes ESC/POS and no maintained
Python library parses it.
"""

from __future__ import annotations

from dataclasses import dataclass

ESC, GS, FS, DLE = 0x1B, 0x1D, 0x1C, 0x10

# Commands with a fixed number of parameter bytes after the two command bytes.
_ESC_PARAMS = {
    0x40: 0, 0x32: 0, 0x3C: 0,  # @ init, 2 default spacing, < return home
    0x61: 1, 0x45: 1, 0x64: 1, 0x2D: 1, 0x21: 1, 0x4D: 1, 0x47: 1, 0x74: 1,
    0x33: 1, 0x4A: 1, 0x52: 1, 0x56: 1, 0x7B: 1, 0x20: 1, 0x63: 2, 0x70: 3,
    0x69: 0, 0x6D: 0, 0x4B: 1, 0x65: 1, 0x55: 1, 0x72: 1, 0x3D: 1,
}
_GS_PARAMS = {
    0x21: 1, 0x42: 1, 0x62: 1, 0x48: 1, 0x68: 1, 0x77: 1, 0x66: 1, 0x61: 1,
    0x72: 1, 0x49: 1, 0x4C: 2, 0x57: 2, 0x50: 2, 0x2F: 1, 0x3A: 0,
}
_FS_PARAMS = {0x26: 0, 0x2E: 0, 0x43: 1, 0x21: 1, 0x2D: 1, 0x57: 1, 0x53: 2, 0x70: 2}

# Token kinds.
TEXT, LF, INIT, ALIGN, BOLD, SIZE, FEED, CUT = "text", "lf", "init", "align", "bold", "size", "feed", "cut"
QR_MODEL, QR_SIZE, QR_EC, QR_STORE, QR_PRINT = "qr_model", "qr_size", "qr_ec", "qr_store", "qr_print"
RASTER, STATUS, CHINESE_ON, CHINESE_OFF, OTHER = "raster", "status", "chinese_on", "chinese_off", "other"


@dataclass(frozen=True)
class Token:
    kind: str
    raw: bytes  # exactly the bytes this token came from
    value: int = 0  # the parameter of one-parameter commands
    data: bytes = b""  # text bytes, QR data, raster bits
    width_bytes: int = 0  # raster only
    height: int = 0  # raster only


class EscPosParser:
    """Feed bytes in any chunks; get back the complete tokens so far."""

    def __init__(self) -> None:
        self._buf = bytearray()

    @property
    def pending(self) -> bytes:
        """Bytes of an incomplete command waiting for the rest."""
        return bytes(self._buf)

    def feed(self, data: bytes) -> list[Token]:
        self._buf += data
        tokens: list[Token] = []
        pos = 0
        while pos < len(self._buf):
            found = _parse_one(self._buf, pos)
            if found is None:
                break
            token, pos = found
            tokens.append(token)
        del self._buf[:pos]
        return tokens


def parse_all(data: bytes) -> list[Token]:
    """Tokens of a complete byte string; an incomplete tail becomes an OTHER token."""
    parser = EscPosParser()
    tokens = parser.feed(data)
    if parser.pending:
        tokens.append(Token(OTHER, parser.pending))
    return tokens


def _parse_one(buf: bytearray, pos: int) -> tuple[Token, int] | None:  # noqa: C901
    b = buf[pos]
    n = len(buf)
    if b >= 0x20 and b != 0x7F:  # a run of printable (or multi-byte) text
        end = pos
        while end < n and buf[end] >= 0x20 and buf[end] != 0x7F:
            end += 1
        raw = bytes(buf[pos:end])
        return Token(TEXT, raw, data=raw), end
    if b == 0x0A:
        return Token(LF, b"\n"), pos + 1
    if b == DLE:
        if pos + 1 >= n:
            return None
        if buf[pos + 1] == 0x04:
            if pos + 2 >= n:
                return None
            raw = bytes(buf[pos:pos + 3])
            return Token(STATUS, raw, value=raw[2]), pos + 3
        return Token(OTHER, bytes(buf[pos:pos + 1])), pos + 1
    if b not in (ESC, GS, FS):
        return Token(OTHER, bytes(buf[pos:pos + 1])), pos + 1
    if pos + 1 >= n:
        return None
    c = buf[pos + 1]
    if b == ESC:
        return _fixed(buf, pos, _ESC_PARAMS.get(c, 0), {
            0x40: INIT, 0x61: ALIGN, 0x45: BOLD, 0x64: FEED})
    if b == FS:
        if c == 0x28:  # FS ( fn pL pH ...
            return _length_prefixed(buf, pos, OTHER)
        return _fixed(buf, pos, _FS_PARAMS.get(c, 0), {0x26: CHINESE_ON, 0x2E: CHINESE_OFF})
    # GS
    if c == 0x28:  # GS ( fn pL pH ...
        return _length_prefixed(buf, pos, OTHER)
    if c == 0x56:  # GS V m [n]
        if pos + 2 >= n:
            return None
        m = buf[pos + 2]
        length = 4 if m in (65, 66, 97, 98, 103, 104) else 3
        if pos + length > n:
            return None
        return Token(CUT, bytes(buf[pos:pos + length]), value=m), pos + length
    if c == 0x76:  # GS v 0 m xL xH yL yH d...
        if pos + 8 > n:
            return None
        xb = buf[pos + 4] | buf[pos + 5] << 8
        y = buf[pos + 6] | buf[pos + 7] << 8
        end = pos + 8 + xb * y
        if end > n:
            return None
        raw = bytes(buf[pos:end])
        return Token(RASTER, raw, value=buf[pos + 3], data=raw[8:], width_bytes=xb,
                     height=y), end
    if c == 0x6B:  # GS k m ... barcodes
        if pos + 2 >= n:
            return None
        m = buf[pos + 2]
        if m <= 6:  # NUL-terminated
            try:
                end = buf.index(0, pos + 3) + 1
            except ValueError:
                return None
        else:
            if pos + 3 >= n:
                return None
            end = pos + 4 + buf[pos + 3]
            if end > n:
                return None
        return Token(OTHER, bytes(buf[pos:end])), end
    return _fixed(buf, pos, _GS_PARAMS.get(c, 0), {0x21: SIZE})


def _fixed(buf: bytearray, pos: int, params: int, kinds: dict[int, str]) -> tuple[Token, int] | None:
    end = pos + 2 + params
    if end > len(buf):
        return None
    raw = bytes(buf[pos:end])
    kind = kinds.get(raw[1], OTHER)
    return Token(kind, raw, value=raw[2] if params else 0), end


_QR_FUNCTIONS = {0x41: QR_MODEL, 0x43: QR_SIZE, 0x45: QR_EC, 0x50: QR_STORE, 0x51: QR_PRINT}


def _length_prefixed(buf: bytearray, pos: int, default: str) -> tuple[Token, int] | None:
    """``GS ( x pL pH <p bytes>`` / ``FS ( x pL pH <p bytes>``."""
    if pos + 5 > len(buf):
        return None
    size = buf[pos + 3] | buf[pos + 4] << 8
    end = pos + 5 + size
    if end > len(buf):
        return None
    raw = bytes(buf[pos:end])
    body = raw[5:]
    if raw[0] == GS and raw[2] == 0x6B and len(body) >= 2 and body[0] == 0x31:  # QR (cn 49)
        kind = _QR_FUNCTIONS.get(body[1], OTHER)
        if kind == QR_STORE:
            return Token(kind, raw, data=body[3:]), end  # after cn fn m
        if kind in (QR_SIZE, QR_EC) and len(body) >= 3:
            return Token(kind, raw, value=body[2]), end
        if kind == QR_MODEL and len(body) >= 3:
            return Token(kind, raw, value=body[2]), end
        return Token(kind, raw), end
    return Token(default, raw), end
