"""The real serial driver against the emulated printer over a real pty."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from drivers.base import DeviceStatus
from drivers.printer.device import EscPosPrinter
from drivers.printer.emulated_serial import EmulatedSerialPrinter
from drivers.printer.errors import CoverOpen, PaperOut, PrinterOffline, PrinterTimeout
from drivers.printer.escpos_render import EscPosRenderer
from drivers.printer.factory import build_printer
from drivers.printer.serial_transport import SerialTransport
from drivers.printer.status import STATUS_REQUEST
from tests.helpers.printer import PrinterSettings, sample_receipt_ops

TIMEOUT = 0.3


@pytest.fixture
def emulator() -> Iterator[EmulatedSerialPrinter]:
    with EmulatedSerialPrinter(encoding="GBK", paper_width_mm=58) as emu:
        yield emu


@pytest.fixture
def printer(emulator: EmulatedSerialPrinter) -> Iterator[EscPosPrinter]:
    p = build_printer(PrinterSettings(backend="serial", url=emulator.port_name, encoding="GBK",
                                      paper_width_mm=58, status_timeout_s=TIMEOUT))
    assert isinstance(p, EscPosPrinter) and isinstance(p.transport, SerialTransport)
    yield p
    p.close()


def test_receipt_reaches_the_emulator_byte_for_byte(
        emulator: EmulatedSerialPrinter, printer: EscPosPrinter) -> None:
    ops = sample_receipt_ops()
    printer.print_ops(ops)
    assert emulator.wait_for_receipts(1, timeout=5)
    job = EscPosRenderer("GBK", 58).render(ops)
    assert emulator.receipts == [job]
    assert emulator.received == STATUS_REQUEST + job + STATUS_REQUEST


def test_ready_and_paper_low(emulator: EmulatedSerialPrinter, printer: EscPosPrinter) -> None:
    assert printer.status().status is DeviceStatus.READY
    emulator.set_paper("near_end")
    assert printer.preflight().status is DeviceStatus.PAPER_LOW


def test_paper_out_over_the_wire(emulator: EmulatedSerialPrinter, printer: EscPosPrinter) -> None:
    emulator.set_paper("out")
    assert printer.preflight().status is DeviceStatus.PAPER_OUT
    with pytest.raises(PaperOut, match="out of paper"):
        printer.print_ops(sample_receipt_ops())
    assert emulator.receipts == [] and b"\x1b\x40" not in emulator.received


def test_cover_open_over_the_wire(emulator: EmulatedSerialPrinter, printer: EscPosPrinter) -> None:
    emulator.set_cover_open(True)
    with pytest.raises(CoverOpen, match="cover"):
        printer.print_ops(sample_receipt_ops())


def test_silent_printer_is_unknown_within_the_timeout(
        emulator: EmulatedSerialPrinter, printer: EscPosPrinter) -> None:
    emulator.set_offline(True)
    started = time.monotonic()
    event = printer.status()
    assert event.status is DeviceStatus.UNKNOWN
    assert "printer did not answer" in event.message
    assert time.monotonic() - started < TIMEOUT + 2  # bounded by the timeout, not hanging
    with pytest.raises(PrinterTimeout):
        printer.print_ops(sample_receipt_ops())
    assert emulator.receipts == []


def test_slow_answer_is_unknown_then_ready_when_fast_again(
        emulator: EmulatedSerialPrinter, printer: EscPosPrinter) -> None:
    emulator.set_slow(TIMEOUT * 3)
    assert printer.status().status is DeviceStatus.UNKNOWN
    emulator.set_slow(0)
    # the late answer to the first query is dropped before asking again
    assert emulator.emulator.status_requests >= 3
    deadline = time.monotonic() + 5
    while printer.status().status is not DeviceStatus.READY:
        assert time.monotonic() < deadline


def test_unplugged_port_is_offline(emulator: EmulatedSerialPrinter) -> None:
    port = emulator.port_name
    emulator.close()
    p = EscPosPrinter(SerialTransport(port), status_timeout_s=TIMEOUT)
    assert p.status().status is DeviceStatus.OFFLINE
    with pytest.raises(PrinterOffline, match="cannot open printer port"):
        p.print_ops(sample_receipt_ops())


def test_serial_printer_needs_a_url() -> None:
    with pytest.raises(ValueError, match="url"):
        build_printer(PrinterSettings(backend="serial", url=""))
