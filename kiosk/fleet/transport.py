"""NATS set-up shared by both sides: connecting, the records stream, the updates bucket.

Kiosks only dial out (they work behind NAT); whichever side comes first creates
the stream and the bucket with the same settings, so the order of start-up
does not matter. The stream keeps records until the central service has them
(limits retention: old records are the fleet's replay buffer), and its
duplicate window is two hours: a resend after a lost acknowledgement is stored
once; older resends are caught by the central store's ``UNIQUE(kiosk_id, seq)``.
"""

from __future__ import annotations

import nats
from nats.aio.client import Client
from nats.js import JetStreamContext
from nats.js.api import KeyValueConfig, StorageType, StreamConfig
from nats.js.errors import NotFoundError
from nats.js.kv import KeyValue

from kiosk.config import FleetConfig

DUPLICATE_WINDOW_S = 2 * 3600.0
UPDATES_HISTORY = 20  # revisions of each update key kept (the update history)
STATUS_PREFIX = "status"  # <subject_prefix>_status.<kiosk_id>: heartbeats, not stored


def heartbeat_subject(fleet: FleetConfig, kiosk_id: str) -> str:
    return f"{fleet.subject_prefix}_{STATUS_PREFIX}.{kiosk_id}"


async def connect(url: str, *, name: str, reconnect: bool = True) -> Client:
    """One connection; with ``reconnect`` the client keeps redialling by itself."""
    return await nats.connect(
        url, name=name, connect_timeout=2, allow_reconnect=reconnect,
        max_reconnect_attempts=-1 if reconnect else 0, reconnect_time_wait=1,
    )


async def ensure_stream(js: JetStreamContext, fleet: FleetConfig) -> None:
    """Create the records stream unless it exists."""
    try:
        await js.stream_info(fleet.stream)
    except NotFoundError:
        await js.add_stream(StreamConfig(
            name=fleet.stream, subjects=[f"{fleet.subject_prefix}.>"],
            storage=StorageType.FILE, duplicate_window=DUPLICATE_WINDOW_S,
        ))


async def ensure_bucket(js: JetStreamContext, fleet: FleetConfig) -> KeyValue:
    """The remote-updates key-value bucket, created unless it exists."""
    try:
        return await js.key_value(fleet.updates_bucket)
    except NotFoundError:
        return await js.create_key_value(KeyValueConfig(
            bucket=fleet.updates_bucket, history=UPDATES_HISTORY, storage=StorageType.FILE,
        ))
