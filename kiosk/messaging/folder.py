"""The default SMS backend: each message a JSON file in ``<data_dir>/sms/``.

Like ``maildir/`` for mail: nothing leaves the machine, a newcomer can read
the code, and the simulator panel shows the newest message so anyone can walk
registration and login. Files are written to a temp name and renamed, so a
reader never sees half a message; names sort by time.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kiosk.messaging.port import CodeMessage, MessagingError

SMS_DIR = "sms"


class FolderSms:
    def __init__(self, path: Path, *,
                 clock: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC)) -> None:
        self.path = Path(path)
        self.clock = clock

    def send(self, message: CodeMessage) -> None:
        now = self.clock().astimezone(dt.UTC)
        name = f"{now.strftime('%Y%m%dT%H%M%S%f')}-{secrets.token_hex(3)}.json"
        body = {"to": message.to, "at": now.isoformat(timespec="seconds"),
                "purpose": message.purpose, "code": message.code,
                "text_zh": message.text_zh(), "text_en": message.text_en()}
        try:
            self.path.mkdir(parents=True, exist_ok=True)
            tmp = self.path / f".{name}.tmp"
            tmp.write_text(json.dumps(body, ensure_ascii=False, indent=1), encoding="utf-8")
            os.replace(tmp, self.path / name)
        except OSError as err:
            raise MessagingError(f"sms folder {self.path}: {err}") from err


def latest_sms(path: Path) -> dict[str, Any] | None:
    """The newest message in an ``sms/`` folder (for the simulator panel), or None."""
    folder = Path(path)
    try:
        names = sorted(p.name for p in folder.glob("*.json"))
    except OSError:
        return None
    for name in reversed(names):
        try:
            data = json.loads((folder / name).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(data, dict):
            return data
    return None
