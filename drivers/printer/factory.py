"""Build the configured printer: ``build_printer(cfg)`` with cfg shaped like PrinterConfig.

The backend and its settings become a device URL (:mod:`drivers.urls`) whose
scheme picks the transport: ``emulated:`` (in-process :class:`EmulatedPrinter`,
faults from the URL's options), ``serial:`` (``url`` + ``baudrate``), ``usb:``
(``usb_vendor_id``/``usb_product_id``), ``tcp:`` (backend "network",
``host``/``port``), ``none:`` (:class:`DisabledPrinter`, status DISABLED).
"""

from __future__ import annotations

from collections.abc import Sequence

from drivers.base import DeviceStatus, StatusEvent, StatusPublisher
from drivers.printer.device import EscPosPrinter
from drivers.printer.emulated import EmulatedPrinter, EmulatorControls
from drivers.printer.errors import PrinterDisabled
from drivers.printer.interface import Printer, PrinterConfigLike
from drivers.printer.ops import Op
from drivers.printer.paper import Paper
from drivers.printer.transport import Transport
from drivers.problem import Problem
from drivers.urls import DeviceUrl, Handlers, UrlError, split_host_port, split_usb_ids, url_for

DISABLED_MESSAGE = "printing is turned off on this kiosk"
DISABLED = Problem.of("printer.disabled")


class DisabledPrinter:
    """Backend "none" (DISABLED) or a printer that cannot be built (ERROR + the problem):
    every print refused with PrinterDisabled."""

    name = "printer"

    def __init__(self, paper_width_mm: int = 80, encoding: str = "GB18030", *,
                 status: DeviceStatus = DeviceStatus.DISABLED, problem: Problem = DISABLED,
                 detail: str = DISABLED_MESSAGE) -> None:
        self._paper = Paper.for_width(paper_width_mm)
        self._encoding = encoding
        self.publisher = StatusPublisher("printer")
        self.publisher.publish(status, problem, detail)

    @property
    def paper(self) -> Paper:
        return self._paper

    @property
    def encoding(self) -> str:
        return self._encoding

    def reconfigure(self, *, encoding: str | None = None,
                    paper_width_mm: int | None = None) -> None:
        self._encoding = encoding or self._encoding
        self._paper = Paper.for_width(paper_width_mm or self._paper.width_mm)

    def status(self) -> StatusEvent:
        return self.publisher.status

    def preflight(self) -> StatusEvent:
        return self.publisher.status

    def print_ops(self, ops: Sequence[Op]) -> None:
        raise PrinterDisabled(self.publisher.status.problem or DISABLED, DISABLED_MESSAGE)

    def print_raw(self, data: bytes) -> None:
        raise PrinterDisabled(self.publisher.status.problem or DISABLED, DISABLED_MESSAGE)

    def close(self) -> None:
        pass


def _printer(cfg: PrinterConfigLike, transport: Transport) -> EscPosPrinter:
    return EscPosPrinter(transport, encoding=cfg.encoding, paper_width_mm=cfg.paper_width_mm,
                         status_timeout_s=cfg.status_timeout_s,
                         qr_mode=getattr(cfg, "qr_mode", "native"))


def _serial(url: DeviceUrl, cfg: PrinterConfigLike) -> Printer:
    from drivers.printer.serial_transport import SerialTransport

    return _printer(cfg, SerialTransport(url.target, cfg.baudrate))


def _usb(url: DeviceUrl, cfg: PrinterConfigLike) -> Printer:
    from drivers.printer.usb_transport import UsbTransport

    return _printer(cfg, UsbTransport(*split_usb_ids(url.target)))


def _tcp(url: DeviceUrl, cfg: PrinterConfigLike) -> Printer:
    from drivers.printer.network_transport import NetworkTransport

    return _printer(cfg, NetworkTransport(*split_host_port(url.target, 9100)))


def _emulated(url: DeviceUrl, cfg: PrinterConfigLike) -> Printer:
    """The in-process emulator, with the faults the URL's options name (``paper``,
    ``cover_open``, ``offline``, ``slow_s``) already injected."""
    printer = EmulatedPrinter(encoding=cfg.encoding, paper_width_mm=cfg.paper_width_mm,
                              status_timeout_s=cfg.status_timeout_s,
                              qr_mode=getattr(cfg, "qr_mode", "native"))
    inject_faults(printer, url)
    return printer


def inject_faults(printer: EmulatorControls, url: DeviceUrl) -> None:
    paper = url.option("paper", "ok")
    if paper not in ("ok", "near_end", "out"):
        raise UrlError(f"emulated printer: paper must be ok, near_end or out, not {paper!r}")
    printer.set_paper(paper)  # type: ignore[arg-type]  # checked just above
    printer.set_cover_open(url.option("cover_open") in ("1", "true"))
    printer.set_offline(url.option("offline") in ("1", "true"))
    try:
        printer.set_slow(float(url.option("slow_s", "0")))
    except ValueError:
        raise UrlError(f"emulated printer: slow_s must be seconds, not {url.option('slow_s')!r}") from None


def _none(url: DeviceUrl, cfg: PrinterConfigLike) -> Printer:
    return DisabledPrinter(cfg.paper_width_mm, cfg.encoding)


def printer_handlers() -> Handlers[PrinterConfigLike, Printer]:
    """The printer's scheme handlers: serial:, usb:, tcp:, emulated:, none:."""
    handlers: Handlers[PrinterConfigLike, Printer] = Handlers("printer")
    for scheme, handler in (("serial", _serial), ("usb", _usb), ("tcp", _tcp),
                            ("emulated", _emulated), ("none", _none)):
        handlers.register(scheme, handler)
    return handlers


def build_printer(cfg: PrinterConfigLike,
                  handlers: Handlers[PrinterConfigLike, Printer] | None = None) -> Printer:
    """The printer ``cfg`` describes (its backend and settings as a device URL).
    Raises ValueError for an unusable setting.

    Nothing is opened here: a missing device shows up as OFFLINE on the first
    ``status()``, so the kiosk starts without its printer.
    """
    return (handlers or printer_handlers()).open(url_for(cfg), cfg)
