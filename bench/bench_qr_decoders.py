"""zxing-cpp vs pyzbar on generated, degraded 1280x720 camera frames.

Seven kinds of frame (clean, small, rotated, perspective, blur, noise, low
contrast), 24 each with different payloads and parameters from a fixed seed.
For each decoder and kind: how many frames decode to the right text, and the
median milliseconds per frame. Every decoder sees the same grayscale frames,
interleaved frame by frame: the camera's old decoder (zxing-cpp over every
format, one pass), today's zxing decoder over every format and over QR only
(the default ``devices.camera.formats``; both retry a found-but-unread symbol
at half size), and pyzbar over QR only.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

import cv2
import numpy as np

from bench.runner import Runner
from drivers.camera.decoders import Decoder, make_decoder
from drivers.camera.formats import FORMATS
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


# name -> (decoder, formats): the old default searched every format zxing-cpp
# knows; the camera's default now is QR only (``devices.camera.formats``).
DECODERS = {
    "zxing all formats": ("zxing", ",".join(FORMATS)),
    "zxing qr (default)": ("zxing", "qr"),
    "pyzbar qr": ("pyzbar", "qr"),
}


class _Before:
    """The camera's decoder before formats were a setting: every format, one pass."""

    def __init__(self) -> None:
        import zxingcpp

        self._read = zxingcpp.read_barcodes

    def decode(self, gray: np.ndarray) -> list[str]:
        return [b.text for b in self._read(gray) if b.valid and b.text]


def run(r: Runner) -> None:
    decoders: dict[str, Decoder | _Before] = {"before: zxing every format": _Before()}
    decoders |= {label: make_decoder(name, formats) for label, (name, formats) in DECODERS.items()}
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
    total = PER_KIND * len(data)
    header = ["frames"]
    for name in decoders:
        header += [name, "ms"]
    rows = []
    for kind in data:
        row = [kind]
        for name in decoders:
            row += [f"{hits[(name, kind)]}/{PER_KIND}", f"{statistics.median(times[(name, kind)]):.1f}"]
        rows.append(row)
    summary = ["all (median)"]
    means = ["all (mean ms)"]
    for name in decoders:
        got = sum(hits[(name, k)] for k in data)
        every = [t for k in data for t in times[(name, k)]]
        summary += [f"{got}/{total} ({100 * got / total:.1f}%)", f"{statistics.median(every):.2f}"]
        means += ["", f"{statistics.mean(every):.2f}"]
    rows += [summary, means]
    r.table("QR decoders on degraded 1280x720 frames (decoded right / median ms a frame)",
            header, rows)
    base = statistics.median([t for k in data for t in times[("before: zxing every format", k)]])
    rows = [[name, f"{statistics.median([t for k in data for t in times[(name, k)]]) / base:.2f}x"]
            for name in decoders]
    r.table("median ms a frame, ratio to before (same run)", ["decoder", "ratio"], rows)
