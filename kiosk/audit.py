"""The audit trail: every invoice issued, red-lettered and every admin action, as a hash chain.

Each row of ``audit_log`` carries the SHA-256 of the previous row (``prev_hash``)
and its own ``hash`` over a canonical encoding of ``prev_hash`` and the row's
fields (seq, ts, action, actor, data). The newest ``seq:hash`` is also kept in
``meta`` (key ``audit.head``), so deleting the last rows is caught too.

What it catches: a row changed in place, a row removed (a gap in ``seq`` or a
``prev_hash`` that does not match), rows reordered (renumbered), rows cut off
the end, rows slipped in without going through :meth:`AuditTrail.record`.
What it cannot catch: someone with write access who recomputes the whole chain
and the head. Ship the head hash elsewhere (the daily report prints it) when
that matters. Triggers make the table append-only against accidental updates.

Appends run in one ``BEGIN IMMEDIATE`` transaction (the write lock is taken
before the head is read), so two processes appending at once cannot fork the
chain. Callers pass invoice numbers and amounts, never personal IDs; string
values are masked with :func:`kiosk.masking.mask_text` anyway.
"""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import json
import logging
import threading
from collections.abc import Callable
from dataclasses import asdict, dataclass
from decimal import Decimal
from typing import Any

import sqlite_utils
from sqlite_utils.migrations import Migrations

from kiosk.masking import mask_text

log = logging.getLogger("kiosk.audit")

TABLE = "audit_log"
HEAD_KEY = "audit.head"
GENESIS = "0" * 64

audit = Migrations("audit")


@audit()
def m001_audit_log(db: sqlite_utils.Database) -> None:
    """The chained, append-only audit table."""
    db.execute(
        f"""CREATE TABLE {TABLE} (
            seq INTEGER PRIMARY KEY,
            ts TEXT NOT NULL,
            action TEXT NOT NULL,
            actor TEXT NOT NULL,
            data TEXT NOT NULL,
            prev_hash TEXT NOT NULL,
            hash TEXT NOT NULL
        )"""
    )
    db.execute(f"CREATE INDEX {TABLE}_action_ts ON {TABLE}(action, ts)")
    # Append-only: the application never updates or deletes audit rows.
    for op in ("UPDATE", "DELETE"):
        db.execute(
            f"CREATE TRIGGER {TABLE}_no_{op.lower()} BEFORE {op} ON {TABLE} "
            f"BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END"
        )


# --- canonical encoding ---------------------------------------------------------


def _plain(value: Any) -> Any:
    """JSON-ready, personal data masked: Decimal/date -> str, strings masked."""
    if isinstance(value, str):
        return mask_text(value)
    if isinstance(value, bool) or value is None or isinstance(value, int):
        return value
    if isinstance(value, float):
        return str(Decimal(repr(value)))  # money is never float; keep it exact if it comes
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return _plain(value.value)
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_plain(v) for v in value]
    return mask_text(str(value))


def encode_data(data: dict[str, Any]) -> str:
    """The stored form of ``data``: canonical JSON (sorted keys, no spaces)."""
    return json.dumps(_plain(data), ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def row_hash(prev_hash: str, seq: int, ts: str, action: str, actor: str, data: str) -> str:
    """SHA-256 over a JSON array of the fields: unambiguous, stable across versions."""
    canonical = json.dumps(
        [prev_hash, seq, ts, action, actor, data], ensure_ascii=False, separators=(",", ":")
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


# --- verification result ----------------------------------------------------------


@dataclass(frozen=True)
class VerifyResult:
    """What :meth:`AuditTrail.verify` found. ``broken_seq`` is the first broken link."""

    ok: bool
    rows: int  # rows checked
    head_seq: int  # the last seq in the table (0 when empty)
    head_hash: str
    broken_seq: int | None = None
    kind: str = ""  # altered | removed | reordered | appended
    reason: str = ""

    def __str__(self) -> str:
        if self.ok:
            return (
                f"audit chain OK: {self.rows} rows, head seq {self.head_seq} "
                f"hash {self.head_hash[:16]}"
            )
        return f"audit chain BROKEN at seq {self.broken_seq} ({self.kind}): {self.reason}"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class AuditTrail:
    """Appends to and verifies the audit hash chain in the kiosk database."""

    def __init__(
        self, db: sqlite_utils.Database, clock: Callable[[], dt.datetime] = _now
    ) -> None:
        self.db = db
        self.clock = clock
        self._lock = threading.Lock()  # one connection shared by threads

    def record(self, action: str, actor: str, data: dict[str, Any] | None = None) -> int:
        """Append one row; returns its seq.

        ``action`` is a dotted name (``invoice.issued``, ``invoice.red_issued``,
        ``admin.login``...), ``actor`` who did it (``kiosk``, ``admin``...).
        Inside a caller's open transaction the row joins it (that transaction
        must already hold the write lock, e.g. ``BEGIN IMMEDIATE``); otherwise
        the append is its own ``BEGIN IMMEDIATE`` transaction.
        """
        if not action or not action.strip():
            raise ValueError("an audit action needs a name")
        if not actor or not actor.strip():
            raise ValueError("an audit record needs an actor")
        payload = encode_data(data or {})
        ts = self.clock().astimezone(dt.UTC).isoformat(timespec="milliseconds")
        conn = self.db.conn
        with self._lock:
            own = not conn.in_transaction
            if own:
                conn.execute("BEGIN IMMEDIATE")
            try:
                last = conn.execute(
                    f"SELECT seq, hash FROM {TABLE} ORDER BY seq DESC LIMIT 1"
                ).fetchone()
                seq, prev = (last[0] + 1, last[1]) if last else (1, GENESIS)
                digest = row_hash(prev, seq, ts, action, actor, payload)
                conn.execute(
                    f"INSERT INTO {TABLE}(seq, ts, action, actor, data, prev_hash, hash) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [seq, ts, action, actor, payload, prev, digest],
                )
                conn.execute(
                    "INSERT INTO meta(key, value) VALUES (?, ?) "
                    "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                    [HEAD_KEY, f"{seq}:{digest}"],
                )
                if own:
                    conn.execute("COMMIT")
            except BaseException:
                if own and conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
        log.info(
            "audit %s by %s", action, actor,
            extra={"event": "audit.recorded", "seq": seq, "action": action, "actor": actor},
        )
        return seq

    def rows(self, *, last: int | None = None, action: str | None = None) -> list[dict[str, Any]]:
        """Rows in seq order (the newest ``last`` of them), data decoded."""
        where, params = "", []  # type: tuple[str, list[Any]]
        if action:
            prefix = action + "."  # dotted children; no LIKE, whose _ and % are wildcards
            where, params = "WHERE action = ? OR substr(action, 1, ?) = ?", [
                action, len(prefix), prefix]
        sql = f"SELECT * FROM {TABLE} {where} ORDER BY seq DESC"
        if last is not None:
            sql += " LIMIT ?"
            params.append(last)
        out = [dict(r) for r in self.db.query(sql, params)]
        for r in out:
            r["data"] = json.loads(r["data"])
        return out[::-1]

    def head(self) -> tuple[int, str] | None:
        """The ``(seq, hash)`` kept in ``meta``, or None before the first record."""
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", [HEAD_KEY]).fetchone()
        if not row:
            return None
        seq, _, digest = row[0].partition(":")
        return int(seq), digest

    def verify(self) -> VerifyResult:
        """Walk the chain from seq 1; stop at the first broken link and say why."""
        rows = self.db.execute(
            f"SELECT seq, ts, action, actor, data, prev_hash, hash FROM {TABLE} ORDER BY seq"
        ).fetchall()
        seqs = [r[0] for r in rows]
        prev_seq, prev_hash = 0, GENESIS
        for checked, (seq, ts, action, actor, data, prev, digest) in enumerate(rows, start=1):
            def broken(kind: str, reason: str, at: int = seq, n: int = checked) -> VerifyResult:
                return VerifyResult(False, n, seqs[-1], rows[-1][6], at, kind, reason)

            if row_hash(prev, seq, ts, action, actor, data) != digest:
                moved = _written_as(seqs, prev, seq, ts, action, actor, data, digest)
                if moved is not None:
                    return broken(
                        "reordered", f"row stored at seq {seq} was written as seq {moved}"
                    )
                return broken("altered", f"row {seq} ({action}) no longer matches its hash")
            if seq != prev_seq + 1:
                missing = f"{prev_seq + 1}" if seq == prev_seq + 2 else f"{prev_seq + 1}..{seq - 1}"
                return broken("removed", f"row(s) {missing} missing before seq {seq}",
                              prev_seq + 1)
            if prev != prev_hash:
                if prev in {r[6] for r in rows[checked:]}:
                    return broken("reordered", f"row {seq} follows a row now placed after it")
                return broken(
                    "removed", f"row {seq} does not follow row {prev_seq} (prev_hash mismatch)"
                )
            prev_seq, prev_hash = seq, digest
        head = self.head()
        n = len(rows)
        if head is None:
            if n:
                return VerifyResult(False, n, prev_seq, prev_hash, 1, "appended",
                                    "rows exist but no head hash was ever recorded")
            return VerifyResult(True, 0, 0, GENESIS)
        head_seq, head_hash = head
        if head_seq > prev_seq:
            missing = f"{prev_seq + 1}" if head_seq == prev_seq + 1 else f"{prev_seq + 1}..{head_seq}"
            return VerifyResult(False, n, prev_seq, prev_hash, prev_seq + 1, "removed",
                                f"last row(s) {missing} missing (head says seq {head_seq})")
        if head_seq < prev_seq:
            return VerifyResult(False, n, prev_seq, prev_hash, head_seq + 1, "appended",
                                f"row(s) after seq {head_seq} were not written by the audit trail")
        if head_hash != prev_hash:
            return VerifyResult(False, n, prev_seq, prev_hash, prev_seq, "altered",
                                f"row {prev_seq} differs from the recorded head hash")
        return VerifyResult(True, n, prev_seq, prev_hash)


def _written_as(
    seqs: list[int], prev: str, seq: int, ts: str, action: str, actor: str, data: str, digest: str
) -> int | None:
    """If the row's hash matches under another seq, the seq it was written with."""
    for candidate in range(1, max(seqs) + 2):
        if candidate != seq and row_hash(prev, candidate, ts, action, actor, data) == digest:
            return candidate
    return None
