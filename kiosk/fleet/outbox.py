"""The kiosk's durable publish queue: the fleet outbox in the kiosk's SQLite file.

Records enter it two ways, both cheap and both off the walk-in flow:

* :meth:`FleetOutbox.harvest` reads what issuing already wrote, by sequence:
  new ``audit_log`` rows (hash chain kept, every invoice, red form and admin
  action is one), new ``issued_invoices`` rows (blue and red) and new
  ``red_forms`` rows. A cursor per table lives in ``fleet_state`` and moves in
  the same transaction as the copies, so nothing is harvested twice or missed.
* :meth:`FleetOutbox.record` takes anything else (the daily report, the result
  of a remote update).

Each row gets the next ``seq`` (1, 2, ...); the publisher sends rows in that
order and moves ``published_seq`` only after JetStream acknowledged them, so a
restart or a week offline resumes exactly where it stopped.

No personal data beyond what the invoice carries: an invoice's buyer e-mail,
its unguessable download URL, and the address/bank details the buyer chose not
to print are dropped before they enter the queue (:func:`public_invoice`).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlite_utils
from sqlite_utils.migrations import Migrations

from kiosk.fleet.records import KINDS, Record
from kiosk.storage import connect, migrate

log = logging.getLogger("kiosk.fleet.outbox")

migrations = Migrations("fleet")

HARVEST_BATCH = 500


@migrations()
def m001_fleet_outbox(db: sqlite_utils.Database) -> None:
    """The publish queue and its cursors (harvest positions, last published seq)."""
    db.execute(
        """
        CREATE TABLE fleet_outbox (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            kind TEXT NOT NULL,
            ts TEXT NOT NULL,
            payload TEXT NOT NULL
        )
        """
    )
    db.execute("CREATE TABLE fleet_state (key TEXT PRIMARY KEY, value INTEGER NOT NULL)")


_BUYER_UNPRINTED = ("address", "phone", "bank", "account")


def public_invoice(data: dict[str, Any]) -> dict[str, Any]:
    """The invoice as printed: no e-mail, no download URL, no unprinted buyer details."""
    out = {k: v for k, v in data.items() if k != "download_url"}
    buyer = data.get("buyer")
    if isinstance(buyer, dict):
        buyer = {k: v for k, v in buyer.items() if k != "email"}
        if not buyer.get("show_address_bank"):
            buyer = {k: v for k, v in buyer.items() if k not in _BUYER_UNPRINTED}
        out["buyer"] = buyer
    return out


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds")


class FleetOutbox:
    """The fleet outbox on its own connection to the kiosk database (thread-safe)."""

    def __init__(self, path: str | Path, kiosk_id: str) -> None:
        self.kiosk_id = kiosk_id
        self.db = connect(path)
        migrate(self.db, [migrations])
        self._lock = threading.Lock()

    def close(self) -> None:
        self.db.conn.close()

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        conn = self.db.conn
        with self._lock:
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    @staticmethod
    def _get(conn: sqlite3.Connection, key: str) -> int:
        row = conn.execute("SELECT value FROM fleet_state WHERE key = ?", [key]).fetchone()
        return int(row[0]) if row else 0

    @staticmethod
    def _set(conn: sqlite3.Connection, key: str, value: int) -> None:
        conn.execute(
            "INSERT INTO fleet_state(key, value) VALUES (?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value", [key, value])

    @staticmethod
    def _append(conn: sqlite3.Connection, kind: str, payload: dict[str, Any], ts: str) -> int:
        cur = conn.execute(
            "INSERT INTO fleet_outbox(kind, ts, payload) VALUES (?, ?, ?)",
            [kind, ts, json.dumps(payload, ensure_ascii=False, separators=(",", ":"))])
        return int(cur.lastrowid or 0)

    def record(self, kind: str, payload: dict[str, Any]) -> int:
        """Queue one record (e.g. ``daily_report``); returns its seq. Never touches the network."""
        if kind not in KINDS:
            raise ValueError(f"unknown fleet record kind {kind!r} (known: {', '.join(KINDS)})")
        with self._tx() as conn:
            return self._append(conn, kind, payload, _now())

    def _tables(self, conn: sqlite3.Connection) -> set[str]:
        return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}

    def harvest(self, limit: int = HARVEST_BATCH) -> int:
        """Copy newly written audit rows, invoices and red forms into the queue; returns how many."""
        if not self._anything_new():
            return 0  # the common case: no write lock, no fsync
        added = 0
        with self._tx() as conn:
            tables = self._tables(conn)
            if "audit_log" in tables:
                last = self._get(conn, "harvest.audit_log")
                rows = conn.execute(
                    "SELECT seq, ts, action, actor, data, prev_hash, hash FROM audit_log "
                    "WHERE seq > ? ORDER BY seq LIMIT ?", [last, limit]).fetchall()
                for seq, ts, action, actor, data, prev, digest in rows:
                    self._append(conn, "audit", {
                        "seq": seq, "ts": ts, "action": action, "actor": actor, "data": data,
                        "prev_hash": prev, "hash": digest}, ts)
                    last = seq
                self._set(conn, "harvest.audit_log", last)
                added += len(rows)
            if "issued_invoices" in tables:
                last = self._get(conn, "harvest.issued_invoices")
                rows = conn.execute(
                    "SELECT rowid, data, stored_at FROM issued_invoices WHERE rowid > ? "
                    "ORDER BY rowid LIMIT ?", [last, limit]).fetchall()
                for rowid, data, stored_at in rows:
                    self._append(conn, "invoice", public_invoice(json.loads(data)), stored_at)
                    last = rowid
                self._set(conn, "harvest.issued_invoices", last)
                added += len(rows)
            if "red_forms" in tables:
                last = self._get(conn, "harvest.red_forms")
                rows = conn.execute(
                    "SELECT rowid, data, updated_at FROM red_forms WHERE rowid > ? "
                    "ORDER BY rowid LIMIT ?", [last, limit]).fetchall()
                for rowid, data, updated_at in rows:
                    self._append(conn, "red_form", json.loads(data), updated_at)
                    last = rowid
                self._set(conn, "harvest.red_forms", last)
                added += len(rows)
        return added

    _SOURCES = (("audit_log", "seq"), ("issued_invoices", "rowid"), ("red_forms", "rowid"))

    def _anything_new(self) -> bool:
        with self._lock:
            conn = self.db.conn
            tables = self._tables(conn)
            for table, key in self._SOURCES:
                if table in tables and conn.execute(
                        f"SELECT EXISTS(SELECT 1 FROM {table} WHERE {key} > ?)",
                        [self._get(conn, f"harvest.{table}")]).fetchone()[0]:
                    return True
            if conn.in_transaction:
                conn.commit()  # end the implicit read transaction (WAL snapshot)
        return False

    def pending(self, limit: int = 100) -> list[Record]:
        """The oldest records not yet acknowledged by JetStream, in seq order."""
        with self._lock:
            done = self._get(self.db.conn, "published_seq")
            rows = self.db.conn.execute(
                "SELECT seq, kind, ts, payload FROM fleet_outbox WHERE seq > ? ORDER BY seq LIMIT ?",
                [done, limit]).fetchall()
        return [Record(self.kiosk_id, seq, kind, ts, json.loads(p)) for seq, kind, ts, p in rows]

    def mark_published(self, seq: int) -> None:
        """Everything up to ``seq`` is stored by JetStream."""
        with self._tx() as conn:
            if seq > self._get(conn, "published_seq"):
                self._set(conn, "published_seq", seq)

    def published_seq(self) -> int:
        with self._lock:
            return self._get(self.db.conn, "published_seq")

    def last_seq(self) -> int:
        with self._lock:
            row = self.db.conn.execute("SELECT max(seq) FROM fleet_outbox").fetchone()
        return int(row[0] or 0)

    def backlog(self) -> int:
        """Records queued but not yet acknowledged."""
        return self.last_seq() - self.published_seq()
