"""build_printer: one printer per backend, from any PrinterConfig-shaped object."""

from __future__ import annotations

import pytest

from drivers.base import DeviceStatus
from drivers.printer import PrinterDisabled, build_printer
from drivers.printer.device import EscPosPrinter
from drivers.printer.emulated import EmulatedPrinter
from drivers.printer.interface import Printer
from drivers.printer.ops import Text
from tests.helpers.printer import PrinterSettings


def test_none_is_disabled() -> None:
    p = build_printer(PrinterSettings(backend="none"))
    assert isinstance(p, Printer)
    assert p.status().status is DeviceStatus.DISABLED
    assert not p.preflight().status.works
    with pytest.raises(PrinterDisabled, match="turned off"):
        p.print_ops([Text("x")])
    with pytest.raises(PrinterDisabled):
        p.print_raw(b"x")


def test_emulated_takes_the_settings() -> None:
    p = build_printer(PrinterSettings(backend="emulated", encoding="Big5", paper_width_mm=58,
                                      status_timeout_s=0.5, qr_mode="image"))
    assert isinstance(p, EmulatedPrinter) and isinstance(p, Printer)
    assert p.paper.columns == 32 and p.status_timeout_s == 0.5
    assert p.renderer.encoder.profile.name == "Big5" and p.renderer.qr_mode == "image"
    p.print_ops([Text("發票")])
    assert "發票".encode("big5") in p.received


def test_kiosk_printer_config_is_accepted() -> None:
    config = pytest.importorskip("kiosk.config")
    p = build_printer(config.PrinterConfig(backend="emulated"))
    assert p.status().status is DeviceStatus.READY


@pytest.mark.parametrize("backend", ["serial", "network"])
def test_real_backends_build_without_opening(backend: str) -> None:
    p = build_printer(PrinterSettings(backend=backend, url="/dev/nonexistent-printer",
                                      host="192.0.2.1"))
    assert isinstance(p, EscPosPrinter)
    assert p.publisher.status.status is DeviceStatus.UNKNOWN  # not asked yet


def test_unknown_backend_and_width_are_refused() -> None:
    with pytest.raises(ValueError, match="backend"):
        build_printer(PrinterSettings(backend="bluetooth"))
    with pytest.raises(ValueError, match="paper width"):
        build_printer(PrinterSettings(paper_width_mm=110))
