"""What diagnostics mode reads and does, without Qt: the technician's service.

:class:`DiagnosticsService` is built once by the composition root from the
running kiosk's parts (config, :class:`drivers.manager.DeviceManager`, the
issuing gateway and service). The screens in ``ui.diagnostics`` call it from
pool threads (every method that does IO says so) and show what it returns.

It reuses, rather than repeats: the PIN gate (:mod:`kiosk.admin`), the
headless checks of ``kiosk doctor`` (:mod:`kiosk.doctor`,
:mod:`kiosk.doctor_devices`), the log reader (:mod:`kiosk.logview`), the
calibration page (:mod:`kiosk.calibration`) and the encoding override
(:mod:`kiosk.overrides`).

:class:`DeviceTaps` is registered on the devices once (their callback lists
cannot be unregistered) and forwards scanner bytes, ID cards and camera
previews only while a diagnostics screen has set a sink, so leaving the mode
leaves nothing listening.
"""

from __future__ import annotations

import collections
import datetime as dt
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from drivers.base import StatusEvent
from drivers.printer.encoding import ENCODINGS
from drivers.printer.ops import Align, Cut, Feed, Op, Qr, Rule, Text
from kiosk import doctor, storage
from kiosk.admin import AdminGate, GateResult
from kiosk.audit import AuditTrail
from kiosk.calibration import calibration_bytes
from kiosk.config import Config
from kiosk.doctor_devices import _status_check, list_ports
from kiosk.masking import mask_id_number, mask_name
from kiosk.overrides import overrides, save_printer_encoding

log = logging.getLogger("kiosk.diagnostics")

DEVICES = ("printer", "scanner", "idcard", "camera")
PRINT_TIMEOUT_S = 30.0
STATUS_TIMEOUT_S = 10.0


# --- pure helpers -------------------------------------------------------------------------


def hex_and_text(data: bytes) -> tuple[str, str]:
    """Bytes as ``"41 42 0D 0A"`` and as text with every control byte escaped (``AB\\r\\n``)."""
    hexed = " ".join(f"{b:02X}" for b in data)
    text = data.decode("utf-8", errors="replace")
    shown = "".join(
        ch if ch.isprintable() else {"\r": "\\r", "\n": "\\n", "\t": "\\t"}.get(ch, f"\\x{ord(ch):02x}")
        for ch in text)
    return hexed, shown


def masked_card(card: Any) -> list[tuple[str, str]]:
    """An ID card's fields for the test-read screen: the personal ones masked."""
    valid_to = card.valid_to.isoformat() if card.valid_to else "长期"
    return [
        ("姓名 Name", mask_name(card.name)),
        ("性别 Sex", card.sex),
        ("民族 Nation", card.nation),
        ("出生 Birth", f"{card.birth.year:04d}-**-**"),
        ("住址 Address", "*" * min(len(card.address), 12)),
        ("公民身份号码 ID number", mask_id_number(card.id_number)),
        ("签发机关 Authority", card.authority),
        ("有效期限 Valid", f"{card.valid_from.isoformat()} – {valid_to}"),
        ("照片 Photo", f"{len(card.photo)} bytes (WLT)"),
    ]


def flatten(data: dict[str, Any], prefix: str = "") -> list[tuple[str, str]]:
    """A nested config dict as sorted ``("section.key", "value")`` rows."""
    rows: list[tuple[str, str]] = []
    for key, value in data.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            rows += flatten(value, name + ".")
        else:
            rows.append((name, str(value)))
    return rows


def printer_test_ops(encoding: str, paper_width_mm: int, now: dt.datetime) -> list[Op]:
    """The printer test page: CJK text, the settings in force, a QR code, a cut."""
    return [
        Text("打印测试页 TEST PAGE", align=Align.CENTER, bold=True, width=2, height=2),
        Rule("="),
        Text(f"编码 encoding: {encoding}"),
        Text(f"纸宽 paper: {paper_width_mm} mm"),
        Text(f"时间 time: {now.astimezone():%Y-%m-%d %H:%M:%S}"),
        Text("发票 开票凭条 ￥113.00 壹佰壹拾叁圆整"),
        Rule("-"),
        Qr("KIOSK-TEST-PAGE", size=5),
        Text("二维码可扫 QR should scan", align=Align.CENTER),
        Feed(2),
        Cut(),
    ]


def device_check(event: StatusEvent, backend: str) -> doctor.Check:
    """A device's status as a board row, graded by ``kiosk doctor``'s rule."""
    return _status_check(event.device, event.status, event.message, backend)


# --- taps on the running devices ------------------------------------------------------------


@dataclass(frozen=True)
class ScannerTraffic:
    kind: str  # "raw" (bytes as they arrived), "code" (a framed code), "rejected"
    data: bytes
    note: str = ""


Sink = Callable[[Any], None] | None


class DeviceTaps:
    """Forward device callbacks to the diagnostics screen in view (sinks run on device threads)."""

    def __init__(self, devices: Any) -> None:
        self.scanner_sink: Sink = None
        self.card_sink: Sink = None
        self.preview_sink: Sink = None
        scanner = devices.scanner
        self.raw_supported = hasattr(scanner, "on_raw")
        if self.raw_supported:
            scanner.on_raw(lambda data: self._scanner(ScannerTraffic("raw", bytes(data))))
        scanner.on_code(lambda text: self._scanner(ScannerTraffic("code", text.encode("utf-8"))))
        scanner.on_error(lambda rej: self._scanner(
            ScannerTraffic("rejected", getattr(rej, "raw", b""), getattr(rej, "message", str(rej)))))
        devices.idcard.on_card(lambda card: self._send(self.card_sink, card))
        devices.idcard.on_error(lambda problem: self._send(self.card_sink, problem))
        devices.camera.on_preview(lambda image: self._send(self.preview_sink, image))

    def clear(self) -> None:
        self.scanner_sink = self.card_sink = self.preview_sink = None

    @property
    def active(self) -> bool:
        return any((self.scanner_sink, self.card_sink, self.preview_sink))

    def _scanner(self, item: ScannerTraffic) -> None:
        self._send(self.scanner_sink, item)

    @staticmethod
    def _send(sink: Sink, item: Any) -> None:
        if sink is not None:
            sink(item)


# --- the service --------------------------------------------------------------------------------


class _NoClose:
    """The running gateway lent to ``doctor.check_platform``, which closes what it is given."""

    def __init__(self, gateway: Any) -> None:
        self._gateway = gateway

    def health(self) -> Any:
        return self._gateway.health()


class DiagnosticsService:
    """The technician's view of the running kiosk. Methods marked IO block: call off the UI thread."""

    def __init__(self, config: Config, devices: Any, *, gateway: Any, issuing: Any = None,
                 db_path: Path | None = None, started_at: float | None = None,
                 clock: Callable[[], dt.datetime] | None = None,
                 database: storage.Database | None = None) -> None:
        self.config = config
        self.devices = devices
        self.gateway = gateway
        self.issuing = issuing
        self.started_at = time.monotonic() if started_at is None else started_at
        self.taps = DeviceTaps(devices)
        # The kiosk's one Database when given (each thread gets its own connection from it);
        # else (a test, a tool) the file opened here and closed by close().
        self._owns_db = database is None
        self.db = database or storage.connect(db_path or Path(config.data_path)
                                              / doctor.DB_FILE_NAME)
        self._db_lock = threading.Lock()
        self.audit = AuditTrail(self.db)
        kwargs = {"clock": clock} if clock else {}
        self.gate = AdminGate(self.db, config.admin, audit=self.audit, **kwargs)
        self.encoding = overrides(self.db).get("devices.printer.encoding",
                                               config.devices.printer.encoding)

    def close(self) -> None:
        self.taps.clear()
        if self._owns_db:
            self.db.close()

    def camera_running(self, on: bool) -> None:
        """Run the camera's decoding and preview for the camera screen; pause it after.

        The walk-in flow keeps the camera paused unless the user turns it on (privacy,
        CPU); diagnostics mode ends with a session wipe, so pausing on leave is right.
        """
        action = getattr(self.devices.camera, "resume" if on else "pause", None)
        if action is not None:
            action()

    # -- the PIN ----------------------------------------------------------------------------
    def attempt_pin(self, pin: str) -> GateResult:
        """IO (scrypt + database): check the technician's PIN."""
        with self._db_lock:
            return self.gate.attempt(pin)

    # -- status board -------------------------------------------------------------------------
    def backend(self, name: str) -> str:
        return str(getattr(self.config.devices, name).backend)

    def device_checks(self) -> list[doctor.Check]:
        statuses = self.devices.statuses()
        return [device_check(statuses[n], self.backend(n)) for n in DEVICES]

    def health_checks(self, timeout_s: float = 10.0) -> list[doctor.Check]:
        """IO: ``kiosk doctor``'s checks of the platform, data folder, database, outbox, logs."""
        cfg = self.config
        return doctor.run_checks([
            ("platform", lambda: doctor.check_platform(cfg, lambda _c: _NoClose(self.gateway)),
             timeout_s),
            ("outbox", lambda: doctor.check_outbox(cfg), timeout_s),
            ("data dir", lambda: doctor.check_data_dir(cfg), timeout_s),
            ("database", lambda: doctor.check_database(cfg), timeout_s * 3),
            ("audit chain", lambda: doctor.check_audit(cfg), timeout_s * 3),
            ("logs", lambda: doctor.check_log_dir(cfg), timeout_s),
        ])

    # -- printer ------------------------------------------------------------------------------
    @property
    def printer(self) -> Any:
        return self.devices.printer

    @property
    def emulated_printer(self) -> Any:
        return self.devices.emulators.printer

    def _worker(self) -> Any:
        worker = self.devices.printer_worker
        if worker is None:
            raise RuntimeError("打印机已停用 printing is turned off on this kiosk")
        return worker

    def printer_status(self) -> StatusEvent:
        """IO: ask the printer now (through its worker, queued behind any print)."""
        result: StatusEvent = self._worker().submit_status().result(STATUS_TIMEOUT_S)
        return result

    def print_test_page(self) -> None:
        """IO: print the test page; raises the printer's error (with its message)."""
        width = self.printer.paper.width_mm
        ops = printer_test_ops(self.encoding, width, dt.datetime.now(dt.UTC))
        self._worker().submit_print(ops).result(PRINT_TIMEOUT_S)
        log.info("test page printed", extra={"event": "diagnostics.test_page"})

    def print_calibration(self) -> None:
        """IO: print the encoding calibration page (one numbered block per encoding)."""
        data = calibration_bytes(self.printer.paper.width_mm)
        self._worker().submit_raw(data).result(PRINT_TIMEOUT_S)
        log.info("calibration page printed", extra={"event": "diagnostics.calibration"})

    def save_encoding(self, encoding: str) -> bool:
        """IO: keep ``encoding`` (survives restarts) and use it on the running printer.

        Returns whether the running printer took it (False for a disabled printer).
        """
        if encoding not in ENCODINGS:
            raise ValueError(f"unknown printer encoding {encoding!r}")
        with self._db_lock:
            save_printer_encoding(self.db, encoding)
            self.audit.record("admin.printer_encoding", "technician", {"encoding": encoding})
        self.encoding = encoding
        return apply_printer_encoding(self.printer, encoding)

    def printed_image(self) -> Any:
        """The emulated printer's last receipt as a PIL image (None for a real printer)."""
        emu = self.emulated_printer
        if emu is None or not emu.receipts:
            return None
        return emu.last_receipt_image()

    # -- platform and outbox ----------------------------------------------------------------------
    def platform_health(self) -> Any:
        """IO: reachability, latency and remaining quota (the gateway never raises here)."""
        return self.gateway.health()

    def outbox(self) -> list[Any]:
        """IO: issue requests not finished (queued, sent, unknown), oldest first."""
        if self.issuing is None:
            return []
        return list(self.issuing.pending())

    def retry(self, request_id: str) -> Any:
        """IO: resolve one request now: the platform is asked first, re-sent only if unseen."""
        if self.issuing is None:
            raise RuntimeError("no issuing service")
        outcome = self.issuing.retry(request_id)
        with self._db_lock:
            self.audit.record("admin.outbox_retry", "technician",
                              {"request_id": request_id, "status": str(outcome.status)})
        return outcome

    # -- config, system, logs ----------------------------------------------------------------------
    def config_rows(self) -> tuple[list[tuple[str, str]], dict[str, str]]:
        """IO (one query): the effective config, secrets hidden, and the local overrides."""
        with self._db_lock:
            found = overrides(self.db)
        rows = flatten(self.config.redacted())
        return [(k, found.get(k, v)) for k, v in rows], found

    def system_rows(self) -> list[tuple[str, str]]:
        """IO (disk): versions, data folder space, uptimes, serial ports."""
        versions = doctor.check_versions()
        data = doctor.check_data_dir(self.config)
        rows = [(f"版本 {part.split(' ', 1)[0]}", part.split(" ", 1)[1] if " " in part else "")
                for part in versions.detail.split(", ")]
        rows.append(("数据目录 Data dir", f"{data.status.upper()}: {data.detail}"))
        rows.append(("运行时间 Kiosk uptime", _duration(time.monotonic() - self.started_at)))
        system = _system_uptime()
        if system is not None:
            rows.append(("系统运行 System uptime", _duration(system)))
        return rows

    def serial_ports(self) -> list[tuple[str, str, str]]:
        """IO: ``(device, "vid:pid", description)`` of every serial port present."""
        out = []
        for port in list_ports():
            ids = f"{port.vid:04x}:{port.pid:04x}" if port.vid is not None and port.pid is not None \
                else ""
            out.append((port.device, ids, port.description or ""))
        return out

    def log_entries(self, limit: int = 200, level: str = "", event: str = "") -> list[dict[str, Any]]:
        """IO: the last ``limit`` log entries matching a minimum level and an event glob."""
        from kiosk.logs import log_dir
        from kiosk.logview import LogFilter, level_number, read_entries

        flt = LogFilter(min_level=level_number(level) if level else 0, event=event or None)
        return list(collections.deque(
            read_entries(log_dir(Path(self.config.data_path)), flt), maxlen=limit))


def apply_printer_encoding(printer: Any, encoding: str) -> bool:
    """Make a running printer encode text as ``encoding`` from its next job on
    (:meth:`drivers.printer.Printer.reconfigure`: the transport stays open)."""
    printer.reconfigure(encoding=encoding)
    log.info("running printer now encodes %s", encoding,
             extra={"event": "diagnostics.printer_encoding", "encoding": encoding})
    return True


def _duration(seconds: float) -> str:
    s = int(seconds)
    days, s = divmod(s, 86400)
    hours, s = divmod(s, 3600)
    minutes, s = divmod(s, 60)
    return (f"{days} d " if days else "") + f"{hours:02d}:{minutes:02d}:{s:02d}"


def _system_uptime() -> float | None:
    try:
        return float(Path("/proc/uptime").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None
