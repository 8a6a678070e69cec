"""The speech port: one small :class:`SpeechEngine` protocol and its two engines.

- :class:`EspeakEngine`: the ``espeak-ng`` program (Debian package
  ``espeak-ng``), run as a separate process per prompt; Mandarin voice
  ``cmn``, English ``en``. Always available where the package is installed.
- :class:`SherpaOnnxEngine`: ``sherpa-onnx`` with a VITS model folder the
  operator installs (no model ships with the kiosk; see docs/voice.md).
  ``sherpa_onnx`` is imported lazily, on the first render, so a kiosk without
  it starts as usual and diagnostics says what is missing. A Mandarin model
  speaks Chinese only; English falls to the next engine (espeak-ng).

An engine says which voice it uses per language (``None``: not this
language), why it cannot speak at all (a :class:`~drivers.problem.Problem`,
else ``None``), and renders text to a WAV file. Rendering raises
:class:`~drivers.problem.ProblemError`; nothing else leaves an engine.
"""

from __future__ import annotations

import importlib.util
import logging
import shutil
import subprocess
import threading
import wave
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

from kiosk.messages import Problem, ProblemError

__all__ = ["ENGINES", "EspeakEngine", "SherpaOnnxEngine", "SpeechEngine", "make_engines",
           "pick_engine"]

log = logging.getLogger("kiosk.voice")

ENGINES = ("espeak-ng", "sherpa-onnx")


class SpeechEngine(Protocol):
    """Text to a WAV file, offline."""

    @property
    def name(self) -> str: ...

    def voice(self, lang: str) -> str | None:
        """The voice used for ``lang`` ("zh" or "en"), or None when this engine cannot speak it."""

    def problem(self) -> Problem | None:
        """Why this engine cannot speak at all, or None when it can."""

    def render(self, text: str, lang: str, out: Path) -> None:
        """Write ``text`` spoken in ``lang`` to the WAV file ``out``; raises ProblemError."""


class EspeakEngine:
    """``espeak-ng`` as a child process: text on stdin (UTF-8), a WAV file out."""

    def __init__(self, program: str = "espeak-ng", *, timeout_s: float = 30.0,
                 voices: dict[str, str] | None = None) -> None:
        self.program = program
        self.timeout_s = timeout_s
        self.voices = voices or {"zh": "cmn", "en": "en"}

    @property
    def name(self) -> str:
        return "espeak-ng"

    def voice(self, lang: str) -> str | None:
        return self.voices.get(lang)

    def problem(self) -> Problem | None:
        return None if shutil.which(self.program) else Problem.of("voice.espeak_missing")

    def render(self, text: str, lang: str, out: Path) -> None:
        voice = self.voice(lang)
        if voice is None:
            raise ProblemError(Problem.of("voice.no_language", lang=lang))
        exe = shutil.which(self.program)
        if exe is None:
            raise ProblemError(Problem.of("voice.espeak_missing"))
        # -b 1: the input is UTF-8; --stdin: the text never becomes an argument
        # (a prompt starting with "-" cannot be taken for an option).
        cmd = [exe, "-v", voice, "-b", "1", "-w", str(out), "--stdin"]
        try:
            done = subprocess.run(cmd, input=text.encode("utf-8"), capture_output=True,
                                  timeout=self.timeout_s, check=False)
        except subprocess.TimeoutExpired:
            raise ProblemError(Problem.of("voice.render_failed", detail="espeak-ng timed out")) from None
        except OSError as err:
            raise ProblemError(Problem.of("voice.render_failed", detail=str(err))) from None
        if done.returncode != 0 or not out.is_file() or out.stat().st_size <= 44:
            detail = done.stderr.decode("utf-8", "replace").strip()[:200] or f"exit {done.returncode}"
            raise ProblemError(Problem.of("voice.render_failed", detail=detail))


class SherpaOnnxEngine:
    """sherpa-onnx offline TTS on an operator-supplied VITS model folder (Mandarin).

    The folder holds one ``*.onnx`` model and ``tokens.txt``, and where the
    model has them ``lexicon.txt``, a ``dict/`` folder (jieba), an
    ``espeak-ng-data/`` folder and ``*.fst`` text-normalisation rules: the
    layout of the sherpa-onnx release archives (docs/voice.md).
    """

    def __init__(self, model_path: str | Path, *, speaker_id: int = 0, num_threads: int = 1,
                 langs: Sequence[str] = ("zh",)) -> None:
        self.model_path = Path(model_path).expanduser() if str(model_path) else Path()
        self.speaker_id = speaker_id
        self.num_threads = num_threads
        self.langs = tuple(langs)
        self._tts: Any = None
        self._lock = threading.Lock()  # one load, one generate at a time

    @property
    def name(self) -> str:
        return "sherpa-onnx"

    @property
    def folder(self) -> Path:
        return self.model_path.parent if self.model_path.suffix == ".onnx" else self.model_path

    def voice(self, lang: str) -> str | None:
        return f"{self.folder.name}#{self.speaker_id}" if lang in self.langs else None

    def problem(self) -> Problem | None:
        if importlib.util.find_spec("sherpa_onnx") is None:
            return Problem.of("voice.sherpa_missing")
        if not str(self.model_path) or str(self.model_path) == "." or not self.model_path.exists():
            return Problem.of("voice.model_missing", path=str(self.model_path) or "-")
        return None

    def model_files(self) -> dict[str, str]:
        """The VITS config's file arguments found in the model folder; raises ProblemError."""
        folder = self.folder
        models = ([self.model_path] if self.model_path.suffix == ".onnx"
                  else sorted(folder.glob("*.onnx")))
        if not models or not (folder / "tokens.txt").is_file():
            raise ProblemError(Problem.of("voice.model_bad",
                                          detail=f"{folder}: needs one *.onnx and tokens.txt"))
        model = next((m for m in models if m.name == "model.onnx"), models[0])
        files = {"model": str(model), "tokens": str(folder / "tokens.txt"), "lexicon": "",
                 "dict_dir": "", "data_dir": "", "rule_fsts": ""}
        if (folder / "lexicon.txt").is_file():
            files["lexicon"] = str(folder / "lexicon.txt")
        if (folder / "dict").is_dir():
            files["dict_dir"] = str(folder / "dict")
        if (folder / "espeak-ng-data").is_dir():
            files["data_dir"] = str(folder / "espeak-ng-data")
        files["rule_fsts"] = ",".join(str(f) for f in sorted(folder.glob("*.fst")))
        return files

    def _load(self) -> Any:
        if self._tts is not None:
            return self._tts
        problem = self.problem()
        if problem is not None:
            raise ProblemError(problem)
        files = self.model_files()
        import sherpa_onnx  # lazy: an optional dependency

        vits = sherpa_onnx.OfflineTtsVitsModelConfig(
            model=files["model"], lexicon=files["lexicon"], tokens=files["tokens"],
            data_dir=files["data_dir"], dict_dir=files["dict_dir"])
        config = sherpa_onnx.OfflineTtsConfig(
            model=sherpa_onnx.OfflineTtsModelConfig(vits=vits, num_threads=self.num_threads),
            rule_fsts=files["rule_fsts"], max_num_sentences=1)
        if not config.validate():
            raise ProblemError(Problem.of("voice.model_bad", detail=f"{self.folder}: invalid"))
        try:
            self._tts = sherpa_onnx.OfflineTts(config)
        except Exception as err:  # the library's own failure stops at the port
            raise ProblemError(Problem.of("voice.model_bad", detail=str(err)[:200])) from None
        log.info("sherpa-onnx model loaded", extra={"event": "voice.model_loaded",
                                                    "model": self.folder.name})
        return self._tts

    def render(self, text: str, lang: str, out: Path) -> None:
        if self.voice(lang) is None:
            raise ProblemError(Problem.of("voice.no_language", lang=lang))
        with self._lock:
            tts = self._load()
            try:
                audio = tts.generate(text, sid=self.speaker_id, speed=1.0)
            except Exception as err:
                raise ProblemError(Problem.of("voice.render_failed", detail=str(err)[:200])) from None
        write_wav(out, audio.samples, int(audio.sample_rate))


def write_wav(out: Path, samples: Sequence[float] | Any, sample_rate: int) -> None:
    """Float samples in [-1, 1] as a 16-bit mono PCM WAV file."""
    import numpy as np

    pcm = (np.clip(np.asarray(samples, dtype=np.float32), -1.0, 1.0) * 32767).astype("<i2")
    if pcm.size == 0:
        raise ProblemError(Problem.of("voice.render_failed", detail="no samples"))
    with wave.open(str(out), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(sample_rate)
        wav.writeframes(pcm.tobytes())


def make_engines(engine: str, model_path: str = "") -> list[SpeechEngine]:
    """The engines to try, best first: sherpa-onnx (when chosen) then espeak-ng."""
    if engine not in ENGINES:
        raise ValueError(f"unknown speech engine {engine!r}")
    engines: list[SpeechEngine] = []
    if engine == "sherpa-onnx":
        engines.append(SherpaOnnxEngine(model_path))
    engines.append(EspeakEngine())
    return engines


def pick_engine(engines: Sequence[SpeechEngine], lang: str) -> tuple[SpeechEngine, str] | None:
    """The first engine that can speak ``lang`` now, and its voice."""
    for engine in engines:
        voice = engine.voice(lang)
        if voice is not None and engine.problem() is None:
            return engine, voice
    return None
