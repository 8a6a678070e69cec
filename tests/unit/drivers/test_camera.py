"""Camera: decoders (zxing-cpp and pyzbar), decode-once, previews, unplug, OpenCV capture."""

from __future__ import annotations

from collections.abc import Iterator

import cv2
import pytest
from PySide6.QtGui import QImage

from drivers.base import DeviceStatus
from drivers.camera import (
    CameraDevice,
    EmulatedCamera,
    OpenCvSource,
    RepeatFilter,
    make_decoder,
    to_qimage,
)
from drivers.camera.synth import degrade, qr_frame
from tests.helpers.devices import Recorder, StatusRecorder

ORDER_URL = "https://kiosk.example.invalid/o/ORD-20260101-0042?sig=9f8e"


@pytest.mark.parametrize("name", ["zxing", "pyzbar"])
def test_decoders_read_a_generated_frame(name: str) -> None:
    decoder = make_decoder(name)
    gray = cv2.cvtColor(qr_frame(ORDER_URL), cv2.COLOR_BGR2GRAY)
    assert decoder.decode(gray) == [ORDER_URL]
    assert decoder.decode(gray * 0 + 200) == []


@pytest.mark.parametrize("name", ["zxing", "pyzbar"])
def test_decoders_read_chinese_text(name: str) -> None:
    gray = cv2.cvtColor(qr_frame("北京示例科技有限公司"), cv2.COLOR_BGR2GRAY)
    assert make_decoder(name).decode(gray) == ["北京示例科技有限公司"]


def test_zxing_reads_a_blurred_noisy_frame() -> None:
    frame = degrade(qr_frame(ORDER_URL), blur=1.5, noise=12)
    assert make_decoder("zxing").decode(cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY)) == [ORDER_URL]


def test_unknown_decoder_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown decoder"):
        make_decoder("opencv")


def test_repeat_filter_reports_once_until_the_code_leaves() -> None:
    f = RepeatFilter(absent_frames=3, holdoff_s=2.0)
    assert f.update(["A"], 0.0) == ["A"]
    assert f.update(["A"], 0.1) == []
    assert f.update([], 0.2) == []  # a missed decode, still in view
    assert f.update(["A"], 0.3) == []
    for t in (0.4, 0.5, 0.6):
        assert f.update([], t) == []  # three frames without it: it left
    assert f.update(["A"], 1.0) == []  # back within the hold-off: not again
    for t in (1.1, 1.2, 1.3):
        f.update([], t)
    assert f.update(["A", "B"], 5.0) == ["A", "B"]  # left, hold-off over: reported again


def test_to_qimage_owns_its_pixels_and_scales() -> None:
    frame = qr_frame("X")
    image = to_qimage(frame, max_width=640)
    assert (image.width(), image.height()) == (640, 360)
    assert image.format() == QImage.Format.Format_BGR888
    full = to_qimage(frame, None)
    frame[:] = 0
    assert full.pixelColor(0, 0).red() == 200  # a copy, not a view


class CameraRig:
    def __init__(self, decoder: str = "zxing", preview_fps: float = 5.0) -> None:
        self.camera = EmulatedCamera(fps=200, seed=1)
        self.device = CameraDevice(lambda: self.camera, make_decoder(decoder),
                                   preview_fps=preview_fps,
                                   repeat_filter=RepeatFilter(absent_frames=3, holdoff_s=0.0))
        self.codes, self.previews, self.statuses = Recorder(), Recorder(), StatusRecorder()
        self.device.on_code(self.codes)
        self.device.publisher.add_listener(self.statuses)


@pytest.fixture(params=["zxing", "pyzbar"])
def rig(request) -> Iterator[CameraRig]:
    r = CameraRig(request.param)
    r.device.start()
    yield r
    r.device.stop()
    assert not r.device.running


def test_code_in_view_is_reported_once(rig: CameraRig) -> None:
    rig.statuses.wait_for(DeviceStatus.READY)
    rig.camera.show_code(ORDER_URL)
    assert rig.codes.get() == ORDER_URL
    served = rig.camera.frames_served
    rig.codes.assert_nothing(within=0.3)
    assert rig.camera.frames_served > served + 5  # many more frames held the same code
    rig.camera.clear()
    rig.camera.show_code("SECOND")
    assert rig.codes.get() == "SECOND"


def test_code_shown_again_after_leaving_is_reported_again(rig: CameraRig) -> None:
    rig.camera.show_code("AGAIN")
    assert rig.codes.get() == "AGAIN"
    rig.camera.clear()
    assert rig.camera.wait_frames(5)  # out of view for longer than absent_frames
    rig.camera.show_code("AGAIN")
    assert rig.codes.get() == "AGAIN"


def test_degraded_frames_still_decode(rig: CameraRig) -> None:
    rig.camera.set_degradation(blur=1.0, noise=8)
    rig.camera.show_code(ORDER_URL)
    assert rig.codes.get() == ORDER_URL


def test_unplug_goes_offline_and_reopens_after_replug(rig: CameraRig) -> None:
    rig.statuses.wait_for(DeviceStatus.READY)
    rig.camera.unplug()
    assert "摄像头不可用" in rig.statuses.wait_for(DeviceStatus.OFFLINE).message
    rig.device.stop()
    rig.device.start()  # still unplugged: cannot open
    assert "unplugged" in rig.statuses.wait_for(DeviceStatus.OFFLINE).message
    rig.device.stop()
    rig.camera.replug()
    rig.device.start()
    rig.statuses.wait_for(DeviceStatus.READY)
    rig.camera.show_code("BACK")
    assert rig.codes.get() == "BACK"


def test_previews_are_qimages_at_a_bounded_rate() -> None:
    r = CameraRig(preview_fps=2.0)
    previews = Recorder()
    r.device.on_preview(previews)
    r.device.start()
    try:
        first = previews.get()
        assert isinstance(first, QImage) and first.width() == 640
        frames_at_first = r.device.frames_decoded
        previews.get()
        # At 200 fps served and 2 previews a second, many frames pass between previews.
        assert r.device.frames_decoded - frames_at_first > 10
    finally:
        r.device.stop()


def test_emulated_camera_plays_image_files(tmp_path) -> None:
    for i, text in enumerate(["FILE-1", "FILE-2"]):
        cv2.imwrite(str(tmp_path / f"{i}.png"), qr_frame(text))
    r = CameraRig()
    r.device.repeat_filter = RepeatFilter(absent_frames=1, holdoff_s=100)
    r.camera.play(tmp_path)
    r.device.start()
    try:
        assert {r.codes.get(), r.codes.get()} == {"FILE-1", "FILE-2"}
        r.codes.assert_nothing(within=0.2)  # looping: each reported once (hold-off)
    finally:
        r.device.stop()


def test_opencv_source_reads_an_image_sequence(tmp_path) -> None:
    for i in range(3):
        cv2.imwrite(str(tmp_path / f"frame{i:03d}.png"), qr_frame("OPENCV-SEQ"))
    device = CameraDevice(lambda: OpenCvSource(str(tmp_path / "frame%03d.png")),
                          make_decoder("zxing"))
    codes, statuses = Recorder(), StatusRecorder()
    device.on_code(codes)
    device.publisher.add_listener(statuses)
    device.start()
    assert codes.get() == "OPENCV-SEQ"
    statuses.wait_for(DeviceStatus.OFFLINE)  # the sequence ended: no more frames
    device.stop()


def test_camera_that_cannot_be_opened_is_offline(tmp_path) -> None:
    device = CameraDevice(lambda: OpenCvSource(str(tmp_path / "no-camera.mp4")),
                          make_decoder("zxing"))
    statuses = StatusRecorder()
    device.publisher.add_listener(statuses)
    device.start()
    event = statuses.wait_for(DeviceStatus.OFFLINE)
    assert "摄像头不可用" in event.message and "no-camera.mp4" in event.message
    device.stop()


def test_decoder_failure_is_an_error_status_not_a_silent_death() -> None:
    class BrokenDecoder:
        name = "broken"

        def decode(self, gray):  # a library bug in the middle of a frame
            raise RuntimeError("decoder crashed")

    camera = EmulatedCamera(fps=100)
    device = CameraDevice(lambda: camera, BrokenDecoder())
    statuses = StatusRecorder()
    device.publisher.add_listener(statuses)
    device.start()
    assert "decoder crashed" in statuses.wait_for(DeviceStatus.ERROR).message
    device.stop()
    assert not device.running


def test_paused_camera_neither_decodes_nor_previews() -> None:
    r = CameraRig(preview_fps=50.0)
    previews = Recorder()
    r.device.on_preview(previews)
    r.device.pause()
    r.camera.show_code("WHILE-PAUSED")
    r.device.start()
    try:
        r.statuses.wait_for(DeviceStatus.READY)
        assert r.camera.wait_frames(10)  # frames flow, nothing is made of them
        assert r.device.frames_decoded == 0
        r.codes.assert_nothing(within=0.05)
        previews.assert_nothing(within=0.05)
        r.device.resume()
        assert r.codes.get() == "WHILE-PAUSED"
        assert isinstance(previews.get(), QImage)
    finally:
        r.device.stop()
