"""Send the fleet outbox to JetStream, in order, whenever the back office is reachable.

:class:`FleetPublisher` runs in its own thread with its own asyncio loop, so
issuing never waits for it: the walk-in flow only writes SQLite, as before, and
the publisher harvests those rows (see :mod:`kiosk.fleet.outbox`) about once a
second or at once after :meth:`FleetPublisher.wake`. Each record goes out with
``Nats-Msg-Id = <kiosk_id>:<seq>`` and ``published_seq`` moves only after the
acknowledgement, so a crash, a restart or days offline resume where it
stopped, in order. While NATS is unreachable it retries every ``retry_s``.
A heartbeat (state, backlog, what ``status`` returns) goes out every
``heartbeat_s`` on a core-NATS subject: the back office's "last contact".
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from nats.aio.client import Client
from nats.errors import Error as NatsError
from nats.js import JetStreamContext

from kiosk.config import FleetConfig
from kiosk.fleet import transport
from kiosk.fleet.logfeed import LogFeed
from kiosk.fleet.metrics import KioskMetrics
from kiosk.fleet.outbox import FleetOutbox
from kiosk.fleet.records import kiosk_id_or_host
from kiosk.fleet.updates import UpdateStore

log = logging.getLogger("kiosk.fleet.publisher")

BATCH = 100
POLL_S = 1.0  # how often new audit/invoice rows are looked for without a wake()
PUBLISH_TIMEOUT_S = 5.0

STOP_GRACE_S = 1.0  # a publisher between sends stops well within this
StatusSource = Callable[[], dict[str, Any]]


class FleetPublisher:
    """The kiosk's side of the fleet stream. ``start()`` once, ``stop()`` at shutdown."""

    def __init__(
        self, db_path: str | Path, fleet: FleetConfig, *,
        status: StatusSource | None = None, metrics: KioskMetrics | None = None,
        updates: UpdateStore | None = None, log_feed: LogFeed | None = None,
    ) -> None:
        self.fleet = fleet
        self.kiosk_id = kiosk_id_or_host(fleet.kiosk_id)
        self.outbox = FleetOutbox(db_path, self.kiosk_id)
        self.status = status
        self.metrics = metrics
        self.updates = updates
        self.log_feed = log_feed
        self.connected = False
        self.last_error = ""
        self._loop: asyncio.AbstractEventLoop | None = None
        self._wake: asyncio.Event | None = None
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self._task: asyncio.Task[Any] | None = None
        self._ready = threading.Event()
        self._progress = threading.Condition()

    # --- the kiosk's calls (any thread) ---------------------------------------------

    def record(self, kind: str, payload: dict[str, Any]) -> int:
        """Queue a record that is not harvested from a table (daily report ...); returns its seq."""
        seq = self.outbox.record(kind, payload)
        self.wake()
        return seq

    def wake(self) -> None:
        """Look for new records now instead of at the next poll."""
        loop, event = self._loop, self._wake
        if loop is not None and event is not None:
            loop.call_soon_threadsafe(event.set)

    def start(self) -> None:
        self._thread = threading.Thread(target=self._main, name="fleet-publisher", daemon=True)
        self._thread.start()
        self._ready.wait(5)

    def stop(self, timeout: float = 5.0) -> None:
        """Stop publishing. A publisher between sends stops at once; one stuck inside the
        NATS client (an unreachable server it keeps dialling) is cancelled: nothing is
        lost, since a record is marked sent only after JetStream acknowledged it."""
        self._stopping.set()
        self.wake()
        if self._thread is not None:
            self._thread.join(min(timeout, STOP_GRACE_S))
            loop, task = self._loop, self._task
            if self._thread.is_alive() and loop is not None and task is not None:
                loop.call_soon_threadsafe(task.cancel)
                self._thread.join(timeout)
        self.outbox.close()

    def keep_log_events(self) -> int:
        """Move the warnings and errors logged since the last call into the outbox."""
        if self.log_feed is None:
            return 0
        events = self.log_feed.drain()
        for event in events:
            self.outbox.record("log_event", event)
        return len(events)

    def backlog(self) -> int:
        return self.outbox.backlog()

    def wait_published(self, seq: int, timeout: float) -> bool:
        """Block until records up to ``seq`` are acknowledged (tests, the bench, shutdown)."""
        with self._progress:
            return self._progress.wait_for(lambda: self.outbox.published_seq() >= seq, timeout)

    def wait_connected(self, up: bool, timeout: float) -> bool:
        with self._progress:
            return self._progress.wait_for(lambda: self.connected is up, timeout)

    # --- the publishing thread -------------------------------------------------------

    def _main(self) -> None:
        try:
            asyncio.run(self.run())
        except asyncio.CancelledError:  # stop() cancelled a stuck connect or send
            self._set_connected(False, "stopped")

    async def run(self) -> None:
        """Connect, publish, wait; reconnect after any NATS failure until stopped."""
        self._loop = asyncio.get_running_loop()
        self._task = asyncio.current_task()
        self._wake = asyncio.Event()
        self._ready.set()
        while not self._stopping.is_set():
            nc: Client | None = None
            try:
                nc = await transport.connect(
                    self.fleet.nats_url, name=f"kiosk-{self.kiosk_id}", reconnect=False)
                js = nc.jetstream(timeout=PUBLISH_TIMEOUT_S)
                await transport.ensure_stream(js, self.fleet)
                self._set_connected(True, "")
                log.info("fleet connected", extra={"event": "fleet.connected",
                                                   "url": self.fleet.nats_url})
                await self._serve(nc, js)
            except (NatsError, OSError, TimeoutError) as err:
                was_up, before = self.connected, self.last_error
                self._set_connected(False, f"{type(err).__name__}: {err}")
                # Said when it changes, not at every retry of a kiosk offline for days.
                level = logging.WARNING if was_up or before != self.last_error \
                    else logging.DEBUG
                log.log(level, "fleet unreachable: %s", self.last_error, extra={
                    "event": "fleet.unreachable", "error": self.last_error,
                    "backlog": self.outbox.backlog()})
            finally:
                if nc is not None and not nc.is_closed:
                    try:
                        await nc.close()
                    except (NatsError, OSError):  # already gone
                        pass
            await asyncio.to_thread(self.keep_log_events)  # offline too: queued for later
            await self._sleep(self.fleet.retry_s)
        self._set_connected(False, "stopped")

    async def _serve(self, nc: Client, js: JetStreamContext) -> None:
        watching: asyncio.Task[None] | None = None
        if self.updates is not None:
            watching = asyncio.create_task(self._watch_updates(js))
        try:
            await self._publish_loop(nc, js, watching)
        finally:
            if watching is not None:
                watching.cancel()
                await asyncio.gather(watching, return_exceptions=True)

    async def _publish_loop(self, nc: Client, js: JetStreamContext,
                            watching: asyncio.Task[None] | None) -> None:
        next_beat = 0.0
        loop = asyncio.get_running_loop()
        while not self._stopping.is_set():
            if watching is not None and watching.done() and not watching.cancelled():
                watching.result()  # a failed watcher reconnects everything
            if nc.is_closed or not nc.is_connected:
                raise ConnectionError("connection lost")
            await asyncio.to_thread(self.keep_log_events)
            await asyncio.to_thread(self.outbox.harvest)
            sent = await self.publish_pending(js)
            if loop.time() >= next_beat:
                await self._heartbeat(nc)
                next_beat = loop.time() + self.fleet.heartbeat_s
            if sent < BATCH:
                await self._sleep(POLL_S)

    async def publish_pending(self, js: JetStreamContext, limit: int = BATCH) -> int:
        """Publish the oldest unacknowledged records in order; returns how many went out."""
        records = await asyncio.to_thread(self.outbox.pending, limit)
        done = 0
        try:
            for rec in records:
                await js.publish(rec.subject(self.fleet.subject_prefix), rec.encode(),
                                 headers={"Nats-Msg-Id": rec.msg_id})
                done = rec.seq
        finally:
            if done:
                await asyncio.to_thread(self.outbox.mark_published, done)
                with self._progress:
                    self._progress.notify_all()
                if self.metrics is not None:
                    self.metrics.published(len([r for r in records if r.seq <= done]))
            if self.metrics is not None:
                self.metrics.publish_backlog.set(self.outbox.backlog())
        return len([r for r in records if r.seq <= done])

    async def _watch_updates(self, js: JetStreamContext) -> None:
        """Apply each update of the bucket as it comes (the current ones first)."""
        assert self.updates is not None
        kv = await transport.ensure_bucket(js, self.fleet)
        watcher: Any = await kv.watchall()
        async for entry in watcher:
            if entry is None:  # the marker after the current values
                continue
            raw = None if entry.operation in ("DEL", "PURGE") else bytes(entry.value or b"")
            outcome = await asyncio.to_thread(
                self.updates.apply, str(entry.key), int(entry.revision), raw)
            if outcome is not None:
                self.record("update_result", outcome.to_record())

    async def _heartbeat(self, nc: Client) -> None:
        body: dict[str, Any] = {
            "kiosk_id": self.kiosk_id,
            "ts": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "backlog": self.outbox.backlog(), "published_seq": self.outbox.published_seq(),
        }
        if self.status is not None:
            try:
                body.update(self.status())
            except Exception:  # a broken status source must not stop publishing
                log.exception("fleet status source failed", extra={"event": "fleet.status_failed"})
        await nc.publish(transport.heartbeat_subject(self.fleet, self.kiosk_id),
                         json.dumps(body, ensure_ascii=False, default=str).encode("utf-8"))
        if self.metrics is not None and self.fleet.metrics_textfile:
            try:
                await asyncio.to_thread(self.metrics.write_textfile, self.fleet.metrics_textfile)
            except OSError as err:
                log.warning("cannot write the metrics textfile: %s", err,
                            extra={"event": "fleet.textfile_failed"})

    async def _sleep(self, seconds: float) -> None:
        assert self._wake is not None
        if self._stopping.is_set():
            return
        try:
            await asyncio.wait_for(self._wake.wait(), seconds)
        except TimeoutError:
            pass
        self._wake.clear()

    def _set_connected(self, up: bool, error: str) -> None:
        with self._progress:
            self.connected, self.last_error = up, error
            self._progress.notify_all()
        if self.metrics is not None:
            self.metrics.fleet_connected.set(1 if up else 0)
