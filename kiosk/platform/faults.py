"""Faults the sandbox platform can be told to produce, for tests and demos.

``SandboxPlatform.faults`` is a :class:`Faults`; set it in-process
(``platform.faults.set(latency_s=2)``) or over HTTP through the admin endpoint
of ``kiosk sandbox serve --faults-admin``. The kinds:

- ``latency_s``: every call waits this long before it is processed;
- ``fail_next`` / ``fail_code``: the next N calls fail with the error that code
  names (``UNAVAILABLE``, ``TIMEOUT``, ``QUOTA_EXCEEDED``, or any other code as a
  plain PlatformError), before anything is recorded;
- ``timeout_after_commit``: the next N issuing calls (blue or red) commit the
  invoice, then raise PlatformTimeout as if the answer was lost (over HTTP the
  server drops the connection without answering);
- ``unavailable``: every call raises PlatformUnavailable until cleared.

:meth:`Faults.crash` models the process dying: waits are cut short and every
later checkpoint raises :class:`Crashed`, so an in-flight call stops without
committing or answering (the HTTP server's ``kill()`` uses it).
"""

from __future__ import annotations

import threading
from dataclasses import asdict, dataclass, replace
from typing import Any

from kiosk.platform.gateway import (
    PlatformError,
    PlatformTimeout,
    PlatformUnavailable,
    QuotaExceeded,
)

# Calls that never fault (the admin and document-download paths).
UNFAULTED = frozenset({"download"})
ISSUING_OPS = frozenset({"issue", "issue_red_invoice"})


class Crashed(BaseException):  # noqa: N818 - models process death, not an error to handle
    """The sandbox "process" died mid-call: stop without committing or answering.

    A BaseException so ordinary ``except Exception`` blocks do not swallow it.
    """


@dataclass(frozen=True)
class FaultSettings:
    latency_s: float = 0.0
    fail_next: int = 0
    fail_code: str = "UNAVAILABLE"
    timeout_after_commit: int = 0
    unavailable: bool = False

    def __post_init__(self) -> None:
        if not 0 <= self.latency_s <= 600:
            raise ValueError("latency_s must be between 0 and 600 seconds")
        if self.fail_next < 0 or self.timeout_after_commit < 0:
            raise ValueError("fault counts cannot be negative")
        if not self.fail_code or len(self.fail_code) > 64:
            raise ValueError("fail_code must be a short non-empty code")


def error_for_code(code: str) -> PlatformError:
    """The exception an injected failure with ``code`` raises."""
    if code == "UNAVAILABLE":
        return PlatformUnavailable("（模拟故障）开票平台无法连接", "(injected) platform unavailable")
    if code == "TIMEOUT":
        return PlatformTimeout("（模拟故障）开票平台未应答", "(injected) no answer from the platform")
    if code == "QUOTA_EXCEEDED":
        return QuotaExceeded(None, None, "（模拟故障）开票额度不足", "(injected) quota exceeded")
    return PlatformError(f"（模拟故障）{code}", f"(injected) {code}", code=code)


class Faults:
    """Thread-safe fault switches, consulted by the sandbox at fixed checkpoints."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._settings = FaultSettings()
        self._crashed = False
        self._wake = threading.Event()  # set to cut a latency wait short
        self.waiting = threading.Event()  # set while a call sits in a latency wait

    # --- settings -----------------------------------------------------------
    @property
    def settings(self) -> FaultSettings:
        with self._lock:
            return self._settings

    def set(self, **changes: Any) -> FaultSettings:
        """Change some settings (unknown names raise TypeError, bad values ValueError)."""
        with self._lock:
            self._settings = replace(self._settings, **changes)
            return self._settings

    def clear(self) -> None:
        with self._lock:
            self._settings = FaultSettings()
        self._wake.set()
        self._wake = threading.Event()

    def to_dict(self) -> dict[str, Any]:
        return asdict(self.settings)

    # --- crash --------------------------------------------------------------
    def crash(self) -> None:
        """The process "dies": in-flight and later calls stop at their next checkpoint."""
        with self._lock:
            self._crashed = True
        self._wake.set()

    @property
    def crashed(self) -> bool:
        return self._crashed

    def _check_alive(self) -> None:
        if self._crashed:
            raise Crashed()

    # --- checkpoints the sandbox calls --------------------------------------
    def before_call(self, op: str) -> None:
        """At the start of a gateway call, before anything is read or written."""
        self._check_alive()
        if op in UNFAULTED:
            return
        with self._lock:
            s = self._settings
            failing = s.fail_next > 0
            if failing:
                self._settings = replace(s, fail_next=s.fail_next - 1)
        if s.latency_s > 0:
            wake = self._wake
            self.waiting.set()
            try:
                wake.wait(s.latency_s)
            finally:
                self.waiting.clear()
            self._check_alive()
        if s.unavailable:
            raise error_for_code("UNAVAILABLE")
        if failing:
            raise error_for_code(s.fail_code)

    def before_commit(self, op: str) -> None:
        """Just before a write transaction commits: a crash here loses the write."""
        self._check_alive()

    def after_commit(self, op: str) -> None:
        """After an issuing call committed: maybe lose the answer."""
        if op not in ISSUING_OPS:
            return
        with self._lock:
            s = self._settings
            if s.timeout_after_commit <= 0:
                return
            self._settings = replace(s, timeout_after_commit=s.timeout_after_commit - 1)
        raise PlatformTimeout(
            "（模拟故障）发票已开具但应答丢失", "(injected) invoice committed, answer lost"
        )
