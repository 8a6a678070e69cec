"""``kiosk logs``: read, filter and follow the kiosk's JSON logs (current and rotated)."""

from __future__ import annotations

import argparse
import collections
import datetime as dt
import signal
import sys
import threading
from pathlib import Path
from typing import Any

from kiosk.cli import EXIT_USAGE
from kiosk.logs import log_dir
from kiosk.logview import (
    LogFilter,
    ReadStats,
    follow_entries,
    format_json,
    format_row,
    level_number,
    parse_time,
    read_entries,
    table_header,
)


def register(sub: Any) -> None:
    parser = sub.add_parser(
        "logs",
        help="show the kiosk's logs (filter, follow)",
        description="Show the JSON logs, oldest first. Times without a zone are local time.",
    )
    parser.add_argument("--level", help="minimum level: DEBUG, INFO, WARNING, ERROR")
    parser.add_argument("--event", help="event name, exact or a pattern like 'device.*'")
    parser.add_argument("--session", help="a session id (or its first characters)")
    parser.add_argument("--since", help="ISO date/time or an age: 30m, 2h, 3d, 1w")
    parser.add_argument("--until", help="ISO date/time or an age: 30m, 2h, 3d, 1w")
    parser.add_argument("-n", "--lines", type=int, metavar="N", help="only the last N entries")
    parser.add_argument("-f", "--follow", action="store_true", help="keep printing new entries")
    parser.add_argument("--json", action="store_true", help="one JSON object a line")
    parser.add_argument("--utc", action="store_true", help="table times in UTC (default local)")
    parser.add_argument("--dir", metavar="PATH", help="read this log folder instead")
    parser.set_defaults(func=logs_cmd)


def build_filter(args: argparse.Namespace, now: dt.datetime | None = None) -> LogFilter:
    """The filter the arguments ask for; ValueError with a clear message when one is wrong."""
    return LogFilter(
        min_level=level_number(args.level) if args.level else 0,
        event=args.event or None,
        session=args.session or None,
        since=parse_time(args.since, now) if args.since else None,
        until=parse_time(args.until, now) if args.until else None,
    )


def logs_cmd(args: argparse.Namespace, ctx: Any) -> int:
    try:
        flt = build_filter(args)
    except ValueError as err:
        ctx.err(f"kiosk logs: {err}")
        return EXIT_USAGE
    folder = Path(args.dir) if args.dir else log_dir(ctx.config.data_path)
    if not folder.is_dir() and not args.follow:
        ctx.err(f"kiosk logs: no log folder at {folder}")
        return 1
    render = format_json if args.json else (lambda e: format_row(e, utc=args.utc))
    stats = ReadStats()
    if not args.json:
        ctx.out(table_header())
    if args.follow:
        stop = threading.Event()
        _stop_on_term(stop)
        entries = follow_entries(folder, flt, stats, stop=stop, last=args.lines)
        try:
            for entry in entries:
                ctx.out(render(entry))
                _flush()
        except KeyboardInterrupt:
            pass
    else:
        entries = read_entries(folder, flt, stats)
        if args.lines is not None:
            entries = iter(collections.deque(entries, maxlen=max(0, args.lines)))
        for entry in entries:
            ctx.out(render(entry))
    if stats.malformed:
        files = ", ".join(f"{n} in {f}" for f, n in sorted(stats.malformed_by_file.items()))
        ctx.err(f"kiosk logs: skipped {stats.malformed} malformed line(s) ({files})")
    return 0


def _stop_on_term(stop: threading.Event) -> None:
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, lambda *_: stop.set())


def _flush() -> None:
    try:
        sys.stdout.flush()
    except (BrokenPipeError, ValueError):
        raise BrokenPipeError from None
