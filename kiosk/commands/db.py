"""``kiosk db check | backup [--to DIR] | restore FILE``: the kiosk database, whole or back.

- ``check``: ``PRAGMA quick_check``, the kiosk's tables, the audit hash chain;
  exit 0 when whole, 1 when damaged or emptied (the line says how).
- ``backup``: a consistent copy through SQLite's online backup API - safe
  while the kiosk runs - verified, in ``DIR`` (default ``storage.backup_dir``);
  prints the copy's path. ``--if-due``: the daily backup with retention
  (``storage.backup_keep``), for a timer; the running kiosk calls
  :func:`kiosk.dbcheck.backup_if_due` itself.
- ``restore FILE``: verifies FILE first (a bad copy changes nothing, exit 1),
  keeps the database it replaces beside it, then restores; works on a
  running kiosk (its connections see the restored content) and over a
  damaged or emptied file.

Nothing here creates a database: ``check`` and ``backup`` on a folder without
one say so.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from kiosk.cli import EXIT_FAILED, CommandError, say
from kiosk.config import Config
from kiosk.dbcheck import DatabaseRefused, backup, backup_if_due, check_file, restore
from kiosk.messages import words
from kiosk.storage import DB_FILE


def register(sub: Any) -> None:
    parser = sub.add_parser("db", help="check, back up or restore the kiosk database")
    dsub = parser.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    check = dsub.add_parser("check", help="quick_check and the audit chain; exit 1 if damaged")
    check.set_defaults(func=check_cmd)
    bak = dsub.add_parser("backup", help="a consistent copy, safe while the kiosk runs")
    bak.add_argument("--to", type=Path, metavar="DIR",
                     help="folder for the copy (default: storage.backup_dir in the data folder)")
    bak.add_argument("--if-due", action="store_true",
                     help="the daily backup: only when the newest is a day old; keeps "
                          "storage.backup_keep copies (for a timer or cron)")
    bak.set_defaults(func=backup_cmd)
    res = dsub.add_parser("restore", help="verify FILE, then put it in place of the database")
    res.add_argument("file", type=Path, help="a copy made by kiosk db backup")
    res.set_defaults(func=restore_cmd)


def database_path(config: Config) -> Path:
    return Path(config.data_path) / DB_FILE


def check_cmd(args: argparse.Namespace, ctx: Any) -> int:
    path = database_path(ctx.config)
    report = check_file(path)
    if report.ok:
        ctx.out(say("cli.db_ok", path=path, detail=report.detail))
        return 0
    assert report.problem is not None
    ctx.err("kiosk: " + words(report.problem, "en"))
    return EXIT_FAILED


def backup_cmd(args: argparse.Namespace, ctx: Any) -> int:
    config = ctx.config
    folder = args.to or backup_folder(config)
    if args.if_due:
        made = backup_if_due(database_path(config), folder, config.storage.backup_keep)
        ctx.out(say("cli.db_backup_done", file=made) if made else say("cli.db_backup_not_due"))
        return 0
    copy = backup(database_path(config), folder)  # DatabaseRefused -> one line, exit 4
    ctx.out(say("cli.db_backup_done", file=copy))
    return 0


def backup_folder(config: Config) -> Path:
    """``storage.backup_dir``, relative to the data folder."""
    return Path(config.data_path) / config.storage.backup_dir


def restore_cmd(args: argparse.Namespace, ctx: Any) -> int:
    path = database_path(ctx.config)
    try:
        kept = restore(args.file, path)
    except DatabaseRefused as err:
        raise CommandError(say("cli.db_not_restored", reason=words(err.problem, "en"))) from None
    ctx.out(say("cli.db_restored", file=args.file, kept=kept or "-"))
    return 0
