"""Camera: decoders (zxing-cpp and pyzbar), decode-once, previews, unplug, OpenCV capture."""

from __future__ import annotations

import re
from collections.abc import Iterator

import cv2
import numpy as np
import pytest

from drivers.base import DeviceStatus
from drivers.camera import (
    CameraDevice,
    EmulatedCamera,
    OpenCvSource,
    RepeatFilter,
    make_decoder,
)
from drivers.camera.decoders import DecoderUnavailable
from drivers.camera.device import preview_frame
from drivers.camera.formats import FORMATS_PATTERN, parse_formats
from drivers.camera.synth import degrade, qr_frame
from drivers.problem import Problem
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


def test_preview_frames_own_their_pixels_and_scale() -> None:
    frame = qr_frame("X")
    small = preview_frame(frame, max_width=640)
    assert small.shape == (360, 640, 3) and small.dtype == np.uint8
    full = preview_frame(frame, None)
    frame[:] = 0
    assert full[0, 0, 2] == 200  # a copy, not a view


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
    assert rig.camera.wait_frames(10, timeout=10)  # many more frames hold the same code
    rig.codes.assert_nothing(within=0.05)
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
    assert rig.statuses.wait_for(DeviceStatus.OFFLINE).problem == Problem.of("camera.no_frames")
    rig.device.stop()
    rig.device.start()  # still unplugged: cannot open
    event = rig.statuses.wait_for(DeviceStatus.OFFLINE)
    assert event.problem == Problem.of("camera.unavailable") and "unplugged" in event.detail
    rig.device.stop()
    rig.camera.replug()
    rig.device.start()
    rig.statuses.wait_for(DeviceStatus.READY)
    rig.camera.show_code("BACK")
    assert rig.codes.get() == "BACK"


def test_previews_are_frames_at_a_bounded_rate() -> None:
    r = CameraRig(preview_fps=2.0)
    previews = Recorder()
    r.device.on_preview(previews)
    r.device.start()
    try:
        first = previews.get()
        assert isinstance(first, np.ndarray) and first.shape[1] == 640
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
    assert event.problem == Problem.of("camera.unavailable") and "no-camera.mp4" in event.detail
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
        assert isinstance(previews.get(), np.ndarray)
    finally:
        r.device.stop()


def test_idle_frames_go_to_a_watcher_only_while_paused() -> None:
    """The presence sensor sees the frames a paused camera drops, never decoded ones."""
    r = CameraRig(preview_fps=50.0)
    idle = Recorder()
    r.device.on_idle_frame(idle)
    r.device.pause()
    r.camera.show_code("NOT-FOR-PRESENCE")
    r.device.start()
    try:
        r.statuses.wait_for(DeviceStatus.READY)
        frame = idle.get()
        assert isinstance(frame, np.ndarray) and frame.ndim == 3
        assert r.device.frames_decoded == 0
        r.device.resume()
        assert r.codes.get() == "NOT-FOR-PRESENCE"
        while idle.items.qsize():  # frames read before resume() took effect
            idle.items.get_nowait()
        assert r.camera.wait_frames(5)
        idle.assert_nothing(within=0.05)
    finally:
        r.device.stop()


def _code128_frame(text: str) -> np.ndarray:
    """A Code 128 symbol drawn by zxing-cpp's writer on a grey 1280x720 frame."""
    import zxingcpp

    symbol = np.array(zxingcpp.create_barcode(text, zxingcpp.BarcodeFormat.Code128).to_image(scale=3))
    frame = np.full((720, 1280), 200, np.uint8)
    h, w = symbol.shape
    frame[300:300 + h, 400:400 + w] = symbol
    return frame


@pytest.mark.parametrize("name", ["zxing", "pyzbar"])
def test_decoders_search_only_the_configured_formats(name: str) -> None:
    gray = _code128_frame("KIOSK-128")
    assert make_decoder(name).decode(gray) == []  # QR only, the default
    assert make_decoder(name, "qr, code128").decode(gray) == ["KIOSK-128"]
    qr = cv2.cvtColor(qr_frame(ORDER_URL), cv2.COLOR_BGR2GRAY)
    assert make_decoder(name, "code128").decode(qr) == []


def test_formats_are_parsed_once_and_checked() -> None:
    assert parse_formats(" qr ,code128,qr") == ("qr", "code128")
    with pytest.raises(ValueError, match="unknown symbol format"):
        parse_formats("qr,barcode")
    with pytest.raises(ValueError, match="unknown symbol format"):
        make_decoder("zxing", "")
    assert re.fullmatch(FORMATS_PATTERN, "qr, data_matrix") is not None
    assert re.fullmatch(FORMATS_PATTERN, "qr,,code128") is None


def test_pyzbar_refuses_a_format_zbar_lacks() -> None:
    with pytest.raises(DecoderUnavailable, match="data_matrix"):
        make_decoder("pyzbar", "qr,data_matrix")


def test_zxing_reads_a_steep_perspective_code_at_half_size() -> None:
    """A tilted code zxing-cpp finds but cannot read at full size is retried at half size
    (frame 20 of the benchmark's perspective set, rebuilt from its corner jitter)."""
    import zxingcpp

    text = "https://kiosk.example.invalid/o/ORD-20260213-0020?sig=417764f960c1"
    jitter = np.array([[-0.17448051047866453, 0.07550644267777526],
                       [0.2167249406724093, 0.09871997179159772],
                       [-0.09485049108130789, -0.12868125143289183],
                       [-0.006573257067162386, 0.18869364161291777]])
    size, (width, height) = 360, (1280, 720)
    x0, y0 = (width - size) // 2, (height - size) // 2
    src = np.float32([[x0, y0], [x0 + size, y0], [x0 + size, y0 + size], [x0, y0 + size]])
    m = cv2.getPerspectiveTransform(src, (src + jitter * size).astype(np.float32))
    frame = cv2.warpPerspective(qr_frame(text, size), m, (width, height),
                                borderValue=(200, 200, 200))
    gray = cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY)
    full = [b.text for b in zxingcpp.read_barcodes(gray, formats=zxingcpp.BarcodeFormat.QRCode)]
    assert full != [text]  # the kind of frame the retry exists for
    assert make_decoder("zxing").decode(gray) == [text]
