"""Saying an utterance: pick an engine, find or render the WAV, hand it to a sink.

:class:`VoiceService` is Qt-free. A fixed prompt already in the cache goes to
the :class:`AudioSink` at once, on the caller's thread (a file lookup, no
rendering). Anything that needs an engine (a prompt not cached yet, every
dynamic read-back) is rendered on one worker thread (``voice-render``), never
on the caller's, so the GUI thread never waits for espeak-ng or sherpa-onnx.
Only the newest request plays: a render that finishes after the person has
moved on is dropped. :meth:`VoiceService.prepare` renders every fixed prompt
ahead, on the worker, and prunes stale files.

The sink's ``play`` may be called from the worker thread; a Qt sink posts it
to the GUI thread (``ui.voice``).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from kiosk.messages import Problem, ProblemError
from kiosk.voice.cache import PromptCache
from kiosk.voice.engine import SpeechEngine, pick_engine
from kiosk.voice.prompts import Utterance, fixed_utterances

__all__ = ["AudioSink", "EngineChoice", "VoiceService"]

log = logging.getLogger("kiosk.voice")


class AudioSink(Protocol):
    """Where WAV files are played; ``play`` may be called from any thread."""

    def play(self, path: Path, key: str) -> None: ...

    def stop(self) -> None: ...


@dataclass(frozen=True)
class EngineChoice:
    """What speaks a language now: for diagnostics."""

    lang: str
    engine: str  # "" when nothing can
    voice: str
    problems: tuple[Problem, ...]  # why better engines were passed over (or why silent)


def _done(value: Path | None) -> Future[Path | None]:
    future: Future[Path | None] = Future()
    future.set_result(value)
    return future


class VoiceService:
    def __init__(self, engines: Sequence[SpeechEngine], cache: PromptCache, sink: AudioSink,
                 *, executor: ThreadPoolExecutor | None = None) -> None:
        self.engines = list(engines)
        self.cache = cache
        self.sink = sink
        self._executor = executor or ThreadPoolExecutor(1, thread_name_prefix="voice-render")
        self._lock = threading.Lock()
        self._seq = 0
        self.last_problem: Problem | None = None
        self.render_threads: set[str] = set()  # names of threads that ran an engine (tests)

    # --- requests -------------------------------------------------------------

    def say(self, utterance: Utterance) -> Future[Path | None]:
        """Play ``utterance`` as soon as its WAV exists; the future gives the WAV (or None)."""
        with self._lock:
            self._seq += 1
            seq = self._seq
        choice = pick_engine(self.engines, utterance.lang)
        if choice is None:
            self._problem(Problem.of("voice.no_language", lang=utterance.lang), utterance)
            return _done(None)
        engine, voice = choice
        if utterance.fixed:
            cached = self.cache.get(utterance.text, engine.name, voice)
            if cached is not None:
                self._play(seq, cached, utterance)
                return _done(cached)
        return self._executor.submit(self._render_and_play, seq, utterance, engine, voice)

    def cancel(self) -> None:
        """Stop what is playing and drop renders still running (mute, wipe)."""
        with self._lock:
            self._seq += 1
        self.sink.stop()

    def prepare(self, utterances: Iterable[Utterance] | None = None) -> Future[int]:
        """Render every fixed prompt not cached yet, on the worker; prune stale files.

        The future gives how many were rendered now."""
        todo = [u for u in (fixed_utterances() if utterances is None else utterances) if u.fixed]
        self.cache.clear_live()
        return self._executor.submit(self._prepare, todo, utterances is None)

    def close(self) -> None:
        self._executor.shutdown(wait=True, cancel_futures=True)

    # --- what speaks ------------------------------------------------------------

    def choices(self) -> list[EngineChoice]:
        out = []
        for lang in ("zh", "en"):
            problems = tuple(p for e in self.engines if (p := e.problem()) is not None)
            choice = pick_engine(self.engines, lang)
            if choice is None:
                out.append(EngineChoice(lang, "", "", problems))
            else:
                out.append(EngineChoice(lang, choice[0].name, choice[1], problems))
        return out

    # --- the worker ---------------------------------------------------------------

    def _render(self, utterance: Utterance, engine: SpeechEngine, voice: str) -> Path:
        self.render_threads.add(threading.current_thread().name)
        if utterance.fixed:
            return self.cache.render(engine, voice, utterance.text, utterance.lang)
        return self.cache.render_live(engine, utterance.text, utterance.lang)

    def _render_and_play(self, seq: int, utterance: Utterance, engine: SpeechEngine,
                         voice: str) -> Path | None:
        try:
            path = self._render(utterance, engine, voice)
        except ProblemError as err:
            self._problem(err.problem, utterance)
            return None
        self._play(seq, path, utterance)
        return path

    def _prepare(self, todo: list[Utterance], prune: bool) -> int:
        rendered, keep = 0, set()
        for utterance in todo:
            choice = pick_engine(self.engines, utterance.lang)
            if choice is None:
                continue
            engine, voice = choice
            before = self.cache.get(utterance.text, engine.name, voice)
            try:
                keep.add(self._render(utterance, engine, voice))
            except ProblemError as err:
                self._problem(err.problem, utterance)
                continue
            rendered += before is None
        if prune:
            removed = self.cache.prune(keep)
            if removed:
                log.info("voice cache: %d stale prompts removed", removed,
                         extra={"event": "voice.cache_pruned", "removed": removed})
        log.info("voice prompts ready: %d rendered, %d cached", rendered, len(keep) - rendered,
                 extra={"event": "voice.prepared", "rendered": rendered, "total": len(keep)})
        return rendered

    def _play(self, seq: int, path: Path, utterance: Utterance) -> None:
        with self._lock:
            if seq != self._seq:
                return  # the person moved on: a newer request owns the speaker
        log.debug("voice: %s", utterance.key, extra={"event": "voice.say", "key": utterance.key,
                                                      "lang": utterance.lang})
        self.sink.play(path, utterance.key)

    def _problem(self, problem: Problem, utterance: Utterance) -> None:
        if problem != self.last_problem:  # once per kind of failure, not per prompt
            log.warning("voice silent: %s", problem, extra={
                "event": "voice.problem", "code": problem.code, "key": utterance.key})
        self.last_problem = problem
