"""Language switching through Qt's translation files (``assets/i18n/kiosk_<lang>.qm``).

Source strings in the code are English (``self.tr("...")``); ``kiosk_zh_CN.ts``
holds the Chinese. Installing a translator sends every widget a LanguageChange
event, and each screen retranslates itself in ``changeEvent``.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QTranslator

log = logging.getLogger("ui.i18n")

I18N = Path(__file__).resolve().parent.parent / "assets" / "i18n"
LANGUAGES = ("zh_CN", "en")


def sources() -> list[Path]:
    """The files ``pyside6-lupdate`` reads: every screen, the window and the keypads
    (without keypad.py, ``-no-obsolete`` dropped the keys and the Chinese keypad said "OK")."""
    ui = I18N.parents[1] / "ui"
    return sorted(ui.glob("screens/*.py")) + [ui / "main_window.py", ui / "widgets" / "keypad.py"]


def qm_path(lang: str) -> Path:
    return I18N / f"kiosk_{lang}.qm"


class Languages:
    """Owns the installed translator; ``current`` is ``"zh_CN"`` or ``"en"``."""

    def __init__(self, app: QCoreApplication) -> None:
        self.app = app
        self.current = "en"
        self._translator: QTranslator | None = None

    def set(self, lang: str) -> bool:
        if lang not in LANGUAGES:
            raise ValueError(f"unknown language {lang!r}")
        translator = QTranslator(self.app)
        if not translator.load(str(qm_path(lang))):
            log.error("translation not loaded", extra={"event": "ui.i18n_missing", "lang": lang})
            return False
        if self._translator is not None:
            self.app.removeTranslator(self._translator)
        self.app.installTranslator(translator)
        self._translator = translator
        self.current = lang
        log.info("language %s", lang, extra={"event": "ui.language", "lang": lang})
        return True
