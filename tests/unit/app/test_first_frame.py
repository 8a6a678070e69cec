"""Start-up work waits for the first painted frame (bench/bench_startup.py measures why)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QLabel

from app.gui import after_first_frame


def test_callbacks_run_once_after_the_first_paint(qtbot) -> None:  # type: ignore[no-untyped-def]
    window = QLabel("扫描小票二维码开票")
    qtbot.addWidget(window)
    ran: list[str] = []
    after_first_frame(window, [lambda: ran.append("pump"), lambda: ran.append("warm")])
    assert ran == []  # nothing before the window is shown and painted
    window.show()
    qtbot.waitUntil(lambda: ran == ["pump", "warm"], timeout=5000)
    window.repaint()  # a second, synchronous paint
    QCoreApplication.processEvents()
    assert ran == ["pump", "warm"]  # once, not at every paint


def test_a_window_never_shown_still_gets_them(qtbot) -> None:  # type: ignore[no-untyped-def]
    window = QLabel("hidden")
    qtbot.addWidget(window)
    ran: list[str] = []
    after_first_frame(window, [lambda: ran.append("pump")])
    qtbot.waitUntil(lambda: ran == ["pump"], timeout=10000)
