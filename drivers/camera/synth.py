"""Synthetic camera frames: a QR code on a 1280x720 scene, with blur and noise.

Used by the emulated camera and the decoder benchmark.
"""

from __future__ import annotations

import cv2
import numpy as np
import qrcode

WIDTH, HEIGHT = 1280, 720
BACKGROUND = 200  # a light grey counter top


def qr_matrix(text: str) -> np.ndarray:
    """The code's modules, quiet zone included: 0 = dark, 255 = light (uint8)."""
    qr = qrcode.QRCode(border=4, error_correction=qrcode.constants.ERROR_CORRECT_M)
    qr.add_data(text.encode("utf-8"))
    qr.make(fit=True)
    modules = np.array(qr.get_matrix(), dtype=bool)
    return np.where(modules, 0, 255).astype(np.uint8)


def qr_frame(text: str, code_px: int = 360, width: int = WIDTH, height: int = HEIGHT,
             center: tuple[int, int] | None = None) -> np.ndarray:
    """A BGR frame with the code ``code_px`` pixels wide (quiet zone included)."""
    frame = np.full((height, width, 3), BACKGROUND, dtype=np.uint8)
    code = cv2.resize(qr_matrix(text), (code_px, code_px), interpolation=cv2.INTER_NEAREST)
    cx, cy = center or (width // 2, height // 2)
    x0, y0 = cx - code_px // 2, cy - code_px // 2
    frame[y0:y0 + code_px, x0:x0 + code_px] = code[:, :, None]
    return frame


def blank_frame(width: int = WIDTH, height: int = HEIGHT) -> np.ndarray:
    return np.full((height, width, 3), BACKGROUND, dtype=np.uint8)


def degrade(frame: np.ndarray, blur: float = 0.0, noise: float = 0.0,
            rng: np.random.Generator | None = None) -> np.ndarray:
    """Gaussian blur (sigma in pixels) and additive Gaussian noise (std in grey levels)."""
    out = frame
    if blur > 0:
        out = cv2.GaussianBlur(out, (0, 0), sigmaX=blur)
    if noise > 0:
        rng = rng or np.random.default_rng()
        noisy = out.astype(np.int16) + rng.normal(0, noise, out.shape).astype(np.int16)
        out = np.clip(noisy, 0, 255).astype(np.uint8)
    return out
