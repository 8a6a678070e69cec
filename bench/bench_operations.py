"""Operations: what the audit hash chain costs per append, and reading the JSON logs.

- audit append: ``AuditTrail.record`` (BEGIN IMMEDIATE, read head, hash, insert,
  update head, FULL sync) against a plain parameterised INSERT of the same row in
  its own transaction (no chain): the price of tamper evidence per invoice.
- audit verify: walking 10,000 rows.
- kiosk logs: ``read_entries`` (JSON per line, filter) against only counting lines.
"""

from __future__ import annotations

import json
import tempfile
import time
from pathlib import Path

from bench.runner import Runner
from kiosk import storage
from kiosk.audit import TABLE, AuditTrail, audit
from kiosk.logview import LogFilter, read_entries

DATA = {"number": "26112000000000000001", "kind": "normal", "net": "100.00", "tax": "13.00",
        "total": "113.00", "orders": ["ORD-1"]}


def run(r: Runner) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        db = storage.open_database(folder / "kiosk.db", [storage.core, audit])
        db.execute("CREATE TABLE plain (seq INTEGER PRIMARY KEY, ts TEXT, action TEXT, actor TEXT,"
                   " data TEXT)")
        trail = AuditTrail(db)
        payload = json.dumps(DATA, sort_keys=True)

        def chained() -> None:
            for _ in range(20):
                trail.record("invoice.issued", "kiosk", DATA)

        def plain() -> None:
            for _ in range(20):
                with db.conn:
                    db.execute("INSERT INTO plain(ts, action, actor, data) VALUES (?, ?, ?, ?)",
                               ["2026-03-01T08:00:00.000+00:00", "invoice.issued", "kiosk", payload])

        r.compare("audit: 20 appends (synchronous=FULL, WAL)",
                  {"plain INSERT": plain, "AuditTrail.record": chained},
                  rounds=10, baseline="plain INSERT")

        while db.execute(f"SELECT count(*) FROM {TABLE}").fetchone()[0] < 10_000:
            with db.conn:  # bulk-fill through record() in one transaction
                db.conn.execute("BEGIN IMMEDIATE")
                for _ in range(1000):
                    trail.record("invoice.issued", "kiosk", DATA)
        t0 = time.perf_counter()
        result = trail.verify()
        took = time.perf_counter() - t0
        r.table("audit: verify", ["rows", "ok", "seconds", "rows/s"],
                [[result.rows, result.ok, f"{took:.3f}", f"{result.rows / took:,.0f}"]])
        db.close()

        logs = folder / "logs"
        logs.mkdir()
        with (logs / "kiosk.jsonl").open("w", encoding="utf-8") as fh:
            for i in range(20_000):
                fh.write(json.dumps({"ts": f"2026-03-01T08:{i // 600 % 60:02d}:{i % 60:02d}.000+00:00",
                                     "level": "INFO", "logger": "kiosk.session",
                                     "event": "device.status" if i % 10 == 0 else "session.step",
                                     "msg": "会话步骤", "session": f"s{i // 50}", "i": i},
                                    ensure_ascii=False) + "\n")

        def count_lines() -> None:
            with (logs / "kiosk.jsonl").open("rb") as fh:
                sum(1 for _ in fh)

        def read_all() -> None:
            sum(1 for _ in read_entries(logs))

        def read_filtered() -> None:
            sum(1 for _ in read_entries(logs, LogFilter(event="device.*", min_level=20)))

        r.compare("kiosk logs: 20,000 lines",
                  {"count lines": count_lines, "read_entries": read_all,
                   "read_entries --event device.*": read_filtered},
                  rounds=5, baseline="count lines")
