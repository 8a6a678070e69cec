"""Build the configured printer: ``build_printer(cfg)`` with cfg shaped like PrinterConfig.

Backends: "emulated" (in-process :class:`EmulatedPrinter`), "serial"
(``url`` + ``baudrate``), "usb" (``usb_vendor_id``/``usb_product_id``),
"network" (``host``/``port``), "none" (:class:`DisabledPrinter`, status DISABLED).
"""

from __future__ import annotations

from collections.abc import Sequence

from drivers.base import DeviceStatus, StatusEvent, StatusPublisher
from drivers.printer.device import EscPosPrinter
from drivers.printer.emulated import EmulatedPrinter
from drivers.printer.errors import PrinterDisabled
from drivers.printer.interface import Printer, PrinterConfigLike
from drivers.printer.ops import Op
from drivers.printer.paper import Paper
from drivers.printer.transport import Transport

DISABLED_MESSAGE = "printing is turned off on this kiosk"


class DisabledPrinter:
    """Backend "none": status DISABLED, every print refused with PrinterDisabled."""

    def __init__(self, paper_width_mm: int = 80) -> None:
        self.paper = Paper.for_width(paper_width_mm)
        self.publisher = StatusPublisher("printer")
        self.publisher.publish(DeviceStatus.DISABLED, DISABLED_MESSAGE)

    def status(self) -> StatusEvent:
        return self.publisher.status

    def preflight(self) -> StatusEvent:
        return self.publisher.status

    def print_ops(self, ops: Sequence[Op]) -> None:
        raise PrinterDisabled(DISABLED_MESSAGE)

    def print_raw(self, data: bytes) -> None:
        raise PrinterDisabled(DISABLED_MESSAGE)

    def close(self) -> None:
        pass


def build_printer(cfg: PrinterConfigLike) -> Printer:
    """The printer ``cfg`` describes. Raises ValueError for an unusable setting.

    Nothing is opened here: a missing device shows up as OFFLINE on the first
    ``status()``, so the kiosk starts without its printer.
    """
    qr_mode = getattr(cfg, "qr_mode", "native")
    common = dict(encoding=cfg.encoding, paper_width_mm=cfg.paper_width_mm,
                  status_timeout_s=cfg.status_timeout_s, qr_mode=qr_mode)
    if cfg.backend == "none":
        return DisabledPrinter(cfg.paper_width_mm)
    if cfg.backend == "emulated":
        return EmulatedPrinter(**common)  # type: ignore[arg-type]
    transport: Transport
    if cfg.backend == "serial":
        from drivers.printer.serial_transport import SerialTransport

        transport = SerialTransport(cfg.url, cfg.baudrate)
    elif cfg.backend == "usb":
        from drivers.printer.usb_transport import UsbTransport

        transport = UsbTransport(cfg.usb_vendor_id, cfg.usb_product_id)
    elif cfg.backend == "network":
        from drivers.printer.network_transport import NetworkTransport

        transport = NetworkTransport(cfg.host, cfg.port)
    else:
        raise ValueError(f"unknown printer backend {cfg.backend!r}")
    return EscPosPrinter(transport, **common)  # type: ignore[arg-type]
