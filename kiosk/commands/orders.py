"""``kiosk orders import FILE.json | list | qr ORDER_NO --out FILE.png | seed-demo``.

Exit codes: 0 done; 1 refused or failed (the messages say why); 2 usage or
configuration error (from :mod:`kiosk.cli`).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

import sqlite_utils

from kiosk import storage
from kiosk.cli import CommandError, say
from kiosk.orderqr import make_order_qr, write_order_qr_png
from kiosk.orders import OrderStore

# The kiosk database inside the data folder (the composition root uses the same name).
DB_FILE_NAME = storage.DB_FILE
MAX_IMPORT_BYTES = 50_000_000


def open_kiosk_db(config: Any) -> sqlite_utils.Database:
    """Open (creating and migrating if needed) the kiosk database of ``config``."""
    return storage.open_database(Path(config.data_path) / DB_FILE_NAME)


def register(sub: Any) -> None:
    parser = sub.add_parser("orders", help="import, list and label paid orders")
    osub = parser.add_subparsers(dest="orders_command", metavar="ACTION", required=True)
    imp = osub.add_parser("import", help="import orders from a JSON file (all or nothing)")
    imp.add_argument("file", type=Path, help="JSON list of orders (numbers as strings)")
    imp.set_defaults(func=import_cmd)
    lst = osub.add_parser("list", help="list stored orders, newest first")
    lst.add_argument("--limit", type=int, default=50)
    lst.add_argument("--json", action="store_true", help="one JSON object per order")
    lst.set_defaults(func=list_cmd)
    qr = osub.add_parser("qr", help="render an order's receipt QR code to a PNG")
    qr.add_argument("order_no")
    qr.add_argument("--out", type=Path, required=True, help="PNG file to write")
    qr.set_defaults(func=qr_cmd)
    seed = osub.add_parser("seed-demo", help="seed the demo orders into an empty database")
    seed.set_defaults(func=seed_cmd)


def import_cmd(args: argparse.Namespace, ctx: Any) -> int:
    path: Path = args.file
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise CommandError(f"{path}: cannot read it ({err.strerror})") from None
    if len(raw) > MAX_IMPORT_BYTES:
        raise CommandError(f"{path}: larger than {MAX_IMPORT_BYTES} bytes; split it")
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as err:
        raise CommandError(f"{path}: not UTF-8 text (byte {err.start})") from None
    except json.JSONDecodeError as err:
        raise CommandError(f"{path}: not valid JSON (line {err.lineno}, column {err.colno}: "
                           f"{err.msg})") from None
    except RecursionError:
        raise CommandError(say("cli.json_too_deep", path=path)) from None
    db = open_kiosk_db(ctx.config)
    try:
        report = OrderStore(db).import_orders(data, source=f"import:{path.name}")
    finally:
        db.close()
    show = ctx.err if report.refused else ctx.out
    for message in report.messages():
        show(f"{path}: {message}")
    return 1 if report.refused else 0


def list_cmd(args: argparse.Namespace, ctx: Any) -> int:
    db = open_kiosk_db(ctx.config)
    try:
        orders = OrderStore(db).list(limit=max(1, args.limit))
    finally:
        db.close()
    for order in orders:
        if args.json:
            ctx.out(json.dumps({
                "order_no": order.order_no, "paid_at": order.paid_at.isoformat(),
                "total": str(order.total), "lines": len(order.lines),
                "items": [line.name for line in order.lines],
            }, ensure_ascii=False))
        else:
            names = "、".join(line.name for line in order.lines)
            ctx.out(f"{order.order_no}  {order.paid_at:%Y-%m-%d %H:%M}  "
                    f"{order.total:>10}  {names}")
    if not orders and not args.json:
        ctx.out("no orders")
    return 0


def qr_cmd(args: argparse.Namespace, ctx: Any) -> int:
    config = ctx.config
    db = open_kiosk_db(config)
    try:
        order = OrderStore(db).get(args.order_no)
    finally:
        db.close()
    if order is None:
        raise CommandError(f"no order {args.order_no!r} in the database")
    payload = make_order_qr(order.order_no, order.total, config.orders.qr_secret)
    try:
        write_order_qr_png(payload, args.out)
    except OSError as err:
        raise CommandError(f"{args.out}: cannot write it ({err.strerror})") from None
    ctx.out(f"{args.out}: {payload}")
    return 0


def seed_cmd(args: argparse.Namespace, ctx: Any) -> int:
    from kiosk.demo import seed_demo_orders

    db = open_kiosk_db(ctx.config)
    try:
        seeded = seed_demo_orders(OrderStore(db))
    finally:
        db.close()
    ctx.out(f"seeded {len(seeded)} demo order(s): {' '.join(seeded)}" if seeded
            else "nothing seeded (already seeded once, or orders are present)")
    return 0
