"""Find a CJK font to embed in the invoice PDF.

fpdf2 embeds (and subsets) OpenType fonts with CFF outlines, which Noto Sans
CJK uses; reportlab cannot. Order of preference: an explicit path, the
``KIOSK_CJK_FONT`` environment variable (``path`` or ``path#index`` for a
collection), Noto Sans CJK SC (Debian ``fonts-noto-cjk``; collection index 2
is the Simplified Chinese face), then WenQuanYi Micro Hei (``fonts-wqy-microhei``).
"""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

__all__ = ["CANDIDATES", "CjkFont", "FontNotFound", "build_common_face", "common_face",
           "find_cjk_font", "font_cache_dir"]


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


# --- the common face: the CJK face cut down to the characters invoices use ------------------
# Parsing and subsetting the whole Noto Sans CJK SC face (65,535 glyphs) is most of an
# invoice PDF's cost. A face holding GB2312 (the 6,763 common hanzi), Latin-1, punctuation
# and every character the PDF and OFD layouts print themselves draws the same invoice in
# under half the time (``python -m bench documents``). It is built once, beside no data
# folder, by ``python -m kiosk.documents.fonts`` (scripts/setup.sh runs it); a document
# with any character outside it is drawn with the whole face, so nothing shows as a box.

COMMON_VERSION = 2


def font_cache_dir(env: Mapping[str, str] | None = None) -> Path:
    """``KIOSK_FONT_CACHE``, else ``$XDG_CACHE_HOME/kiosk/fonts`` (``~/.cache/...``)."""
    env = os.environ if env is None else env
    if env.get("KIOSK_FONT_CACHE"):
        return Path(env["KIOSK_FONT_CACHE"])
    base = Path(env["XDG_CACHE_HOME"]) if env.get("XDG_CACHE_HOME") else Path.home() / ".cache"
    return base / "kiosk" / "fonts"


def _common_path(font: CjkFont, cache_dir: Path) -> Path:
    st = font.path.stat()  # another font file (an upgrade) gets another common face
    return cache_dir / (f"{font.path.stem}-{font.collection_index}-{st.st_size}-"
                        f"{int(st.st_mtime)}-common{COMMON_VERSION}.otf")


def common_face(font: CjkFont, cache_dir: Path | None = None) -> CjkFont | None:
    """The common face built from ``font``, or None when it has not been built."""
    try:
        path = _common_path(font, cache_dir or font_cache_dir())
    except OSError:
        return None
    return CjkFont(path, 0, font.name) if path.is_file() else None


def common_chars() -> str:
    """What the common face holds: ASCII and Latin-1, GB2312, general and CJK punctuation,
    full-width forms, and every character in the PDF and OFD layouts' own source."""
    chars = {chr(c) for c in range(0x20, 0x100)}
    chars |= {chr(c) for c in range(0x2000, 0x2070)} | {chr(c) for c in range(0x3000, 0x3040)}
    chars |= {chr(c) for c in range(0xFF01, 0xFFEF)}
    for b1 in range(0xA1, 0xF8):
        for b2 in range(0xA1, 0xFF):
            try:
                chars.add(bytes((b1, b2)).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    here = Path(__file__).resolve().parent
    for layout in ("pdf.py", "ofd.py", "text.py"):
        chars |= set((here / layout).read_text(encoding="utf-8"))
    # Spaces kept (the ideographic space U+3000 separates the PDF's labels); controls not.
    return "".join(sorted(c for c in chars if unicodedata.category(c) != "Cc"))


def build_common_face(font: CjkFont, cache_dir: Path | None = None) -> CjkFont:
    """Build (or find) the common face of ``font``; written whole or not at all."""
    found = common_face(font, cache_dir)
    if found is not None:
        return found
    from fontTools import subset
    from fontTools.ttLib import TTFont

    path = _common_path(font, cache_dir or font_cache_dir())
    path.parent.mkdir(parents=True, exist_ok=True)
    ttf = TTFont(str(font.path), fontNumber=font.collection_index, recalcTimestamp=False)
    options = subset.Options()
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=common_chars())
    subsetter.subset(ttf)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    ttf.save(str(tmp))
    os.replace(tmp, path)  # two builders at once: each writes its own file, one wins whole
    return CjkFont(path, 0, font.name)


if __name__ == "__main__":  # python -m kiosk.documents.fonts: build the common face
    import sys
    import time

    start = time.monotonic()
    try:
        face = build_common_face(find_cjk_font())
    except (FontNotFound, OSError) as err:
        print(f"fonts: common face not built: {err}", file=sys.stderr)
        sys.exit(1)
    print(f"fonts: common face {face.path} ({time.monotonic() - start:.1f} s)")
