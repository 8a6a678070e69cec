"""Report each code once while it stays in view (pure; the clock is passed in).

A code is reported when first decoded, then latched while it keeps appearing.
It is unlatched after it has been missing from ``absent_frames`` consecutive
frames (it left the view); when it shows up again it is reported again, but
not before ``holdoff_s`` have passed since its last report (a code that
flickers in and out of focus is not reported twice in a row).
"""

from __future__ import annotations

from collections.abc import Iterable


class RepeatFilter:
    def __init__(self, absent_frames: int = 15, holdoff_s: float = 3.0) -> None:
        self.absent_frames = absent_frames
        self.holdoff_s = holdoff_s
        self._missing: dict[str, int] = {}  # latched code -> consecutive frames missing
        self._reported_at: dict[str, float] = {}

    def update(self, codes: Iterable[str], now: float) -> list[str]:
        """One frame's decoded codes at time ``now``; returns the codes to report."""
        seen = list(dict.fromkeys(codes))
        fresh = []
        for code in seen:
            if code in self._missing:
                self._missing[code] = 0
                continue
            last = self._reported_at.get(code)
            if last is not None and now - last < self.holdoff_s:
                self._missing[code] = 0  # back too soon: latch again, silently
                continue
            self._missing[code] = 0
            self._reported_at[code] = now
            fresh.append(code)
        for code in list(self._missing):
            if code not in seen:
                self._missing[code] += 1
                if self._missing[code] >= self.absent_frames:
                    del self._missing[code]
        # Forget report times older than the hold-off (bounded memory).
        for code, at in list(self._reported_at.items()):
            if now - at >= self.holdoff_s and code not in self._missing:
                del self._reported_at[code]
        return fresh

    def reset(self) -> None:
        self._missing.clear()
        self._reported_at.clear()
