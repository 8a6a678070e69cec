"""Rendered prompts on disk, in the data folder (``<data>/voice/``).

A fixed prompt is rendered once to ``<key>.wav``, the key being a hash of
(text, engine, voice): a changed text, engine or voice is a new key, so it is
rendered again, and :meth:`PromptCache.prune` deletes files no prompt names
any more. Files appear atomically (rendered to a temporary name, then
renamed), so a reader never sees half a WAV and a crash leaves no torn file.

A dynamic read-back is rendered under ``live/`` and only the newest is kept:
it names the buyer and the total, so it does not outlive the session
(:meth:`PromptCache.clear_live` runs at start and on every wipe).
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
from pathlib import Path

from kiosk.voice.engine import SpeechEngine

__all__ = ["PromptCache", "cache_key"]


def cache_key(text: str, engine: str, voice: str) -> str:
    """The file name stem of a prompt: a hash of what decides its sound."""
    blob = json.dumps([text, engine, voice], ensure_ascii=False).encode("utf-8")
    return hashlib.sha256(blob).hexdigest()[:32]


class PromptCache:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.live = folder / "live"
        self._live_lock = threading.Lock()
        self._live_n = 0
        self.renders = 0  # how many times an engine was run (tests and the bench read it)

    def path(self, text: str, engine: str, voice: str) -> Path:
        return self.folder / f"{cache_key(text, engine, voice)}.wav"

    def get(self, text: str, engine: str, voice: str) -> Path | None:
        """The cached WAV, or None when it has not been rendered yet."""
        path = self.path(text, engine, voice)
        return path if path.is_file() else None

    def render(self, engine: SpeechEngine, voice: str, text: str, lang: str) -> Path:
        """The cached WAV for ``text``, rendering it first when it is missing."""
        final = self.path(text, engine.name, voice)
        if final.is_file():
            return final
        self.folder.mkdir(parents=True, exist_ok=True)
        tmp = final.with_name(f".{final.stem}.{threading.get_ident()}.tmp.wav")
        try:
            engine.render(text, lang, tmp)
            self.renders += 1
            os.replace(tmp, final)
        finally:
            tmp.unlink(missing_ok=True)
        return final

    def render_live(self, engine: SpeechEngine, text: str, lang: str) -> Path:
        """Render a dynamic prompt to a fresh file under ``live/``, deleting older ones."""
        self.live.mkdir(parents=True, exist_ok=True)
        with self._live_lock:
            self._live_n += 1
            out = self.live / f"readback-{os.getpid()}-{self._live_n}.wav"
        engine.render(text, lang, out)
        self.renders += 1
        with self._live_lock:
            for old in self.live.glob("*.wav"):
                if old != out:
                    old.unlink(missing_ok=True)
        return out

    def clear_live(self) -> None:
        """Forget every dynamic read-back (start-up and session wipe)."""
        with self._live_lock:
            for old in self.live.glob("*.wav") if self.live.is_dir() else ():
                old.unlink(missing_ok=True)

    def prune(self, keep: set[Path]) -> int:
        """Delete cached prompts not in ``keep`` (texts or engine changed); returns how many."""
        removed = 0
        for path in self.folder.glob("*.wav") if self.folder.is_dir() else ():
            if path not in keep:
                path.unlink(missing_ok=True)
                removed += 1
        return removed
