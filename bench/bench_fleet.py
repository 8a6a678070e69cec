"""A simulated fleet: N kiosks -> NATS JetStream -> central service -> PostgreSQL, with faults.

Every simulated kiosk is the real kiosk-side code without Qt: its own SQLite
file, the real audit trail (hash chain) and fleet outbox, and a real
:class:`kiosk.fleet.publisher.FleetPublisher` (its ``run()`` coroutine, all on
one event loop, each with its own NATS connection). Each walk-in writes one
invoice record and one audit row, at random moments spread over ``--duration``
seconds (a kiosk's day of ``--invoices`` walk-ins, compressed). Two central
instances (``kiosk central serve`` subprocesses) share the durable consumer.

Faults, all in one run:
* one central instance is killed (SIGKILL) at 30 % of the run and restarted,
* the NATS server is restarted at 60 % (same store folder and port),
* ``--offline`` of the kiosks publish nothing all day and catch up at the end.

Printed: records expected / stored / lost / doubled, the stream's message
count, audit chains verified, end-to-end lag p50/p99 (outbox -> PostgreSQL
commit) for online kiosks, offered load vs throughput side by side, the central
write rate and the offline kiosks' catch-up time.

    python -m bench.bench_fleet --kiosks 300 --invoices 50 --duration 60
    python -m bench fleet            # the same defaults
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import logging
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import psycopg

from kiosk import storage
from kiosk.audit import AuditTrail
from kiosk.audit import audit as audit_migrations
from kiosk.config import FleetCentralConfig, FleetConfig
from kiosk.fleet.devservers import NatsServer, PostgresCluster, free_port
from kiosk.fleet.publisher import FleetPublisher

REPO = Path(__file__).resolve().parent.parent


@dataclasses.dataclass
class Result:
    expected: int
    stored: int
    distinct: int
    stream_messages: int
    chains_ok: int
    chains_total: int
    lag_p50_s: float
    lag_p99_s: float
    offered_per_s: float
    throughput_per_s: float
    write_rate_per_s: float
    catch_up_s: float
    faults: list[str]

    @property
    def lost(self) -> int:
        return self.expected - self.distinct

    @property
    def doubled(self) -> int:
        return self.stored - self.distinct


def _invoice(kiosk_id: str, i: int) -> dict[str, Any]:
    return {"number": f"2611{abs(hash(kiosk_id)) % 10**6:06d}{i:010d}", "colour": "blue",
            "kind": "normal", "issued_at": time.strftime("%Y-%m-%dT%H:%M:%S+08:00"),
            "order_nos": [f"{kiosk_id}-{i:05d}"],
            "lines": [{"name": "*餐饮服务*餐费", "amount": "106.60", "tax": "6.40"}],
            "buyer": {"type": "person", "name": "个人"}}


class SimKiosk:
    def __init__(self, folder: Path, kiosk_id: str, fleet: FleetConfig) -> None:
        self.kiosk_id = kiosk_id
        path = folder / f"{kiosk_id}.db"
        self.db = storage.open_database(path, sets=[storage.core, audit_migrations])
        self.audit = AuditTrail(self.db)
        self.publisher = FleetPublisher(path, dataclasses.replace(fleet, kiosk_id=kiosk_id))
        self.issued = 0

    def walk_in(self) -> None:
        """What issuing writes for one invoice: the invoice and its audit row."""
        self.issued += 1
        inv = _invoice(self.kiosk_id, self.issued)
        self.publisher.outbox.record("invoice", inv)
        self.audit.record("invoice.issued", "kiosk", {"number": inv["number"], "total": "113.00"})


def _central_toml(fleet: FleetConfig) -> str:
    c = fleet.central
    return (f'[fleet]\nnats_url = "{fleet.nats_url}"\nstream = "{fleet.stream}"\n'
            f'subject_prefix = "{fleet.subject_prefix}"\n'
            f'[fleet.central]\ndatabase_url = "{c.database_url}"\nbatch = {c.batch}\n'
            f"ack_wait_s = {c.ack_wait_s}\nhttp_port = 0\n[logging]\nlevel = \"WARNING\"\n")


class Central:
    """One ``kiosk central serve`` subprocess."""

    def __init__(self, folder: Path, fleet: FleetConfig, name: str) -> None:
        self.name = name
        folder.mkdir(parents=True, exist_ok=True)
        self.config = folder / "central.toml"
        self.config.write_text(_central_toml(fleet), encoding="utf-8")
        self.env = dict(os.environ, KIOSK_DATA_DIR=str(folder / f"data-{name}"),
                        PYTHONPATH=str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", ""))
        self.proc: subprocess.Popen[str] | None = None

    def start(self) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "kiosk", "--config", str(self.config), "central", "serve",
             "--no-web", "--instance", self.name], env=self.env, stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL, text=True)
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()  # printed once the consumer is bound
        if "consuming" not in line:
            raise RuntimeError(f"central {self.name} did not start: {line!r}")

    def kill(self) -> None:
        if self.proc is not None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(30)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()


def _count(url: str) -> int:
    with psycopg.connect(url) as conn:
        row = conn.execute("SELECT count(*) FROM records").fetchone()
    return int(row[0]) if row else 0


async def _simulate(args: argparse.Namespace, root: Path, nats: NatsServer, db_url: str,
                    say: Callable[[str], None]) -> Result:
    fleet = FleetConfig(
        enabled=True, nats_url=nats.url, stream="BENCH", subject_prefix="bench",
        updates_bucket="bench_updates", retry_s=0.5, heartbeat_s=30.0,
        central=FleetCentralConfig(database_url=db_url, batch=200, ack_wait_s=5.0))
    centrals = [Central(root / f"c{i}", fleet, f"c{i}") for i in range(2)]
    for c in centrals:
        await asyncio.to_thread(c.start)
    kiosk_dir = root / "kiosks"
    kiosk_dir.mkdir()
    kiosks = [SimKiosk(kiosk_dir, f"k{i:05d}", fleet) for i in range(args.kiosks)]
    n_off = round(args.kiosks * args.offline)
    offline, online = kiosks[:n_off], kiosks[n_off:]
    rng = random.Random(16)
    faults: list[str] = []
    tasks = {k.kiosk_id: asyncio.create_task(k.publisher.run()) for k in online}
    t0 = time.monotonic()

    async def feed(k: SimKiosk) -> None:
        for at in sorted(rng.uniform(0, args.duration) for _ in range(args.invoices)):
            await asyncio.sleep(max(0.0, t0 + at - time.monotonic()))
            await asyncio.to_thread(k.walk_in)
            k.publisher.wake()

    async def inject() -> None:
        await asyncio.sleep(args.duration * 0.3)
        await asyncio.to_thread(centrals[0].kill)
        faults.append(f"central c0 killed (SIGKILL) at {time.monotonic() - t0:.1f} s")
        await asyncio.sleep(2)
        await asyncio.to_thread(centrals[0].start)
        faults.append(f"central c0 restarted at {time.monotonic() - t0:.1f} s")
        await asyncio.sleep(max(0.0, t0 + args.duration * 0.6 - time.monotonic()))
        await asyncio.to_thread(nats.stop)
        faults.append(f"NATS stopped at {time.monotonic() - t0:.1f} s")
        await asyncio.sleep(2)
        await asyncio.to_thread(nats.start)
        faults.append(f"NATS restarted at {time.monotonic() - t0:.1f} s")

    say(f"{args.kiosks} kiosks ({n_off} offline all day), {args.invoices} walk-ins each "
        f"over {args.duration:.0f} s, 2 central instances")
    await asyncio.gather(inject(), *(feed(k) for k in kiosks))
    fed_at = time.monotonic()
    expected = sum(2 * k.issued for k in kiosks)  # an invoice record and its audit row each
    say(f"day over after {fed_at - t0:.1f} s: {expected} records written; offline kiosks reconnect")
    for k in offline:
        tasks[k.kiosk_id] = asyncio.create_task(k.publisher.run())
    deadline = time.monotonic() + args.timeout
    while await asyncio.to_thread(_count, db_url) < expected and time.monotonic() < deadline:
        await asyncio.sleep(0.5)  # polling the store: the bench's finish line
    done_at = time.monotonic()
    for k in kiosks:
        k.publisher._stopping.set()
        k.publisher.wake()
    await asyncio.gather(*tasks.values(), return_exceptions=True)
    for c in centrals:
        await asyncio.to_thread(c.stop)
    for k in kiosks:
        k.publisher.outbox.close()
        k.db.conn.close()
    return await asyncio.to_thread(
        _measure, db_url, fleet, nats, expected, [k.kiosk_id for k in online],
        [k.kiosk_id for k in offline], args, faults, fed_at, done_at, t0)


def _measure(db_url: str, fleet: FleetConfig, nats: NatsServer, expected: int,
             online: list[str], offline: list[str], args: argparse.Namespace,
             faults: list[str], fed_at: float, done_at: float, t0: float) -> Result:
    with psycopg.connect(db_url) as conn:
        stored, distinct = conn.execute(
            "SELECT count(*), count(DISTINCT (kiosk_id, seq)) FROM records").fetchone() or (0, 0)
        p50, p99, first, last = conn.execute(
            "SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM received_at - ts)),"
            " percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM received_at - ts)),"
            " min(received_at), max(received_at) FROM records WHERE kiosk_id = ANY(%s)",
            [online]).fetchone() or (0, 0, None, None)
        ok, total = conn.execute(
            "SELECT count(*) FILTER (WHERE chain_ok AND audit_verified_seq = (SELECT count(*)"
            " FROM audit_entries a WHERE a.kiosk_id = k.kiosk_id)), count(*) FROM kiosks k"
        ).fetchone() or (0, 0)
        write_first, write_last = conn.execute(
            "SELECT min(received_at), max(received_at) FROM records").fetchone() or (None, None)
    span = (last - first).total_seconds() if first and last else 0.0
    wspan = (write_last - write_first).total_seconds() if write_first and write_last else 0.0
    online_records = expected * len(online) // max(1, len(online) + len(offline))
    return Result(
        expected=expected, stored=int(stored), distinct=int(distinct),
        stream_messages=_stream_messages(nats.url, fleet.stream),
        chains_ok=int(ok), chains_total=int(total),
        lag_p50_s=float(p50 or 0), lag_p99_s=float(p99 or 0),
        offered_per_s=online_records / args.duration,
        throughput_per_s=online_records / span if span else 0.0,
        write_rate_per_s=int(stored) / wspan if wspan else 0.0,
        catch_up_s=done_at - fed_at if offline else 0.0, faults=faults)


def _stream_messages(url: str, stream: str) -> int:
    async def info() -> int:
        import nats

        nc = await nats.connect(url)
        try:
            return int((await nc.jetstream().stream_info(stream)).state.messages)
        finally:
            await nc.close()
    return asyncio.run(info())


def simulate(args: argparse.Namespace, say: Callable[[str], None] = print) -> Result:
    """Start NATS and PostgreSQL, run the fleet, measure; everything is removed after."""
    quiet = {"nats": logging.CRITICAL, "kiosk": logging.ERROR}  # each redial logs a traceback
    before = {name: logging.getLogger(name).level for name in quiet}
    for name, level in quiet.items():
        logging.getLogger(name).setLevel(level)
    root = Path(tempfile.mkdtemp(prefix="bench-fleet-"))
    nats = NatsServer(root / "nats", port=free_port())
    (root / "nats").mkdir()
    pg = PostgresCluster()
    try:
        nats.start()
        pg.start()
        db_url = pg.create_database("fleet")
        return asyncio.run(_simulate(args, root, nats, db_url, say))
    finally:
        nats.stop()
        pg.remove()
        shutil.rmtree(root, ignore_errors=True)
        for name, level in before.items():
            logging.getLogger(name).setLevel(level)


def report(res: Result, say: Callable[[str], None] = print) -> None:
    for f in res.faults:
        say(f"  fault: {f}")
    say(f"records: expected {res.expected}, stored {res.stored}, lost {res.lost}, "
        f"doubled {res.doubled}; stream holds {res.stream_messages} "
        f"({res.stream_messages - res.expected} resends past the duplicate window)")
    say(f"audit chains verified complete: {res.chains_ok} of {res.chains_total} kiosks")
    say(f"end-to-end lag (outbox -> PostgreSQL), online kiosks: p50 {res.lag_p50_s * 1000:.0f} ms,"
        f" p99 {res.lag_p99_s * 1000:.0f} ms")
    ratio = res.throughput_per_s / res.offered_per_s if res.offered_per_s else 0.0
    say(f"offered {res.offered_per_s:.0f} records/s vs carried {res.throughput_per_s:.0f} "
        f"records/s (ratio {ratio:.2f}); central write rate {res.write_rate_per_s:.0f} records/s")
    if res.catch_up_s:
        say(f"offline kiosks caught up {res.catch_up_s:.1f} s after reconnecting")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m bench.bench_fleet", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--kiosks", type=int, default=300)
    p.add_argument("--invoices", type=int, default=50, help="walk-ins per kiosk (2 records each)")
    p.add_argument("--duration", type=float, default=60.0, help="seconds the day is squeezed into")
    p.add_argument("--offline", type=float, default=0.1, help="share of kiosks offline all day")
    p.add_argument("--timeout", type=float, default=300.0, help="seconds to wait for catch-up")
    return p.parse_args(argv)


def run(runner: Any) -> None:
    """``python -m bench fleet``: the default 300-kiosk run."""
    res = simulate(parse_args([]), runner.out)
    report(res, runner.out)


def main(argv: list[str] | None = None) -> int:
    res = simulate(parse_args(argv))
    report(res)
    return 0 if res.lost == 0 and res.doubled == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
