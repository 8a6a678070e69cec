"""``DeviceManager``: builds the configured devices, relays their status, reconnects them.

From ``kiosk.toml``'s ``[devices]`` (any object with ``.printer``, ``.scanner``,
``.idcard`` and ``.camera`` sub-configs shaped like ``kiosk.config``'s; drivers
may not import kiosk, so they are typed as Protocols here) it builds, each
through its device URL's scheme handler (:mod:`drivers.urls`; the emulators
register there like the real transports):

- ``printer`` (:class:`~drivers.printer.Printer`): :func:`drivers.printer.build_printer`,
  driven by a :class:`~drivers.printer.PrinterWorker` (``printer_worker``) that
  polls its status when idle (the printer reopens its transport itself);
- ``scanner`` (:class:`~drivers.contract.Scanning`): ``serial:``
  (:class:`SerialScanner`), ``emulated:`` (a serial scanner on an emulated pty),
  ``wedge:`` (a USB keyboard wedge: the Qt event filter :class:`ui.wedge.WedgeScanner`,
  handed in as ``wedge`` by the composition root, since drivers import no Qt);
- ``idcard`` (:class:`~drivers.contract.CardReading`): :class:`IdCardDevice` on
  ``serial:`` or on an emulated SAM's pty (``emulated:``);
- ``camera`` (:class:`~drivers.contract.Frames`): :class:`CameraDevice` on
  ``opencv:`` or the emulated camera.

A device that is off (``none:``) or cannot be built is a per-capability
stand-in from :mod:`drivers.disabled` (DISABLED, or ERROR with the problem).
Backend ``emulated`` exposes its emulators as ``manager.emulators``
(``.printer``, ``.scanner``, ``.idcard``, ``.camera``) for the simulator panel
and tests. Emulated serial devices are reached through a stable symlink in a
private folder (like a udev rule's ``/dev/kiosk-scanner``), which follows the
pty when the emulated device is unplugged and plugged again.

A supervisor thread restarts a device whose worker ended OFFLINE, with
exponential backoff (``backoff_initial`` doubling up to ``backoff_max``, reset
once it is READY again). ``stop()`` stops every worker by flag + join.
"""

from __future__ import annotations

import logging
import shutil
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from drivers.base import DeviceStatus, StatusEvent, StatusListener, StatusPublisher
from drivers.camera.decoders import DecoderUnavailable, make_decoder
from drivers.camera.device import CameraDevice
from drivers.camera.emulated import EmulatedCamera
from drivers.camera.source import OpenCvSource
from drivers.contract import CardReading, Device, Frames, Scanning
from drivers.disabled import DisabledCamera, DisabledCardReader, DisabledScanner
from drivers.idcard.device import IdCardDevice
from drivers.idcard.emulated import EmulatedSamReader
from drivers.printer.emulated import EmulatedPrinter
from drivers.printer.factory import DisabledPrinter, build_printer, printer_handlers
from drivers.printer.interface import Printer, PrinterConfigLike
from drivers.printer.worker import PrinterWorker
from drivers.problem import Problem
from drivers.scanner.emulated import EmulatedScanner
from drivers.scanner.serial_scanner import SerialScanner
from drivers.serialport import emulator_dir
from drivers.urls import DeviceUrl, Handlers, UrlError, url_for

log = logging.getLogger("drivers.manager")


# -- the settings read (shapes of kiosk.config's dataclasses) ----------------------------


class ScannerConfigLike(Protocol):
    @property
    def backend(self) -> str: ...  # emulated | serial | wedge | none
    @property
    def url(self) -> str: ...
    @property
    def baudrate(self) -> int: ...
    @property
    def prefix(self) -> str: ...
    @property
    def suffix(self) -> str: ...
    @property
    def wedge_max_interval_ms(self) -> int: ...


class IdCardConfigLike(Protocol):
    @property
    def backend(self) -> str: ...  # emulated | serial | none
    @property
    def url(self) -> str: ...
    @property
    def baudrate(self) -> int: ...


class CameraConfigLike(Protocol):
    @property
    def backend(self) -> str: ...  # emulated | opencv | none
    @property
    def source(self) -> str: ...
    @property
    def decoder(self) -> str: ...  # zxing | pyzbar
    @property
    def formats(self) -> str: ...  # "qr", "qr,code128", ... (drivers.camera.formats)
    @property
    def width(self) -> int: ...
    @property
    def height(self) -> int: ...
    @property
    def preview_fps(self) -> int: ...


class DevicesConfigLike(Protocol):
    """Read-only, as the kiosk's frozen config dataclasses are."""

    @property
    def printer(self) -> PrinterConfigLike: ...

    @property
    def scanner(self) -> ScannerConfigLike: ...

    @property
    def idcard(self) -> IdCardConfigLike: ...

    @property
    def camera(self) -> CameraConfigLike: ...


WedgeFactory = Callable[[int], Scanning]  # max_interval_ms -> a wedge scanner (Qt, from ui)


class Backoff:
    """Exponential backoff: ``initial``, doubling on each failure, capped at ``cap`` (pure)."""

    def __init__(self, initial: float, cap: float) -> None:
        self.initial = initial
        self.cap = cap
        self.current = initial

    def next_delay(self) -> float:
        """The delay to wait now; the following one doubles (up to the cap)."""
        delay = self.current
        self.current = min(self.current * 2, self.cap)
        return delay

    def reset(self) -> None:
        self.current = self.initial


@dataclass
class Emulators:
    """The emulated devices behind backend "emulated" (None where a device is real or off)."""

    printer: EmulatedPrinter | None = None
    scanner: EmulatedScanner | None = None
    idcard: EmulatedSamReader | None = None
    camera: EmulatedCamera | None = None


class DeviceManager:
    def __init__(self, devices_config: DevicesConfigLike, *, backoff_initial: float = 0.5,
                 backoff_max: float = 30.0, printer_poll_s: float | None = 2.0,
                 idcard_health_s: float = 2.0, emulated_camera_fps: float = 15.0,
                 wedge: WedgeFactory | None = None) -> None:
        self.config = devices_config
        self.backoff_initial = backoff_initial
        self.backoff_max = backoff_max
        self.idcard_health_s = idcard_health_s
        self.emulated_camera_fps = emulated_camera_fps
        self.wedge = wedge
        self.emulators = Emulators()
        self._link_dir: Path | None = None
        self._listeners: list[StatusListener] = []
        self._listeners_lock = threading.Lock()
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._supervisor: threading.Thread | None = None
        self._retry_at: dict[str, float] = {}
        self._backoff: dict[str, Backoff] = {}
        self.reconnect_attempts: dict[str, int] = {}
        self.printer: Printer
        self.printer, self.printer_worker = self._build_printer(devices_config.printer,
                                                                printer_poll_s)
        self.scanner: Scanning = self._build_scanner(devices_config.scanner)
        self.idcard: CardReading = self._build_idcard(devices_config.idcard)
        self.camera: Frames = self._build_camera(devices_config.camera)
        for publisher in self._publishers().values():
            publisher.add_listener(self._on_status)

    # -- public ----------------------------------------------------------------------------

    def add_listener(self, listener: StatusListener) -> None:
        """``listener(StatusEvent)`` for any device's status change (called on device threads)."""
        with self._listeners_lock:
            self._listeners.append(listener)

    def remove_listener(self, listener: StatusListener) -> None:
        with self._listeners_lock:
            if listener in self._listeners:
                self._listeners.remove(listener)

    def statuses(self) -> dict[str, StatusEvent]:
        return {name: pub.status for name, pub in self._publishers().items()}

    def urls(self) -> dict[str, str]:
        """Each device's URL (the scheme picks its transport), for diagnostics and logs."""
        out: dict[str, str] = {}
        for name in ("printer", "scanner", "idcard", "camera"):
            try:
                out[name] = str(url_for(getattr(self.config, name)))
            except UrlError as err:
                out[name] = f"? ({err})"
        return out

    def start(self) -> None:
        """Start every device's worker and the reconnect supervisor."""
        self.printer_worker.start()
        for device in self._restartable():
            device.start()
        self._stopping.clear()
        self._supervisor = threading.Thread(target=self._supervise, name="device-supervisor",
                                            daemon=True)
        self._supervisor.start()

    def stop(self, timeout: float = 3.0) -> None:
        """Stop the supervisor, every worker and the emulators (flag + join, never killed)."""
        self._stopping.set()
        self._wake.set()
        if self._supervisor is not None:
            self._supervisor.join(timeout)
            self._supervisor = None
        for device in self._restartable():
            device.stop(timeout)
        self.printer_worker.stop(timeout)
        if self.emulators.scanner is not None:
            self.emulators.scanner.close()
        if self.emulators.idcard is not None:
            self.emulators.idcard.close()
        if self.emulators.camera is not None:
            self.emulators.camera.close()
        if self._link_dir is not None:
            shutil.rmtree(self._link_dir, ignore_errors=True)
            self._link_dir = None

    # -- building ----------------------------------------------------------------------------

    def _links(self) -> Path:
        if self._link_dir is None:
            self._link_dir = emulator_dir()
        return self._link_dir

    def _build_printer(self, cfg: PrinterConfigLike,
                       poll_s: float | None) -> tuple[Printer, PrinterWorker]:
        """The printer and its worker; the worker exists for every backend (a disabled
        printer refuses each job with ``PrinterDisabled``), so callers need no None check."""
        handlers = printer_handlers()
        try:
            printer = build_printer(cfg, handlers)
        except ValueError as err:
            log.error("printer cannot be built: %s", err, extra={"event": "device.build_failed"})
            printer = DisabledPrinter(getattr(cfg, "paper_width_mm", 80),
                                      status=DeviceStatus.ERROR,
                                      problem=Problem.of("printer.config_error"), detail=str(err))
            return printer, PrinterWorker(printer)
        if isinstance(printer, EmulatedPrinter):
            self.emulators.printer = printer
        if isinstance(printer, DisabledPrinter):
            return printer, PrinterWorker(printer)
        return printer, PrinterWorker(printer, poll_interval_s=poll_s)

    def _build_scanner(self, cfg: ScannerConfigLike) -> Scanning:
        handlers: Handlers[ScannerConfigLike, Scanning] = Handlers("scanner")
        handlers.register("serial", self._serial_scanner)
        handlers.register("emulated", self._emulated_scanner)
        handlers.register("wedge", self._wedge_scanner)
        handlers.register("none", lambda url, cfg: DisabledScanner(
            DeviceStatus.DISABLED, Problem.of("scanner.disabled")))
        try:
            return handlers.open(url_for(cfg), cfg)
        except ValueError as err:
            return DisabledScanner(DeviceStatus.ERROR, Problem.of("scanner.config_error"), str(err))

    def _serial_scanner(self, url: DeviceUrl, cfg: ScannerConfigLike) -> Scanning:
        if not url.target:
            return DisabledScanner(DeviceStatus.ERROR, Problem.of("scanner.no_port"),
                                   "devices.scanner.url is empty")
        return SerialScanner(url.target, cfg.baudrate, prefix=cfg.prefix, suffix=cfg.suffix)

    def _emulated_scanner(self, url: DeviceUrl, cfg: ScannerConfigLike) -> Scanning:
        emu = EmulatedScanner(prefix=cfg.prefix, suffix=cfg.suffix, link=self._links() / "scanner")
        self.emulators.scanner = emu
        return self._serial_scanner(DeviceUrl("serial", emu.device_path), cfg)

    def _wedge_scanner(self, url: DeviceUrl, cfg: ScannerConfigLike) -> Scanning:
        if self.wedge is None:
            return DisabledScanner(DeviceStatus.ERROR, Problem.of("scanner.needs_qt"),
                                   "no wedge scanner was handed to the device manager")
        return self.wedge(cfg.wedge_max_interval_ms)

    def _build_idcard(self, cfg: IdCardConfigLike) -> CardReading:
        handlers: Handlers[IdCardConfigLike, CardReading] = Handlers("idcard")
        handlers.register("serial", self._serial_idcard)
        handlers.register("emulated", self._emulated_idcard)
        handlers.register("none", lambda url, cfg: DisabledCardReader(
            DeviceStatus.DISABLED, Problem.of("idcard.disabled")))
        try:
            return handlers.open(url_for(cfg), cfg)
        except ValueError as err:
            return DisabledCardReader(DeviceStatus.ERROR, Problem.of("idcard.no_port"), str(err))

    def _serial_idcard(self, url: DeviceUrl, cfg: IdCardConfigLike) -> CardReading:
        if not url.target:
            return DisabledCardReader(DeviceStatus.ERROR, Problem.of("idcard.no_port"),
                                      "devices.idcard.url is empty")
        return IdCardDevice(url.target, cfg.baudrate, health_interval=self.idcard_health_s)

    def _emulated_idcard(self, url: DeviceUrl, cfg: IdCardConfigLike) -> CardReading:
        emu = EmulatedSamReader(link=self._links() / "idcard")
        emu.faults.delay_s = float(url.option("delay_s", "0") or 0)
        emu.faults.unplugged = url.option("unplugged") in ("1", "true")
        self.emulators.idcard = emu
        return self._serial_idcard(DeviceUrl("serial", emu.device_path), cfg)

    def _build_camera(self, cfg: CameraConfigLike) -> Frames:
        handlers: Handlers[CameraConfigLike, Frames] = Handlers("camera")
        handlers.register("opencv", self._opencv_camera)
        handlers.register("emulated", self._emulated_camera)
        handlers.register("none", lambda url, cfg: DisabledCamera(
            DeviceStatus.DISABLED, Problem.of("camera.disabled")))
        try:
            return handlers.open(url_for(cfg), cfg)
        except (DecoderUnavailable, ValueError) as err:
            return DisabledCamera(DeviceStatus.ERROR, Problem.of("camera.decoder_unavailable"),
                                  str(err))

    def _opencv_camera(self, url: DeviceUrl, cfg: CameraConfigLike) -> Frames:
        decoder = make_decoder(cfg.decoder, cfg.formats)
        source, width, height = url.target, cfg.width, cfg.height
        return CameraDevice(lambda: OpenCvSource(source, width, height), decoder,
                            preview_fps=cfg.preview_fps)

    def _emulated_camera(self, url: DeviceUrl, cfg: CameraConfigLike) -> Frames:
        decoder = make_decoder(cfg.decoder, cfg.formats)
        emu = EmulatedCamera(fps=self.emulated_camera_fps, width=cfg.width, height=cfg.height)
        self.emulators.camera = emu
        return CameraDevice(lambda: emu, decoder, preview_fps=cfg.preview_fps)

    # -- status and reconnects ----------------------------------------------------------------

    def _publishers(self) -> dict[str, StatusPublisher]:
        return {"printer": self.printer.publisher, "scanner": self.scanner.publisher,
                "idcard": self.idcard.publisher, "camera": self.camera.publisher}

    def _restartable(self) -> list[Device]:
        return [d for d in (self.scanner, self.idcard, self.camera)
                if not isinstance(d, DisabledScanner | DisabledCardReader | DisabledCamera)]
    def _on_status(self, event: StatusEvent) -> None:
        if event.status == DeviceStatus.READY and event.device in self._backoff:
            self._backoff[event.device].reset()  # healthy again: next outage starts over
        if event.status == DeviceStatus.OFFLINE:
            self._wake.set()
        with self._listeners_lock:
            listeners = list(self._listeners)
        for listener in listeners:
            try:
                listener(event)
            except Exception:
                log.exception("device status listener failed")

    def _supervise(self) -> None:
        while not self._stopping.is_set():
            now = time.monotonic()
            next_due = now + 0.2
            for device in self._restartable():
                if device.running or device.publisher.status.status != DeviceStatus.OFFLINE:
                    self._retry_at.pop(device.name, None)
                    continue
                backoff = self._backoff.setdefault(
                    device.name, Backoff(self.backoff_initial, self.backoff_max))
                due = self._retry_at.get(device.name)
                if due is None:  # (still) offline and idle: schedule the next attempt
                    due = self._retry_at[device.name] = now + backoff.next_delay()
                if now < due:
                    next_due = min(next_due, due)
                    continue
                del self._retry_at[device.name]
                self.reconnect_attempts[device.name] = self.reconnect_attempts.get(device.name, 0) + 1
                log.info("reconnecting %s", device.name,
                         extra={"event": "device.reconnect", "device": device.name})
                try:
                    device.start()
                except Exception:  # a start must never kill the supervisor
                    log.exception("restarting %s failed", device.name)
            self._wake.clear()
            self._wake.wait(max(0.0, next_due - time.monotonic()))
