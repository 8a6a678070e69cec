"""The Qt side of voice guidance: the WAV player, and one call that installs it all.

:class:`VoicePlayer` is the :class:`~kiosk.voice.service.AudioSink`: ``play``
may be called from the render worker, and is posted to the GUI thread, where
a ``QSoundEffect`` (low latency, uncompressed WAV: what the engines write)
plays the file. With no audio output device the player stays silent, keeps
working (it still reports each request) and says why (``problem``), which
diagnostics shows. ``null=True`` is the null sink tests use: it records what
was requested and touches no audio API.

:func:`install_voice` builds the engines, the cache in the data folder, the
service, the :class:`~kiosk.voice.guide.VoiceGuide` on the session, the player
and the :class:`~ui.widgets.speaker.SpeakerControls` (laid over the middle of
the pages' footer, so every screen has them), renders the fixed prompts ahead on the
worker, and returns a :class:`VoiceKit` to close at exit.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QObject, QPoint, Qt, QUrl, Signal, SignalInstance
from PySide6.QtWidgets import QWidget

from kiosk.config import PresenceConfig, VoiceConfig
from kiosk.messages import Problem, ProblemError
from kiosk.presence import FaceDetector, PresenceMonitor, PresenceSensor, follow_session
from kiosk.voice.cache import PromptCache
from kiosk.voice.engine import make_engines
from kiosk.voice.guide import SessionView, VoiceGuide
from kiosk.voice.service import VoiceService
from ui.widgets.speaker import SpeakerControls

__all__ = ["PresenceRelay", "VoiceKit", "VoicePlayer", "install_presence", "install_voice"]

log = logging.getLogger("ui.voice")


class VoicePlayer(QObject):
    played = Signal(str)  # the utterance key, once its WAV was handed to the audio output
    _post = Signal(str, str)
    _halt = Signal()

    def __init__(self, *, volume: int = 80, null: bool = False,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.requested: list[str] = []  # keys of every utterance played, in order
        self.last_path: Path | None = None
        self.problem: Problem | None = None
        self.null = null
        self._effect: Any = None
        self._volume = volume
        self._post.connect(self._on_play)  # queued when emitted from the render worker
        self._halt.connect(self._on_stop)
        if not null:
            self._open_output()

    def _open_output(self) -> None:
        from PySide6.QtMultimedia import QMediaDevices, QSoundEffect

        device = QMediaDevices.defaultAudioOutput()
        if device.isNull():
            self.problem = Problem.of("voice.no_audio_device")
            log.warning("no audio output device: voice guidance is silent",
                        extra={"event": "voice.no_audio_device"})
            return
        effect = QSoundEffect(device, self)
        effect.setVolume(self._volume / 100)
        effect.statusChanged.connect(self._status_changed)
        self._effect = effect
        log.info("audio output: %s", device.description(), extra={"event": "voice.audio_device"})

    @property
    def device_name(self) -> str:
        return "" if self._effect is None else str(self._effect.audioDevice().description())

    # --- the AudioSink port (any thread) -----------------------------------------------

    def play(self, path: Path, key: str) -> None:
        self._post.emit(str(path), key)

    def stop(self) -> None:
        self._halt.emit()

    # --- the GUI thread ---------------------------------------------------------------

    def set_volume(self, percent: int) -> None:
        self._volume = max(0, min(100, percent))
        if self._effect is not None:
            self._effect.setVolume(self._volume / 100)

    @property
    def volume(self) -> int:
        return self._volume

    def _on_play(self, path: str, key: str) -> None:
        self.requested.append(key)
        self.last_path = Path(path)
        if self._effect is not None:
            self._effect.stop()
            self._effect.setSource(QUrl.fromLocalFile(path))
            self._effect.play()  # deferred by Qt until the file is loaded
        self.played.emit(key)

    def _on_stop(self) -> None:
        if self._effect is not None:
            self._effect.stop()

    def _status_changed(self) -> None:
        from PySide6.QtMultimedia import QSoundEffect

        if self._effect is not None and self._effect.status() == QSoundEffect.Status.Error:
            self.problem = Problem.of("voice.audio_error", detail=self._effect.source().fileName())
            log.warning("audio playback failed", extra={"event": "voice.audio_error"})


class _FooterCentre(QObject):
    """Keeps the controls over the bottom centre of ``area`` (the pages: the footer's
    middle, between back and the primary action), above the pages, clear of the keyboard.

    The controls sit in no layout, so nothing resizes them when their text grows: they
    are fitted again on their own layout requests too (large text, a language switch:
    "Voice off" was cut to "Voice of..." in English large text)."""

    MARGIN = 24

    def __init__(self, area: QWidget, controls: QWidget) -> None:
        super().__init__(controls)
        self.area, self.controls = area, controls
        area.installEventFilter(self)
        controls.installEventFilter(self)
        resized = getattr(controls, "resized", None)
        if resized is not None:
            resized.connect(self.place)
        self.place()

    def place(self) -> None:
        self.controls.adjustSize()
        parent = self.controls.parentWidget()
        origin = self.area.mapTo(parent, QPoint(0, 0)) if parent is not None else QPoint(0, 0)
        x = origin.x() + (self.area.width() - self.controls.width()) // 2
        y = origin.y() + self.area.height() - self.controls.height() - self.MARGIN
        self.controls.move(max(0, x), max(0, y))
        self.controls.raise_()
        reserve = self.controls.width() if not self.controls.isHidden() else 0
        for page in self.area.findChildren(QWidget, options=Qt.FindChildOption.FindDirectChildrenOnly):
            keep_clear = getattr(page, "reserve_footer_centre", None)
            if keep_clear is not None:
                keep_clear(reserve)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.area and event.type() in (QEvent.Type.Resize, QEvent.Type.Show,
                                                     QEvent.Type.Move):
            self.place()
        elif watched is self.controls and event.type() in (QEvent.Type.LayoutRequest,
                                                           QEvent.Type.Show):
            self.place()  # their buttons' size hints changed (font, style, text)
        return False


@dataclass
class VoiceKit:
    service: VoiceService
    guide: VoiceGuide
    player: VoicePlayer
    controls: SpeakerControls
    config: VoiceConfig

    def close(self) -> None:
        self.service.cancel()
        self.service.close()


def install_voice(window: QWidget, session: SessionView, config: VoiceConfig, data_path: Path,
                  *, language: str, language_changed: SignalInstance | None = None,
                  area: QWidget | None = None, null_sink: bool = False,
                  prepare: bool = True) -> VoiceKit:
    """Voice guidance for ``session``, its controls on ``window`` (over the bottom centre
    of ``area``, the pages' stack, else the window). Close the kit at exit.

    ``prepare`` renders every fixed prompt ahead on the worker (the kiosk does; a
    prompt not rendered yet is rendered when first asked for)."""
    player = VoicePlayer(volume=config.volume, null=null_sink, parent=window)
    engines = make_engines(config.engine, config.model_path)
    service = VoiceService(engines, PromptCache(data_path / "voice"), player)
    guide = VoiceGuide(service, default_on=config.enabled, language=language)
    guide.attach(session)
    controls = SpeakerControls(window, language=language)
    controls.set_muted(guide.muted)
    controls.set_volume(player.volume)
    controls.repeatRequested.connect(guide.repeat)
    controls.mutedChanged.connect(guide.set_muted)
    controls.volumeChanged.connect(player.set_volume)
    guide.on_mute_changed(controls.set_muted)
    if language_changed is not None:
        language_changed.connect(guide.set_language)
        language_changed.connect(controls.set_language)
    _FooterCentre(area or window, controls)
    controls.show()
    for choice in service.choices():
        log.info("voice %s: %s %s", choice.lang, choice.engine or "none", choice.voice,
                 extra={"event": "voice.engine", "lang": choice.lang, "engine": choice.engine,
                        "voice": choice.voice,
                        "problems": [str(p) for p in choice.problems]})
    if prepare:
        service.prepare()
    return VoiceKit(service, guide, player, controls, config)


class PresenceRelay(QObject):
    """Presence changes (heard on the camera thread) as a signal on the GUI thread."""

    changed = Signal(bool)  # True: someone stepped up to the resting kiosk

    def __init__(self, monitor: PresenceMonitor, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.monitor = monitor
        monitor.add_listener(self.changed.emit)  # queued: the relay lives on the GUI thread


def install_presence(window: QWidget, session: Any, config: PresenceConfig,
                     guide: VoiceGuide | None = None) -> PresenceRelay | None:
    """Presence for the attract screen, or None when ``[presence]`` is off or the model
    does not load (logged with its catalogue code; the kiosk runs without it).

    Feed it camera frames with ``relay.monitor.offer(frame, time.monotonic())`` (any
    thread; only ``fps`` a second are looked at); connect ``relay.changed`` to what
    wakes the attract screen. The guide, when given, greets on presence."""
    if not config.enabled:
        return None
    try:
        detector = FaceDetector()
    except ProblemError as err:
        log.error("presence off: %s", err.problem, extra={"event": "presence.unavailable",
                                                          "code": err.problem.code})
        return None
    monitor = PresenceMonitor(detector, PresenceSensor(config.frames_to_wake,
                                                       config.seconds_to_rest), config.fps)
    follow_session(monitor, session)
    relay = PresenceRelay(monitor, window)
    if guide is not None:
        relay.changed.connect(guide.presence)
    return relay
