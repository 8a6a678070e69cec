"""``kiosk report daily [--date D]``: the kiosk's invoices of a day against the platform's."""

from __future__ import annotations

import argparse
from typing import Any

from kiosk.cli import EXIT_USAGE, CommandError
from kiosk.commands.audit import database_file
from kiosk.report import daily_report, format_json, format_report, parse_day


def register(sub: Any) -> None:
    parser = sub.add_parser("report", help="reconciliation reports")
    rsub = parser.add_subparsers(dest="report_command", metavar="REPORT", required=True)
    daily = rsub.add_parser(
        "daily", help="invoices issued on a day: kiosk against platform (exit 1 on a difference)",
        description="Counts and amounts (blue, red, net) issued on a day (Beijing time) by the "
                    "kiosk and by the platform; differences are listed and make the exit status 1.")
    daily.add_argument("--date", metavar="D", help="YYYY-MM-DD, today (default) or yesterday")
    daily.add_argument("--json", action="store_true", help="print the report as JSON")
    daily.set_defaults(func=daily_cmd)


def daily_cmd(args: argparse.Namespace, ctx: Any) -> int:
    from kiosk import storage
    from kiosk.platform.factory import build_gateway
    from kiosk.platform.gateway import PlatformError

    try:
        day = parse_day(args.date)
    except ValueError as err:
        ctx.err(f"kiosk report: {err}")
        return EXIT_USAGE
    config = ctx.config
    path = database_file(config)
    if not path.is_file():
        raise CommandError(f"no kiosk database at {path} (has the kiosk ever run with this config?)")
    db = storage.connect(path)
    gateway = build_gateway(config)
    try:
        if not db["issued_invoices"].exists():
            raise CommandError(f"{path} has no invoice tables yet (start the kiosk once)")
        try:
            report = daily_report(db, gateway, day)
        except PlatformError as err:
            raise CommandError(f"the platform did not answer: {err.message_en or err}") from None
    finally:
        db.close()
        close = getattr(gateway, "close", None)
        if callable(close):
            close()
    ctx.out(format_json(report) if args.json else format_report(report))
    return 0 if report.ok else 1
