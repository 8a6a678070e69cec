"""Telling a keyboard-wedge scanner from a person typing, by keystroke timing (pure).

A USB scanner in keyboard mode "types" a code much faster than a person: a
burst of at least ``min_length`` characters, each within ``max_interval_ms``
of the one before, ended by Enter, is a scan. Anything slower is typing and
is passed through unchanged, in order.

Because the first keystrokes of a burst cannot be told apart from typing,
:class:`WedgeDetector` holds characters while a burst may be under way and
releases them as typing as soon as the burst is broken: by a slow key, by an
Enter after too few characters, or when :meth:`expire` finds the burst stale
(the caller arms a timer for :attr:`deadline_ms`). A person's keystroke is
thus delayed by at most ``max_interval_ms``.
"""

from __future__ import annotations

from dataclasses import dataclass

ENTER = "\r"
MAX_CODE = 4096


@dataclass(frozen=True)
class WedgeOutput:
    passthrough: str = ""  # typing to hand on, in order ("\r" stands for Enter)
    code: str | None = None  # a complete scan
    held: bool = False  # the character just fed is being held


class WedgeDetector:
    def __init__(self, min_length: int = 4, max_interval_ms: float = 30.0) -> None:
        self.min_length = min_length
        self.max_interval_ms = max_interval_ms
        self._buf: list[str] = []
        self._last_ms = 0.0

    @property
    def pending(self) -> str:
        return "".join(self._buf)

    @property
    def deadline_ms(self) -> float | None:
        """When the held burst goes stale (call :meth:`expire` then); None if nothing is held."""
        return self._last_ms + self.max_interval_ms if self._buf else None

    def feed(self, char: str, timestamp_ms: float) -> WedgeOutput:
        """One key's text (``"\\r"`` or ``"\\n"`` for Enter) at ``timestamp_ms``."""
        released = ""
        if self._buf and timestamp_ms - self._last_ms > self.max_interval_ms:
            released = self._release()
        if char in ("\r", "\n"):
            if len(self._buf) >= self.min_length:
                code = self._release()
                return WedgeOutput(passthrough=released, code=code)
            return WedgeOutput(passthrough=released + self._release() + ENTER)
        if len(self._buf) >= MAX_CODE:
            released += self._release()
        self._buf.append(char)
        self._last_ms = timestamp_ms
        return WedgeOutput(passthrough=released, held=True)

    def expire(self, now_ms: float) -> str:
        """Release a burst that went stale by ``now_ms`` as typing."""
        deadline = self.deadline_ms
        if deadline is not None and now_ms > deadline:
            return self._release()
        return ""

    def flush(self) -> str:
        """Release whatever is held (e.g. before a key the detector does not handle)."""
        return self._release()

    def _release(self) -> str:
        text = "".join(self._buf)
        self._buf.clear()
        return text
