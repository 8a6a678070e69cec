"""Voice guidance, offline and Qt-free: what to say, how to render it, when to say it.

- :mod:`kiosk.voice.prompts`: the per-screen prompts and the review read-back.
- :mod:`kiosk.voice.engine`: the :class:`SpeechEngine` port (espeak-ng, sherpa-onnx).
- :mod:`kiosk.voice.cache`: rendered prompts as WAV files in the data folder.
- :mod:`kiosk.voice.service`: :class:`VoiceService`, render off the caller's thread, play.
- :mod:`kiosk.voice.guide`: :class:`VoiceGuide`, the session listener.

The Qt player (an :class:`~kiosk.voice.service.AudioSink`) is ``ui.voice``.
"""

from __future__ import annotations

from kiosk.voice.cache import PromptCache
from kiosk.voice.engine import EspeakEngine, SherpaOnnxEngine, SpeechEngine, make_engines
from kiosk.voice.guide import VoiceGuide
from kiosk.voice.prompts import Utterance, readback, screen_prompt, spoken_amount
from kiosk.voice.service import AudioSink, VoiceService

__all__ = ["AudioSink", "EspeakEngine", "PromptCache", "SherpaOnnxEngine", "SpeechEngine",
           "Utterance", "VoiceGuide", "VoiceService", "make_engines", "readback",
           "screen_prompt", "spoken_amount"]
