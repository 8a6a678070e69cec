"""Scanner, ID reader and camera screens: see what each device delivers, live.

- Scanner: every chunk of bytes as it arrives, in hex and as text (control
  bytes escaped), plus the codes and rejections the framer made of them.
- ID reader: a test read. The reader is armed only for the read (or until
  "stop" / a timeout / leaving), and the card is shown masked.
- Camera: the preview with every decoded code outlined (zxing-cpp's
  positions), decode time and frame rates. The decode for the outline runs
  on the pool, one frame at a time (frames arriving meanwhile are skipped).

Device callbacks arrive on device threads through :class:`DeviceTaps`; each
sink only posts the item to the UI thread (:class:`~ui.diagnostics.relay.Relay`).
"""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

import numpy as np
from PySide6.QtCore import QPointF, Qt, QTimer
from PySide6.QtGui import QColor, QFont, QFontDatabase, QImage, QPainter, QPen, QPixmap, QPolygonF
from PySide6.QtWidgets import QHBoxLayout, QPlainTextEdit, QSizePolicy

from drivers.problem import Problem
from kiosk.diagnostics import DiagnosticsService, ScannerTraffic, hex_and_text, masked_card
from ui.diagnostics.common import (
    DiagPage,
    button,
    fill_table,
    label,
    make_table,
    problem_words,
    status_words,
)
from ui.diagnostics.relay import Jobs, Relay
from ui.frames import to_qimage

CARD_TIMEOUT_MS = 20000


class ScannerPage(DiagPage):
    title_text = "扫码器 Scanner"

    def __init__(self, service: DiagnosticsService, runner: Jobs) -> None:
        super().__init__(runner)
        self.service = service
        self.status = label("big")
        self.hint = label("hint")
        self.log = QPlainTextEdit()
        self.log.setObjectName("scanner_log")
        self.log.setReadOnly(True)
        self.log.setMaximumBlockCount(500)
        self.log.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.clear = button()
        self.outer.addWidget(self.status)
        self.outer.addWidget(self.hint)
        self.outer.addWidget(self.log, 1)
        self.outer.addWidget(self.clear, 0, Qt.AlignmentFlag.AlignRight)
        self.clear.clicked.connect(self.log.clear)
        self._relay = Relay(self)
        self.retranslate()

    def enter(self) -> None:
        super().enter()
        event = self.service.devices.statuses()["scanner"]
        self.status.setText(self.tr("状态 Status: ") + event.status.value.upper()
                            + (f" — {status_words(event)}" if event.message else ""))
        self.service.taps.scanner_sink = lambda item: self._relay.post(self._show, item)

    def leave(self) -> None:
        super().leave()
        self.service.taps.scanner_sink = None

    def _show(self, item: ScannerTraffic) -> None:
        if not self.active:
            return
        when = dt.datetime.now().strftime("%H:%M:%S.%f")[:-3]
        hexed, text = hex_and_text(item.data)
        if item.kind == "raw":
            line = f"{when}  RAW   {hexed}   |{text}|"
        elif item.kind == "code":
            line = f"{when}  CODE  {text}"
        else:
            line = f"{when}  DROP  {item.note}   {hexed}"
        self.log.appendPlainText(line)

    def retranslate(self) -> None:
        super().retranslate()
        self.clear.setText(self.tr("清空 Clear"))
        if self.service.taps.raw_supported:
            self.hint.setText(self.tr("扫一个码：收到的原始字节（十六进制和文本）逐块显示。"
                                      "Scan a code: raw bytes show in hex and text as they arrive."))
        else:
            self.hint.setText(self.tr("此扫码器不提供原始字节（键盘模式）：只显示识别出的码。"
                                      "This scanner gives no raw bytes (keyboard wedge): codes only."))


class IdCardPage(DiagPage):
    title_text = "身份证阅读器 ID reader"

    def __init__(self, service: DiagnosticsService, runner: Jobs) -> None:
        super().__init__(runner)
        self.service = service
        self.status = label("big")
        self.message = label()
        self.message.setObjectName("idcard_message")
        row = QHBoxLayout()
        self.read = button("primary")
        self.read.setObjectName("idcard_read")
        self.stop = button()
        self.stop.setObjectName("idcard_stop")
        row.addWidget(self.read)
        row.addWidget(self.stop)
        row.addStretch(1)
        self.table = make_table(2)
        self.table.setObjectName("idcard_table")
        self.outer.addWidget(self.status)
        self.outer.addLayout(row)
        self.outer.addWidget(self.message)
        self.outer.addWidget(self.table, 1)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(CARD_TIMEOUT_MS)
        self.timer.timeout.connect(self._timed_out)
        self.read.clicked.connect(self.start_read)
        self.stop.clicked.connect(self.stop_read)
        self._relay = Relay(self)
        self.reading = False
        self.retranslate()

    def enter(self) -> None:
        super().enter()
        event = self.service.devices.statuses()["idcard"]
        self.status.setText(self.tr("状态 Status: ") + event.status.value.upper()
                            + (f" — {status_words(event)}" if event.message else ""))
        self.stop.setEnabled(False)

    def leave(self) -> None:
        self.stop_read()
        super().leave()

    def start_read(self) -> None:
        self.table.setRowCount(0)
        self.service.taps.card_sink = lambda item: self._relay.post(self._got, item)
        self.service.devices.idcard.arm()
        self.reading = True
        self.timer.start()
        self.read.setEnabled(False)
        self.stop.setEnabled(True)
        self.message.setText(self.tr("请把身份证放在阅读器上… Place an ID card on the reader…"))

    def stop_read(self) -> None:
        self.timer.stop()
        self.service.taps.card_sink = None
        if self.reading:
            self.service.devices.idcard.disarm()
        self.reading = False
        self.read.setEnabled(True)
        self.stop.setEnabled(False)

    def _timed_out(self) -> None:
        self.stop_read()
        self.message.setText(self.tr("没有读到卡（已停止） No card read (stopped)"))

    def _got(self, item: Any) -> None:
        if not self.reading:
            return
        if isinstance(item, Problem | str):  # a read fault: keep waiting, say what happened
            self.message.setText(problem_words(item) if isinstance(item, Problem) else item)
            return
        self.stop_read()
        self.message.setText(self.tr("读卡成功（已遮盖个人信息） Card read (personal data masked)"))
        fill_table(self.table, masked_card(item))

    def retranslate(self) -> None:
        super().retranslate()
        self.read.setText(self.tr("测试读卡 Test read"))
        self.stop.setText(self.tr("停止 Stop"))
        self.table.setHorizontalHeaderLabels([self.tr("字段 Field"), self.tr("内容 Value")])


def decode_positions(image: QImage) -> tuple[list[tuple[str, list[tuple[int, int]]]], float]:
    """zxing-cpp on a preview frame: ``[(text, [4 corner points])]`` and the decode time in ms."""
    import zxingcpp

    gray = image.convertToFormat(QImage.Format.Format_Grayscale8)
    width, height, stride = gray.width(), gray.height(), gray.bytesPerLine()
    buf = np.frombuffer(gray.constBits(), dtype=np.uint8, count=stride * height)
    frame = buf.reshape(height, stride)[:, :width].copy()
    start = time.perf_counter()
    results = zxingcpp.read_barcodes(frame)
    took = (time.perf_counter() - start) * 1000
    found = []
    for r in results:
        if not r.valid:
            continue
        p = r.position
        corners = [(c.x, c.y) for c in (p.top_left, p.top_right, p.bottom_right, p.bottom_left)]
        found.append((r.text, corners))
    return found, took


class CameraPage(DiagPage):
    title_text = "摄像头 Camera"

    def __init__(self, service: DiagnosticsService, runner: Jobs) -> None:
        super().__init__(runner)
        self.service = service
        self.status = label("big")
        self.stats = label()
        self.stats.setObjectName("camera_stats")
        self.view = label(wrap=False)
        self.view.setObjectName("camera_view")
        self.view.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.view.setMinimumSize(320, 240)
        self.view.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.codes = label()
        self.codes.setObjectName("camera_codes")
        self.outer.addWidget(self.status)
        self.outer.addWidget(self.stats)
        self.outer.addWidget(self.view, 1)
        self.outer.addWidget(self.codes)
        self._relay = Relay(self)
        self.decoding = False
        self.previews = 0
        self.decode_ms = 0.0
        self.found: list[tuple[str, list[tuple[int, int]]]] = []
        self.fps_timer = QTimer(self)
        self.fps_timer.setInterval(1000)
        self.fps_timer.timeout.connect(self._tick)
        self._rate_mark = (time.monotonic(), 0, 0)
        self.preview_fps = 0.0
        self.camera_fps = 0.0
        self.retranslate()

    def enter(self) -> None:
        super().enter()
        event = self.service.devices.statuses()["camera"]
        self.status.setText(self.tr("状态 Status: ") + event.status.value.upper()
                            + (f" — {status_words(event)}" if event.message else ""))
        self.view.setText(self.tr("等待画面… Waiting for frames…"))
        self._rate_mark = (time.monotonic(), self.previews, self._camera_frames())
        self.service.taps.preview_sink = lambda frame: self._relay.post(self._frame,
                                                                        to_qimage(frame))
        self.service.camera_running(True)
        self.fps_timer.start()

    def leave(self) -> None:
        super().leave()
        self.service.taps.preview_sink = None
        self.service.camera_running(False)
        self.fps_timer.stop()

    def _camera_frames(self) -> int:
        return int(getattr(self.service.devices.camera, "frames_decoded", 0))

    def _tick(self) -> None:
        now, frames = time.monotonic(), self._camera_frames()
        then, previews, camera = self._rate_mark
        span = max(now - then, 1e-6)
        self.preview_fps = (self.previews - previews) / span
        self.camera_fps = (frames - camera) / span
        self._rate_mark = (now, self.previews, frames)
        event = self.service.devices.statuses()["camera"]
        self.status.setText(self.tr("状态 Status: ") + event.status.value.upper()
                            + (f" — {status_words(event)}" if event.message else ""))
        self._show_stats()

    def _show_stats(self) -> None:
        self.stats.setText(self.tr("摄像头 Camera {0:.1f} fps · 预览 Preview {1:.1f} fps · "
                                   "识别 Decode {2:.1f} ms").format(
            self.camera_fps, self.preview_fps, self.decode_ms))

    def _frame(self, image: QImage) -> None:
        if not self.active:
            return
        self.previews += 1
        if self.decoding:
            return  # one decode at a time: this frame is skipped
        self.decoding = True
        self.run("camera.decode", lambda: decode_positions(image),
                 lambda result, error: self._decoded(image, result, error))

    def _decoded(self, image: QImage, result: Any, error: BaseException | None) -> None:
        self.decoding = False
        if not self.active:
            return
        if error is not None:
            self.codes.setText(self.tr("识别出错 Decode error: ") + str(error))
            return
        self.found, self.decode_ms = result
        self.view.setPixmap(QPixmap.fromImage(outlined(image, self.found)).scaled(
            self.view.size(), Qt.AspectRatioMode.KeepAspectRatio,
            Qt.TransformationMode.SmoothTransformation))
        texts = ", ".join(text for text, _ in self.found)
        self.codes.setText(self.tr("识别到 Decoded: ") + (texts or "—"))
        self._show_stats()

    def retranslate(self) -> None:
        super().retranslate()
        self._show_stats()


def outlined(image: QImage, found: list[tuple[str, list[tuple[int, int]]]]) -> QImage:
    """A copy of ``image`` with each code's quadrilateral and text drawn on it."""
    out = image.convertToFormat(QImage.Format.Format_RGB888)
    painter = QPainter(out)
    pen = QPen(QColor("#00d03a"))
    pen.setWidth(max(3, out.width() // 200))
    painter.setPen(pen)
    font = QFont(painter.font())
    font.setPixelSize(max(14, out.width() // 40))
    painter.setFont(font)
    for text, corners in found:
        painter.drawPolygon(QPolygonF([QPointF(x, y) for x, y in corners]))
        x, y = corners[0]
        painter.drawText(QPointF(x, max(font.pixelSize(), y - 8)), text[:40])
    painter.end()
    return out
