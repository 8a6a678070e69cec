"""The Nuonuo access token: one per application, persisted and shared between processes.

Nuonuo allows at most 50 token calls per 30 days per application, so the token
(valid 24 h) is fetched rarely and reused by every kiosk process on the
machine: it lives in ``<data folder>/nuonuo-token-<app>.json`` (mode 0600),
read and replaced under an exclusive ``fcntl`` lock on a sibling ``.lock``
file, the new content written to a temporary file and moved into place
(``os.replace``), so a reader never sees half a file and two processes never
both fetch. It is refreshed ``refresh_margin_s`` before it expires. The file
also keeps the times of the token calls of the last 30 days; the store
refuses to make a 46th (``local_limit``), leaving headroom below the
provider's 50, and says so with a catalogue code.

``fcntl`` is POSIX-only, as is the kiosk (Linux terminals).
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kiosk.platform.nuonuo_errors import NuonuoAuthError, problem_error

WINDOW_S = 30 * 86400
PROVIDER_LIMIT = 50


@dataclass
class TokenState:
    token: str = ""
    expires_at: float = 0.0
    fetched: list[float] = field(default_factory=list)  # times of token calls (30 days)

    @classmethod
    def from_json(cls, data: Any) -> TokenState:
        if not isinstance(data, dict):
            return cls()
        fetched = [float(t) for t in data.get("fetched", []) if isinstance(t, (int, float))]
        return cls(str(data.get("token", "")), float(data.get("expires_at", 0.0)), fetched)

    def to_json(self) -> dict[str, Any]:
        return {"token": self.token, "expires_at": self.expires_at, "fetched": self.fetched}


Fetch = Callable[[], tuple[str, int]]  # -> (access_token, expires_in seconds)


class TokenStore:
    """Get a valid token, fetching one only when the shared file has none fresh enough."""

    def __init__(self, folder: Path, app_key: str, *, clock: Callable[[], float] = time.time,
                 refresh_margin_s: float = 3600.0, local_limit: int = PROVIDER_LIMIT - 5,
                 provider: str = "nuonuo") -> None:
        tag = hashlib.sha256(app_key.encode("utf-8")).hexdigest()[:12]
        self.path = Path(folder) / f"{provider}-token-{tag}.json"
        self._lock_path = self.path.with_suffix(".lock")
        self._clock = clock
        self.refresh_margin_s = refresh_margin_s
        self.local_limit = local_limit

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self._lock_path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)

    def _read(self) -> TokenState:
        try:
            return TokenState.from_json(json.loads(self.path.read_text("utf-8")))
        except (OSError, ValueError):
            return TokenState()

    def _write(self, state: TokenState) -> None:
        fd, tmp = tempfile.mkstemp(prefix=".nuonuo-token-", dir=self.path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                json.dump(state.to_json(), out)
                out.flush()
                os.fsync(out.fileno())
            os.chmod(tmp, 0o600)
            os.replace(tmp, self.path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise

    def state(self) -> TokenState:
        """What the shared file holds now (for diagnostics and tests)."""
        with self._locked():
            return self._read()

    def get(self, fetch: Fetch) -> str:
        """A token valid for at least ``refresh_margin_s`` more, fetched only if needed."""
        with self._locked():
            state = self._read()
            now = self._clock()
            if state.token and now < state.expires_at - self.refresh_margin_s:
                return state.token
            state.fetched = [t for t in state.fetched if now - t < WINDOW_S]
            if len(state.fetched) >= self.local_limit:
                if state.token and now < state.expires_at:
                    return state.token  # still valid, only inside the margin: use it up
                raise problem_error(NuonuoAuthError, "platform.nuonuo.token_limit_local",
                                    count=len(state.fetched))
            state.fetched.append(now)
            self._write(state)  # the call is counted even if its answer is lost
            token, expires_in = fetch()
            state.token, state.expires_at = token, self._clock() + max(0, expires_in)
            self._write(state)
            return token

    def invalidate(self, token: str) -> None:
        """Forget ``token`` if it is still the stored one (the provider refused it)."""
        with self._locked():
            state = self._read()
            if state.token == token:
                state.token, state.expires_at = "", 0.0
                self._write(state)
