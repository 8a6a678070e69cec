"""``kiosk central serve`` / ``kiosk central migrate``: the fleet's back office (docs/fleet.md).

Reads ``[fleet]`` and ``[fleet.central]`` of the configuration (the central
machine needs no ``fleet.enabled``: it is not a kiosk). Run several ``serve``
instances with the same ``fleet.central.consumer`` for availability: they
share the durable consumer and never store a record twice.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import logging
from typing import Any

from kiosk.cli import CommandError


def register(sub: Any) -> None:
    parser = sub.add_parser("central", help="the fleet's central service (NATS -> PostgreSQL)")
    csub = parser.add_subparsers(dest="central_command", metavar="ACTION", required=True)
    serve = csub.add_parser("serve", help="consume the fleet stream into PostgreSQL, serve the page")
    serve.add_argument("--instance", default="central", help="this instance's name in logs")
    serve.add_argument("--no-web", action="store_true", help="do not serve the back-office page")
    serve.add_argument("--http-port", type=int, metavar="PORT",
                       help="back-office page port (default fleet.central.http_port)")
    serve.set_defaults(func=serve_cmd)
    mig = csub.add_parser("migrate", help="create or upgrade the central PostgreSQL schema")
    mig.set_defaults(func=migrate_cmd)


def serve_cmd(args: argparse.Namespace, ctx: Any) -> int:
    import psycopg

    from kiosk.fleet.central import serve
    from kiosk.logs import setup_logging

    fleet = ctx.config.fleet
    if args.http_port is not None:
        fleet = dataclasses.replace(
            fleet, central=dataclasses.replace(fleet.central, http_port=args.http_port))
    setup_logging(ctx.config.data_path / "central", level=ctx.config.logging.level, stderr=True)

    def ready(url: str) -> None:
        ctx.out(f"central {args.instance}: consuming {fleet.stream} from {fleet.nats_url}"
                + (f"; back office at {url}" if url else ""))

    try:
        asyncio.run(serve(fleet, args.instance, web=not args.no_web, on_ready=ready))
    except RuntimeError as err:
        raise CommandError(str(err)) from None
    except psycopg.Error as err:
        raise CommandError(f"PostgreSQL: {err}".strip()) from None
    except OSError as err:
        raise CommandError(f"cannot serve the back office: {err}") from None
    logging.getLogger("kiosk.fleet.central").info("central stopped")
    return 0


def migrate_cmd(args: argparse.Namespace, ctx: Any) -> int:
    import psycopg

    from kiosk.fleet.store import migrate

    try:
        with psycopg.connect(ctx.config.fleet.central.database_url, connect_timeout=10) as conn:
            applied = migrate(conn)
    except psycopg.Error as err:
        raise CommandError(f"PostgreSQL: {err}".strip()) from None
    ctx.out(f"applied migrations: {', '.join(map(str, applied))}" if applied
            else "schema up to date")
    return 0
