"""The central service: JetStream durable consumer -> PostgreSQL, heartbeats, the web page.

``kiosk central serve`` runs :class:`CentralService`. Every instance binds the
same durable pull consumer (``fleet.central.consumer``), so JetStream hands
each record to one instance at a time; an instance fetches a batch, writes it
in ONE PostgreSQL transaction (:meth:`kiosk.fleet.store.CentralStore.write`)
and acknowledges the messages only after the commit. A crash between commit
and ack means a redelivery after ``ack_wait_s``, which ``UNIQUE(kiosk_id, seq)``
turns into a no-op: nothing is lost, nothing is doubled. A message that is not
a fleet record is logged and terminated (never redelivered, never blocks the
others). Heartbeats (core NATS, not stored) update each kiosk's last contact.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field

import psycopg
from nats.aio.msg import Msg
from nats.errors import Error as NatsError
from nats.errors import TimeoutError as NatsTimeout
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy

from kiosk.config import FleetConfig
from kiosk.fleet import transport
from kiosk.fleet.records import Record, RecordError, decode
from kiosk.fleet.store import CentralStore

log = logging.getLogger("kiosk.fleet.central")

FETCH_TIMEOUT_S = 1.0


@dataclass
class CentralStats:
    batches: int = 0
    stored: int = 0
    duplicates: int = 0
    rejected: int = 0
    chain_breaks: list[str] = field(default_factory=list)


class CentralService:
    """One instance of the central consumer (run several for availability)."""

    def __init__(self, fleet: FleetConfig, instance: str = "central", *,
                 progress: asyncio.Condition | None = None) -> None:
        self.fleet = fleet
        self.instance = instance
        self.stats = CentralStats()
        self._stop = asyncio.Event()
        self.ready = asyncio.Event()
        # Notified after every committed batch; instances may share one (tests, the bench).
        self.progress = progress or asyncio.Condition()

    async def wait_until(self, predicate: Callable[[], bool], timeout: float) -> None:
        """Wait until ``predicate()`` holds after some batch (raises TimeoutError)."""
        async with self.progress:
            await asyncio.wait_for(self.progress.wait_for(predicate), timeout)

    def stop(self) -> None:
        self._stop.set()

    async def run(self) -> None:
        c = self.fleet.central
        store = await asyncio.to_thread(CentralStore, c.database_url)
        beats = await asyncio.to_thread(CentralStore, c.database_url)
        nc = await transport.connect(self.fleet.nats_url, name=f"central-{self.instance}")
        try:
            js = nc.jetstream()
            await transport.ensure_stream(js, self.fleet)
            await transport.ensure_bucket(js, self.fleet)
            sub = await js.pull_subscribe(
                f"{self.fleet.subject_prefix}.>", durable=c.consumer, stream=self.fleet.stream,
                config=ConsumerConfig(
                    durable_name=c.consumer, ack_policy=AckPolicy.EXPLICIT,
                    deliver_policy=DeliverPolicy.ALL, ack_wait=c.ack_wait_s,
                    max_ack_pending=max(1000, c.batch * 8)))

            async def on_beat(msg: Msg) -> None:
                try:
                    body = json.loads(msg.data)
                    kiosk_id = msg.subject.rsplit(".", 1)[-1]
                    await asyncio.to_thread(beats.heartbeat, kiosk_id, dict(body))
                except (ValueError, TypeError, psycopg.Error) as err:
                    log.warning("bad heartbeat on %s: %s", msg.subject, err,
                                extra={"event": "central.bad_heartbeat"})

            await nc.subscribe(transport.heartbeat_subject(self.fleet, "*"), cb=on_beat)
            log.info("central consumer running", extra={
                "event": "central.started", "instance": self.instance, "consumer": c.consumer})
            self.ready.set()
            while not self._stop.is_set():
                try:
                    msgs = await sub.fetch(c.batch, timeout=FETCH_TIMEOUT_S)
                except (NatsTimeout, TimeoutError):  # fetch raises either
                    continue
                except NatsError as err:  # NATS restarting: the client redials by itself
                    log.warning("fetch failed: %s", err, extra={"event": "central.fetch_failed"})
                    await asyncio.sleep(FETCH_TIMEOUT_S)
                    continue
                store = await self._handle(store, msgs)
        finally:
            await nc.close()
            store.close()
            beats.close()

    async def _handle(self, store: CentralStore, msgs: list[Msg]) -> CentralStore:
        records: list[Record] = []
        bad: set[int] = set()
        for msg in msgs:
            try:
                records.append(decode(msg.data))
            except RecordError as err:
                log.error("not a fleet record on %s: %s", msg.subject, err, extra={
                    "event": "central.bad_record", "subject": msg.subject})
                bad.add(id(msg))
        try:
            result = await asyncio.to_thread(store.write, records)
        except psycopg.Error as err:
            log.error("central store write failed: %s", err, extra={
                "event": "central.write_failed", "error": str(err)})
            try:
                for msg in msgs:
                    await msg.nak(delay=1.0)
            except NatsError:
                pass  # not acknowledged either way: redelivered after ack_wait
            if store.conn.closed or store.conn.broken:
                store.close()
                store = await asyncio.to_thread(CentralStore, self.fleet.central.database_url)
            return store
        # Committed: now, and only now, acknowledge. A lost ack means a redelivery,
        # which the UNIQUE(kiosk_id, seq) constraint turns into a no-op.
        try:
            for msg in msgs:
                if id(msg) in bad:
                    await msg.term()
                else:
                    await msg.ack()
        except NatsError as err:
            log.warning("ack failed (will be redelivered): %s", err,
                        extra={"event": "central.ack_failed"})
        self.stats.batches += 1
        self.stats.stored += result.stored
        self.stats.duplicates += result.duplicates
        self.stats.rejected += len(bad)
        self.stats.chain_breaks += result.chain_breaks
        async with self.progress:
            self.progress.notify_all()
        return store


async def serve(fleet: FleetConfig, instance: str, *, web: bool = True,
                on_ready: Callable[[str], None] | None = None) -> None:
    """Run one instance until SIGTERM/SIGINT; ``on_ready`` gets the page's URL (or "")."""
    import signal

    from kiosk.fleet.web import BackOffice

    service = CentralService(fleet, instance)
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, service.stop)
    office: BackOffice | None = None
    if web:
        office = BackOffice(fleet)
        office.start()
    task = asyncio.create_task(service.run())
    ready = asyncio.create_task(service.ready.wait())
    try:
        await asyncio.wait({task, ready}, return_when=asyncio.FIRST_COMPLETED)
        if service.ready.is_set() and on_ready is not None:
            on_ready(office.url if office is not None else "")
        await task
    except (NatsError, OSError) as err:
        raise RuntimeError(f"cannot reach NATS at {fleet.nats_url}: {err}") from err
    finally:
        ready.cancel()
        if office is not None:
            office.stop()
