"""Logging: JSON lines to a size-rotated file, readable lines to stderr.

Every subsystem logs through its own logger (``kiosk.<subsystem>``,
``drivers.<device>``, ``ui.<screen>``) with a dotted ``event`` name and
structured fields passed as ``extra``. A :class:`MaskingFilter` on the handlers
masks personal data (ID numbers, phones, e-mails) in the message and in every
string field before anything is written: masking at the source, one helper.

Under systemd stderr goes to journald, so the stderr format has no timestamp.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import json
import logging
import logging.handlers
import os
import sys
from pathlib import Path
from typing import Any

from kiosk.masking import mask_text

LOG_FILE_NAME = "kiosk.jsonl"

# The current kiosk session id (set by the session flow), added to each record.
current_session: contextvars.ContextVar[str] = contextvars.ContextVar("kiosk_session", default="")

# Libraries that log routine detail at INFO (fontTools: dozens of lines per PDF
# as it subsets the CJK font); operators read the kiosk's own events.
QUIET_LIBRARIES = ("fontTools", "PIL", "asyncio", "mail.log")

# LogRecord attributes that are not user fields.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}


def _fields(record: logging.LogRecord) -> dict[str, Any]:
    return {k: v for k, v in vars(record).items() if k not in _STANDARD and not k.startswith("_")}


def _mask_value(value: Any) -> Any:
    if isinstance(value, str):
        return mask_text(value)
    if isinstance(value, list | tuple):
        return [_mask_value(v) for v in value]
    if isinstance(value, dict):
        return {k: _mask_value(v) for k, v in value.items()}
    return value


class MaskingFilter(logging.Filter):
    """Masks personal data in the formatted message and every extra field."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a bad format string must not lose the record
            message = f"{record.msg!r} {record.args!r}"
        record.msg = mask_text(message)
        record.args = None
        for key, value in _fields(record).items():
            setattr(record, key, _mask_value(value))
        if not getattr(record, "session", ""):
            record.session = current_session.get()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object a line: ts, level, logger, event, msg, session, fields."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "ts": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "event": getattr(record, "event", "") or record.name,
            "msg": record.getMessage(),
        }
        for key, value in _fields(record).items():
            if key != "event":
                entry[key] = value
        if record.exc_info:
            entry["exc"] = mask_text(self.formatException(record.exc_info))
        return json.dumps(entry, ensure_ascii=False, default=str)


class ReadableFormatter(logging.Formatter):
    def __init__(self, with_time: bool) -> None:
        fmt = "%(levelname)s %(name)s: %(message)s"
        super().__init__(("%(asctime)s " if with_time else "") + fmt)


def log_dir(data_path: Path) -> Path:
    return data_path / "logs"


def setup_logging(
    data_path: Path,
    *,
    level: str = "INFO",
    max_bytes: int = 5_000_000,
    backups: int = 40,
    stderr: bool = True,
    stderr_level: str | None = None,
) -> Path:
    """Configure the root logger once; returns the JSON log file's path."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "_kiosk", False):
            root.removeHandler(handler)
            handler.close()
    root.setLevel(level)
    for name in QUIET_LIBRARIES:
        logging.getLogger(name).setLevel(max(logging.WARNING, root.level))
    masking = MaskingFilter()
    folder = log_dir(data_path)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / LOG_FILE_NAME
    file_handler = logging.handlers.RotatingFileHandler(
        path, maxBytes=max_bytes, backupCount=backups, encoding="utf-8"
    )
    file_handler.setFormatter(JsonFormatter())
    file_handler.addFilter(masking)
    file_handler._kiosk = True  # type: ignore[attr-defined]
    root.addHandler(file_handler)
    if stderr:
        err = logging.StreamHandler(sys.stderr)
        err.setLevel(stderr_level or level)
        err.setFormatter(ReadableFormatter(with_time="JOURNAL_STREAM" not in os.environ))
        err.addFilter(masking)
        err._kiosk = True  # type: ignore[attr-defined]
        root.addHandler(err)
    return path
