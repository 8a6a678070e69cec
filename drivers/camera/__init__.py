"""Camera QR reading: OpenCV capture, zxing-cpp or pyzbar decoding, emulated camera.

``CameraDevice`` is the worker, ``OpenCvSource`` the real capture,
``EmulatedCamera`` (``drivers.camera.emulated``) the emulated one. Names
resolve lazily (as in :mod:`drivers.printer`) so the config loader can read
:mod:`drivers.camera.formats` without loading OpenCV or a decoder.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "Decoder": "decoders", "DecoderUnavailable": "decoders", "PyzbarDecoder": "decoders",
    "ZxingDecoder": "decoders", "make_decoder": "decoders",
    "RepeatFilter": "dedupe", "CameraDevice": "device", "EmulatedCamera": "emulated",
    "CameraUnavailable": "source", "FrameSource": "source", "OpenCvSource": "source",
    "FORMATS": "formats", "parse_formats": "formats",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'drivers.camera' has no attribute {name!r}")
    return getattr(importlib.import_module(f"drivers.camera.{_EXPORTS[name]}"), name)
