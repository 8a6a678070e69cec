"""Camera QR reading: OpenCV capture, zxing-cpp or pyzbar decoding, emulated camera.

``CameraDevice`` is the worker, ``OpenCvSource`` the real capture,
``EmulatedCamera`` (``drivers.camera.emulated``) the emulated one.
"""

from drivers.camera.decoders import (
    Decoder,
    DecoderUnavailable,
    PyzbarDecoder,
    ZxingDecoder,
    make_decoder,
)
from drivers.camera.dedupe import RepeatFilter
from drivers.camera.device import CameraDevice, to_qimage
from drivers.camera.emulated import EmulatedCamera
from drivers.camera.source import CameraUnavailable, FrameSource, OpenCvSource

__all__ = [
    "CameraDevice", "CameraUnavailable", "Decoder", "DecoderUnavailable", "EmulatedCamera",
    "FrameSource", "OpenCvSource", "PyzbarDecoder", "RepeatFilter", "ZxingDecoder",
    "make_decoder", "to_qimage",
]
