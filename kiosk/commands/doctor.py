"""``kiosk doctor``: headless health checks; exit 0 when nothing failed (warnings are fine)."""

from __future__ import annotations

import argparse
import os
import sys
import threading
from typing import Any

from kiosk.doctor import DEFAULT_TIMEOUT_S, TIMED_OUT, diagnose, format_json, format_table, overall


def register(sub: Any) -> None:
    parser = sub.add_parser(
        "doctor", help="check config, storage, audit chain, platform, devices, logs",
        description="Headless health checks. Exit 0 when all pass (warnings allowed), 1 when "
                    "something fails. Each check is bounded by a time limit.")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT_S, metavar="S",
                        help=f"base time limit of a check in seconds ({DEFAULT_TIMEOUT_S:g})")
    parser.set_defaults(func=doctor_cmd)


def doctor_cmd(args: argparse.Namespace, ctx: Any) -> int:
    checks = diagnose(ctx.config_path, timeout_s=max(0.5, args.timeout))
    ctx.out(format_json(checks) if args.json else format_table(checks))
    code = overall(checks)
    timed_out = any(c.detail.startswith(TIMED_OUT) for c in checks)
    if timed_out and _abandoned_checks() and ctx.out is print:
        # A timed-out check is still stuck in a driver call, and may have started
        # non-daemon threads that would keep the interpreter from exiting: leave now.
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    return code


def _abandoned_checks() -> bool:
    return any(t.name.startswith("doctor-") and t.is_alive() for t in threading.enumerate())
