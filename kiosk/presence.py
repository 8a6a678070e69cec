"""Presence: is a person standing at the kiosk? A camera-based sensor, identifying no one.

While the camera is idle on the attract screen, frames are looked at 3-5 times a
second with OpenCV's YuNet face detector (``cv2.FaceDetectorYN``, the model in
``assets/models/``, its SHA-256 checked at every load) on 320x240 frames. A
face seen in ``frames_to_wake`` frames in a row turns presence on; no face for
``seconds_to_rest`` seconds turns it off. Listeners hear on/off and nothing
else.

Presence only, by construction: a frame is looked at and dropped (never
stored, copied out or sent anywhere), a face is never compared with anything
(no embeddings, no recogniser), and the log says "presence on" / "presence
off" and nothing more. The last boxes are kept in memory only for the
diagnostics preview.

Pieces, each testable alone: :class:`FaceDetector` (the model),
:class:`PresenceSensor` (the on/off rule, pure, driven with explicit times),
:class:`PresenceMonitor` (rate, detection, sensor, listeners: ``offer(frame,
now)``) and :class:`PresenceWorker` (a thread feeding a monitor from a
:class:`~drivers.camera.source.FrameSource`).
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from drivers.camera.source import CameraUnavailable, FrameSource
from kiosk.flow.states import Screen, SessionData
from kiosk.messages import Problem, ProblemError

__all__ = ["INPUT_SIZE", "MODEL_FILE", "MODEL_SHA256", "Face", "FaceDetector",
           "PresenceMonitor", "PresenceSensor", "PresenceWorker", "check_model",
           "follow_session", "looks_for_people"]

log = logging.getLogger("kiosk.presence")

MODEL_FILE = Path(__file__).resolve().parent.parent / "assets" / "models" / \
    "face_detection_yunet_2026may.onnx"
MODEL_SHA256 = "ebafce4e3c118d6554634be5c27ab333b4c047a9a8c3faf1d7cf93101c22f0f0"
INPUT_SIZE = (320, 240)  # width, height the detector looks at


@dataclass(frozen=True)
class Face:
    """A detection box in the frame's own pixels, with the detector's score."""

    x: float
    y: float
    w: float
    h: float
    score: float


def check_model(path: Path, sha256: str) -> None:
    """Refuse a missing model, or one whose SHA-256 is not ``sha256``: ProblemError."""
    try:
        data = path.read_bytes()
    except OSError:
        raise ProblemError(Problem.of("presence.model_missing", path=str(path))) from None
    actual = hashlib.sha256(data).hexdigest()
    if actual != sha256:
        raise ProblemError(Problem.of("presence.model_hash", path=str(path),
                                      actual=actual[:16], expected=sha256[:16]))


class FaceDetector:
    """YuNet on 320x240: the frame is scaled to fit and padded (no stretching)."""

    def __init__(self, model: Path = MODEL_FILE, sha256: str = MODEL_SHA256, *,
                 score_threshold: float = 0.8) -> None:
        check_model(model, sha256)
        import cv2

        try:
            self._net: Any = cv2.FaceDetectorYN.create(str(model), "", INPUT_SIZE,
                                                       score_threshold, 0.3, 50)
        except cv2.error as err:
            raise ProblemError(Problem.of("presence.model_bad",
                                          detail=str(err).strip()[:200])) from None
        self._canvas = np.zeros((INPUT_SIZE[1], INPUT_SIZE[0], 3), np.uint8)

    def detect(self, frame: np.ndarray) -> list[Face]:
        import cv2

        if frame.ndim == 2:
            frame = cv2.cvtColor(frame, cv2.COLOR_GRAY2BGR)
        height, width = frame.shape[:2]
        scale = min(INPUT_SIZE[0] / width, INPUT_SIZE[1] / height)
        w, h = max(1, round(width * scale)), max(1, round(height * scale))
        small = cv2.resize(frame, (w, h), interpolation=cv2.INTER_AREA) \
            if (w, h) != (width, height) else frame
        canvas = self._canvas
        canvas[:] = 0
        canvas[:h, :w] = small
        _, found = self._net.detect(canvas)
        if found is None:
            return []
        return [Face(float(r[0]) / scale, float(r[1]) / scale, float(r[2]) / scale,
                     float(r[3]) / scale, float(r[14])) for r in found]


class PresenceSensor:
    """The on/off rule: ``frames_to_wake`` face frames in a row -> on; no face for
    ``seconds_to_rest`` -> off. Times come from the caller (tests drive it exactly)."""

    def __init__(self, frames_to_wake: int = 3, seconds_to_rest: float = 8.0) -> None:
        if frames_to_wake < 1 or seconds_to_rest <= 0:
            raise ValueError("frames_to_wake >= 1 and seconds_to_rest > 0")
        self.frames_to_wake = frames_to_wake
        self.seconds_to_rest = seconds_to_rest
        self.present = False
        self._streak = 0
        self._last_face = 0.0

    def update(self, face: bool, now: float) -> bool | None:
        """Feed one looked-at frame; returns the new state when it changed, else None."""
        if face:
            self._streak += 1
            self._last_face = now
            if not self.present and self._streak >= self.frames_to_wake:
                self.present = True
                return True
            return None
        self._streak = 0
        if self.present and now - self._last_face >= self.seconds_to_rest:
            self.present = False
            return False
        return None

    def reset(self) -> bool | None:
        """Forget everything; returns False when that turned presence off."""
        was = self.present
        self.present, self._streak = False, 0
        return False if was else None


PresenceListener = Callable[[bool], None]


class PresenceMonitor:
    """Rate limit + detector + sensor + listeners. ``offer`` may be called for every
    camera frame: only ``fps`` of them a second are looked at. Thread-safe."""

    def __init__(self, detector: FaceDetector, sensor: PresenceSensor, fps: float = 4) -> None:
        self.detector = detector
        self.sensor = sensor
        self.interval = 1.0 / fps
        self._next = float("-inf")
        self._lock = threading.Lock()
        self._listeners: list[PresenceListener] = []
        self.active = True
        self.last_faces: list[Face] = []  # for the diagnostics preview only (in memory)
        self.last_frame_size = (0, 0)  # width, height: where the boxes are drawn
        self.frames_looked_at = 0
        self.detect_seconds = 0.0  # wall time spent detecting (diagnostics shows the mean)

    def add_listener(self, listener: PresenceListener) -> None:
        self._listeners.append(listener)

    @property
    def present(self) -> bool:
        return self.sensor.present

    def set_active(self, active: bool) -> None:
        """Off while the camera scans codes or takes a photo; turning off ends presence."""
        with self._lock:
            self.active = active
            change = None if active else self.sensor.reset()
            self.last_faces = []
        self._announce(change)

    def offer(self, frame: np.ndarray, now: float) -> bool | None:
        """Look at ``frame`` if it is time to; returns the new state on a change."""
        with self._lock:
            if not self.active or now < self._next:
                return None
            # The next slot on a fixed grid, so a camera at 15 or 30 fps gives fps on
            # average; after a gap (a slow camera, a pause) the grid starts again.
            behind = now - self._next >= self.interval
            self._next = now + self.interval if behind else self._next + self.interval
            started = time.perf_counter()
            faces = self.detector.detect(frame)
            self.detect_seconds += time.perf_counter() - started
            self.frames_looked_at += 1
            self.last_faces = faces
            self.last_frame_size = (int(frame.shape[1]), int(frame.shape[0]))
            change = self.sensor.update(bool(faces), now)
        self._announce(change)
        return change

    def mean_detect_ms(self) -> float:
        return 1000 * self.detect_seconds / self.frames_looked_at if self.frames_looked_at else 0.0

    def _announce(self, change: bool | None) -> None:
        if change is None:
            return
        log.info("presence on" if change else "presence off",
                 extra={"event": "presence.on" if change else "presence.off"})
        for listener in list(self._listeners):
            try:
                listener(change)
            except Exception:
                log.exception("presence listener failed", extra={"event": "presence.listener_failed"})


class PresenceWorker:
    """A thread reading a :class:`FrameSource` and offering each frame to a monitor.

    For when no other part holds the camera (the scanning camera device, when it
    runs, should offer its idle frames to the monitor instead). Stops by flag and
    join; closing the source unblocks a read."""

    def __init__(self, source_factory: Callable[[], FrameSource], monitor: PresenceMonitor,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.source_factory = source_factory
        self.monitor = monitor
        self.clock = clock
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._source: FrameSource | None = None
        self.problem: Problem | None = None

    def start(self) -> None:
        if self._thread is not None and self._thread.is_alive():
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="presence", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 2.0) -> None:
        self._stop.set()
        source = self._source
        if source is not None:
            source.close()
        if self._thread is not None:
            self._thread.join(timeout)

    def _run(self) -> None:
        source = self.source_factory()
        try:
            source.open()
        except (CameraUnavailable, OSError) as err:
            self.problem = Problem.of("presence.no_camera", detail=str(err)[:200])
            log.warning("presence: no camera", extra={"event": "presence.no_camera"})
            return
        self._source = source
        try:
            while not self._stop.is_set():
                frame = source.read()
                if frame is None:
                    break
                self.monitor.offer(frame, self.clock())
        finally:
            self._source = None
            source.close()


class _SessionLike(Protocol):
    screen: Screen
    data: SessionData

    def add_listener(self, listener: Callable[[Any], None]) -> None: ...


def looks_for_people(session: _SessionLike) -> bool:
    """Presence looks only while the kiosk rests on the attract screen and nobody
    uses the camera (scanning a code, taking a photo)."""
    return session.screen is Screen.ATTRACT and not session.data.camera_on


def follow_session(monitor: PresenceMonitor, session: _SessionLike) -> None:
    """Keep ``monitor`` active exactly while :func:`looks_for_people` holds."""

    def update(current: Any) -> None:
        wanted = looks_for_people(current)
        if wanted != monitor.active:
            monitor.set_active(wanted)

    session.add_listener(update)
    update(session)
