"""``kiosk fleet status | push NAME FILE | invoices --day D``: the operators' command line.

``status`` and ``invoices`` read the central PostgreSQL store
(``fleet.central.database_url``); ``push`` checks an update with the same
checks a kiosk runs (:mod:`kiosk.fleet.updates`) and puts it into the
JetStream key-value bucket, from where every kiosk (or one, ``--kiosk``)
takes it within seconds. See docs/fleet.md.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import tomllib
from pathlib import Path
from typing import Any

from kiosk.cli import CommandError


def register(sub: Any) -> None:
    from kiosk.fleet.updates import NAMES

    parser = sub.add_parser("fleet", help="the fleet of kiosks: status, updates, invoices")
    fsub = parser.add_subparsers(dest="fleet_command", metavar="ACTION", required=True)
    status = fsub.add_parser("status", help="every kiosk: state, last contact, backlog, chain")
    status.add_argument("--json", action="store_true", help="one JSON object a line")
    status.set_defaults(func=status_cmd)
    push = fsub.add_parser("push", help="check an update and push it to the kiosks")
    push.add_argument("name", choices=NAMES, help="which update")
    push.add_argument("file", type=Path, help="the update: JSON, or TOML (config is TOML)")
    push.add_argument("--kiosk", metavar="ID", help="only this kiosk (default: every kiosk)")
    push.set_defaults(func=push_cmd)
    inv = fsub.add_parser("invoices", help="the fleet's invoices of a day")
    inv.add_argument("--day", type=dt.date.fromisoformat, default=None, metavar="YYYY-MM-DD",
                     help="the day (default: today)")
    inv.add_argument("--json", action="store_true", help="one JSON object a line")
    inv.set_defaults(func=invoices_cmd)
    agent = fsub.add_parser("agent", help="run this kiosk's fleet side (publisher, updates, "
                                          "metrics) as its own process")
    agent.set_defaults(func=agent_cmd)
    demo = fsub.add_parser("demo", help="start NATS, PostgreSQL, the central service and three "
                                        "kiosks on this machine (./start.sh --fleet)")
    demo.add_argument("--dir", type=Path, help="demo folder (default: a new temporary one)")
    demo.add_argument("--http-port", type=int, default=8480, help="back-office port (8480)")
    demo.add_argument("--every", type=float, default=4.0, metavar="S",
                      help="seconds between walk-ins (4)")
    demo.add_argument("--walk-ins", type=int, default=0, metavar="N",
                      help="stop after N walk-ins (default: run until Ctrl-C)")
    demo.set_defaults(func=demo_cmd)


def _store(ctx: Any) -> Any:
    import psycopg

    from kiosk.fleet.store import CentralStore

    try:
        return CentralStore(ctx.config.fleet.central.database_url)
    except psycopg.Error as err:
        raise CommandError(f"central store unreachable: {str(err).strip()}") from None


def status_cmd(args: argparse.Namespace, ctx: Any) -> int:
    from kiosk.fleet.store import dumps

    store = _store(ctx)
    try:
        kiosks = store.kiosks()
    finally:
        store.close()
    now = dt.datetime.now(dt.UTC)
    for k in kiosks:
        last = k["last_contact"]
        ago = f"{int((now - last).total_seconds())} s ago" if last else "never"
        if args.json:
            ctx.out(dumps(k))
            continue
        chain = "chain OK" if k["chain_ok"] else f"CHAIN BROKEN: {k['chain_error']}"
        ctx.out(f"{k['kiosk_id']:<20} {k['state']:<10} last contact {ago:<14} "
                f"records {k['records']:<7} backlog {k['status'].get('backlog', '?'):<5} "
                f"audit verified {k['audit_verified_seq']:<6} {chain}")
    if not kiosks and not args.json:
        ctx.out("no kiosk has reported yet")
    return 0


def _read_update(name: str, file: Path) -> bytes:
    try:
        raw = file.read_bytes()
    except OSError as err:
        raise CommandError(f"{file}: cannot read it ({err.strerror})") from None
    if name == "config" or file.suffix.lower() != ".toml":
        return raw
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as err:
        raise CommandError(f"{file}: {err}") from None
    return json.dumps(data, ensure_ascii=False).encode("utf-8")


def _base_config(ctx: Any) -> dict[str, Any]:
    from kiosk.config import resolve_path

    return tomllib.loads(resolve_path(ctx.config_path).read_text(encoding="utf-8"))


def push_cmd(args: argparse.Namespace, ctx: Any) -> int:
    import psycopg
    from nats.errors import Error as NatsError

    from kiosk.fleet.updates import UpdateError, parse

    fleet = ctx.config.fleet
    raw = _read_update(args.name, args.file)
    try:
        parse(args.name, raw, _base_config(ctx))
    except UpdateError as err:
        raise CommandError(f"update refused: {err}") from None
    key = f"{args.name}.{args.kiosk}" if args.kiosk else args.name

    async def put() -> int:
        from kiosk.fleet import transport

        nc = await transport.connect(fleet.nats_url, name="kiosk-fleet-push", reconnect=False)
        try:
            kv = await transport.ensure_bucket(nc.jetstream(), fleet)
            return await kv.put(key, raw)
        finally:
            await nc.close()

    try:
        revision = asyncio.run(put())
    except (NatsError, OSError) as err:
        raise CommandError(f"cannot reach NATS at {fleet.nats_url}: {err}") from None
    ctx.out(f"pushed {key} revision {revision}")
    try:
        store = _store(ctx)
        try:
            store.update_pushed(key, revision, f"{args.file.name}, {len(raw)} bytes")
        finally:
            store.close()
    except (CommandError, psycopg.Error) as err:
        ctx.err(f"kiosk: pushed, but not written to the update history: {err}")
    return 0


def invoices_cmd(args: argparse.Namespace, ctx: Any) -> int:
    from kiosk.fleet.store import dumps

    day = args.day or dt.date.today()
    store = _store(ctx)
    try:
        rows = store.invoices(day=day, limit=100_000)
    finally:
        store.close()
    for r in rows:
        if args.json:
            ctx.out(dumps({k: v for k, v in r.items() if k != "data"}))
        else:
            ctx.out(f"{r['number']}  {r['colour']:<4} {r['kind']:<8} {r['kiosk_id']:<16} "
                    f"{r['issued_at']}  {','.join(r['order_nos']):<24} {r['total']:>12}")
    if not args.json:
        total = sum((r["total"] for r in rows), start=0)
        ctx.out(f"{day.isoformat()}: {len(rows)} invoices, total {total}")
    return 0


def agent_cmd(args: argparse.Namespace, ctx: Any) -> int:
    import logging
    import signal
    import sys
    import threading

    from kiosk import storage
    from kiosk.catalogue import Catalogue
    from kiosk.fleet.policy import FleetPolicy
    from kiosk.fleet.wiring import start_fleet

    config = ctx.config
    if not config.fleet.enabled:
        raise CommandError(f"{config.source}: [fleet] enabled = false: nothing to do")
    logging.basicConfig(level=config.logging.level, stream=sys.stderr,
                        format="%(asctime)s %(name)s %(levelname)s %(message)s")
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    # The catalogue and tax tables a push changes are put in force here too (the kiosk's
    # own process reads its catalogue table; announcements and hours need `kiosk run`).
    policy = FleetPolicy(Catalogue(storage.open_database(config.data_path / storage.DB_FILE)))
    fleet = start_fleet(config, config.data_path / storage.DB_FILE, policy=policy)
    assert fleet is not None
    ctx.out(f"{fleet.publisher.kiosk_id}: publishing to {config.fleet.nats_url}")
    sys.stdout.flush()
    stop.wait()
    fleet.stop()
    return 0


def demo_cmd(args: argparse.Namespace, ctx: Any) -> int:
    import signal
    import sys
    import tempfile
    import threading

    from kiosk.fleet.demo import run_demo
    from kiosk.fleet.devservers import ServerError

    root = args.dir or Path(tempfile.mkdtemp(prefix="kiosk-fleet-demo-"))
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())

    def say(line: str) -> None:
        ctx.out(line)
        sys.stdout.flush()

    say(f"demo fleet in {root} (Ctrl-C stops it)")
    try:
        run_demo(root, args.http_port, args.walk_ins, args.every, stop, say)
    except (ServerError, RuntimeError, OSError) as err:
        raise CommandError(f"demo fleet: {err}") from None
    return 0
