"""Find a CJK font to embed in the invoice PDF.

fpdf2 embeds (and subsets) OpenType fonts with CFF outlines, which Noto Sans
CJK uses; reportlab cannot. Order of preference: an explicit path, the
``KIOSK_CJK_FONT`` environment variable (``path`` or ``path#index`` for a
collection), Noto Sans CJK SC (Debian ``fonts-noto-cjk``; collection index 2
is the Simplified Chinese face), then WenQuanYi Micro Hei (``fonts-wqy-microhei``).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

__all__ = ["CjkFont", "FontNotFound", "CANDIDATES", "find_cjk_font"]


@dataclass(frozen=True)
class CjkFont:
    path: Path
    collection_index: int
    name: str
    bold_path: Path | None = None  # same collection index


class FontNotFound(RuntimeError):
    """No CJK font could be found: the PDF would show empty boxes for Chinese."""


CANDIDATES: tuple[CjkFont, ...] = (
    CjkFont(Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"), 2, "Noto Sans CJK SC",
            Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc")),
    CjkFont(Path("/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc"), 2, "Noto Sans CJK SC",
            Path("/usr/share/fonts/noto-cjk/NotoSansCJK-Bold.ttc")),
    CjkFont(Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"), 0, "WenQuanYi Micro Hei"),
)


def _from_spec(spec: str) -> CjkFont:
    path, _, index = str(spec).partition("#")
    return CjkFont(Path(path), int(index or 0), Path(path).stem)


def find_cjk_font(explicit: str | os.PathLike[str] | None = None,
                  env: Mapping[str, str] | None = None) -> CjkFont:
    """The first CJK font that exists; :class:`FontNotFound` with a fix if none does."""
    env = os.environ if env is None else env
    tried: list[str] = []
    if explicit is not None:
        font = _from_spec(os.fspath(explicit))
        if font.path.is_file():
            return font
        raise FontNotFound(f"CJK font {font.path} does not exist")
    if env.get("KIOSK_CJK_FONT"):
        font = _from_spec(env["KIOSK_CJK_FONT"])
        if font.path.is_file():
            return font
        tried.append(f"{font.path} (KIOSK_CJK_FONT)")
    for font in CANDIDATES:
        if font.path.is_file():
            bold = font.bold_path if font.bold_path and font.bold_path.is_file() else None
            return CjkFont(font.path, font.collection_index, font.name, bold)
        tried.append(str(font.path))
    raise FontNotFound(
        "No CJK font found for the invoice PDF (tried: " + ", ".join(tried) + "). "
        "Install one: `apt-get install fonts-noto-cjk` (or fonts-wqy-microhei), "
        "or set KIOSK_CJK_FONT=/path/to/font.ttc#index."
    )
