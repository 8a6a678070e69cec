"""Is the on-screen keyboard really drawn? Pixel checks on a grab of the keyboard area.

A keyboard that is drawn has key caps: in every key row there are several colours
(background, caps, glyphs) each covering a fair share of the row. A blank or black
area (the first-use defect of issue 11) has one colour; a keyboard whose bottom rows
are cut off has blank bottom bands. Used by the offscreen test and by the probe that
runs the kiosk under Xvfb.
"""

from __future__ import annotations

from collections import Counter

from PySide6.QtGui import QImage

KEY_ROWS = 4  # the letter layouts: three letter rows and the space-bar row
MIN_SHARE = 0.005  # a colour counts when it covers at least 0.5 % of a row band
MIN_COLOURS = 2  # background and key caps (glyphs are thin: counted over the whole grab)
MIN_GLYPH_COLOURS = 3  # over the whole grab: background, key caps, glyphs
MAX_DOMINANT = 0.92  # no row band is (almost) one colour


def band_stats(image: QImage, rows: int = KEY_ROWS, *, keys_from: float = 0.0,
               step: int = 3) -> list[dict[str, float]]:
    """Per horizontal band of the key area (from ``keys_from`` of the height down):
    how many colours cover ``MIN_SHARE`` each, and the share of the commonest one."""
    img = image.convertToFormat(QImage.Format.Format_RGB32)
    top = int(img.height() * keys_from)
    band_h = max(1, (img.height() - top) // rows)
    stats = []
    for band in range(rows):
        counts: Counter[int] = Counter()
        for y in range(top + band * band_h, min(img.height(), top + (band + 1) * band_h), step):
            for x in range(0, img.width(), step):
                rgb = img.pixel(x, y) & 0xFFFFFF
                counts[rgb & 0xF0F0F0] += 1  # 16 levels a channel: antialiasing is one colour
        total = sum(counts.values()) or 1
        common = counts.most_common(1)[0][1] if counts else total
        stats.append({"colours": sum(1 for c in counts.values() if c / total >= MIN_SHARE),
                      "dominant": common / total})
    return stats


def rows_drawn(stats: list[dict[str, float]]) -> list[bool]:
    return [s["colours"] >= MIN_COLOURS and s["dominant"] <= MAX_DOMINANT for s in stats]



def keyboard_drawn(image: QImage, *, keys_from: float = 0.0) -> bool:
    """Every key row of the grab has key caps drawn."""
    if image.isNull() or not all(rows_drawn(band_stats(image, keys_from=keys_from))):
        return False
    whole = band_stats(image, 1, keys_from=keys_from)[0]
    return whole["colours"] >= MIN_GLYPH_COLOURS
