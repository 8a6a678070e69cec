"""The envelope of one fleet record, its subject and its de-duplication id.

Every record a kiosk publishes is one JSON object ``{"v", "kiosk_id", "seq",
"kind", "ts", "payload"}`` on subject ``<prefix>.<kiosk_id>.<kind>`` with
header ``Nats-Msg-Id: <kiosk_id>:<seq>``: JetStream stores a resend once, and
the central store's ``UNIQUE(kiosk_id, seq)`` catches any resend older than the
stream's duplicate window. ``seq`` counts the kiosk's fleet outbox, 1, 2, ...
"""

from __future__ import annotations

import json
import re
import socket
from dataclasses import dataclass
from typing import Any

VERSION = 1

# What a kiosk publishes. ``audit``: one audit_log row with its hash chain;
# ``invoice``: an issued blue or red invoice; ``red_form``: a red-letter form;
# ``daily_report``; ``update_result``: what became of a remote update.
KINDS = ("audit", "invoice", "red_form", "daily_report", "update_result", "log_event")

_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


class RecordError(ValueError):
    """A message on the stream is not a record this version understands."""


def kiosk_id_or_host(configured: str) -> str:
    """The configured kiosk id, else the host name made subject-safe."""
    if configured:
        return configured
    host = re.sub(r"[^A-Za-z0-9_-]", "-", socket.gethostname())[:64]
    return host or "kiosk"


@dataclass(frozen=True)
class Record:
    kiosk_id: str
    seq: int
    kind: str
    ts: str  # ISO 8601, UTC, when the record entered the kiosk's fleet outbox
    payload: dict[str, Any]

    @property
    def msg_id(self) -> str:
        return f"{self.kiosk_id}:{self.seq}"

    def subject(self, prefix: str) -> str:
        return f"{prefix}.{self.kiosk_id}.{self.kind}"

    def encode(self) -> bytes:
        return json.dumps(
            {"v": VERSION, "kiosk_id": self.kiosk_id, "seq": self.seq, "kind": self.kind,
             "ts": self.ts, "payload": self.payload},
            ensure_ascii=False, separators=(",", ":"),
        ).encode("utf-8")


def decode(data: bytes) -> Record:
    """Parse and check one message body; raises :class:`RecordError` naming the fault."""
    try:
        obj = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise RecordError(f"not JSON: {err}") from None
    if not isinstance(obj, dict) or obj.get("v") != VERSION:
        raise RecordError("not a version-1 fleet record")
    kiosk_id, seq, kind, ts, payload = (
        obj.get("kiosk_id"), obj.get("seq"), obj.get("kind"), obj.get("ts"), obj.get("payload"))
    if not isinstance(kiosk_id, str) or not _ID.match(kiosk_id):
        raise RecordError(f"bad kiosk_id {kiosk_id!r}")
    if not isinstance(seq, int) or isinstance(seq, bool) or seq < 1:
        raise RecordError(f"bad seq {seq!r}")
    if kind not in KINDS:
        raise RecordError(f"unknown kind {kind!r}")
    if not isinstance(ts, str) or not isinstance(payload, dict):
        raise RecordError("ts must be a string and payload an object")
    return Record(kiosk_id, seq, str(kind), ts, payload)
