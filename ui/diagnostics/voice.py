"""Diagnostics: voice and presence.

- Which engine and voice speak each language, and why a better engine was
  passed over (sherpa-onnx not installed, no model, a model that does not load).
- The audio output, or why the kiosk is silent (no device, a playback error).
- A speaker test: says the attract prompt in the current language, muted or not.
- Presence: on/off, looks per second (measured here, once a second), the mean
  detection time, and the last detection boxes drawn on an empty frame of the
  camera's size (no picture: presence keeps none).

Not in :data:`ui.diagnostics.mode.PAGES` by itself: the composition root adds
``("voice", VoicePage)`` there and calls :meth:`VoicePage.attach` with the
voice kit and the presence relay (either may be None: the page says so).
"""

from __future__ import annotations

import time
from typing import Any

from PySide6.QtCore import QRectF, Qt, QTimer
from PySide6.QtGui import QColor, QPainter, QPen, QPixmap
from PySide6.QtWidgets import QLabel

from kiosk.flow.states import Screen
from kiosk.messages import text_for
from kiosk.voice.prompts import screen_prompt
from ui.diagnostics.common import DiagPage, button, fill_table, label, make_table
from ui.diagnostics.relay import Jobs
from ui.voice import PresenceRelay, VoiceKit

PREVIEW = (320, 240)


def _both(problem: Any) -> str:
    text = text_for(problem)
    return f"{text.zh} / {text.en}"


class VoicePage(DiagPage):
    title_text = "语音与来人感知 Voice & presence"

    def __init__(self, service: Any, runner: Jobs) -> None:
        super().__init__(runner)
        self.kit: VoiceKit | None = None
        self.presence: PresenceRelay | None = None
        self.engines = make_table(4)
        self.engines.setHorizontalHeaderLabels(["语言 Lang", "引擎 Engine", "语音 Voice",
                                                "说明 Notes"])
        self.audio = label("big")
        self.test = button()
        self.test.setObjectName("voice_test")
        self.test_result = label("hint")
        self.presence_state = label("big")
        self.preview = QLabel()
        self.preview.setObjectName("presence_preview")
        self.preview.setFixedSize(*PREVIEW)
        self.preview.setStyleSheet("background: #10161f; border-radius: 6px;")
        for widget in (self.engines, self.audio, self.test, self.test_result,
                       self.presence_state, self.preview):
            self.outer.addWidget(widget)
        self.outer.addStretch(1)
        self.test.clicked.connect(self.speaker_test)
        self.timer = QTimer(self)
        self.timer.setInterval(1000)
        self.timer.timeout.connect(self.refresh_presence)
        self._looked = (0, time.monotonic())
        self.rate = 0.0
        self.retranslate()

    def attach(self, kit: VoiceKit | None, presence: PresenceRelay | None) -> None:
        self.kit, self.presence = kit, presence
        if kit is not None:
            kit.player.played.connect(self._played)

    def retranslate(self) -> None:
        super().retranslate()
        self.test.setText(self.tr("喇叭测试 Speaker test"))

    # --- showing ------------------------------------------------------------------

    def enter(self) -> None:
        super().enter()
        self.refresh()
        self.timer.start()

    def leave(self) -> None:
        self.timer.stop()
        super().leave()

    def refresh(self) -> None:
        kit = self.kit
        if kit is None:
            fill_table(self.engines, [["-", "-", "-", "语音未启用 Voice not installed"]])
            self.audio.setText("")
            self.test.setEnabled(False)
        else:
            rows = [[c.lang, c.engine or "无 none", c.voice or "-",
                     "; ".join(_both(p) for p in c.problems)] for c in kit.service.choices()]
            fill_table(self.engines, rows)
            player = kit.player
            if player.problem is not None:
                self.audio.setText("音频 Audio: " + _both(player.problem))
            elif player.null:
                self.audio.setText("音频 Audio: null sink (tests)")
            else:
                self.audio.setText(f"音频 Audio: {player.device_name} · {player.volume}%")
            self.test.setEnabled(True)
        self._looked = (self.presence.monitor.frames_looked_at if self.presence else 0,
                        time.monotonic())
        self.refresh_presence()

    def refresh_presence(self) -> None:
        relay = self.presence
        if relay is None:
            self.presence_state.setText("来人感知 Presence: 关闭 off ([presence] enabled = false)")
            self.preview.clear()
            return
        monitor = relay.monitor
        looked, since = self._looked
        now = time.monotonic()
        if now - since >= 0.5:
            self.rate = (monitor.frames_looked_at - looked) / (now - since)
            self._looked = (monitor.frames_looked_at, now)
        state = "有人 ON" if monitor.present else "无人 off"
        watching = "" if monitor.active else " · 暂停 paused (camera in use / not resting)"
        self.presence_state.setText(
            f"来人感知 Presence: {state} · {self.rate:.1f} 帧/秒 looks/s · "
            f"{monitor.mean_detect_ms():.1f} ms/帧{watching}")
        self.preview.setPixmap(self._boxes(monitor.last_faces, monitor.last_frame_size))

    def _boxes(self, faces: list[Any], size: tuple[int, int]) -> QPixmap:
        pixmap = QPixmap(*PREVIEW)
        pixmap.fill(QColor("#10161f"))
        width, height = size
        if not width or not height:
            return pixmap
        scale = min(PREVIEW[0] / width, PREVIEW[1] / height)
        painter = QPainter(pixmap)
        painter.setPen(QPen(QColor("#2bd46a"), 3))
        for face in faces:
            painter.drawRect(QRectF(face.x * scale, face.y * scale, face.w * scale,
                                    face.h * scale))
            painter.drawText(QRectF(face.x * scale, face.y * scale - 18, 120, 18),
                             Qt.AlignmentFlag.AlignLeft, f"{face.score:.2f}")
        painter.end()
        return pixmap

    # --- the speaker test -----------------------------------------------------------

    def speaker_test(self) -> None:
        if self.kit is None:
            return
        self.test_result.setText("…")
        self.kit.service.say(screen_prompt(Screen.ATTRACT, self.kit.guide.language))

    def _played(self, key: str) -> None:
        if self.active and self.test_result.text() == "…":
            player = self.kit.player if self.kit is not None else None
            why = "" if player is None or player.problem is None else " — " + _both(player.problem)
            self.test_result.setText(f"已播放 Played: {key}{why}")
