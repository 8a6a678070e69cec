"""USB printer: settings checks and a missing device (no hardware in tests)."""

from __future__ import annotations

import pytest

from drivers.base import DeviceStatus
from drivers.printer.device import EscPosPrinter
from drivers.printer.errors import PrinterOffline
from drivers.printer.factory import build_printer
from drivers.printer.usb_transport import UsbTransport
from tests.helpers.printer import PrinterSettings


def test_absent_usb_printer_is_offline_with_a_reason() -> None:
    # 0xFFFE:0xFFFE is no real device; without libusb the backend error says so instead
    p = build_printer(PrinterSettings(backend="usb", usb_vendor_id=0xFFFE, usb_product_id=0xFFFE,
                                      status_timeout_s=0.1))
    assert isinstance(p, EscPosPrinter) and isinstance(p.transport, UsbTransport)
    event = p.status()
    assert event.status is DeviceStatus.OFFLINE
    assert "cannot open printer usb fffe:fffe" in event.message
    with pytest.raises(PrinterOffline):
        p.print_ops([])


def test_usb_printer_needs_ids() -> None:
    with pytest.raises(ValueError, match="usb_vendor_id"):
        build_printer(PrinterSettings(backend="usb"))
