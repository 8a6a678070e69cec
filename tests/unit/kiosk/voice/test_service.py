"""VoiceService: fixed prompts rendered once and cached by (text, engine, voice),
renders on the worker thread only, and only the newest request plays."""

from __future__ import annotations

import threading
import wave
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from drivers.problem import Problem, ProblemError
from kiosk.voice.cache import PromptCache, cache_key
from kiosk.voice.engine import EspeakEngine, write_wav
from kiosk.voice.prompts import Utterance, fixed_utterances
from kiosk.voice.service import VoiceService


class ToneEngine:
    """A speech engine port for flow tests: a short real WAV tone per text, counted,
    optionally held at a gate so a test decides when the render finishes."""

    def __init__(self, name: str = "tone", voice: str = "v1") -> None:
        self._name = name
        self.voice_id = voice
        self.texts: list[str] = []
        self.gate: threading.Event | None = None
        self.fail: Problem | None = None

    @property
    def name(self) -> str:
        return self._name

    def voice(self, lang: str) -> str | None:
        return self.voice_id if lang in ("zh", "en") else None

    def problem(self) -> Problem | None:
        return None

    def render(self, text: str, lang: str, out: Path) -> None:
        if self.gate is not None:
            assert self.gate.wait(10)
        if self.fail is not None:
            raise ProblemError(self.fail)
        self.texts.append(text)
        write_wav(out, np.sin(np.arange(800) / 5.0) * 0.3, 16000)


class RecordingSink:
    def __init__(self) -> None:
        self.played: list[tuple[str, Path]] = []
        self.threads: list[str] = []
        self.stops = 0
        self.event = threading.Event()

    def play(self, path: Path, key: str) -> None:
        self.played.append((key, path))
        self.threads.append(threading.current_thread().name)
        self.event.set()

    def stop(self) -> None:
        self.stops += 1


@pytest.fixture
def rig(tmp_path: Path) -> Iterator[tuple[VoiceService, ToneEngine, RecordingSink]]:
    engine, sink = ToneEngine(), RecordingSink()
    service = VoiceService([engine], PromptCache(tmp_path / "voice"), sink)
    yield service, engine, sink
    service.close()


HELLO = Utterance("screen.attract", "您好", "zh")


def test_a_fixed_prompt_is_rendered_once_on_the_worker_then_played_from_the_cache(
        rig: tuple[VoiceService, ToneEngine, RecordingSink]) -> None:
    service, engine, sink = rig
    first = service.say(HELLO).result(10)
    assert first is not None and first.name == f"{cache_key('您好', 'tone', 'v1')}.wav"
    assert service.render_threads == {"voice-render_0"}  # never the caller's thread
    assert sink.played == [("screen.attract", first)] and sink.threads != ["MainThread"]
    again = service.say(HELLO)
    assert again.done() and again.result() == first  # no render: straight from the cache
    assert sink.played[-1] == ("screen.attract", first) and sink.threads[-1] == "MainThread"
    assert engine.texts == ["您好"]
    with wave.open(str(first), "rb") as wav:
        assert wav.getnframes() == 800


def test_a_changed_text_engine_or_voice_renders_again(tmp_path: Path) -> None:
    cache = PromptCache(tmp_path)
    a, b = ToneEngine("tone", "v1"), ToneEngine("tone", "v2")
    p1 = cache.render(a, "v1", "您好", "zh")
    assert cache.render(a, "v1", "您好", "zh") == p1 and cache.renders == 1
    p2 = cache.render(a, "v1", "您好！", "zh")
    p3 = cache.render(b, "v2", "您好", "zh")
    p4 = cache.render(ToneEngine("other", "v1"), "v1", "您好", "zh")
    assert len({p1, p2, p3, p4}) == 4 and cache.renders == 4
    assert cache.prune({p1, p4}) == 2 and sorted(tmp_path.glob("*.wav")) == sorted([p1, p4])
    assert not list(tmp_path.glob("*.tmp.wav"))


def test_a_failed_render_leaves_no_file(tmp_path: Path) -> None:
    cache, engine = PromptCache(tmp_path), ToneEngine()
    engine.fail = Problem.of("voice.render_failed", detail="boom")
    with pytest.raises(ProblemError):
        cache.render(engine, "v1", "您好", "zh")
    assert list(tmp_path.iterdir()) == []


def test_a_read_back_is_rendered_each_time_and_only_the_newest_is_kept(
        rig: tuple[VoiceService, ToneEngine, RecordingSink]) -> None:
    service, engine, sink = rig
    one = service.say(Utterance("readback", "个人，价税合计一元。", "zh", fixed=False)).result(10)
    two = service.say(Utterance("readback", "个人，价税合计二元。", "zh", fixed=False)).result(10)
    assert one is not None and two is not None and one != two
    assert one.parent.name == "live" and not one.exists() and two.exists()
    assert engine.texts == ["个人，价税合计一元。", "个人，价税合计二元。"]
    assert service.render_threads == {"voice-render_0"}
    service.prepare([]).result(10)  # start-up (and wipe) forgets read-backs
    assert not two.exists()


def test_a_render_that_finishes_after_the_person_moved_on_is_not_played(
        rig: tuple[VoiceService, ToneEngine, RecordingSink]) -> None:
    service, engine, sink = rig
    service.say(HELLO).result(10)  # cached now
    engine.gate = threading.Event()
    slow = service.say(Utterance("readback", "个人，价税合计一元。", "zh", fixed=False))
    service.say(HELLO)  # the next screen, from the cache, while the read-back renders
    engine.gate.set()
    assert slow.result(10) is not None  # rendered ...
    assert [key for key, _ in sink.played] == ["screen.attract", "screen.attract"]  # ... not played


def test_cancel_stops_the_sink_and_drops_a_render_in_flight(
        rig: tuple[VoiceService, ToneEngine, RecordingSink]) -> None:
    service, engine, sink = rig
    engine.gate = threading.Event()
    pending = service.say(HELLO)
    service.cancel()
    engine.gate.set()
    pending.result(10)
    assert sink.played == [] and sink.stops == 1


def test_no_engine_for_a_language_is_silent_with_a_reason(tmp_path: Path) -> None:
    sink = RecordingSink()
    service = VoiceService([EspeakEngine("espeak-ng-not-installed")], PromptCache(tmp_path), sink)
    try:
        assert service.say(HELLO).result(10) is None
        assert sink.played == [] and service.last_problem == Problem.of("voice.no_language",
                                                                          lang="zh")
        choices = service.choices()
        assert [c.engine for c in choices] == ["", ""]
        assert choices[0].problems == (Problem.of("voice.espeak_missing"),)
    finally:
        service.close()


def test_a_render_failure_is_logged_once_and_plays_nothing(
        rig: tuple[VoiceService, ToneEngine, RecordingSink],
        caplog: pytest.LogCaptureFixture) -> None:
    service, engine, sink = rig
    engine.fail = Problem.of("voice.render_failed", detail="boom")
    assert service.say(HELLO).result(10) is None
    assert service.say(Utterance("screen.terms", "请阅读", "zh")).result(10) is None
    assert sink.played == [] and service.last_problem == engine.fail
    assert [r.getMessage() for r in caplog.records if r.name == "kiosk.voice"] == [
        "voice silent: voice.render_failed(detail=boom)"]


def test_prepare_renders_every_fixed_prompt_once_and_prunes_stale_ones(
        rig: tuple[VoiceService, ToneEngine, RecordingSink]) -> None:
    service, engine, sink = rig
    stale = service.cache.render(engine, "v1", "an old prompt text", "zh")
    assert service.prepare().result(30) == len(fixed_utterances())
    assert not stale.exists()
    assert service.prepare().result(30) == 0  # all cached: nothing rendered again
    assert len(list(service.cache.folder.glob("*.wav"))) == len(fixed_utterances())
    assert sink.played == []  # preparing says nothing


def test_espeak_through_the_service_end_to_end(tmp_path: Path) -> None:
    sink = RecordingSink()
    service = VoiceService([EspeakEngine()], PromptCache(tmp_path), sink)
    try:
        path = service.say(Utterance("readback", "个人，价税合计一百一十八元九角。", "zh",
                                     fixed=False)).result(30)
        assert path is not None and sink.played == [("readback", path)]
        with wave.open(str(path), "rb") as wav:
            assert wav.getnframes() > 0
    finally:
        service.close()
