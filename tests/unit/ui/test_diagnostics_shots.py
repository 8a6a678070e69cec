"""The screenshot tool drives every diagnostics screen through the real mode and saves it."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication

from tests.helpers.diagnostics import DiagKiosk
from ui.diagnostics.mode import PAGES
from ui.diagnostics.shots import save_screens

pytestmark = pytest.mark.timeout(90)


def test_every_screen_is_saved_at_the_window_size(qapp: QApplication, tmp_path) -> None:
    kiosk = DiagKiosk.build(qapp)
    try:
        saved = save_screens(kiosk.gui, kiosk.mode, tmp_path)
    finally:
        kiosk.close()
    assert [p.name for p in saved] == ["diag_pin.png"] + [f"diag_{k}.png" for k, _ in PAGES]
    for path in saved:
        image = QImage(str(path))
        assert (image.width(), image.height()) == (1280, 800), path.name
    assert not kiosk.mode.is_open  # the tool leaves the mode as it found it
