"""Camera frames (BGR ``numpy`` arrays from :mod:`drivers.camera`) as ``QImage``.

Drivers import no Qt: the camera hands out arrays and the UI makes pictures
of them, here, for the customer screens' preview and the diagnostics camera.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtGui import QImage

from drivers.contract import Frame


def to_qimage(frame: Frame) -> QImage:
    """A BGR (or grey) frame as a QImage that owns its pixels (safe across threads)."""
    frame = np.ascontiguousarray(frame)
    height, width = frame.shape[:2]
    fmt = QImage.Format.Format_Grayscale8 if frame.ndim == 2 else QImage.Format.Format_BGR888
    image = QImage(frame.data, width, height, frame.strides[0], fmt)
    return image.copy()  # detach from the numpy buffer
