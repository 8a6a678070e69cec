"""``kiosk doctor``: headless health checks a technician runs on a terminal.

Each check returns :class:`Check` (``ok``, ``warn`` or ``fail`` with a detail
for people). Every check runs on its own daemon thread with a time limit, so
a hung serial port or an unreachable platform turns into a ``fail`` saying it
timed out, never a hung command. Checks only read: the database is opened
without migrating, devices in use by the running kiosk are reported as busy.

What is checked: configuration, demo secrets (fail off a demo), data folder (writable, free space), database
(opens, migrations current, ``PRAGMA integrity_check``), audit chain, issuing
platform (health, quota), the issuing outbox (requests waiting or unknown),
devices (emulated ones are built and asked; real ports are opened briefly),
serial ports present, log folder size, versions.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import shutil
import sqlite3
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, replace
from decimal import Decimal
from pathlib import Path
from typing import Any

from kiosk.config import Config, ConfigError, load_config
from kiosk.storage import DB_FILE

OK, WARN, FAIL = "ok", "warn", "fail"
DB_FILE_NAME = DB_FILE

FREE_WARN_BYTES = 1 << 30  # 1 GiB
FREE_FAIL_BYTES = 100 << 20  # 100 MiB
QUOTA_WARN_FRACTION = Decimal("0.10")
DEFAULT_TIMEOUT_S = 10.0
TIMED_OUT = "did not finish within"


@dataclass(frozen=True)
class Check:
    name: str
    status: str  # ok | warn | fail
    detail: str
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


CheckFn = Callable[[], "Check | list[Check]"]


def run_checks(checks: Sequence[tuple[str, CheckFn, float]]) -> list[Check]:
    """Run checks concurrently, each bounded by its timeout; results in the given order.

    Daemon threads: a check stuck in a driver call is abandoned (reported as
    timed out) and cannot keep the process alive.
    """
    results: dict[int, list[Check]] = {}
    threads = []
    for i, (name, fn, _timeout) in enumerate(checks):
        def target(i: int = i, name: str = name, fn: CheckFn = fn) -> None:
            start = time.monotonic()
            try:
                out = fn()
            except Exception as err:  # a check's bug is a failed check, not a crash
                out = Check(name, FAIL, f"check raised {type(err).__name__}: {err}")
            took = time.monotonic() - start
            items = out if isinstance(out, list) else [out]
            results[i] = [replace(c, seconds=round(took, 3)) for c in items]

        th = threading.Thread(target=target, name=f"doctor-{name}", daemon=True)
        th.start()
        threads.append((time.monotonic(), th))
    for i, ((name, _fn, timeout), (started, th)) in enumerate(zip(checks, threads, strict=True)):
        th.join(max(0.0, started + timeout - time.monotonic()))
        if th.is_alive() and i not in results:
            results[i] = [Check(name, FAIL, f"{TIMED_OUT} {timeout:g} s", timeout)]
    return [c for i in range(len(checks)) for c in results[i]]


def overall(checks: Sequence[Check]) -> int:
    """Exit status: 1 when any check failed, else 0 (warnings are fine)."""
    return 1 if any(c.status == FAIL for c in checks) else 0


# --- the checks --------------------------------------------------------------------------


def check_config(config_path: str | None) -> tuple[Check, Config | None]:
    try:
        cfg = load_config(config_path)
    except ConfigError as err:
        return Check("config", FAIL, str(err)), None
    return Check("config", OK, f"{cfg.source} is valid"), cfg


def check_secrets(cfg: Config) -> Check:
    """Public demo secrets: FAIL on a real kiosk, WARN on a demo one (issue 15)."""
    from kiosk.demo_secrets import demo_secret_problem, demo_secrets_in
    from kiosk.messages import words

    problem = demo_secret_problem(cfg)
    if problem is not None:
        return Check("secrets", FAIL, words(problem, "en"))
    keys = demo_secrets_in(cfg)
    if keys:
        return Check("secrets", WARN, f"demo kiosk ([kiosk] demo = true): the public demo "
                     f"secrets {', '.join(keys)} are in use; never on a real terminal")
    return Check("secrets", OK, "no demo secret in use")


def check_data_dir(cfg: Config) -> Check:
    path = Path(cfg.data_path)
    if not path.is_dir():
        return Check("data dir", FAIL, f"{path} does not exist (the kiosk creates it on first start)")
    try:
        with tempfile.NamedTemporaryFile(dir=path, prefix=".doctor-", delete=True) as fh:
            fh.write(b"x")
            fh.flush()
            os.fsync(fh.fileno())
    except OSError as err:
        return Check("data dir", FAIL, f"{path} is not writable: {err.strerror}")
    free = shutil.disk_usage(path).free
    detail = f"{path} writable, {human_bytes(free)} free"
    if free < FREE_FAIL_BYTES:
        return Check("data dir", FAIL, detail + f" (below {human_bytes(FREE_FAIL_BYTES)})")
    if free < FREE_WARN_BYTES:
        return Check("data dir", WARN, detail + f" (below {human_bytes(FREE_WARN_BYTES)})")
    return Check("data dir", OK, detail)


def _open_db(cfg: Config) -> Any:
    from kiosk import storage

    path = Path(cfg.data_path) / DB_FILE_NAME
    if not path.is_file():
        return None
    return storage.connect(path)


def check_database(cfg: Config) -> Check:
    from kiosk import storage
    from kiosk.dbcheck import check_file
    from kiosk.messages import words

    path = Path(cfg.data_path) / DB_FILE_NAME
    if not path.is_file():
        return Check("database", WARN, f"no database yet at {path} (created on first start)")
    whole = check_file(path, audit=False)  # emptied or damaged: the kiosk refuses it
    if whole.problem is not None:
        return Check("database", FAIL, words(whole.problem, "en"))
    try:
        db = storage.connect(path)
    except sqlite3.Error as err:
        return Check("database", FAIL, f"{path} does not open: {err}")
    try:
        integrity = [r[0] for r in db.execute("PRAGMA integrity_check").fetchall()]
        if integrity != ["ok"]:
            return Check("database", FAIL, "integrity_check: " + "; ".join(integrity[:5]))
        pending = []
        for mig in storage._registered_sets():
            pending += [f"{mig.name}:{m.name}" for m in mig.pending(db)]
        size = human_bytes(path.stat().st_size)
        if pending:
            return Check("database", WARN, f"{path} ({size}) integrity ok, {len(pending)} "
                         f"migration(s) pending: {', '.join(pending[:5])} (applied at next start)")
        return Check("database", OK, f"{path} ({size}) integrity ok, migrations current")
    except sqlite3.DatabaseError as err:
        return Check("database", FAIL, f"{path}: {err}")
    finally:
        db.close()


def check_audit(cfg: Config) -> Check:
    from kiosk.audit import TABLE, AuditTrail

    db = _open_db(cfg)
    if db is None:
        return Check("audit chain", WARN, "no database yet")
    try:
        if not db[TABLE].exists():
            return Check("audit chain", WARN, "no audit table yet (migrated at next start)")
        result = AuditTrail(db).verify()
    finally:
        db.close()
    return Check("audit chain", OK if result.ok else FAIL, str(result))


def check_platform(cfg: Config, gateway_factory: Callable[[Config], Any] | None = None) -> Check:
    if gateway_factory is None:
        from kiosk.platform.factory import build_gateway

        gateway_factory = build_gateway
    gateway = gateway_factory(cfg)
    try:
        health = gateway.health()
    finally:
        close = getattr(gateway, "close", None)
        if callable(close):
            close()
    where = cfg.platform.backend + (f" {cfg.platform.remote.base_url}"
                                    if cfg.platform.backend == "remote" else "")
    if not health.ok:
        return Check("platform", FAIL, f"{where}: {health.message}")
    detail = f"{where}: reachable in {health.latency_ms:.0f} ms"
    if health.quota is None:
        return Check("platform", WARN, detail + ", remaining quota unknown")
    detail += f", remaining quota {health.quota}"
    limit = Decimal(cfg.platform.sandbox.monthly_quota) if cfg.platform.backend == "sandbox" \
        else None
    if health.quota <= 0:
        return Check("platform", FAIL, detail + " (exhausted: no invoice can be issued)")
    if limit and health.quota < limit * QUOTA_WARN_FRACTION:
        return Check("platform", WARN, detail + f" (under 10% of {limit})")
    return Check("platform", OK, detail)


def check_outbox(cfg: Config, now: dt.datetime | None = None) -> Check:
    db = _open_db(cfg)
    if db is None:
        return Check("outbox", WARN, "no database yet")
    try:
        if not db["issue_requests"].exists():
            return Check("outbox", WARN, "no outbox table yet (migrated at next start)")
        rows = list(db.query(
            "SELECT status, COUNT(*) AS n, MIN(created_at) AS oldest FROM issue_requests "
            "WHERE status IN ('pending', 'sent', 'unknown') GROUP BY status"))
    finally:
        db.close()
    if not rows:
        return Check("outbox", OK, "no issue request waiting")
    now = now or dt.datetime.now(dt.UTC)
    parts = []
    for r in sorted(rows, key=lambda r: r["status"]):
        oldest = dt.datetime.fromisoformat(r["oldest"])
        age = now - (oldest if oldest.tzinfo else oldest.replace(tzinfo=dt.UTC))
        parts.append(f"{r['n']} {r['status']} (oldest {human_age(age)} ago)")
    hint = "; unknown ones are queried before any retry (kiosk diagnostics: retry)" \
        if any(r["status"] == "unknown" for r in rows) else ""
    return Check("outbox", WARN, ", ".join(parts) + hint)


def check_log_dir(cfg: Config) -> Check:
    from kiosk.logs import log_dir
    from kiosk.logview import dir_size, log_files

    folder = log_dir(Path(cfg.data_path))
    if not folder.is_dir():
        return Check("logs", WARN, f"no log folder yet at {folder}")
    files = log_files(folder)
    size = dir_size(folder)
    budget = cfg.logging.max_bytes * (cfg.logging.backups + 1)
    detail = f"{folder}: {len(files)} file(s), {human_bytes(size)}"
    if files:
        oldest = dt.datetime.fromtimestamp(files[0].stat().st_mtime, dt.UTC)
        detail += f", oldest written {oldest:%Y-%m-%d}"
    if size > budget * 1.1:
        return Check("logs", WARN, detail + f" (over the {human_bytes(budget)} the config allows)")
    return Check("logs", OK, detail)


def check_versions() -> Check:
    from kiosk import __version__

    parts = [f"python {platform.python_version()}", f"kiosk {__version__}",
             f"sqlite {sqlite3.sqlite_version}"]
    missing = []
    for label, probe in [("Qt", _qt_version), ("zxing-cpp", _zxing_version),
                         ("OpenCV", _opencv_version)]:
        try:
            parts.append(f"{label} {probe()}")
        except Exception as err:  # ImportError, or a broken native library
            missing.append(f"{label} unavailable ({type(err).__name__}: {err})")
    if missing:
        return Check("versions", WARN, ", ".join(parts + missing))
    return Check("versions", OK, ", ".join(parts))


QT_DISTRIBUTIONS = ("PySide6-Essentials", "PySide6")  # the wheel that bundles Qt, then the meta


def _qt_version() -> str:
    """Qt's version as installed, read from package metadata: importing PySide6 here
    would put Qt into a Qt-free layer (PySide6's wheels carry Qt of the same version)."""
    from importlib.metadata import PackageNotFoundError, version

    for dist in QT_DISTRIBUTIONS:
        try:
            found = version(dist)
        except PackageNotFoundError:
            continue
        return f"{found} (PySide6 {found})"
    raise PackageNotFoundError(QT_DISTRIBUTIONS[0])


def _zxing_version() -> str:
    from importlib.metadata import version

    import zxingcpp  # noqa: F401 - the import is the check

    return version("zxing-cpp")


def _opencv_version() -> str:
    import cv2

    return str(cv2.__version__)


def all_checks(cfg: Config, timeout_s: float = DEFAULT_TIMEOUT_S) -> list[tuple[str, CheckFn, float]]:
    """Every check after the config's, each with its time limit."""
    from kiosk.doctor_devices import device_checks, serial_ports_check

    return [
        ("secrets", lambda: check_secrets(cfg), timeout_s),
        ("data dir", lambda: check_data_dir(cfg), timeout_s),
        ("database", lambda: check_database(cfg), timeout_s * 3),  # integrity_check reads it all
        ("audit chain", lambda: check_audit(cfg), timeout_s * 3),
        ("platform", lambda: check_platform(cfg), timeout_s * 2),
        ("outbox", lambda: check_outbox(cfg), timeout_s),
        ("devices", lambda: device_checks(cfg, wait_s=timeout_s / 2), timeout_s),
        ("serial ports", serial_ports_check, timeout_s),
        ("logs", lambda: check_log_dir(cfg), timeout_s),
        ("versions", check_versions, timeout_s),
    ]


def diagnose(config_path: str | None, timeout_s: float = DEFAULT_TIMEOUT_S) -> list[Check]:
    """Run every check; a broken config stops after that check (nothing else is knowable)."""
    start = time.monotonic()
    first, cfg = check_config(config_path)
    first = replace(first, seconds=round(time.monotonic() - start, 3))
    if cfg is None:
        return [first]
    return [first, *run_checks(all_checks(cfg, timeout_s))]


# --- formatting -------------------------------------------------------------------------------


def human_bytes(n: float) -> str:
    for unit in ("B", "KiB", "MiB", "GiB", "TiB"):
        if abs(n) < 1024 or unit == "TiB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n} B"


def human_age(delta: dt.timedelta) -> str:
    s = max(0, int(delta.total_seconds()))
    if s < 120:
        return f"{s} s"
    if s < 7200:
        return f"{s // 60} min"
    if s < 172800:
        return f"{s // 3600} h"
    return f"{s // 86400} d"


def format_table(checks: Sequence[Check]) -> str:
    from kiosk.logview import pad

    width = max([len(c.name) for c in checks] + [5])
    marks = {OK: "ok  ", WARN: "WARN", FAIL: "FAIL"}
    lines = [f"{marks.get(c.status, c.status):<4}  {pad(c.name, width)}  {c.detail}" for c in checks]
    fails = sum(c.status == FAIL for c in checks)
    warns = sum(c.status == WARN for c in checks)
    lines.append(f"{len(checks)} checks: {len(checks) - fails - warns} ok, {warns} warning(s), "
                 f"{fails} failed")
    return "\n".join(lines)


def format_json(checks: Sequence[Check]) -> str:
    return json.dumps({"ok": overall(checks) == 0, "checks": [c.to_dict() for c in checks]},
                      ensure_ascii=False)
