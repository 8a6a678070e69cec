"""``VoiceGuide``: speaks each screen's prompt when the session changes screen.

Qt-free. It listens to the session (``session.add_listener``), reads
``session.screen`` and, on the review screen, the buyer and the total, and
asks a :class:`Speaker` (a :class:`~kiosk.voice.service.VoiceService`) to say
the prompt in the current language. It speaks on a change of screen only
(a session also changes for a notice or a keystroke), on :meth:`repeat` (the
speaker button) and on a change of language. The attract screen is the
kiosk at rest: entering it is silent, and its prompt (a greeting) is said
when presence notices someone stepping up (:meth:`presence`).

Muting: ``default_on`` comes from ``[voice] enabled``; a person may switch the
voice on or off (:meth:`set_muted`), and each new walk-in (the session back on
the attract screen) starts from the default again. The speaker button speaks
even when muted: pressing it asks for exactly that.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Future
from pathlib import Path
from typing import Any, Protocol

from kiosk.flow.states import Screen, SessionData
from kiosk.voice.prompts import Utterance, readback, screen_prompt

__all__ = ["SessionView", "Speaker", "VoiceGuide"]

log = logging.getLogger("kiosk.voice")


class SessionView(Protocol):
    """What the guide reads of a :class:`~kiosk.session.Session`."""

    @property
    def screen(self) -> Screen: ...

    @property
    def data(self) -> SessionData: ...

    def add_listener(self, listener: Callable[[Any], None]) -> None: ...


class Speaker(Protocol):
    def say(self, utterance: Utterance) -> Future[Path | None]: ...

    def cancel(self) -> None: ...


class VoiceGuide:
    def __init__(self, speaker: Speaker, *, default_on: bool, language: str = "zh_CN") -> None:
        self.speaker = speaker
        self.default_on = default_on
        self.muted = not default_on
        self.language = language
        self._session: SessionView | None = None
        self._screen: Screen | None = None
        self.requested: list[str] = []  # utterance keys asked for, in order (tests, diagnostics)
        self._mute_listeners: list[Callable[[bool], None]] = []

    def attach(self, session: SessionView) -> None:
        self._session = session
        self._screen = session.screen
        session.add_listener(self.on_session)

    def on_mute_changed(self, listener: Callable[[bool], None]) -> None:
        self._mute_listeners.append(listener)

    # --- what the session and the person do ---------------------------------------

    def on_session(self, session: SessionView) -> None:
        if session.screen is self._screen:
            return
        self._screen = session.screen
        if session.screen is Screen.ATTRACT:
            # The kiosk rests: silence (presence greets the next person), and the
            # next walk-in starts from the configured default.
            self.speaker.cancel()
            self.set_muted(not self.default_on)
            return
        if not self.muted:
            self.say(self.utterance_for(session))

    def repeat(self) -> None:
        """The speaker button: say the current screen's prompt again, even when muted."""
        if self._session is not None:
            self.say(self.utterance_for(self._session))

    def set_language(self, language: str) -> None:
        if language == self.language:
            return
        self.language = language
        if not self.muted and self._session is not None:
            self.say(self.utterance_for(self._session))

    def set_muted(self, muted: bool) -> None:
        if muted == self.muted:
            return
        self.muted = muted
        log.info("voice %s", "muted" if muted else "on",
                 extra={"event": "voice.muted" if muted else "voice.unmuted"})
        if muted:
            self.speaker.cancel()
        for listener in list(self._mute_listeners):
            listener(muted)

    def presence(self, present: bool) -> None:
        """Someone stepped up to (or away from) the resting kiosk."""
        if present and not self.muted and self._session is not None \
                and self._session.screen is Screen.ATTRACT:
            self.say(screen_prompt(Screen.ATTRACT, self.language))

    # --- what to say ----------------------------------------------------------------

    def utterance_for(self, session: SessionView) -> Utterance:
        if session.screen is Screen.REVIEW:
            fixed = screen_prompt(Screen.REVIEW, self.language)
            data = session.data
            back = readback(data.buyer.type, data.buyer.name, data.total, self.language)
            sep = " " if back.lang == "en" else ""
            return Utterance("readback", back.text + sep + fixed.text, back.lang, fixed=False)
        return screen_prompt(session.screen, self.language)

    def say(self, utterance: Utterance) -> Future[Path | None]:
        self.requested.append(utterance.key)
        return self.speaker.say(utterance)
