"""QR/barcode decoders for camera frames: zxing-cpp (default) and pyzbar.

Both take a grayscale ``numpy`` frame and return the decoded texts. zxing-cpp
decodes more degraded frames, faster (see ``bench/bench_qr_decoders.py``);
pyzbar needs the system library ``libzbar0`` and is kept selectable.
"""

from __future__ import annotations

import logging
from typing import Protocol

import numpy as np

log = logging.getLogger("drivers.camera")


class DecoderUnavailable(RuntimeError):
    """The chosen decoder's library cannot be loaded."""


class Decoder(Protocol):
    name: str

    def decode(self, gray: np.ndarray) -> list[str]: ...


class ZxingDecoder:
    name = "zxing"

    def __init__(self) -> None:
        import zxingcpp

        self._zx = zxingcpp

    def decode(self, gray: np.ndarray) -> list[str]:
        return [r.text for r in self._zx.read_barcodes(gray) if r.valid and r.text]


class PyzbarDecoder:
    name = "pyzbar"

    def __init__(self) -> None:
        try:
            from pyzbar import pyzbar
        except (ImportError, OSError) as err:  # OSError: libzbar0 missing
            raise DecoderUnavailable(
                f"pyzbar decoder unavailable ({err}); install pyzbar and libzbar0, "
                "or choose decoder = \"zxing\"") from err
        self._decode = pyzbar.decode

    def decode(self, gray: np.ndarray) -> list[str]:
        texts = []
        for symbol in self._decode(gray):
            try:
                texts.append(_undo_sjis_guess(symbol.data.decode("utf-8")))
            except UnicodeDecodeError:
                log.warning("pyzbar: undecodable symbol dropped", extra={"event": "camera.bad_symbol"})
        return [t for t in texts if t]


def _undo_sjis_guess(text: str) -> str:
    """Undo zbar's Shift-JIS guess for a QR code without an ECI marker.

    zbar decodes 8-bit QR data it takes for Shift-JIS into UTF-8 text, which
    turns UTF-8 Chinese into mojibake (pyzbar does not expose zbar's binary
    mode). When the text goes back to Shift-JIS bytes that are valid UTF-8,
    those bytes were the payload. ASCII is left alone.
    """
    if text.isascii():
        return text
    try:
        return text.encode("shift_jis").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return text


def make_decoder(name: str) -> Decoder:
    """The decoder named in the config: ``"zxing"`` or ``"pyzbar"``."""
    if name == "zxing":
        return ZxingDecoder()
    if name == "pyzbar":
        return PyzbarDecoder()
    raise ValueError(f"unknown decoder {name!r} (expected 'zxing' or 'pyzbar')")
