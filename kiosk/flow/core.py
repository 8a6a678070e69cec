"""The session's small core: the current screen, the one walk-in's data, listeners,
logged transitions checked against the table, the idle clock and the wipe.

The step controllers (:mod:`kiosk.flow.identify`, :mod:`kiosk.flow.orders`,
:mod:`kiosk.flow.buyer`, :mod:`kiosk.flow.catalogue`, :mod:`kiosk.flow.issue`,
:mod:`kiosk.flow.overlays`) each hold this core and change the session only
through it. A controller's public method is an intent (:func:`intent`): while it
runs, :meth:`FlowCore.go` checks each move against
:data:`kiosk.flow.transitions.TABLE` and refuses one the table does not list.
"""

from __future__ import annotations

import functools
import logging
import os
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, Concatenate, ParamSpec, Protocol, TypeVar

from kiosk.flow.states import OVERLAYS, Screen, SessionData
from kiosk.flow.transitions import Intent, allowed
from kiosk.logs import current_session
from kiosk.messages import Text

log = logging.getLogger("kiosk.session")

# Set to "1" (the test suite does) to raise on a transition the table does not list.
STRICT_ENV = "KIOSK_FLOW_STRICT"


class TransitionRefused(RuntimeError):
    """A move the transition table does not list (raised only in strict mode)."""


class FlowCore:
    """What every step shares: the screen, the data, listeners, logging, the idle clock."""

    def __init__(self, *, clock: Callable[[], float], idle_timeout_s: float,
                 countdown_s: float, strict: bool | None = None) -> None:
        self.clock = clock
        self.idle_timeout_s = idle_timeout_s
        self.countdown_s = countdown_s
        self.strict = os.environ.get(STRICT_ENV) == "1" if strict is None else strict
        self.screen = Screen.ATTRACT
        self.data = SessionData()
        self.covered: Screen | None = None  # the screen an overlay covers
        self.last_activity = clock()
        self.countdown_deadline = 0.0
        self.printer_ok = True
        self.camera_ok = True
        self.scanner_ok = True  # the receipt scanner (the device coordinator says)
        self.out_of_service_reason: Text | None = None
        self.announcements: tuple[Text, ...] = ()  # the back office's, for the attract screen
        self.lang = "zh"  # the language on screen ("zh" or "en"): what gets printed for a person
        # Who put the kiosk out of service: "platform" (the pump lifts it when the platform's
        # health is ok again) or "" (a device, the configuration: lifted by whoever set it).
        self.out_of_service_cause = ""
        self._listeners: list[Callable[[], None]] = []
        self._intents: list[Intent] = []

    # --- listeners and logging ---------------------------------------------------

    def add_listener(self, listener: Callable[[], None]) -> None:
        self._listeners.append(listener)

    def changed(self) -> None:
        for listener in list(self._listeners):
            listener()

    def log(self, event: str, msg: str, **fields: Any) -> None:
        log.info(msg, extra={"event": f"session.{event}", "session": self.data.session_id,
                             **fields})

    # --- intents and transitions -------------------------------------------------

    @contextmanager
    def acting(self, intent: Intent) -> Iterator[None]:
        """While an intent runs, moves are checked against the table under its name."""
        self._intents.append(intent)
        try:
            yield
        finally:
            self._intents.pop()

    @property
    def intent(self) -> Intent | None:
        return self._intents[-1] if self._intents else None

    def go(self, screen: Screen, **fields: Any) -> bool:
        """Move to ``screen`` if the table allows it under the running intent; log it."""
        before = self.screen
        intent = self.intent
        if intent is None or not allowed(before, intent, screen):
            log.error("transition refused", extra={
                "event": "session.refused", "session": self.data.session_id,
                "from": before.value, "to": screen.value,
                "intent": intent.value if intent else ""})
            if self.strict:
                raise TransitionRefused(f"{before.value} -> {screen.value} by "
                                        f"{intent.value if intent else 'no intent'}")
            return False
        self.screen = screen
        if screen not in OVERLAYS:
            self.covered = None
        self.log("transition", f"{before.value} -> {screen.value}",
                 **{"from": before.value, "to": screen.value, **fields})
        self.changed()
        return True

    def notice(self, text: Text | None) -> None:
        self.data.notice = text
        self.changed()

    # --- activity, the session id, the wipe ----------------------------------------

    def touch(self) -> None:
        """Any touch or key press: the user is still there."""
        self.last_activity = self.clock()

    def countdown_left(self) -> int:
        """Whole seconds until the idle warning wipes the session."""
        return max(0, int(round(self.countdown_deadline - self.clock())))

    def start(self) -> None:
        if not self.data.session_id:
            self.data.session_id = uuid.uuid4().hex[:12]
            current_session.set(self.data.session_id)
            self.log("started", "session started")

    def wipe(self, reason: str) -> None:
        """Drop everything personal and return to the attract screen."""
        old = self.data.session_id
        self.data = SessionData()
        self.covered = None
        current_session.set("")
        log.info("session wiped", extra={"event": "session.wiped", "session": old,
                                          "reason": reason})
        if self.screen is not Screen.OUT_OF_SERVICE:
            with self.acting(Intent.WIPE):
                self.go(Screen.ATTRACT, reason=reason)


class HasCore(Protocol):
    @property
    def core(self) -> FlowCore: ...


C = TypeVar("C", bound=HasCore)
P = ParamSpec("P")
R = TypeVar("R")


def intent(name: Intent) -> Callable[[Callable[Concatenate[C, P], R]],
                                     Callable[Concatenate[C, P], R]]:
    """Mark a controller method as an intent: its moves are checked under ``name``."""

    def wrap(method: Callable[Concatenate[C, P], R]) -> Callable[Concatenate[C, P], R]:
        @functools.wraps(method)
        def run(step: C, /, *args: P.args, **kwargs: P.kwargs) -> R:
            with step.core.acting(name):
                return method(step, *args, **kwargs)

        return run

    return wrap
