"""Presence: the YuNet model is checked before it loads, a face held for a few frames
wakes the kiosk, none for a while rests it; driven frame by frame with explicit times."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import pytest

from drivers.camera.emulated import EmulatedCamera
from drivers.problem import ProblemError
from kiosk.presence import (
    MODEL_FILE,
    MODEL_SHA256,
    FaceDetector,
    PresenceMonitor,
    PresenceSensor,
    PresenceWorker,
)
from tests.helpers.faces import astronaut, frame_with_face, step_in_and_out, wall


@pytest.fixture(scope="module")
def detector() -> FaceDetector:
    return FaceDetector()


def test_the_shipped_model_has_the_documented_hash() -> None:
    readme = (MODEL_FILE.parent / "README.md").read_text(encoding="utf-8")
    assert MODEL_SHA256 in readme and "MIT" in readme


def test_a_model_with_another_hash_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "face_detection_yunet_2026may.onnx"
    data = bytearray(MODEL_FILE.read_bytes())
    data[-1] ^= 0xFF
    bad.write_bytes(bytes(data))
    with pytest.raises(ProblemError) as err:
        FaceDetector(bad)
    problem = err.value.problem
    assert problem.code == "presence.model_hash"
    assert problem.param("expected") == MODEL_SHA256[:16]
    from kiosk.messages import words

    assert "SHA-256" in words(problem, "en") and "拒绝加载" in words(problem, "zh")


def test_a_missing_model_says_where_it_was_looked_for(tmp_path: Path) -> None:
    with pytest.raises(ProblemError) as err:
        FaceDetector(tmp_path / "nothing.onnx")
    assert err.value.problem.code == "presence.model_missing"
    assert err.value.problem.param("path").endswith("nothing.onnx")


def test_a_file_with_the_right_hash_loads_from_anywhere(tmp_path: Path) -> None:
    copy = tmp_path / "m.onnx"
    shutil.copy(MODEL_FILE, copy)
    assert FaceDetector(copy).detect(wall(320, 240)) == []


@pytest.mark.parametrize(("width", "height"), [(640, 360), (1280, 720), (320, 240), (480, 640)])
def test_the_astronaut_is_found_and_boxed_in_frame_pixels(detector: FaceDetector, width: int,
                                                          height: int) -> None:
    size = min(width, height) * 4 // 5
    left = (width - size) // 2
    faces = detector.detect(frame_with_face(width, height, left, astronaut(size)))
    assert len(faces) == 1 and faces[0].score > 0.8
    face = faces[0]
    assert left <= face.x and face.x + face.w <= left + size  # inside the photo, frame pixels
    assert detector.detect(wall(width, height)) == []


def test_sensor_rule_with_exact_times() -> None:
    sensor = PresenceSensor(frames_to_wake=3, seconds_to_rest=5.0)
    seen = [sensor.update(face, t) for t, face in
            [(0, True), (1, True), (2, False), (3, True), (4, True), (5, True), (6, True),
             (7, False), (10.9, False), (11.0, False), (13, False)]]
    assert seen == [None, None, None, None, None, True, None, None, None, False, None]
    assert sensor.update(True, 14) is None and sensor.reset() is None


def test_the_synthetic_video_wakes_and_rests(detector: FaceDetector,
                                             caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="kiosk.presence")
    monitor = PresenceMonitor(detector, PresenceSensor(frames_to_wake=3, seconds_to_rest=8.0),
                              fps=4)
    changes: list[tuple[bool, float]] = []
    first_in = last_in = None
    t = 0.0
    for t, frame, in_view in step_in_and_out():
        change = monitor.offer(frame, t)
        if change is not None:
            changes.append((change, t))
        if in_view:
            first_in = t if first_in is None else first_in
            last_in = t
    assert first_in is not None and last_in is not None
    assert [c for c, _ in changes] == [True, False]
    (_, woke), (_, rested) = changes
    assert first_in - 0.5 <= woke <= first_in + 1.5  # three looks at 4 fps (the slide helps)
    assert last_in + 8.0 - 0.5 <= rested <= last_in + 8.0 + 1.0
    assert 4 * t - 2 <= monitor.frames_looked_at <= 4 * t + 2  # 4 of every 15 camera frames
    assert not monitor.present
    assert [r.getMessage() for r in caplog.records if r.name == "kiosk.presence"] == [
        "presence on", "presence off"]  # nothing else about anyone


def test_off_while_the_camera_is_used_for_something_else(detector: FaceDetector) -> None:
    monitor = PresenceMonitor(detector, PresenceSensor(frames_to_wake=1, seconds_to_rest=5), fps=4)
    heard: list[bool] = []
    monitor.add_listener(heard.append)
    face = frame_with_face(640, 360, 200, astronaut(288))
    assert monitor.offer(face, 0.0) is True
    monitor.set_active(False)  # scanning: presence ends, frames are not looked at
    assert heard == [True, False] and monitor.last_faces == []
    assert monitor.offer(face, 10.0) is None and monitor.frames_looked_at == 1
    monitor.set_active(True)
    assert monitor.offer(face, 11.0) is True


def test_a_listener_failure_is_logged_not_raised(detector: FaceDetector) -> None:
    monitor = PresenceMonitor(detector, PresenceSensor(frames_to_wake=1), fps=4)
    monitor.add_listener(lambda on: 1 / 0)  # type: ignore[func-returns-value]
    heard: list[bool] = []
    monitor.add_listener(heard.append)
    assert monitor.offer(frame_with_face(640, 360, 200, astronaut(288)), 0.0) is True
    assert heard == [True]


def test_the_worker_feeds_frames_from_a_camera(detector: FaceDetector, tmp_path: Path) -> None:
    """The thread end to end on the emulated camera playing the face (waits on an event)."""
    import threading

    import cv2

    cv2.imwrite(str(tmp_path / "face.png"), frame_with_face(640, 360, 176, astronaut(288)))
    camera = EmulatedCamera(fps=30, width=640, height=360)
    camera.play([tmp_path / "face.png"])  # the face held up
    monitor = PresenceMonitor(detector, PresenceSensor(frames_to_wake=2, seconds_to_rest=5),
                              fps=5)
    woke = threading.Event()
    monitor.add_listener(lambda on: woke.set() if on else None)
    worker = PresenceWorker(lambda: camera, monitor)
    worker.start()
    try:
        assert woke.wait(20)
    finally:
        worker.stop()
    assert monitor.present and worker.problem is None


def test_the_worker_without_a_camera_reports_it(detector: FaceDetector) -> None:
    camera = EmulatedCamera(fps=30)
    camera.unplug()
    worker = PresenceWorker(lambda: camera, PresenceMonitor(detector, PresenceSensor()))
    worker.start()
    worker.stop(timeout=10)
    assert worker.problem is not None and worker.problem.code == "presence.no_camera"


def test_presence_looks_only_on_the_attract_screen_with_the_camera_free(
        detector: FaceDetector, tmp_path: Path) -> None:
    from kiosk.presence import follow_session
    from tests.helpers.app import kiosk_core

    rig = kiosk_core(tmp_path / "data")
    try:
        monitor = PresenceMonitor(detector, PresenceSensor(frames_to_wake=1), fps=4)
        follow_session(monitor, rig.session)
        assert monitor.active
        rig.session.use_camera()  # the camera scans codes now: presence is off
        assert not monitor.active
        rig.session.finish()
        assert monitor.active
        rig.session.code_scanned(rig.qr(rig.orders()[0]))
        assert not monitor.active  # a walk-in is under way
    finally:
        rig.close()
