"""``CameraDevice``: capture, decode and preview on a worker thread.

The worker reads frames from a :class:`FrameSource`, decodes each with the
configured decoder, reports every code once per appearance (see
:class:`RepeatFilter`) to ``on_code`` callbacks, and hands preview frames to
``on_preview`` callbacks as BGR ``numpy`` arrays (scaled to ``preview_width``,
owning their pixels) at no more than ``preview_fps``; the UI makes pictures of
them (drivers import no Qt). A
camera that cannot be opened or stops giving frames ends the worker with
status OFFLINE and a message; the device manager reopens it. Callbacks run on
the worker thread (the UI adapts them to queued signals).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from typing import Any

import cv2
import numpy as np

from drivers.base import DeviceStatus, StatusPublisher
from drivers.camera.decoders import Decoder
from drivers.camera.dedupe import RepeatFilter
from drivers.camera.source import CameraUnavailable, FrameSource
from drivers.contract import Frame, FrameCallback
from drivers.problem import Problem

log = logging.getLogger("drivers.camera")

PreviewCallback = FrameCallback


def preview_frame(frame: Frame, max_width: int | None = None) -> Frame:
    """A BGR frame scaled down to ``max_width`` that owns its pixels (a copy, never a
    view of the source's buffer, so it is safe to hand to another thread)."""
    if max_width and frame.shape[1] > max_width:
        scale = max_width / frame.shape[1]
        return np.ascontiguousarray(cv2.resize(frame, (max_width, round(frame.shape[0] * scale)),
                                               interpolation=cv2.INTER_AREA))
    return np.array(frame, dtype=np.uint8, order="C", copy=True)


class CameraDevice:
    name = "camera"

    def __init__(self, source_factory: Callable[[], FrameSource], decoder: Decoder, *,
                 preview_fps: float = 10.0, preview_width: int | None = 640,
                 repeat_filter: RepeatFilter | None = None) -> None:
        self.source_factory = source_factory
        self.decoder = decoder
        self.preview_fps = preview_fps
        self.preview_width = preview_width
        self.repeat_filter = repeat_filter or RepeatFilter()
        self.publisher = StatusPublisher(self.name)
        self._codes: list[Callable[[str], None]] = []
        self._previews: list[PreviewCallback] = []
        self._idle: list[FrameCallback] = []
        self._stop = threading.Event()
        self._active = threading.Event()
        self._active.set()
        self._thread: threading.Thread | None = None
        self._source: FrameSource | None = None
        self.frames_decoded = 0

    def on_code(self, callback: Callable[[str], None]) -> None:
        self._codes.append(callback)

    def on_preview(self, callback: PreviewCallback) -> None:
        self._previews.append(callback)

    def on_idle_frame(self, callback: FrameCallback) -> None:
        """``callback(frame)`` for each frame read while paused (a presence sensor looks
        at them; they are neither decoded nor previewed). Called on the worker thread
        with the source's own frame: a callback that keeps it must copy it."""
        self._idle.append(callback)

    @property
    def active(self) -> bool:
        return self._active.is_set()

    def pause(self) -> None:
        """Keep the camera open but neither decode nor preview (nobody is looking)."""
        self._active.clear()

    def resume(self) -> None:
        self.repeat_filter.reset()
        self._active.set()

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> None:
        if self.running:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="camera-worker", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 2.0) -> None:
        self._stop.set()
        source = self._source
        if source is not None:
            source.close()  # unblocks a read
        if self._thread is not None:
            self._thread.join(timeout)
            if self._thread.is_alive():
                log.error("camera worker did not stop within %.1fs", timeout,
                          extra={"event": "camera.stop_timeout"})

    def _run(self) -> None:
        source = self.source_factory()
        try:
            source.open()
        except CameraUnavailable as err:
            self.publisher.publish(DeviceStatus.OFFLINE, Problem.of("camera.unavailable"), str(err))
            return
        except Exception as err:  # a backend's own failure: stays at the boundary
            self.publisher.publish(DeviceStatus.OFFLINE, Problem.of("camera.unavailable"),
                                   f"{type(err).__name__}: {err}")
            return
        self._source = source
        self.repeat_filter.reset()
        self.publisher.publish(DeviceStatus.READY)
        try:
            self._loop(source)
        except Exception as err:  # a bug must surface as a status, not a silent dead thread
            log.exception("camera worker failed", extra={"event": "camera.worker_failed"})
            self.publisher.publish(DeviceStatus.ERROR, Problem.of("camera.program_error"),
                                   f"{type(err).__name__}: {err}")
        finally:
            self._source = None
            source.close()

    def _loop(self, source: FrameSource) -> None:
        last_preview = 0.0
        while not self._stop.is_set():
            frame = source.read()
            if frame is None:
                if not self._stop.is_set():
                    self.publisher.publish(DeviceStatus.OFFLINE, Problem.of("camera.no_frames"),
                                           "the source gave no frame")
                return
            if not self._active.is_set():
                # paused: frames are read (the camera stays live), shown to an idle
                # watcher if any, and dropped
                if self._idle:
                    self._call(self._idle, frame)
                continue
            now = time.monotonic()
            gray: Frame = (frame if frame.ndim == 2
                           else np.asarray(cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY), np.uint8))
            for code in self.repeat_filter.update(self.decoder.decode(gray), now):
                log.info("camera decoded a code (%d chars)", len(code),
                         extra={"event": "camera.code"})
                self._call(self._codes, code)
            self.frames_decoded += 1
            if self._previews and now - last_preview >= 1.0 / self.preview_fps:
                last_preview = now
                self._call(self._previews, preview_frame(frame, self.preview_width))

    @staticmethod
    def _call(callbacks: Sequence[Callable[[Any], None]], arg: object) -> None:
        for callback in list(callbacks):
            try:
                callback(arg)
            except Exception:
                log.exception("camera callback failed")
