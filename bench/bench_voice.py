"""Voice guidance and presence: what they cost.

1. Presence: CPU per looked-at frame (YuNet on 320x240, including the scale
   down from the camera's 1280x720), with a face in view and without, at
   OpenCV's default thread count and at one thread, and the share of one core
   that makes at the configured rate ([presence] fps). Target: <= 5 % of a core.
   CPU is the process's CPU time (all threads), taken in the same run, frames
   interleaved.
2. Prompt latency from a request (``VoiceService.say``) to a playable WAV handed
   to the audio sink: a fixed prompt from the cache, the same prompt with the
   cache emptied first (espeak-ng renders it), and the dynamic review read-back
   (always rendered, on the worker). Measured side by side, interleaved. The
   time from there to sound at the speaker is the audio device's; this machine
   has none, so it is not measured here.
"""

from __future__ import annotations

import statistics
import tempfile
import threading
import time
from decimal import Decimal
from pathlib import Path

import cv2

from bench.runner import Runner
from kiosk.config import PresenceConfig
from kiosk.flow.states import Screen
from kiosk.model import BuyerType
from kiosk.presence import FaceDetector
from kiosk.voice.cache import PromptCache
from kiosk.voice.engine import EspeakEngine
from kiosk.voice.prompts import Utterance, readback, screen_prompt
from kiosk.voice.service import VoiceService
from tests.helpers.faces import astronaut, frame_with_face, wall

FRAMES = 60


def _presence(r: Runner) -> None:
    fps = PresenceConfig().fps
    detector = FaceDetector()
    face = frame_with_face(1280, 720, 400, astronaut(480))
    empty = wall(1280, 720)
    assert detector.detect(face) and not detector.detect(empty)
    default_threads = cv2.getNumThreads()
    rows = []
    for threads in (default_threads, 1):
        cv2.setNumThreads(threads)
        cpu: dict[str, list[float]] = {"face": [], "empty": []}
        wall_ms: dict[str, list[float]] = {"face": [], "empty": []}
        for _ in range(3):  # warm-up
            detector.detect(face)
        for _ in range(FRAMES):
            for name, frame in (("face", face), ("empty", empty)):
                c0, w0 = time.process_time(), time.perf_counter()
                detector.detect(frame)
                cpu[name].append(time.process_time() - c0)
                wall_ms[name].append(time.perf_counter() - w0)
        for name in ("face", "empty"):
            per_frame = statistics.mean(cpu[name])
            rows.append([f"{threads} thread{'s' if threads > 1 else ''}", name,
                         f"{per_frame * 1e3:.2f}", f"{statistics.median(wall_ms[name]) * 1e3:.2f}",
                         f"{per_frame * fps * 100:.1f} %", f"{per_frame * 5 * 100:.1f} %"])
    cv2.setNumThreads(default_threads)
    r.table(f"presence: YuNet per looked-at 1280x720 frame, at {fps} fps ({FRAMES} frames each)",
            ["OpenCV threads", "frame", "CPU ms/frame", "wall ms (median)",
             f"share of one core at {fps} fps", "at 5 fps (the most)"], rows)


class _Sink:
    def __init__(self) -> None:
        self.event = threading.Event()

    def play(self, path: Path, key: str) -> None:
        self.event.set()

    def stop(self) -> None:
        pass


def _latency(r: Runner) -> None:
    engine = EspeakEngine()
    if engine.problem() is not None:
        print("espeak-ng is not installed: prompt latency not measured")
        return
    with tempfile.TemporaryDirectory() as tmp:
        sink = _Sink()
        service = VoiceService([engine], PromptCache(Path(tmp)), sink)
        fixed = screen_prompt(Screen.BUYER, "zh_CN")
        back = readback(BuyerType.PERSON, "个人", Decimal("118.90"), "zh_CN")
        cached_path = service.cache.path(fixed.text, engine.name, "cmn")

        def say(utterance: Utterance = fixed, drop_cache: bool = False) -> None:
            if drop_cache:
                cached_path.unlink(missing_ok=True)
            sink.event.clear()
            service.say(utterance).result(30)
            assert sink.event.is_set()

        try:
            say()  # render once, so "cached" is cached
            r.compare("prompt latency: request -> playable WAV at the sink (espeak-ng, zh)", {
                "fixed, cached": lambda: say(),
                "fixed, not cached (render)": lambda: say(drop_cache=True),
                "read-back (dynamic, render)": lambda: say(back),
            }, rounds=20, baseline="fixed, cached")
        finally:
            service.close()


def run(r: Runner) -> None:
    _presence(r)
    _latency(r)
