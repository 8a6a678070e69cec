"""zxing-cpp vs pyzbar on generated, degraded 1280x720 camera frames.

Seven kinds of frame (clean, small, rotated, perspective, blur, noise, low
contrast), 24 each with different payloads and parameters from a fixed seed.
For each decoder and kind: how many frames decode to the right text, and the
median milliseconds per frame. Both decoders see the same grayscale frames,
interleaved frame by frame.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

import cv2
import numpy as np

from bench.runner import Runner
from drivers.camera import make_decoder
from drivers.camera.synth import BACKGROUND, HEIGHT, WIDTH, degrade, qr_frame

PER_KIND = 24


def _payload(rng: np.random.Generator, i: int) -> str:
    order = f"ORD-2026{int(rng.integers(1, 13)):02d}{int(rng.integers(1, 29)):02d}-{i:04d}"
    return f"https://kiosk.example.invalid/o/{order}?sig={rng.bytes(6).hex()}"


def _center(rng: np.random.Generator, half: int) -> tuple[int, int]:
    return (int(rng.integers(half + 10, WIDTH - half - 10)),
            int(rng.integers(half + 10, HEIGHT - half - 10)))


def _clean(rng, text):
    size = int(rng.integers(280, 420))
    return qr_frame(text, size, center=_center(rng, size // 2))


def _small(rng, text):
    size = int(rng.integers(95, 135))  # about 2.3 to 3.3 pixels a module
    return qr_frame(text, size, center=_center(rng, size // 2))


def _rotated(rng, text):
    frame = qr_frame(text, int(rng.integers(280, 380)))
    angle = float(rng.uniform(10, 80))
    m = cv2.getRotationMatrix2D((WIDTH / 2, HEIGHT / 2), angle, 1.0)
    return cv2.warpAffine(frame, m, (WIDTH, HEIGHT), borderValue=(BACKGROUND,) * 3)


def _perspective(rng, text):
    size = 360
    frame = qr_frame(text, size)
    x0, y0 = (WIDTH - size) // 2, (HEIGHT - size) // 2
    src = np.float32([[x0, y0], [x0 + size, y0], [x0 + size, y0 + size], [x0, y0 + size]])
    jitter = rng.uniform(-0.22, 0.22, (4, 2)) * size
    dst = (src + jitter).astype(np.float32)
    m = cv2.getPerspectiveTransform(src, dst)
    return cv2.warpPerspective(frame, m, (WIDTH, HEIGHT), borderValue=(BACKGROUND,) * 3)


def _blur(rng, text):
    return degrade(qr_frame(text, 320), blur=float(rng.uniform(1.5, 3.5)))


def _noise(rng, text):
    return degrade(qr_frame(text, 320), noise=float(rng.uniform(25, 50)), rng=rng)


def _low_contrast(rng, text):
    frame = qr_frame(text, 320).astype(np.float32)
    dark, light = float(rng.uniform(95, 120)), float(rng.uniform(135, 160))
    frame = dark + (frame / 255.0) * (light - dark)
    return degrade(frame.astype(np.uint8), noise=3.0, rng=rng)


KINDS: dict[str, Callable[[np.random.Generator, str], np.ndarray]] = {
    "clean": _clean, "small": _small, "rotated": _rotated, "perspective": _perspective,
    "blur": _blur, "noise": _noise, "low contrast": _low_contrast,
}


def frames(seed: int = 20260101) -> dict[str, list[tuple[str, np.ndarray]]]:
    rng = np.random.default_rng(seed)
    out: dict[str, list[tuple[str, np.ndarray]]] = {}
    for kind, make in KINDS.items():
        out[kind] = []
        for i in range(PER_KIND):
            text = _payload(rng, i)
            out[kind].append((text, cv2.cvtColor(make(rng, text), cv2.COLOR_BGR2GRAY)))
    return out


def run(r: Runner) -> None:
    decoders = {name: make_decoder(name) for name in ("zxing", "pyzbar")}
    data = frames()
    hits = {(n, k): 0 for n in decoders for k in data}
    times: dict[tuple[str, str], list[float]] = {(n, k): [] for n in decoders for k in data}
    for kind, items in data.items():
        for text, gray in items:
            for name, decoder in decoders.items():  # interleaved, frame by frame
                t0 = time.perf_counter()
                result = decoder.decode(gray)
                times[(name, kind)].append((time.perf_counter() - t0) * 1e3)
                hits[(name, kind)] += result == [text]
    rows = []
    for kind in data:
        z, p = ("zxing", kind), ("pyzbar", kind)
        zm, pm = statistics.median(times[z]), statistics.median(times[p])
        rows.append([kind, f"{hits[z]}/{PER_KIND}", f"{zm:.1f}", f"{hits[p]}/{PER_KIND}",
                     f"{pm:.1f}", f"{pm / zm:.1f}x"])
    total = PER_KIND * len(data)
    zt = sum(hits[("zxing", k)] for k in data)
    pt = sum(hits[("pyzbar", k)] for k in data)
    zall = statistics.median([t for k in data for t in times[("zxing", k)]])
    pall = statistics.median([t for k in data for t in times[("pyzbar", k)]])
    rows.append(["all", f"{zt}/{total}", f"{zall:.1f}", f"{pt}/{total}", f"{pall:.1f}",
                 f"{pall / zall:.1f}x"])
    r.table("QR decoders on degraded 1280x720 frames (decoded right / median ms a frame)",
            ["frames", "zxing-cpp", "zxing ms", "pyzbar", "pyzbar ms", "pyzbar/zxing time"],
            rows)
