"""``DeviceManager``: builds the configured devices, relays their status, reconnects them.

From ``kiosk.toml``'s ``[devices]`` (any object with ``.printer``, ``.scanner``,
``.idcard`` and ``.camera`` sub-configs shaped like ``kiosk.config``'s; drivers
may not import kiosk, so they are typed as Protocols here) it builds:

- ``printer``: :func:`drivers.printer.build_printer`, driven by a
  :class:`~drivers.printer.PrinterWorker` (``printer_worker``) that polls its
  status when idle (the printer reopens its transport itself);
- ``scanner``: serial (:class:`SerialScanner`), wedge (``WedgeScanner``, needs
  the Qt application), emulated (a serial scanner on an emulated pty) or none;
- ``idcard``: :class:`IdCardDevice` on a serial port or an emulated SAM on a pty;
- ``camera``: :class:`CameraDevice` on OpenCV or the emulated camera.

Backend ``emulated`` creates the emulators and exposes them as
``manager.emulators`` (``.printer``, ``.scanner``, ``.idcard``, ``.camera``) for
the simulator panel and tests. Emulated serial devices are reached through a
stable symlink in a private folder (like a udev rule's ``/dev/kiosk-scanner``),
which follows the pty when the emulated device is unplugged and plugged again.

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
from typing import Any, Protocol

from drivers.base import DeviceStatus, StatusEvent, StatusListener, StatusPublisher
from drivers.camera import (
    CameraDevice,
    DecoderUnavailable,
    EmulatedCamera,
    OpenCvSource,
    make_decoder,
)
from drivers.idcard import IdCardDevice
from drivers.idcard.emulated import EmulatedSamReader
from drivers.scanner import EmulatedScanner, SerialScanner
from drivers.serialport import emulator_dir

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
    def printer(self) -> Any: ...  # drivers.printer.PrinterConfigLike

    @property
    def scanner(self) -> ScannerConfigLike: ...

    @property
    def idcard(self) -> IdCardConfigLike: ...

    @property
    def camera(self) -> CameraConfigLike: ...


# -- placeholders ---------------------------------------------------------------------------


class InactiveDevice:
    """A device that is off (backend "none": DISABLED) or cannot be built (ERROR + why).

    Offers the callback methods of the real devices so the app wires it the same way.
    """

    running = False

    def __init__(self, name: str, status: DeviceStatus, message: str = "") -> None:
        self.name = name
        self.publisher = StatusPublisher(name)
        self.publisher.publish(status, message)

    def start(self) -> None:
        pass

    def stop(self, timeout: float = 2.0) -> None:
        pass

    def on_code(self, callback: Callable[..., None]) -> None:
        pass

    def on_error(self, callback: Callable[..., None]) -> None:
        pass

    def on_card(self, callback: Callable[..., None]) -> None:
        pass

    def on_preview(self, callback: Callable[..., None]) -> None:
        pass

    def pause(self) -> None:
        pass

    def resume(self) -> None:
        pass

    def arm(self) -> None:
        pass

    def disarm(self) -> None:
        pass


class ManagedDevice(Protocol):
    name: str
    publisher: StatusPublisher

    @property
    def running(self) -> bool: ...

    def start(self) -> None: ...

    def stop(self, timeout: float = 2.0) -> None: ...


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

    printer: Any = None  # drivers.printer.EmulatedPrinter
    scanner: EmulatedScanner | None = None
    idcard: EmulatedSamReader | None = None
    camera: EmulatedCamera | None = None


class DeviceManager:
    def __init__(self, devices_config: DevicesConfigLike, *, backoff_initial: float = 0.5,
                 backoff_max: float = 30.0, printer_poll_s: float | None = 2.0,
                 idcard_health_s: float = 2.0, emulated_camera_fps: float = 15.0) -> None:
        self.config = devices_config
        self.backoff_initial = backoff_initial
        self.backoff_max = backoff_max
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
        self.printer, self.printer_worker = self._build_printer(devices_config.printer,
                                                                printer_poll_s)
        self.scanner: Any = self._build_scanner(devices_config.scanner)
        self.idcard: Any = self._build_idcard(devices_config.idcard, idcard_health_s)
        self.camera: Any = self._build_camera(devices_config.camera, emulated_camera_fps)
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

    def _build_printer(self, cfg: Any, poll_s: float | None) -> tuple[Any, Any]:
        """The printer and its worker; the worker exists for every backend (a disabled
        printer refuses each job with ``PrinterDisabled``), so callers need no None check."""
        from drivers.printer import DisabledPrinter, PrinterWorker, build_printer

        try:
            printer = build_printer(cfg)
        except ValueError as err:
            log.error("printer cannot be built: %s", err, extra={"event": "device.build_failed"})
            printer = DisabledPrinter(getattr(cfg, "paper_width_mm", 80))
            printer.publisher.publish(DeviceStatus.ERROR, f"打印机配置错误: {err}")
            return printer, PrinterWorker(printer)
        if cfg.backend == "emulated":
            self.emulators.printer = printer
        if cfg.backend == "none":
            return printer, PrinterWorker(printer)
        return printer, PrinterWorker(printer, poll_interval_s=poll_s)

    def _build_scanner(self, cfg: ScannerConfigLike) -> Any:
        if cfg.backend == "none":
            return InactiveDevice("scanner", DeviceStatus.DISABLED, "扫码器已停用")
        if cfg.backend == "wedge":
            from drivers.scanner.wedge_qt import WedgeScanner

            return WedgeScanner(max_interval_ms=cfg.wedge_max_interval_ms)
        if cfg.backend == "emulated":
            emu = EmulatedScanner(prefix=cfg.prefix, suffix=cfg.suffix,
                                  link=self._links() / "scanner")
            self.emulators.scanner = emu
            url = emu.device_path
        else:
            url = cfg.url
            if not url:
                return InactiveDevice("scanner", DeviceStatus.ERROR,
                                      "扫码器未配置端口 (devices.scanner.url is empty)")
        try:
            return SerialScanner(url, cfg.baudrate, prefix=cfg.prefix, suffix=cfg.suffix)
        except ValueError as err:
            return InactiveDevice("scanner", DeviceStatus.ERROR, f"扫码器配置错误: {err}")

    def _build_idcard(self, cfg: IdCardConfigLike, health_s: float) -> Any:
        if cfg.backend == "none":
            return InactiveDevice("idcard", DeviceStatus.DISABLED, "身份证阅读器已停用")
        if cfg.backend == "emulated":
            emu = EmulatedSamReader(link=self._links() / "idcard")
            self.emulators.idcard = emu
            url = emu.device_path
        else:
            url = cfg.url
            if not url:
                return InactiveDevice("idcard", DeviceStatus.ERROR,
                                      "身份证阅读器未配置端口 (devices.idcard.url is empty)")
        return IdCardDevice(url, cfg.baudrate, health_interval=health_s)

    def _build_camera(self, cfg: CameraConfigLike, emulated_fps: float) -> Any:
        if cfg.backend == "none":
            return InactiveDevice("camera", DeviceStatus.DISABLED, "摄像头已停用")
        try:
            decoder = make_decoder(cfg.decoder, cfg.formats)
        except (DecoderUnavailable, ValueError) as err:
            return InactiveDevice("camera", DeviceStatus.ERROR, f"二维码识别组件不可用: {err}")
        if cfg.backend == "emulated":
            emu = EmulatedCamera(fps=emulated_fps, width=cfg.width, height=cfg.height)
            self.emulators.camera = emu
            return CameraDevice(lambda: emu, decoder, preview_fps=cfg.preview_fps)
        source, width, height = cfg.source, cfg.width, cfg.height
        return CameraDevice(lambda: OpenCvSource(source, width, height), decoder,
                            preview_fps=cfg.preview_fps)

    # -- status and reconnects ----------------------------------------------------------------

    def _publishers(self) -> dict[str, StatusPublisher]:
        return {"printer": self.printer.publisher, "scanner": self.scanner.publisher,
                "idcard": self.idcard.publisher, "camera": self.camera.publisher}

    def _restartable(self) -> list[ManagedDevice]:
        return [d for d in (self.scanner, self.idcard, self.camera)
                if not isinstance(d, InactiveDevice)]

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
