"""The provider's word that the clerk's 数电 session lapsed, shared by every kiosk process.

When Nuonuo or Baiwang refuses because the clerk's e-tax-bureau login or face
verification lapsed, the gateway records it here (``<data>/<provider>-operator-
session.json``, written atomically) so that ``health()`` in ANY process (the
kiosk, ``kiosk doctor``, the diagnostics screen) reports it with what to do. A
successful issue clears it. Neither provider offers a call that says the session
is back (docs/nuonuo.md, docs/baiwang.md), so after ``recheck_s`` the record is
dropped and the next issue tells (a further lapse records it again). Wall-clock
time, so a record survives a restart and means the same to every process.
"""

from __future__ import annotations

import contextlib
import json
import time
from collections.abc import Callable
from pathlib import Path

from kiosk.platform import provider_files
from kiosk.platform.gateway import OperatorActionNeeded, PlatformError


class SessionWatch:
    """Record, read and clear a lapsed clerk session."""

    def __init__(self, path: Path, recheck_s: float, *,
                 clock: Callable[[], float] = time.time) -> None:
        self.path = Path(path)
        self.recheck_s = recheck_s
        self.clock = clock

    def lapsed(self, err: PlatformError) -> None:
        data = {"at": self.clock(), "code": err.code, "zh": err.message_zh, "en": err.message_en}
        provider_files.store(self.path, json.dumps(data, ensure_ascii=False).encode("utf-8"))

    def cleared(self) -> None:
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()

    def current(self) -> OperatorActionNeeded | None:
        """The recorded lapse while it stands; None when there is none or its time is up."""
        try:
            data = json.loads(self.path.read_text("utf-8"))
            at = float(data["at"])
        except (OSError, ValueError, KeyError, TypeError):
            return None
        if self.clock() - at >= self.recheck_s:
            self.cleared()
            return None
        return OperatorActionNeeded(str(data.get("zh", "")), str(data.get("en", "")),
                                    code=str(data.get("code") or "OPERATOR_ACTION_NEEDED"))
