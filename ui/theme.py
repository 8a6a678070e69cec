"""Look and feel: the CJK font, the stylesheet from ``assets/``, and large-text mode.

The stylesheet holds size placeholders (``@F@`` ...) so large-text mode is the
same sheet with bigger numbers, not a second sheet to keep in step.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

ASSETS = Path(__file__).resolve().parent.parent / "assets"
STYLESHEET = ASSETS / "kiosk.qss"
CJK_FONTS = (
    Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
    Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"),
    Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"),
)
FAMILIES = ("Noto Sans CJK SC", "WenQuanYi Micro Hei")

# Base font px, large, extra large, minimum button height (>= 64 px: 15 mm at 96 dpi is 57).
NORMAL_SIZES = {"F": 22, "FL": 28, "FXL": 40, "H": 72}
LARGE_SIZES = {"F": 30, "FL": 38, "FXL": 52, "H": 88}


_registered: set[Path] = set()


def load_fonts() -> str:
    """Register the CJK fonts (fontconfig may already know them); return the family used.

    Each file once per process: Qt does not tell a file it already has from a new one,
    and registering a 20 MB collection again parses it again.
    """
    for path in CJK_FONTS:
        if path not in _registered and path.exists():
            QFontDatabase.addApplicationFont(str(path))
            _registered.add(path)
    known = set(QFontDatabase.families())
    for family in FAMILIES:
        if family in known:
            return family
    return QApplication.font().family()


def stylesheet(large_text: bool) -> str:
    sizes = LARGE_SIZES if large_text else NORMAL_SIZES
    sheet = STYLESHEET.read_text(encoding="utf-8")
    for key, value in sizes.items():
        sheet = sheet.replace(f"@{key}@", str(value))
    return sheet


def apply(app: QApplication, large_text: bool) -> None:
    family = load_fonts()
    font = QFont(family)
    font.setPixelSize((LARGE_SIZES if large_text else NORMAL_SIZES)["F"])
    app.setFont(font)
    sheet = stylesheet(large_text)
    if app.styleSheet() != sheet:
        # Setting a style sheet re-polishes every widget of the application, ~0.8 s of
        # CPU with the kiosk's window built, also when the sheet is the one in force.
        app.setStyleSheet(sheet)
