"""Camera frames become QImages that own their pixels (the UI side of the Qt-free camera)."""

from __future__ import annotations

import numpy as np
from PySide6.QtGui import QImage

from drivers.camera.synth import qr_frame
from ui.frames import to_qimage


def test_a_bgr_frame_becomes_an_owning_qimage() -> None:
    frame = qr_frame("X")
    frame[0, 0] = (10, 20, 30)  # B, G, R
    image = to_qimage(frame)
    assert (image.width(), image.height()) == (1280, 720)
    assert image.format() == QImage.Format.Format_BGR888
    frame[:] = 0
    colour = image.pixelColor(0, 0)
    assert (colour.red(), colour.green(), colour.blue()) == (30, 20, 10)  # a copy, not a view


def test_a_grey_frame_is_grey() -> None:
    image = to_qimage(np.full((4, 6), 77, np.uint8))
    assert image.format() == QImage.Format.Format_Grayscale8
    assert image.pixelColor(5, 3).red() == 77
