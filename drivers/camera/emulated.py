"""An emulated camera: plays image files or shows generated frames holding a QR code.

It is a :class:`~drivers.camera.source.FrameSource` like the OpenCV capture:
``read()`` paces frames at ``fps`` and returns ``None`` once unplugged (and
``open()`` fails until replugged), as a real USB camera does.
Controls: ``show_code(text)``, ``clear()``, ``play(paths)``,
``set_degradation(blur=..., noise=...)``, ``unplug()``, ``replug()``.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable
from pathlib import Path

import cv2
import numpy as np

from drivers.camera import synth
from drivers.camera.source import CameraUnavailable

_IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".bmp", ".webp"}


class EmulatedCamera:
    def __init__(self, fps: float = 15.0, width: int = synth.WIDTH,
                 height: int = synth.HEIGHT, seed: int | None = None) -> None:
        self.fps = fps
        self.width = width
        self.height = height
        self._lock = threading.Lock()
        self._frame = synth.blank_frame(width, height)
        self._playlist: list[np.ndarray] = []
        self._play_index = 0
        self._blur = 0.0
        self._noise = 0.0
        self._rng = np.random.default_rng(seed)
        self._plugged = True
        self._open = False
        self._next_at = 0.0
        self._wake = threading.Event()
        self._served = threading.Condition()
        self.frames_served = 0

    # -- the simulator's controls ----------------------------------------------

    def show_code(self, text: str, code_px: int = 360) -> None:
        """Hold a QR code with ``text`` in front of the camera."""
        frame = synth.qr_frame(text, code_px, self.width, self.height)
        with self._lock:
            self._frame, self._playlist = frame, []

    def clear(self) -> None:
        """Nothing in view."""
        with self._lock:
            self._frame, self._playlist = synth.blank_frame(self.width, self.height), []

    def play(self, images: str | Path | Iterable[str | Path]) -> None:
        """Play image files in a loop: a folder (sorted) or a list of paths."""
        if isinstance(images, (str, Path)) and Path(images).is_dir():
            paths = sorted(p for p in Path(images).iterdir() if p.suffix.lower() in _IMAGE_SUFFIXES)
        elif isinstance(images, (str, Path)):
            paths = [Path(images)]
        else:
            paths = [Path(p) for p in images]
        frames = []
        for path in paths:
            image = cv2.imread(str(path), cv2.IMREAD_COLOR)
            if image is None:
                raise ValueError(f"cannot read image {path}")
            frames.append(cv2.resize(image, (self.width, self.height)))
        if not frames:
            raise ValueError("no images to play")
        with self._lock:
            self._playlist, self._play_index = frames, 0

    def set_degradation(self, blur: float = 0.0, noise: float = 0.0) -> None:
        """Gaussian blur sigma (pixels) and noise std (grey levels) on every frame."""
        with self._lock:
            self._blur, self._noise = blur, noise

    def unplug(self) -> None:
        self._plugged = False
        self._wake.set()

    def replug(self) -> None:
        self._plugged = True

    @property
    def plugged(self) -> bool:
        return self._plugged

    def wait_frames(self, count: int, timeout: float = 5.0) -> bool:
        """Wait until ``count`` more frames have been served (False on timeout)."""
        with self._served:
            target = self.frames_served + count
            return self._served.wait_for(lambda: self.frames_served >= target, timeout)

    # -- FrameSource ---------------------------------------------------------------

    def open(self) -> None:
        if not self._plugged:
            raise CameraUnavailable("emulated camera unplugged")
        self._wake.clear()
        self._open = True
        self._next_at = time.monotonic()

    def read(self) -> np.ndarray | None:
        if not (self._open and self._plugged):
            return None
        delay = self._next_at - time.monotonic()
        if delay > 0 and self._wake.wait(delay):  # pacing, cut short by unplug/close
            if not (self._open and self._plugged):
                return None
        self._next_at = max(self._next_at + 1.0 / self.fps, time.monotonic())
        with self._lock:
            if self._playlist:
                frame = self._playlist[self._play_index % len(self._playlist)]
                self._play_index += 1
            else:
                frame = self._frame
            blur, noise = self._blur, self._noise
        with self._served:
            self.frames_served += 1
            self._served.notify_all()
        return synth.degrade(frame, blur, noise, self._rng) if blur or noise else frame.copy()

    def close(self) -> None:
        self._open = False
        self._wake.set()
