"""The network printer driver against the emulator behind a real local TCP socket."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest

from drivers.base import DeviceStatus
from drivers.printer.device import EscPosPrinter
from drivers.printer.errors import PaperOut, PrinterOffline, PrinterTimeout
from drivers.printer.escpos_render import EscPosRenderer
from drivers.printer.factory import build_printer
from drivers.printer.network_transport import NetworkTransport
from tests.helpers.printer import PrinterSettings, TcpPrinterEmulator, sample_receipt_ops


@pytest.fixture
def server() -> Iterator[TcpPrinterEmulator]:
    srv = TcpPrinterEmulator()
    yield srv
    srv.close()


@pytest.fixture
def printer(server: TcpPrinterEmulator) -> Iterator[EscPosPrinter]:
    p = build_printer(PrinterSettings(backend="network", host=server.host, port=server.port,
                                      status_timeout_s=0.3))
    assert isinstance(p, EscPosPrinter) and isinstance(p.transport, NetworkTransport)
    yield p
    p.close()


def test_prints_over_tcp(server: TcpPrinterEmulator, printer: EscPosPrinter) -> None:
    printer.print_ops(sample_receipt_ops())
    assert server.emulator.wait_for_receipts(1, timeout=5)
    assert server.emulator.receipts == [EscPosRenderer().render(sample_receipt_ops())]


def test_faults_over_tcp(server: TcpPrinterEmulator, printer: EscPosPrinter) -> None:
    server.emulator.set_paper("out")
    with pytest.raises(PaperOut):
        printer.print_ops(sample_receipt_ops())
    server.emulator.set_paper("ok")
    server.emulator.set_offline(True)
    assert printer.status().status is DeviceStatus.UNKNOWN
    with pytest.raises(PrinterTimeout):
        printer.print_ops(sample_receipt_ops())


def test_nobody_listening_is_offline() -> None:
    with socket.create_server(("127.0.0.1", 0)) as s:
        port = s.getsockname()[1]
    p = EscPosPrinter(NetworkTransport("127.0.0.1", port, connect_timeout=1), status_timeout_s=0.2)
    event = p.status()
    assert event.status is DeviceStatus.OFFLINE and "cannot connect" in event.message
    with pytest.raises(PrinterOffline):
        p.print_raw(b"x")


def test_printer_closing_the_connection_is_offline(server: TcpPrinterEmulator,
                                                   printer: EscPosPrinter) -> None:
    assert printer.status().status is DeviceStatus.READY
    server.close()
    assert printer.status().status is DeviceStatus.OFFLINE


def test_network_printer_needs_a_host() -> None:
    with pytest.raises(ValueError, match="host"):
        build_printer(PrinterSettings(backend="network", host=""))
