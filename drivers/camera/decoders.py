"""QR/barcode decoders for camera frames: zxing-cpp (default) and pyzbar.

Both take a grayscale ``numpy`` frame and return the decoded texts, searching
only the configured symbol formats (:mod:`drivers.camera.formats`, QR by
default). zxing-cpp decodes more degraded frames, faster (see
``bench/bench_qr_decoders.py``); pyzbar needs the system library ``libzbar0``
and is kept selectable.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any, Protocol

import cv2
import numpy as np
import numpy.typing as npt

from drivers.camera.formats import DEFAULT_FORMATS, FORMATS, parse_formats

log = logging.getLogger("drivers.camera")

Gray = npt.NDArray[np.uint8]


class DecoderUnavailable(RuntimeError):
    """The chosen decoder's library cannot be loaded."""


class Decoder(Protocol):
    name: str

    def decode(self, gray: Gray) -> list[str]: ...


class ZxingDecoder:
    """zxing-cpp over the configured formats.

    A symbol zxing-cpp finds but cannot read (a strongly tilted code) is tried
    once more on the frame at half size, where its modules line up better;
    frames with no symbol cost nothing extra.
    """

    name = "zxing"

    def __init__(self, formats: Sequence[str] = (DEFAULT_FORMATS,)) -> None:
        import zxingcpp

        self._zx: Any = zxingcpp
        self.formats = tuple(formats)
        self._formats = [getattr(zxingcpp.BarcodeFormat, FORMATS[f][0]) for f in self.formats]

    def decode(self, gray: Gray) -> list[str]:
        found = self._zx.read_barcodes(gray, formats=self._formats, return_errors=True)
        texts = [r.text for r in found if r.valid and r.text]
        if texts or not found:
            return texts
        half = cv2.resize(gray, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA)
        return [r.text for r in self._zx.read_barcodes(half, formats=self._formats)
                if r.valid and r.text]


class PyzbarDecoder:
    name = "pyzbar"

    def __init__(self, formats: Sequence[str] = (DEFAULT_FORMATS,)) -> None:
        try:
            from pyzbar import pyzbar
        except (ImportError, OSError) as err:  # OSError: libzbar0 missing
            raise DecoderUnavailable(
                f"pyzbar decoder unavailable ({err}); install pyzbar and libzbar0, "
                "or choose decoder = \"zxing\"") from err
        lacking = [f for f in formats if not FORMATS[f][1]]
        if lacking:
            raise DecoderUnavailable(f"pyzbar cannot decode {', '.join(lacking)}; "
                                     "choose decoder = \"zxing\"")
        self.formats = tuple(formats)
        self._symbols = [getattr(pyzbar.ZBarSymbol, FORMATS[f][1]) for f in self.formats]
        self._decode: Any = pyzbar.decode

    def decode(self, gray: Gray) -> list[str]:
        texts = []
        for symbol in self._decode(gray, symbols=self._symbols):
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


def make_decoder(name: str, formats: str = DEFAULT_FORMATS) -> Decoder:
    """The decoder named in the config (``"zxing"`` or ``"pyzbar"``) for ``formats``
    (comma-separated names from :data:`~drivers.camera.formats.FORMATS`)."""
    wanted = parse_formats(formats)
    if name == "zxing":
        return ZxingDecoder(wanted)
    if name == "pyzbar":
        return PyzbarDecoder(wanted)
    raise ValueError(f"unknown decoder {name!r} (expected 'zxing' or 'pyzbar')")
