"""NATS set-up shared by both sides: connecting, the records stream, the updates bucket.

Kiosks only dial out (they work behind NAT); whichever side comes first creates
the stream and the bucket with the same settings, so the order of start-up
does not matter. The stream keeps records until the central service has them
(limits retention: old records are the fleet's replay buffer), and its
duplicate window is two hours: a resend after a lost acknowledgement is stored
once; older resends are caught by the central store's ``UNIQUE(kiosk_id, seq)``.
"""

from __future__ import annotations

import logging

import nats
from nats.aio.client import Client
from nats.js import JetStreamContext
from nats.js.api import KeyValueConfig, StorageType, StreamConfig
from nats.js.errors import NotFoundError
from nats.js.kv import KeyValue

from kiosk.config import FleetConfig

log = logging.getLogger("kiosk.fleet.transport")

DUPLICATE_WINDOW_S = 2 * 3600.0
UPDATES_HISTORY = 20  # revisions of each update key kept (the update history)
STATUS_PREFIX = "status"  # <subject_prefix>_status.<kiosk_id>: heartbeats, not stored


def heartbeat_subject(fleet: FleetConfig, kiosk_id: str) -> str:
    return f"{fleet.subject_prefix}_{STATUS_PREFIX}.{kiosk_id}"


async def _quiet(err: Exception) -> None:
    """nats-py logs every failed dial as an ERROR with a traceback (its default error
    callback): an offline kiosk would write one every few seconds for days. The callers
    say once, in their own words, that the back office is unreachable."""
    log.debug("nats: %s", err)


async def connect(url: str, *, name: str, reconnect: bool = True) -> Client:
    """One connection; with ``reconnect`` the client keeps redialling by itself. Without,
    a server that does not answer raises ``NoServersError`` after a second dial (nats-py
    reads ``max_reconnect_attempts=0`` as "no limit" even for the first connect: the
    publisher then never got to its own retry loop, or said it was offline)."""
    return await nats.connect(
        url, name=name, connect_timeout=2, allow_reconnect=reconnect,
        max_reconnect_attempts=-1 if reconnect else 1, reconnect_time_wait=1,
        error_cb=_quiet,
    )


def max_age_s(fleet: FleetConfig) -> float:
    """How long the stream keeps a record (0: until the limits say otherwise)."""
    return fleet.stream_max_age_days * 86400.0


async def ensure_stream(js: JetStreamContext, fleet: FleetConfig) -> None:
    """Create the records stream unless it exists; bring its age limit to the config's.

    Records older than ``stream_max_age_days`` are dropped by the server: the central
    store has long had them (a kiosk offline for longer still has its own outbox and
    publishes again when it returns; only what it sent and the back office never
    consumed in that time could be lost, which the central page shows as a gap)."""
    try:
        info = await js.stream_info(fleet.stream)
    except NotFoundError:
        await js.add_stream(StreamConfig(
            name=fleet.stream, subjects=[f"{fleet.subject_prefix}.>"],
            storage=StorageType.FILE, duplicate_window=DUPLICATE_WINDOW_S,
            max_age=max_age_s(fleet),
        ))
        return
    if abs((info.config.max_age or 0.0) - max_age_s(fleet)) > 1e-3:
        info.config.max_age = max_age_s(fleet)
        await js.update_stream(info.config)


async def ensure_bucket(js: JetStreamContext, fleet: FleetConfig) -> KeyValue:
    """The remote-updates key-value bucket, created unless it exists."""
    try:
        return await js.key_value(fleet.updates_bucket)
    except NotFoundError:
        return await js.create_key_value(KeyValueConfig(
            bucket=fleet.updates_bucket, history=UPDATES_HISTORY, storage=StorageType.FILE,
        ))
