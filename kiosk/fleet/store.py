"""The central store: PostgreSQL, versioned migrations, idempotent writes, chain checks.

Every record lands in ``records`` under ``UNIQUE(kiosk_id, seq)`` (a resend is
a no-op), and by kind in ``invoices``, ``audit_entries`` or ``update_history``.
:meth:`CentralStore.write` takes a batch in ONE transaction; the caller
acknowledges the messages only after it returns (the commit happened).

Several central instances share the work: each batch is sorted by
``(kiosk_id, seq)`` and takes each kiosk's row lock (``SELECT ... FOR UPDATE``)
in that order, so two instances never deadlock and never interleave inside one
kiosk's audit-chain check.

The audit chain is checked as it arrives, in any order: each entry's own hash
is recomputed (:func:`kiosk.audit.row_hash`), and ``audit_verified_seq``
advances over every contiguous entry whose ``prev_hash`` is the previous
entry's hash. A mismatch marks the kiosk ``chain_ok = false`` with the reason.

Migrations are numbered; ``schema_migrations`` records what ran, under an
advisory lock so instances starting together apply each exactly once.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

import psycopg
from psycopg.rows import dict_row
from psycopg.types.json import Jsonb

from kiosk.audit import GENESIS, row_hash
from kiosk.fleet.records import Record

log = logging.getLogger("kiosk.fleet.store")

_LOCK_ID = 0x6B696F736B  # advisory lock key of the migrations ("kiosk")

MIGRATIONS: tuple[tuple[int, str, str], ...] = (
    (1, "records, kiosks, invoices, audit entries, update history", """
    CREATE TABLE kiosks (
        kiosk_id text PRIMARY KEY,
        first_seen timestamptz NOT NULL DEFAULT now(),
        last_contact timestamptz,
        state text NOT NULL DEFAULT 'unknown',
        status jsonb NOT NULL DEFAULT '{}',
        records bigint NOT NULL DEFAULT 0,
        last_seq bigint NOT NULL DEFAULT 0,
        audit_verified_seq bigint NOT NULL DEFAULT 0,
        audit_head_hash text NOT NULL DEFAULT '',
        chain_ok boolean NOT NULL DEFAULT true,
        chain_error text NOT NULL DEFAULT ''
    );
    CREATE TABLE records (
        kiosk_id text NOT NULL,
        seq bigint NOT NULL,
        kind text NOT NULL,
        ts timestamptz NOT NULL,
        payload jsonb NOT NULL,
        received_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        CONSTRAINT records_kiosk_seq UNIQUE (kiosk_id, seq)
    );
    CREATE TABLE invoices (
        kiosk_id text NOT NULL,
        seq bigint NOT NULL,
        number text NOT NULL,
        colour text NOT NULL,
        kind text NOT NULL,
        issued_at timestamptz,
        day date,
        total numeric(14, 2) NOT NULL,
        original_number text NOT NULL DEFAULT '',
        order_nos text[] NOT NULL DEFAULT '{}',
        data jsonb NOT NULL,
        UNIQUE (kiosk_id, seq)
    );
    CREATE INDEX invoices_number ON invoices (number);
    CREATE INDEX invoices_day ON invoices (day);
    CREATE INDEX invoices_orders ON invoices USING gin (order_nos);
    CREATE TABLE audit_entries (
        kiosk_id text NOT NULL,
        audit_seq bigint NOT NULL,
        ts text NOT NULL,
        action text NOT NULL,
        actor text NOT NULL,
        data text NOT NULL,
        prev_hash text NOT NULL,
        hash text NOT NULL,
        UNIQUE (kiosk_id, audit_seq)
    );
    CREATE TABLE update_history (
        id bigserial PRIMARY KEY,
        at timestamptz NOT NULL DEFAULT now(),
        key text NOT NULL,
        revision bigint NOT NULL,
        kiosk_id text NOT NULL DEFAULT '',
        event text NOT NULL,
        detail text NOT NULL DEFAULT ''
    );
    """),
    (2, "daily reports (reconciliation against the platform) and log events", """
    CREATE TABLE daily_reports (
        kiosk_id text NOT NULL,
        day date NOT NULL,
        seq bigint NOT NULL,
        ok boolean NOT NULL,
        platform_numbers text[] NOT NULL DEFAULT '{}',
        data jsonb NOT NULL,
        UNIQUE (kiosk_id, day)
    );
    CREATE TABLE log_events (
        kiosk_id text NOT NULL,
        seq bigint NOT NULL,
        ts timestamptz NOT NULL,
        level text NOT NULL,
        logger text NOT NULL,
        event text NOT NULL,
        message text NOT NULL,
        UNIQUE (kiosk_id, seq)
    );
    CREATE INDEX log_events_kiosk_ts ON log_events (kiosk_id, ts DESC);
    """),
)


def migrate(conn: psycopg.Connection[Any]) -> list[int]:
    """Apply pending migrations (each in its own transaction); returns the versions applied."""
    applied: list[int] = []
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_ID])
        conn.execute("CREATE TABLE IF NOT EXISTS schema_migrations (version int PRIMARY KEY,"
                     " name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())")
        done = {r[0] for r in conn.execute("SELECT version FROM schema_migrations")}
        for version, name, ddl in MIGRATIONS:
            if version in done:
                continue
            conn.execute(ddl.encode("utf-8"))
            conn.execute("INSERT INTO schema_migrations(version, name) VALUES (%s, %s)",
                         [version, name])
            applied.append(version)
    if applied:
        log.info("central schema migrated", extra={"event": "central.migrated",
                                                   "applied": applied})
    return applied


@dataclass(frozen=True)
class WriteResult:
    stored: int  # new records
    duplicates: int  # records already stored (resends)
    chain_breaks: list[str]


def _money(value: Any) -> Decimal:
    try:
        return Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        return Decimal("0.00")


def _invoice_total(data: dict[str, Any]) -> Decimal:
    total = Decimal("0.00")
    for line in data.get("lines") or []:
        if isinstance(line, dict):
            total += _money(line.get("amount", 0)) + _money(line.get("tax", 0))
    return total


def _day(iso: Any) -> dt.date | None:
    try:
        return dt.datetime.fromisoformat(str(iso)).date()
    except ValueError:
        return None


class CentralStore:
    """Writes records into PostgreSQL and answers the back office's questions."""

    def __init__(self, url: str, *, migrate_schema: bool = True) -> None:
        self.url = url
        self.conn: psycopg.Connection[Any] = psycopg.connect(url, connect_timeout=10)
        if migrate_schema:
            migrate(self.conn)

    def close(self) -> None:
        self.conn.close()

    def write(self, records: Sequence[Record]) -> WriteResult:
        """Store a batch in one transaction (the caller acks after this returns).

        A handful of statements per batch, not per record: one multi-row insert
        into ``records`` tells which records are new, and the typed rows of the
        new ones go in pipelined (``executemany``).
        """
        ordered = sorted({(r.kiosk_id, r.seq): r for r in records}.values(),
                         key=lambda r: (r.kiosk_id, r.seq))
        kiosk_ids = sorted({r.kiosk_id for r in ordered})
        breaks: list[str] = []
        with self.conn.transaction():
            if not ordered:
                return WriteResult(0, len(records), [])
            self.conn.execute("INSERT INTO kiosks(kiosk_id) SELECT unnest(%s::text[]) "
                              "ON CONFLICT DO NOTHING", [kiosk_ids])
            self.conn.execute("SELECT 1 FROM kiosks WHERE kiosk_id = ANY(%s) "
                              "ORDER BY kiosk_id FOR UPDATE", [kiosk_ids])
            inserted = {(k, int(q)) for k, q in self.conn.execute(
                "INSERT INTO records(kiosk_id, seq, kind, ts, payload)"
                " SELECT k, s, kd, t::timestamptz, p::jsonb FROM"
                " unnest(%s::text[], %s::bigint[], %s::text[], %s::text[], %s::text[])"
                " AS u(k, s, kd, t, p)"
                " ON CONFLICT ON CONSTRAINT records_kiosk_seq DO NOTHING RETURNING kiosk_id, seq",
                [[r.kiosk_id for r in ordered], [r.seq for r in ordered],
                 [r.kind for r in ordered], [r.ts for r in ordered],
                 [json.dumps(r.payload, ensure_ascii=False) for r in ordered]]).fetchall()}
            new = [r for r in ordered if (r.kiosk_id, r.seq) in inserted]
            per_kiosk: dict[str, tuple[int, int]] = {}
            for r in new:
                n, top = per_kiosk.get(r.kiosk_id, (0, 0))
                per_kiosk[r.kiosk_id] = (n + 1, max(top, r.seq))
            with self.conn.cursor() as cur:
                cur.executemany(
                    "UPDATE kiosks SET records = records + %s, last_seq = greatest(last_seq, %s),"
                    " last_contact = greatest(last_contact, now()) WHERE kiosk_id = %s",
                    [(n, top, k) for k, (n, top) in per_kiosk.items()])
                invoices = [self._invoice_row(r) for r in new if r.kind == "invoice"]
                if invoices:
                    cur.executemany(
                        "INSERT INTO invoices(kiosk_id, seq, number, colour, kind, issued_at, day,"
                        " total, original_number, order_nos, data)"
                        " VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s) ON CONFLICT DO NOTHING",
                        invoices)
                audits = [r for r in new if r.kind == "audit"]
                rows = []
                for r in audits:
                    row, error = self._audit_row(r)
                    if row is not None:
                        rows.append(row)
                    if error:
                        breaks.append(self._break(r.kiosk_id, error))
                if rows:
                    cur.executemany(
                        "INSERT INTO audit_entries(kiosk_id, audit_seq, ts, action, actor, data,"
                        " prev_hash, hash) VALUES (%s,%s,%s,%s,%s,%s,%s,%s) ON CONFLICT DO NOTHING",
                        rows)
                results = [(str(r.payload.get("key", "")), int(r.payload.get("revision", 0) or 0),
                            r.kiosk_id, "applied" if r.payload.get("ok") else "rejected",
                            str(r.payload.get("error", "")))
                           for r in new if r.kind == "update_result"]
                if results:
                    cur.executemany(
                        "INSERT INTO update_history(key, revision, kiosk_id, event, detail) "
                        "VALUES (%s, %s, %s, %s, %s)", results)
                reports = [row for r in new if r.kind == "daily_report"
                           if (row := self._report_row(r)) is not None]
                if reports:  # a resent report of the same day (a crash before it was
                    # marked sent) replaces the older one
                    cur.executemany(
                        "INSERT INTO daily_reports(kiosk_id, day, seq, ok, platform_numbers,"
                        " data) VALUES (%s,%s,%s,%s,%s,%s) ON CONFLICT (kiosk_id, day) DO UPDATE"
                        " SET seq = excluded.seq, ok = excluded.ok, data = excluded.data,"
                        " platform_numbers = excluded.platform_numbers"
                        " WHERE daily_reports.seq < excluded.seq", reports)
                events = [(r.kiosk_id, r.seq, str(r.payload.get("ts") or r.ts),
                           str(r.payload.get("level", "")), str(r.payload.get("logger", "")),
                           str(r.payload.get("event", "")), str(r.payload.get("message", "")))
                          for r in new if r.kind == "log_event"]
                if events:
                    cur.executemany(
                        "INSERT INTO log_events(kiosk_id, seq, ts, level, logger, event, message)"
                        " VALUES (%s,%s,%s,%s,%s,%s,%s) ON CONFLICT DO NOTHING", events)
            for kiosk_id in sorted({r.kiosk_id for r in audits}):
                error = self._advance_chain(kiosk_id)
                if error:
                    breaks.append(error)
        return WriteResult(len(new), len(records) - len(new), breaks)

    @staticmethod
    def _invoice_row(rec: Record) -> tuple[Any, ...]:
        d = rec.payload
        return (rec.kiosk_id, rec.seq, str(d.get("number", "")), str(d.get("colour", "blue")),
                str(d.get("kind", "")), d.get("issued_at"), _day(d.get("issued_at")),
                _invoice_total(d), str(d.get("original_number", "")),
                [str(o) for o in d.get("order_nos") or []], Jsonb(d))

    @staticmethod
    def _report_row(rec: Record) -> tuple[Any, ...] | None:
        d = rec.payload
        day = _day(d.get("day"))
        if day is None:
            log.warning("daily report without a day from %s seq %d", rec.kiosk_id, rec.seq,
                        extra={"event": "central.bad_report", "kiosk": rec.kiosk_id})
            return None
        return (rec.kiosk_id, day, rec.seq, bool(d.get("ok")),
                [str(n) for n in d.get("platform_numbers") or []], Jsonb(d))

    @staticmethod
    def _audit_row(rec: Record) -> tuple[tuple[Any, ...] | None, str]:
        """The audit_entries row and "" or the reason its own hash is wrong."""
        p = rec.payload
        try:
            seq, ts, action, actor = int(p["seq"]), str(p["ts"]), str(p["action"]), str(p["actor"])
            data, prev, digest = str(p["data"]), str(p["prev_hash"]), str(p["hash"])
        except (KeyError, TypeError, ValueError):
            return None, f"record {rec.seq}: malformed audit entry"
        row = (rec.kiosk_id, seq, ts, action, actor, data, prev, digest)
        if row_hash(prev, seq, ts, action, actor, data) != digest:
            return row, f"audit seq {seq} ({action}) does not match its hash"
        return row, ""

    def _advance_chain(self, kiosk_id: str) -> str:
        row = self.conn.execute(
            "SELECT audit_verified_seq, audit_head_hash, chain_ok FROM kiosks WHERE kiosk_id = %s",
            [kiosk_id]).fetchone()
        assert row is not None
        verified, head, ok = int(row[0]), row[1] or GENESIS, bool(row[2])
        if not ok:
            return ""
        nexts = self.conn.execute(
            "SELECT audit_seq, prev_hash, hash FROM audit_entries WHERE kiosk_id = %s"
            " AND audit_seq > %s ORDER BY audit_seq", [kiosk_id, verified]).fetchall()
        error = ""
        for seq, prev, digest in nexts:
            if seq != verified + 1:
                break  # a gap: the missing entry has not arrived yet
            if prev != head:
                error = self._break(kiosk_id, f"audit seq {seq} does not follow seq {verified}"
                                              " (prev_hash mismatch)")
                break
            verified, head = seq, digest
        self.conn.execute("UPDATE kiosks SET audit_verified_seq = %s, audit_head_hash = %s"
                          " WHERE kiosk_id = %s", [verified, head, kiosk_id])
        return error

    def _break(self, kiosk_id: str, reason: str) -> str:
        self.conn.execute("UPDATE kiosks SET chain_ok = false, chain_error = %s"
                          " WHERE kiosk_id = %s AND chain_ok", [reason, kiosk_id])
        log.error("audit chain broken: %s: %s", kiosk_id, reason, extra={
            "event": "central.chain_broken", "kiosk": kiosk_id, "reason": reason})
        return f"{kiosk_id}: {reason}"

    # --- heartbeats and updates -------------------------------------------------------

    def heartbeat(self, kiosk_id: str, status: dict[str, Any]) -> None:
        with self.conn.transaction():
            self.conn.execute(
                "INSERT INTO kiosks(kiosk_id, last_contact, state, status) VALUES (%s, now(), %s, %s)"
                " ON CONFLICT (kiosk_id) DO UPDATE SET last_contact = now(),"
                " state = excluded.state, status = excluded.status",
                [kiosk_id, str(status.get("state", "up")), Jsonb(status)])

    def update_pushed(self, key: str, revision: int, detail: str) -> None:
        with self.conn.transaction():
            self.conn.execute("INSERT INTO update_history(key, revision, event, detail)"
                              " VALUES (%s, %s, 'pushed', %s)", [key, revision, detail])

    # --- questions --------------------------------------------------------------------

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        with self.conn.cursor(row_factory=dict_row) as cur:
            cur.execute(sql.encode("utf-8"), list(params))
            rows = cur.fetchall()
        self.conn.commit()
        return rows

    def kiosks(self) -> list[dict[str, Any]]:
        return self.query("SELECT * FROM kiosks ORDER BY kiosk_id")

    def invoices(self, day: dt.date | None = None, search: str = "",
                 limit: int = 500) -> list[dict[str, Any]]:
        """The day's invoices, or those whose invoice or order number is ``search``."""
        if search:
            return self.query(
                "SELECT * FROM invoices WHERE number = %s OR %s = ANY(order_nos)"
                " ORDER BY issued_at DESC LIMIT %s", [search, search, limit])
        return self.query("SELECT * FROM invoices WHERE day = %s ORDER BY issued_at DESC LIMIT %s",
                          [day or dt.date.today(), limit])

    def audit(self, kiosk_id: str, last: int = 20) -> list[dict[str, Any]]:
        return self.query("SELECT * FROM audit_entries WHERE kiosk_id = %s"
                          " ORDER BY audit_seq DESC LIMIT %s", [kiosk_id, last])

    def log_events(self, kiosk_id: str, last: int = 30) -> list[dict[str, Any]]:
        return self.query("SELECT * FROM log_events WHERE kiosk_id = %s"
                          " ORDER BY ts DESC, seq DESC LIMIT %s", [kiosk_id, last])

    def reconciliation(self, day: dt.date) -> Reconciliation:
        """The day's invoices received from the kiosks against the platform's listing, as
        the kiosks' daily reports carry it (kiosks sharing a seller list the same numbers:
        the union is the platform's day)."""
        reports = self.query("SELECT kiosk_id, ok, platform_numbers, data FROM daily_reports"
                             " WHERE day = %s ORDER BY kiosk_id", [day])
        listed = {str(n) for r in reports for n in r["platform_numbers"]}
        received = {str(r["number"]) for r in self.query(
            "SELECT number FROM invoices WHERE day = %s", [day])}
        reported = {r["kiosk_id"] for r in reports}
        silent = sorted({str(k["kiosk_id"]) for k in self.query(
            "SELECT DISTINCT kiosk_id FROM invoices WHERE day = %s", [day])} - reported)
        return Reconciliation(
            day, [str(r["kiosk_id"]) for r in reports],
            [str(r["kiosk_id"]) for r in reports if not r["ok"]],
            sorted(listed - received) if reports else [],
            sorted(received - listed) if reports else [], silent)

    def updates(self, limit: int = 50) -> list[dict[str, Any]]:
        return self.query("SELECT * FROM update_history ORDER BY id DESC LIMIT %s", [limit])

    def counts(self) -> dict[str, int]:
        row = self.query("SELECT count(*) AS records, count(DISTINCT kiosk_id) AS kiosks"
                         " FROM records")[0]
        return {"records": int(row["records"]), "kiosks": int(row["kiosks"])}


@dataclass(frozen=True)
class Reconciliation:
    day: dt.date
    reported: list[str]  # kiosks whose daily report of the day arrived
    kiosk_differences: list[str]  # kiosks whose own report found differences
    not_received: list[str]  # on the platform, never received from any kiosk
    not_on_platform: list[str]  # received from a kiosk, not on the platform's listing
    no_report: list[str]  # kiosks that issued that day but sent no report (yet)

    @property
    def ok(self) -> bool:
        return bool(self.reported) and not (self.kiosk_differences or self.not_received
                                            or self.not_on_platform or self.no_report)


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)
