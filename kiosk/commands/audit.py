"""``kiosk audit verify`` and ``kiosk audit show``: check and read the audit hash chain."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from kiosk import storage
from kiosk.audit import TABLE, AuditTrail
from kiosk.cli import CommandError

# The kiosk database inside the data folder (the composition root uses the same name).
DB_FILE_NAME = storage.DB_FILE


def database_file(config: Any) -> Path:
    return Path(config.data_path) / DB_FILE_NAME


def open_existing(config: Any) -> Any:
    """Open the kiosk database without creating or migrating it (a read-only look)."""
    path = database_file(config)
    if not path.is_file():
        raise CommandError(f"no kiosk database at {path} (has the kiosk ever run with this config?)")
    db = storage.connect(path)
    if not db[TABLE].exists():
        db.close()
        raise CommandError(f"{path} has no audit trail yet (start the kiosk once to migrate it)")
    return db


def register(sub: Any) -> None:
    parser = sub.add_parser("audit", help="verify or show the audit trail (hash chain)")
    asub = parser.add_subparsers(dest="audit_command", metavar="ACTION", required=True)
    verify = asub.add_parser("verify", help="check the hash chain; exit 1 at a broken link")
    verify.add_argument("--json", action="store_true", help="print the result as JSON")
    verify.set_defaults(func=verify_cmd)
    show = asub.add_parser("show", help="print audit rows, oldest first")
    show.add_argument("--last", type=int, default=50, metavar="N", help="the newest N rows (50)")
    show.add_argument("--action", help="only this action (or its dotted children)")
    show.add_argument("--json", action="store_true", help="one JSON object a line")
    show.set_defaults(func=show_cmd)


def verify_cmd(args: argparse.Namespace, ctx: Any) -> int:
    db = open_existing(ctx.config)
    try:
        result = AuditTrail(db).verify()
    finally:
        db.close()
    if args.json:
        ctx.out(json.dumps(result.to_dict(), ensure_ascii=False))
    else:
        ctx.out(str(result))
    return 0 if result.ok else 1


def show_cmd(args: argparse.Namespace, ctx: Any) -> int:
    db = open_existing(ctx.config)
    try:
        rows = AuditTrail(db).rows(last=args.last, action=args.action)
    finally:
        db.close()
    for row in rows:
        if args.json:
            ctx.out(json.dumps(row, ensure_ascii=False))
        else:
            data = json.dumps(row["data"], ensure_ascii=False, separators=(",", ":"))
            ctx.out(f"{row['seq']:>6}  {row['ts']}  {row['actor']:<8} {row['action']:<22} {data}")
    return 0
