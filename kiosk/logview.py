"""Reading the kiosk's JSON logs for operators: filter, follow, format, and prune.

The log folder holds ``kiosk.jsonl`` (current) and ``kiosk.jsonl.1`` ...
``kiosk.jsonl.N`` (``RotatingFileHandler`` backups, higher = older). Reading
goes oldest file first, so entries come out in time order. A line that is not
a JSON object with a ``ts`` is skipped and counted, never fatal.

Following (``tail -F``) keeps the current file open and notices a rotation
(the path now names another inode, or the file shrank): it drains the old
handle first, then reopens the path, so no line is lost across a rotation.
"""

from __future__ import annotations

import collections
import datetime as dt
import fnmatch
import functools
import json
import logging
import os
import re
import threading
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

log = logging.getLogger("kiosk.logview")

CURRENT = "kiosk.jsonl"
_ROTATED_RE = re.compile(re.escape(CURRENT) + r"\.(\d+)$")

LEVELS = {"DEBUG": 10, "INFO": 20, "WARNING": 30, "WARN": 30, "ERROR": 40, "CRITICAL": 50}
_RELATIVE_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhdw])\s*$")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


# --- files ---------------------------------------------------------------------


def rotated_files(log_dir: Path) -> list[Path]:
    """Rotated backups, oldest first (``kiosk.jsonl.40`` ... ``kiosk.jsonl.1``)."""
    found = []
    if log_dir.is_dir():
        for p in log_dir.iterdir():
            m = _ROTATED_RE.fullmatch(p.name)
            if m and p.is_file():
                found.append((int(m.group(1)), p))
    return [p for _, p in sorted(found, reverse=True)]


def log_files(log_dir: Path) -> list[Path]:
    """Every log file in time order: rotated ones oldest first, then the current one."""
    files = rotated_files(log_dir)
    current = log_dir / CURRENT
    if current.is_file():
        files.append(current)
    return files


# --- times -------------------------------------------------------------------------


def parse_time(text: str, now: dt.datetime | None = None) -> dt.datetime:
    """``2h``/``30m``/``3d``/``1w`` ago, or an ISO date/datetime (no zone = local time)."""
    now = now or dt.datetime.now(dt.UTC)
    m = _RELATIVE_RE.match(text)
    if m:
        return now - dt.timedelta(**{_UNITS[m.group(2)]: float(m.group(1))})
    try:
        value = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(
            f"not a time: {text!r} (use an ISO date/time like 2026-03-01T08:00 or an age like 2h, 3d)"
        ) from None
    if value.tzinfo is None:
        value = value.astimezone()  # the operator's local time
    return value.astimezone(dt.UTC)


def entry_time(entry: dict[str, Any]) -> dt.datetime | None:
    try:
        value = dt.datetime.fromisoformat(str(entry["ts"]))
    except (KeyError, ValueError):
        return None
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


# --- filtering -----------------------------------------------------------------------


def level_number(name: str) -> int:
    try:
        return LEVELS[name.strip().upper()]
    except KeyError:
        raise ValueError(f"unknown level {name!r} (one of DEBUG, INFO, WARNING, ERROR, CRITICAL)") \
            from None


@dataclass(frozen=True)
class LogFilter:
    """Which entries to show; every criterion given must match."""

    min_level: int = 0
    event: str | None = None  # exact, or a glob such as ``device.*``
    session: str | None = None  # exact, or a prefix of the session id
    since: dt.datetime | None = None
    until: dt.datetime | None = None

    @functools.cached_property
    def _event_re(self) -> re.Pattern[str] | None:
        return re.compile(fnmatch.translate(self.event)) if self.event else None

    def matches(self, entry: dict[str, Any], ts: dt.datetime) -> bool:
        if self.min_level and LEVELS.get(str(entry.get("level", "")).upper(), 0) < self.min_level:
            return False
        if self._event_re is not None:
            event = str(entry.get("event", ""))
            if event != self.event and not self._event_re.match(event):
                return False
        if self.session and not str(entry.get("session", "")).startswith(self.session):
            return False
        if self.since and ts < self.since:
            return False
        return not (self.until and ts > self.until)


@dataclass
class ReadStats:
    """What reading saw: lines read, entries shown, malformed lines skipped (per file)."""

    lines: int = 0
    shown: int = 0
    malformed: int = 0
    malformed_by_file: dict[str, int] = field(default_factory=dict)

    def bad(self, source: str) -> None:
        self.malformed += 1
        self.malformed_by_file[source] = self.malformed_by_file.get(source, 0) + 1


def parse_line(raw: bytes | str) -> tuple[dict[str, Any], dt.datetime] | None:
    """One log line as (entry, its time), or None when malformed."""
    text = raw.decode("utf-8", errors="replace") if isinstance(raw, bytes) else raw
    text = text.strip()
    if not text:
        return None
    try:
        entry = json.loads(text)
    except ValueError:
        return None
    if not isinstance(entry, dict):
        return None
    ts = entry_time(entry)
    return None if ts is None else (entry, ts)


def _select(lines: Iterable[bytes], source: str, flt: LogFilter, stats: ReadStats) \
        -> Iterator[dict[str, Any]]:
    for raw in lines:
        if not raw.strip():
            continue
        stats.lines += 1
        parsed = parse_line(raw)
        if parsed is None:
            stats.bad(source)
            continue
        entry, ts = parsed
        if flt.matches(entry, ts):
            stats.shown += 1
            yield entry


def read_entries(log_dir: Path, flt: LogFilter | None = None, stats: ReadStats | None = None) \
        -> Iterator[dict[str, Any]]:
    """Matching entries of every log file, in time order."""
    flt = flt or LogFilter()
    stats = stats if stats is not None else ReadStats()
    for path in log_files(log_dir):
        try:
            if flt.since and path.name != CURRENT and \
                    dt.datetime.fromtimestamp(path.stat().st_mtime, dt.UTC) < flt.since:
                continue  # last written before --since: nothing in it can match
            with path.open("rb") as fh:
                yield from _select(fh, path.name, flt, stats)
        except FileNotFoundError:  # rotated away or pruned while we read
            continue


# --- following ------------------------------------------------------------------------


class Tail:
    """Complete new lines of one path, across rotation (rename) and truncation."""

    def __init__(self, path: Path, *, from_end: bool = False) -> None:
        self.path = path
        self._fh: BinaryIO | None = None
        self._ino: int | None = None
        self._partial = b""
        self._open(from_end)

    def _open(self, from_end: bool) -> None:
        try:
            fh = self.path.open("rb")
        except FileNotFoundError:
            return
        self._fh, self._ino = fh, os.fstat(fh.fileno()).st_ino
        if from_end:
            fh.seek(0, os.SEEK_END)

    def _drain(self) -> list[bytes]:
        assert self._fh is not None
        data = self._partial + self._fh.read()
        *lines, self._partial = data.split(b"\n")
        return lines

    def poll(self) -> list[bytes]:
        """Lines written since the last poll (a partial last line waits for its end)."""
        if self._fh is None:
            self._open(from_end=False)
            if self._fh is None:
                return []
        lines = self._drain()
        try:
            st = os.stat(self.path)
        except FileNotFoundError:
            st = None
        assert self._fh is not None
        if st is not None and st.st_ino == self._ino and st.st_size < self._fh.tell():
            self._fh.seek(0)  # truncated in place (copytruncate)
            self._partial = b""
            lines += self._drain()
        elif st is None or st.st_ino != self._ino:
            lines += self._drain()  # what was written before the rename
            if self._partial:
                lines.append(self._partial)
            self._partial = b""
            self._fh.close()
            self._fh = None
            lines += self._skipped_rotations()
            self._open(from_end=False)
            if self._fh is not None:
                lines += self._drain()
        return lines

    def _skipped_rotations(self) -> list[bytes]:
        """Whole files rotated after ours between two polls (``.k-1`` ... ``.1``)."""
        newer: list[Path] = []
        for path in reversed(rotated_files(self.path.parent)):  # .1, .2, ...
            try:
                if path.stat().st_ino == self._ino:
                    break
            except FileNotFoundError:
                continue
            newer.append(path)
        else:
            return []  # ours was deleted: nothing known to be newer
        lines: list[bytes] = []
        for path in reversed(newer):  # oldest first
            try:
                lines += [ln for ln in path.read_bytes().split(b"\n") if ln]
            except FileNotFoundError:
                continue
        return lines

    def close(self) -> None:
        if self._fh is not None:
            self._fh.close()
            self._fh = None


def follow_entries(
    log_dir: Path,
    flt: LogFilter | None = None,
    stats: ReadStats | None = None,
    *,
    stop: threading.Event,
    history: bool = True,
    last: int | None = None,
    poll_s: float = 0.25,
) -> Iterator[dict[str, Any]]:
    """Matching entries as they are written, until ``stop`` is set.

    With ``history`` the existing entries come first (rotated files, then the
    current one; only the ``last`` N of them when given), with no gap or
    repeat before the new ones.
    """
    flt = flt or LogFilter()
    stats = stats if stats is not None else ReadStats()
    tail = Tail(log_dir / CURRENT, from_end=not history)  # opened first: no line lost
    try:
        if history:
            old: Iterable[dict[str, Any]] = _history(log_dir, tail, flt, stats)
            if last is not None:
                old = collections.deque(old, maxlen=max(0, last))
            yield from old
        while True:
            yield from _select(tail.poll(), CURRENT, flt, stats)
            if stop.wait(poll_s):
                yield from _select(tail.poll(), CURRENT, flt, stats)
                return
    finally:
        tail.close()


def _history(log_dir: Path, tail: Tail, flt: LogFilter, stats: ReadStats) \
        -> Iterator[dict[str, Any]]:
    for path in rotated_files(log_dir):
        try:
            with path.open("rb") as fh:
                yield from _select(fh, path.name, flt, stats)
        except FileNotFoundError:
            continue
    yield from _select(tail.poll(), CURRENT, flt, stats)


# --- formatting --------------------------------------------------------------------------

_BASE_FIELDS = ("ts", "level", "logger", "event", "msg", "session")


def display_width(text: str) -> int:
    """Terminal cells: East Asian wide and full-width characters take two."""
    return sum(
        0 if unicodedata.combining(ch) else 2 if unicodedata.east_asian_width(ch) in "WF" else 1
        for ch in text
    )


def pad(text: str, width: int, *, truncate: bool = False) -> str:
    """Left-aligned in ``width`` cells; with ``truncate`` cut (with ``…``) to fit."""
    if truncate and display_width(text) > width:
        out, used = [], 0
        for ch in text:
            w = display_width(ch)
            if used + w > width - 1:
                break
            out.append(ch)
            used += w
        text = "".join(out) + "…"
    return text + " " * max(0, width - display_width(text))


def _clean(text: str) -> str:
    """No control characters reach the terminal (a log line may carry scanned bytes)."""
    return "".join(ch if ch.isprintable() else f"\\x{ord(ch):02x}" for ch in text)


def format_row(entry: dict[str, Any], *, utc: bool = False) -> str:
    """One aligned, readable line: time, level, event, session, message, other fields."""
    ts = entry_time(entry)
    assert ts is not None
    shown = ts if utc else ts.astimezone()
    when = shown.strftime("%Y-%m-%d %H:%M:%S.") + f"{shown.microsecond // 1000:03d}"
    extras = " ".join(
        f"{k}={_clean(v if isinstance(v, str) else json.dumps(v, ensure_ascii=False))}"
        for k, v in entry.items() if k not in _BASE_FIELDS
    )
    cols = [
        when,
        pad(str(entry.get("level", "")), 7),
        pad(_clean(str(entry.get("event", ""))), 26, truncate=True),
        pad(_clean(str(entry.get("session", "")))[:8], 8),
        pad(_clean(str(entry.get("msg", ""))), 40),
    ]
    return ("  ".join(cols) + ("  " + extras if extras else "")).rstrip()


def table_header() -> str:
    return "  ".join(
        [pad("TIME", 23), pad("LEVEL", 7), pad("EVENT", 26), pad("SESSION", 8), "MESSAGE"]
    )


def format_json(entry: dict[str, Any]) -> str:
    return json.dumps(entry, ensure_ascii=False)


# --- retention -------------------------------------------------------------------------------


def prune_logs(
    log_dir: Path,
    retention_days: int,
    max_total_bytes: int | None = None,
    *,
    now: dt.datetime | None = None,
) -> list[Path]:
    """Delete rotated log files past the retention, then the oldest while over the size cap.

    The current file is never deleted. Age is the file's last write (mtime).
    Returns what was deleted. Call once at start-up, after ``setup_logging``.
    """
    now = now or dt.datetime.now(dt.UTC)
    cutoff = (now - dt.timedelta(days=retention_days)).timestamp()
    deleted: list[Path] = []
    rotated = rotated_files(log_dir)  # oldest first
    kept: list[tuple[Path, int]] = []
    for path in rotated:
        try:
            st = path.stat()
        except FileNotFoundError:
            continue
        if st.st_mtime < cutoff:
            if _unlink(path):
                deleted.append(path)
        else:
            kept.append((path, st.st_size))
    if max_total_bytes is not None:
        current = log_dir / CURRENT
        total = sum(size for _, size in kept) + (current.stat().st_size if current.exists() else 0)
        for path, size in kept:
            if total <= max_total_bytes:
                break
            if _unlink(path):
                deleted.append(path)
                total -= size
                log.warning(
                    "log %s deleted before its retention: the log folder is over %d bytes",
                    path.name, max_total_bytes,
                    extra={"event": "logs.pruned_for_space", "file": path.name},
                )
    if deleted:
        log.info("pruned %d old log file(s)", len(deleted),
                 extra={"event": "logs.pruned", "files": [p.name for p in deleted]})
    return deleted


def _unlink(path: Path) -> bool:
    try:
        path.unlink()
        return True
    except FileNotFoundError:
        return False
    except OSError as err:
        log.warning("cannot delete old log %s: %s", path.name, err.strerror,
                    extra={"event": "logs.prune_failed", "file": path.name})
        return False


def dir_size(log_dir: Path) -> int:
    """Bytes used by the log files."""
    total = 0
    for path in log_files(log_dir):
        try:
            total += path.stat().st_size
        except FileNotFoundError:
            pass
    return total
