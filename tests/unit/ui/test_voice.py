"""Voice on the real kiosk window: walking the personal flow by touch asks for each
step's prompt (null sink, real espeak-ng renders), the speaker controls repeat, mute
and set the volume, and with no audio device the player is silent and says why."""

from __future__ import annotations

import threading
import wave
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, QPoint, Qt

from kiosk.config import VoiceConfig
from kiosk.flow.states import Screen
from tests.helpers.app import kiosk_gui, qr_for
from ui.screenshots import prepare_screen
from ui.voice import VoiceKit, VoicePlayer, install_voice
from ui.widgets.keyboard import QT_LOG_IGNORE
from ui.widgets.speaker import SpeakerControls

pytestmark = pytest.mark.qt_log_ignore(*QT_LOG_IGNORE)

PERSONAL_FLOW = ["readback", "screen.issuing", "screen.result"]  # the scan opens the review


@pytest.fixture
def gui(qtbot: Any, tmp_path: Path) -> Iterator[Any]:
    g = kiosk_gui(qtbot, tmp_path / "data")
    yield g
    g.close()


def _install(gui: Any, enabled: bool = True) -> VoiceKit:
    kit = install_voice(gui.window, gui.core.session, VoiceConfig(enabled=enabled, volume=60),
                        gui.core.config.data_path, language=gui.window.languages.current,
                        language_changed=gui.window.languageChanged, area=gui.window.stack,
                        null_sink=True,
                        prepare=False)  # each prompt rendered by espeak-ng when first asked
    return kit


def test_the_personal_flow_by_touch_speaks_each_step(qtbot: Any, gui: Any) -> None:
    kit = _install(gui)
    # As at start-up: every fixed prompt rendered ahead (so each plays at once, from the
    # cache; without it, a prompt still rendering when the next screen comes is dropped).
    assert kit.service.prepare().result(120) == 2 * len(Screen)
    try:
        win = gui.window
        with qtbot.waitSignal(kit.player.played, timeout=15000,
                              check_params_cb=lambda key: key == "readback"):
            gui.devices.emulators.scanner.scan(qr_for(gui, 0))
        main = threading.main_thread().name
        assert kit.service.render_threads and main not in kit.service.render_threads
        with wave.open(str(kit.player.last_path), "rb") as wav:
            assert wav.getnframes() > 0  # a real, playable WAV of the read-back
        with qtbot.waitSignal(kit.player.played, timeout=20000,
                              check_params_cb=lambda key: key == "screen.result"):
            qtbot.mouseClick(win.pages[Screen.REVIEW].primary, Qt.MouseButton.LeftButton)
        assert kit.player.requested == PERSONAL_FLOW
        assert kit.guide.requested == PERSONAL_FLOW
        qtbot.mouseClick(win.pages[Screen.RESULT].primary, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: gui.core.session.screen is Screen.ATTRACT, timeout=10000)
        assert kit.player.requested == PERSONAL_FLOW  # back at rest: silent
    finally:
        kit.close()


def test_english_prompts_follow_the_language_switch(qtbot: Any, gui: Any) -> None:
    kit = _install(gui)
    try:
        gui.window.set_language("en")
        assert kit.guide.language == "en" and kit.controls.repeat.text() == "Repeat"
        gui.devices.emulators.scanner.scan(qr_for(gui, 0))
        qtbot.waitUntil(lambda: gui.core.session.screen is Screen.REVIEW, timeout=15000)
        with qtbot.waitSignal(kit.player.played, timeout=10000,
                              check_params_cb=lambda key: key == "screen.orders"):
            gui.core.session.review.edit(Screen.ORDERS)
        path = kit.player.last_path
        en = kit.service.cache.path(
            "Check your orders; remove a wrong one, then continue.", "espeak-ng", "en")
        assert path == en
    finally:
        kit.close()


def test_speaker_controls_repeat_mute_and_volume(qtbot: Any, gui: Any) -> None:
    kit = _install(gui, enabled=False)
    try:
        controls = kit.controls
        assert controls.isVisible() and controls.muted and kit.guide.muted
        assert controls.toggle.text() == "语音 关"
        with qtbot.waitSignal(kit.player.played, timeout=10000) as said:
            qtbot.mouseClick(controls.repeat, Qt.MouseButton.LeftButton)
        assert said.args == ["screen.attract"]  # the speaker button speaks even when muted
        qtbot.mouseClick(controls.toggle, Qt.MouseButton.LeftButton)
        assert not kit.guide.muted and controls.toggle.text() == "语音 开"
        controls.volume.setValue(30)
        assert kit.player.volume == 30
        kit.guide.set_muted(True)  # the guide's state shows on the controls
        assert controls.muted
    finally:
        kit.close()


def test_controls_stay_in_the_middle_of_the_footer(qtbot: Any, gui: Any) -> None:
    kit = _install(gui)
    try:
        gui.window.resize(1000, 700)
        stack, controls = gui.window.stack, kit.controls
        qtbot.waitUntil(lambda: controls.x() == (stack.width() - controls.width()) // 2)
        assert controls.geometry().bottom() < stack.geometry().bottom()
        page = gui.window.current
        for button in (page.header.help, page.header.language):  # nothing in the header hidden
            top_left = button.mapTo(gui.window, button.rect().topLeft())
            assert not controls.geometry().intersects(button.rect().translated(top_left))
    finally:
        kit.close()


@pytest.mark.qt_log_ignore(r"Couldn't (load|resolve) va", r"pa_context_connect",
                           r"Using Qt multimedia with FFmpeg")
def test_without_an_audio_device_the_player_is_silent_and_says_why(qtbot: Any,
                                                                     tmp_path: Path) -> None:
    from PySide6.QtMultimedia import QMediaDevices

    player = VoicePlayer(volume=50)
    if not QMediaDevices.defaultAudioOutput().isNull():
        pytest.skip("this machine has an audio output device")
    assert player.problem is not None and player.problem.code == "voice.no_audio_device"
    wav = tmp_path / "x.wav"
    from kiosk.voice.engine import write_wav

    write_wav(wav, [0.0, 0.1, 0.0], 16000)
    with qtbot.waitSignal(player.played, timeout=5000) as said:
        player.play(wav, "screen.attract")
    assert said.args == ["screen.attract"] and player.requested == ["screen.attract"]
    player.stop()


def test_the_controls_widget_alone(qtbot: Any) -> None:
    controls = SpeakerControls(language="en")
    qtbot.addWidget(controls)
    muted: list[bool] = []
    controls.mutedChanged.connect(muted.append)
    controls.set_muted(False)  # shown state: no signal back
    assert muted == [] and controls.toggle.text() == "Voice on"
    controls.toggle.click()
    assert muted == [True] and controls.toggle.text() == "Voice off"
    controls.set_language("zh_CN")
    assert controls.repeat.text() == "再听一遍"
    assert min(w.minimumHeight() for w in (controls.repeat, controls.toggle)) >= 64


def test_with_the_voice_off_only_its_switch_takes_footer_room(qtbot: Any) -> None:
    controls = SpeakerControls(language="en")
    qtbot.addWidget(controls)
    controls.show()
    controls.set_muted(True)
    assert controls.toggle.isVisible()
    assert not controls.repeat.isVisible() and not controls.volume.isVisible()
    narrow = controls.sizeHint().width()
    with qtbot.waitSignal(controls.resized):
        controls.toggle.click()  # voice on: repeat and volume appear
    assert controls.repeat.isVisible() and controls.volume.isVisible()
    assert controls.sizeHint().width() > narrow


def test_presence_from_a_camera_thread_greets_on_the_gui_thread(qtbot: Any, gui: Any) -> None:
    from kiosk.config import PresenceConfig
    from tests.helpers.faces import astronaut, frame_with_face
    from ui.voice import install_presence

    kit = _install(gui)
    relay = install_presence(gui.window, gui.core.session,
                             PresenceConfig(enabled=True, frames_to_wake=2), kit.guide)
    assert relay is not None and relay.monitor.active
    face = frame_with_face(640, 360, 176, astronaut(288))

    def camera() -> None:  # a camera worker offering its idle frames, at 4 looks a second
        for k in range(4):
            relay.monitor.offer(face, 100.0 + k * 0.25)

    try:
        with qtbot.waitSignal(kit.player.played, timeout=15000) as said:
            worker = threading.Thread(target=camera)
            worker.start()
            worker.join(30)
        assert said.args == ["screen.attract"] and relay.monitor.present
        assert install_presence(gui.window, gui.core.session, PresenceConfig(enabled=False)) \
            is None
    finally:
        kit.close()


@pytest.mark.parametrize("size", [(1280, 800), (1000, 700)])
def test_a_disabled_actions_reason_stays_clear_of_the_controls(qtbot: Any, tmp_path: Path,
                                                               size: tuple[int, int]) -> None:
    """The controls float over the footer's middle; the words saying why the primary
    action is greyed out sit left of it and ran under "Voice off" in English large text."""
    g = kiosk_gui(qtbot, tmp_path / "data", lang="en", large_text=True)
    kit = _install(g)
    try:
        g.window.resize(*size)
        prepare_screen(g, "catalogue")
        while g.core.session.data.catalogue_lines:
            g.core.session.catalogue.remove(0)
        page = g.window.pages[Screen.CATALOGUE]
        qtbot.waitUntil(lambda: page.primary_reason.isVisible() and not page.primary.isEnabled())
        for _ in range(5):
            QCoreApplication.processEvents()
        reason = page.primary_reason
        where = reason.rect().translated(reason.mapTo(g.window, QPoint(0, 0)))
        controls = kit.controls.geometry().translated(
            kit.controls.parentWidget().mapTo(g.window, QPoint(0, 0)))
        assert not where.intersects(controls), (where, controls)
        assert reason.sizeHint().height() <= reason.height() \
            or reason.heightForWidth(reason.width()) <= reason.height(), "the reason is cut"
    finally:
        kit.close()
        g.close()
