"""A synthetic video of a person stepping up to the kiosk and leaving.

The face is the public-domain astronaut photo (tests/data/astronaut.jpg, see
tests/data/README.md) slid in from the right edge, held in the middle, and
slid out to the left, over a plain wall. Frames come with their timestamps,
so a test drives presence deterministically: no camera, no clock, no sleeps.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

import cv2
import numpy as np

ASTRONAUT = Path(__file__).resolve().parent.parent / "data" / "astronaut.jpg"


def astronaut(size: int) -> np.ndarray:
    image = cv2.imread(str(ASTRONAUT))
    if image is None:
        raise FileNotFoundError(ASTRONAUT)
    return cv2.resize(image, (size, size), interpolation=cv2.INTER_AREA)


def wall(width: int, height: int) -> np.ndarray:
    """A plain, slightly shaded wall: no face anywhere (a fresh copy each call)."""
    return _wall(width, height).copy()


@lru_cache(maxsize=4)
def _wall(width: int, height: int) -> np.ndarray:
    column = np.linspace(150, 190, width, dtype=np.float32)
    return np.repeat(column[None, :, None], height, axis=0).repeat(3, axis=2).astype(np.uint8)


def frame_with_face(width: int, height: int, left: int, face: np.ndarray) -> np.ndarray:
    """The wall with ``face`` placed at x = ``left`` (partly or wholly outside is fine)."""
    out = wall(width, height)
    size = face.shape[0]
    top = (height - size) // 2
    x0, x1 = max(0, left), min(width, left + size)
    if x1 > x0:
        out[top:top + size, x0:x1] = face[:, x0 - left:x1 - left]
    return out


def step_in_and_out(*, width: int = 640, height: int = 360, fps: float = 15.0,
                    empty_s: float = 2.0, slide_s: float = 1.0, hold_s: float = 4.0,
                    after_s: float = 12.0) -> Iterator[tuple[float, np.ndarray, bool]]:
    """(time, frame, face wholly in view) for: an empty wall, the face sliding in from
    the right, held in the middle, sliding out to the left, the empty wall again."""
    face = astronaut(int(height * 0.8))
    empty = wall(width, height)
    size = face.shape[0]
    centre = (width - size) // 2
    phases = [("empty", empty_s), ("in", slide_s), ("hold", hold_s), ("out", slide_s),
              ("empty", after_s)]
    t = 0.0
    for name, seconds in phases:
        frames = round(seconds * fps)
        for i in range(frames):
            k = i / max(1, frames - 1)
            if name == "empty":
                yield t, empty, False
            else:
                left = {"in": round(width - k * (width - centre)),
                        "hold": centre,
                        "out": round(centre - k * (centre + size))}[name]
                yield t, frame_with_face(width, height, left, face), 0 <= left <= width - size
            t += 1.0 / fps
