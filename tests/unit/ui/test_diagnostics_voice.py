"""The voice & presence diagnostics page: engines per language with the reasons a
better one was passed over, the audio output, a speaker test, and presence with
its rate and detection box."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QThreadPool
from PySide6.QtWidgets import QWidget

from kiosk.config import PresenceConfig, VoiceConfig
from kiosk.messages import text_for
from tests.helpers.app import CoreRig, kiosk_core
from tests.helpers.faces import astronaut, frame_with_face
from ui.diagnostics.relay import Jobs
from ui.diagnostics.voice import VoicePage
from ui.voice import install_presence, install_voice


@pytest.fixture
def rig(tmp_path: Path) -> Iterator[CoreRig]:
    r = kiosk_core(tmp_path / "data")
    yield r
    r.close()


def _page(qtbot: Any) -> VoicePage:
    page = VoicePage(None, Jobs(QThreadPool.globalInstance()))
    qtbot.addWidget(page)
    return page


def test_without_voice_or_presence_the_page_says_so(qtbot: Any) -> None:
    page = _page(qtbot)
    page.attach(None, None)
    page.enter()
    assert "Voice not installed" in page.engines.item(0, 3).text()
    assert not page.test.isEnabled()
    assert "off ([presence] enabled = false)" in page.presence_state.text()
    page.leave()


def test_engines_speaker_test_and_presence(qtbot: Any, rig: CoreRig) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    kit = install_voice(window, rig.session, VoiceConfig(engine="sherpa-onnx", model_path=""),
                        rig.core.config.data_path, language="en", null_sink=True,
                        prepare=False)
    relay = install_presence(window, rig.session, PresenceConfig(enabled=True, frames_to_wake=1))
    assert relay is not None
    page = _page(qtbot)
    page.attach(kit, relay)
    try:
        page.enter()
        rows = [[page.engines.item(r, c).text() for c in range(4)] for r in range(2)]
        assert [r[:3] for r in rows] == [["zh", "espeak-ng", "cmn"], ["en", "espeak-ng", "en"]]
        why = kit.service.engines[0].problem()  # sherpa-onnx missing, or no model
        assert why is not None and rows[0][3] == f"{text_for(why).zh} / {text_for(why).en}"
        assert page.audio.text() == "音频 Audio: null sink (tests)"
        with qtbot.waitSignal(kit.player.played, timeout=15000) as said:
            page.test.click()  # the speaker test speaks even with the voice off
        assert said.args == ["screen.attract"] and kit.guide.muted
        assert page.test_result.text() == "已播放 Played: screen.attract"
        relay.monitor.offer(frame_with_face(640, 360, 176, astronaut(288)), 0.0)
        page.refresh_presence()
        assert page.presence_state.text().startswith("来人感知 Presence: 有人 ON")
        image = page.preview.pixmap().toImage()
        face = relay.monitor.last_faces[0]
        scale = 320 / 640
        x, y = int((face.x + face.w / 2) * scale), int(face.y * scale)
        assert image.pixelColor(x, y).green() > 150  # the box's top edge is drawn
        rig.session.use_camera()
        page.refresh_presence()
        assert "paused" in page.presence_state.text()
    finally:
        page.leave()
        kit.close()
