"""``kiosk doctor``'s device checks: emulated devices are built and asked, real ones probed.

Emulated devices (backend ``emulated``) are built with the same
:class:`drivers.manager.DeviceManager` the kiosk uses, started, and their first
reported status read. Real devices are NOT driven (the running kiosk owns
them): a serial port is checked to exist and to open (an exclusive lock held
by the kiosk reads as "in use"), a USB printer to be on the bus, a network
printer to accept a connection, a camera's device node to exist.
"""

from __future__ import annotations

import dataclasses
import errno
import os
import socket
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk.config import Config
from kiosk.doctor import FAIL, OK, WARN, Check

if TYPE_CHECKING:
    from drivers.base import StatusEvent

DEVICES = ("printer", "scanner", "idcard", "camera")
LABELS = {"printer": "printer", "scanner": "scanner", "idcard": "ID reader", "camera": "camera"}


def device_checks(cfg: Config, wait_s: float = 5.0) -> list[Check]:
    """One check per configured device, in a fixed order."""
    devices = cfg.devices
    emulated = [n for n in DEVICES if getattr(devices, n).backend == "emulated"]
    results: dict[str, Check] = {}
    if emulated:
        results.update(emulated_checks(cfg, emulated, wait_s))
    for name in DEVICES:
        if name not in results:
            results[name] = real_check(name, getattr(devices, name))
    return [results[n] for n in DEVICES]


def _status_check(name: str, status: Any, message: str, prefix: str) -> Check:
    from drivers.base import DeviceStatus

    text = f"{prefix}: {status.value}" + (f" ({message})" if message else "")
    if status in (DeviceStatus.READY, DeviceStatus.BUSY, DeviceStatus.DISABLED):
        return Check(f"device {LABELS[name]}", OK, text)
    if status in (DeviceStatus.PAPER_LOW, DeviceStatus.UNKNOWN):
        return Check(f"device {LABELS[name]}", WARN, text)
    return Check(f"device {LABELS[name]}", FAIL, text)


def emulated_checks(cfg: Config, names: list[str], wait_s: float) -> dict[str, Check]:
    """Build the emulated devices, start them, read the first status each reports."""
    from drivers.base import DeviceStatus
    from drivers.manager import DeviceManager

    off = {n: dataclasses.replace(getattr(cfg.devices, n), backend="none")
           for n in DEVICES if n not in names}
    devices: Any = dataclasses.replace(cfg.devices, **off)  # a DevicesConfigLike
    settled = threading.Event()
    manager = DeviceManager(devices, printer_poll_s=0.2, idcard_health_s=0.5)

    def known() -> bool:
        st = manager.statuses()
        return all(st[n].status != DeviceStatus.UNKNOWN for n in names)

    manager.add_listener(lambda _event: settled.set() if known() else None)
    try:
        manager.start()
        if not known():
            settled.wait(wait_s)
        statuses = manager.statuses()
    finally:
        manager.stop()
    return {n: _status_check(n, statuses[n].status, _words(statuses[n]), "emulated")
            for n in names}


def _words(event: StatusEvent) -> str:
    """The problem in English words (the doctor speaks to a technician's terminal) + detail."""
    from kiosk.messages import text_for

    if event.problem is None:
        return event.detail
    return text_for(event.problem).en + (f": {event.detail}" if event.detail else "")


def real_check(name: str, dev: Any) -> Check:
    label = f"device {LABELS[name]}"
    backend = dev.backend
    if backend == "none":
        return Check(label, OK, "disabled in the config")
    if backend == "serial":
        return serial_port_check(label, dev.url, dev.baudrate)
    if backend == "wedge":
        return Check(label, OK, "USB keyboard wedge: not checkable headless "
                                "(scan a code in diagnostics mode)")
    if backend == "usb":
        return usb_printer_check(label, dev.usb_vendor_id, dev.usb_product_id)
    if backend == "network":
        return network_printer_check(label, dev.host, dev.port)
    if backend == "opencv":
        return camera_source_check(label, dev.source)
    return Check(label, WARN, f"backend {backend!r}: no check for it")


def serial_port_check(label: str, url: str, baudrate: int) -> Check:
    import serial

    if not url:
        return Check(label, FAIL, "no port configured (devices.*.url is empty)")
    where = url
    if url.startswith("/"):
        path = Path(url)
        if not path.exists():
            present = ", ".join(p.device for p in list_ports()) or "none"
            return Check(label, FAIL, f"{url} does not exist: unplugged, or no udev rule? "
                                      f"(serial ports present: {present})")
        if path.is_symlink():
            where = f"{url} -> {os.path.realpath(url)}"
    try:
        port = serial.serial_for_url(url, baudrate=baudrate, timeout=0, exclusive=True)
    except serial.SerialException as err:
        text = str(err)
        if isinstance(err.__cause__, PermissionError) or getattr(err, "errno", None) in (
                errno.EACCES, errno.EPERM) or "Permission denied" in text:
            return Check(label, FAIL, f"{where}: permission denied (is the user in group dialout?)")
        if "lock" in text or getattr(err, "errno", None) == errno.EBUSY:
            return Check(label, WARN, f"{where}: in use (by the running kiosk?)")
        return Check(label, FAIL, f"{where}: does not open: {text}")
    except (OSError, ValueError) as err:
        return Check(label, FAIL, f"{where}: does not open: {err}")
    port.close()
    return Check(label, OK, f"{where} opens at {baudrate} baud")


def usb_printer_check(label: str, vendor: int, product: int) -> Check:
    if not vendor or not product:
        return Check(label, FAIL, "usb backend needs usb_vendor_id and usb_product_id")
    ids = f"{vendor:04x}:{product:04x}"
    try:
        import usb.core
    except ImportError:
        return Check(label, WARN, f"{ids}: pyusb not installed, cannot look")
    try:
        found = usb.core.find(idVendor=vendor, idProduct=product)
    except usb.core.NoBackendError:
        return Check(label, WARN, f"{ids}: libusb is not installed, cannot look")
    except usb.core.USBError as err:
        return Check(label, FAIL, f"{ids}: USB error {err}")
    if found is None:
        return Check(label, FAIL, f"{ids} is not on the USB bus (unplugged or off?)")
    return Check(label, OK, f"{ids} present on bus {found.bus} address {found.address}")


def network_printer_check(label: str, host: str, port: int, timeout_s: float = 3.0) -> Check:
    if not host:
        return Check(label, FAIL, "network backend needs devices.printer.host")
    try:
        with socket.create_connection((host, port), timeout=timeout_s):
            pass
    except OSError as err:
        return Check(label, FAIL, f"{host}:{port} does not accept a connection: "
                                  f"{err.strerror or err}")
    return Check(label, OK, f"{host}:{port} accepts connections")


def camera_source_check(label: str, source: str) -> Check:
    if source.isdigit():
        node = Path(f"/dev/video{source}")
        if node.exists():
            ok = os.access(node, os.R_OK | os.W_OK)
            return Check(label, OK if ok else FAIL,
                         f"{node} present" + ("" if ok else ", no access (group video?)"))
        return Check(label, FAIL, f"{node} does not exist (camera unplugged?)")
    if "://" in source:
        return Check(label, WARN, f"stream {source}: not checked")
    return Check(label, OK if Path(source).exists() else FAIL,
                 f"{source} " + ("exists" if Path(source).exists() else "does not exist"))


def list_ports() -> list[Any]:
    from serial.tools import list_ports as lp

    return sorted(lp.comports(), key=lambda p: p.device)


def serial_ports_check() -> Check:
    """What serial ports the system sees, with their USB ids (for udev rules)."""
    ports = list_ports()
    if not ports:
        return Check("serial ports", OK, "none present")
    parts = []
    for p in ports:
        ids = f" {p.vid:04x}:{p.pid:04x}" if p.vid is not None and p.pid is not None else ""
        desc = f" {p.description}" if p.description and p.description != "n/a" else ""
        parts.append(f"{p.device}{ids}{desc}")
    return Check("serial ports", OK, "; ".join(parts))
