"""Frame sources: the OpenCV capture (device index, file or stream URL)."""

from __future__ import annotations

from typing import Any, Protocol

import numpy as np


class CameraUnavailable(RuntimeError):
    """The camera cannot be opened or stopped giving frames."""


class FrameSource(Protocol):
    def open(self) -> None:
        """Start capturing; raises :class:`CameraUnavailable`."""

    def read(self) -> np.ndarray | None:
        """The next BGR frame (blocks at the camera's rate); None when the camera is gone."""

    def close(self) -> None: ...


class OpenCvSource:
    """``cv2.VideoCapture`` on ``source``: "0" (an index), a file path or a stream URL."""

    def __init__(self, source: str, width: int = 1280, height: int = 720) -> None:
        self.source = source
        self.width = width
        self.height = height
        self._cap: Any = None  # cv2.VideoCapture once open

    def open(self) -> None:
        import cv2

        target: int | str = int(self.source) if self.source.isdigit() else self.source
        cap = cv2.VideoCapture(target)
        if not cap.isOpened():
            cap.release()
            raise CameraUnavailable(f"cannot open camera {self.source!r}")
        cap.set(cv2.CAP_PROP_FRAME_WIDTH, self.width)
        cap.set(cv2.CAP_PROP_FRAME_HEIGHT, self.height)
        self._cap = cap

    def read(self) -> np.ndarray | None:
        if self._cap is None:
            return None
        ok, frame = self._cap.read()
        return frame if ok else None

    def close(self) -> None:
        if self._cap is not None:
            self._cap.release()
            self._cap = None
