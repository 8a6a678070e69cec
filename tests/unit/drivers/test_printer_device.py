"""The ESC/POS printer driver on the in-process emulated link: status, refusals, events."""

from __future__ import annotations

import pytest

from drivers.base import DeviceStatus, StatusEvent
from drivers.printer.emulated import EmulatedPrinter
from drivers.printer.errors import (
    CoverOpen,
    PaperOut,
    PrinterError,
    PrinterOffline,
    PrinterTimeout,
)
from drivers.printer.escpos_render import EscPosRenderer
from drivers.printer.ops import Cut, Text
from drivers.printer.status import STATUS_REQUEST
from drivers.problem import Problem
from tests.helpers.printer import sample_receipt_ops

TIMEOUT = 0.2


@pytest.fixture
def printer() -> EmulatedPrinter:
    return EmulatedPrinter(encoding="GB18030", paper_width_mm=80, status_timeout_s=TIMEOUT)


def test_print_sends_exactly_the_rendered_job_between_two_status_queries(
        printer: EmulatedPrinter) -> None:
    ops = sample_receipt_ops()
    printer.print_ops(ops)
    job = EscPosRenderer("GB18030", 80).render(ops)
    assert printer.received == STATUS_REQUEST + job + STATUS_REQUEST
    assert printer.receipts == [job]


def test_listeners_see_busy_then_ready(printer: EmulatedPrinter) -> None:
    seen: list[StatusEvent] = []
    printer.publisher.add_listener(seen.append)
    printer.print_ops([Text("x")])
    assert [e.status for e in seen] == [DeviceStatus.READY, DeviceStatus.BUSY, DeviceStatus.READY]


@pytest.mark.parametrize(
    ("fault", "status", "error"),
    [
        (lambda p: p.set_paper("out"), DeviceStatus.PAPER_OUT, PaperOut),
        (lambda p: p.set_cover_open(True), DeviceStatus.COVER_OPEN, CoverOpen),
        (lambda p: p.set_offline(True), DeviceStatus.UNKNOWN, PrinterTimeout),
        (lambda p: p.set_slow(TIMEOUT * 5), DeviceStatus.UNKNOWN, PrinterTimeout),
    ],
)
def test_faults_refuse_the_print_and_keep_no_receipt(
        printer: EmulatedPrinter, fault, status: DeviceStatus, error: type[PrinterError]) -> None:
    fault(printer)
    assert printer.preflight().status is status
    assert not printer.preflight().status.works
    with pytest.raises(error) as info:
        printer.print_ops(sample_receipt_ops())
    assert info.value.message
    assert printer.receipts == []
    assert printer.received in (b"", STATUS_REQUEST * 3)  # status queries only, no job bytes
    assert printer.publisher.status.status is status


def test_silence_says_printer_did_not_answer(printer: EmulatedPrinter) -> None:
    printer.set_offline(True)
    event = printer.status()
    assert event.status is DeviceStatus.UNKNOWN
    assert "printer did not answer" in event.message and "0.2 s" in event.message
    with pytest.raises(PrinterTimeout, match="did not answer"):
        printer.print_ops([Text("x")])


def test_paper_low_still_prints(printer: EmulatedPrinter) -> None:
    printer.set_paper("near_end")
    assert printer.preflight().status is DeviceStatus.PAPER_LOW
    printer.print_ops([Text("x")])
    assert len(printer.emulator.page) > 0


def test_slow_within_the_timeout_is_ready(printer: EmulatedPrinter) -> None:
    printer.set_slow(TIMEOUT / 4)
    assert printer.status().status is DeviceStatus.READY


def test_recovers_when_the_fault_clears(printer: EmulatedPrinter) -> None:
    printer.set_paper("out")
    assert printer.status().status is DeviceStatus.PAPER_OUT
    printer.set_paper("ok")
    printer.print_ops(sample_receipt_ops())
    assert len(printer.receipts) == 1


def test_paper_running_out_during_the_job_is_reported_and_the_rest_prints_after_reload(
        printer: EmulatedPrinter) -> None:
    def run_out(event: StatusEvent) -> None:
        if event.status is DeviceStatus.BUSY:
            printer.set_paper("out")

    printer.publisher.add_listener(run_out)
    with pytest.raises(PaperOut, match="rest of the receipt is held") as info:
        printer.print_ops(sample_receipt_ops())
    assert info.value.problem == Problem.of("printer.cut_short", status="paper_out")
    assert info.value.held  # the flow counts it printed once the printer works again
    assert printer.receipts == []  # held in the printer's buffer, like a real one
    printer.set_paper("ok")
    assert printer.receipts == [EscPosRenderer("GB18030", 80).render(sample_receipt_ops())]


class _BrokenLink:
    name = "broken"

    def __init__(self, fail_on_write: int) -> None:
        self.writes = 0
        self.fail_on_write = fail_on_write

    def open(self) -> None:
        pass

    def write(self, data: bytes) -> None:
        from drivers.printer.transport import TransportError

        self.writes += 1
        if self.writes >= self.fail_on_write:
            raise TransportError("port vanished")
        self.pending = b"\x12\x12\x12"

    def read(self, size: int, timeout: float) -> bytes:
        out, self.pending = getattr(self, "pending", b""), b""
        return out

    def discard_input(self) -> None:
        pass

    def close(self) -> None:
        pass


def test_transport_failure_is_offline() -> None:
    from drivers.printer.device import EscPosPrinter

    p = EscPosPrinter(_BrokenLink(fail_on_write=1), status_timeout_s=TIMEOUT)
    assert p.status().status is DeviceStatus.OFFLINE
    with pytest.raises(PrinterOffline, match="port vanished"):
        p.print_ops([Text("x")])


def test_link_lost_mid_job_is_offline_and_says_so() -> None:
    from drivers.printer.device import EscPosPrinter

    p = EscPosPrinter(_BrokenLink(fail_on_write=2), status_timeout_s=TIMEOUT)
    with pytest.raises(PrinterOffline, match="not printed completely"):
        p.print_ops([Text("x")])
    assert p.publisher.status.status is DeviceStatus.OFFLINE


def test_a_print_after_a_recent_good_answer_asks_the_status_once(
        printer: EmulatedPrinter) -> None:
    """The worker's idle poll keeps the answer fresh: a print then sends the job and ONE
    status query (today's kiosk asked three times: preflight, before and after)."""
    assert printer.status().status is DeviceStatus.READY  # the poll
    asked = printer.status_queries
    printer.print_ops([Text("x")])
    assert printer.status_queries == asked + 1
    job = EscPosRenderer("GB18030", 80).render([Text("x")])
    assert printer.received == STATUS_REQUEST + job + STATUS_REQUEST  # poll, job, after-check


def test_a_stale_or_bad_answer_is_asked_again_before_the_job() -> None:
    printer = EmulatedPrinter(status_timeout_s=TIMEOUT, status_max_age_s=0.0)
    printer.status()
    printer.print_ops([Text("x"), Cut()])
    assert printer.status_queries == 3  # too old to trust: asked before and after
    printer.set_paper("out")
    printer.status()
    printer.set_paper("ok")  # reloaded since the last answer: the print is not refused
    printer.print_ops([Text("y"), Cut()])
    assert len(printer.receipts) == 2


def test_problems_are_codes_not_sentences(printer: EmulatedPrinter) -> None:
    printer.set_paper("out")
    assert printer.status().problem == Problem.of("printer.paper_out")
    with pytest.raises(PaperOut) as info:
        printer.print_ops([Text("x")])
    assert info.value.problem == Problem.of("printer.paper_out")


def test_paper_and_encoding_are_the_printers_and_can_be_reconfigured(
        printer: EmulatedPrinter) -> None:
    assert (printer.paper.width_mm, printer.paper.columns, printer.encoding) == (80, 48, "GB18030")
    printer.print_ops([Text("发票"), Cut()])
    printer.reconfigure(encoding="UTF-8", paper_width_mm=58)
    assert (printer.paper.columns, printer.encoding) == (32, "UTF-8")
    printer.print_ops([Text("发票"), Cut()])
    assert "发票".encode("gb18030") in printer.receipts[0]
    assert "发票".encode() in printer.receipts[1]
    with pytest.raises(ValueError):
        printer.reconfigure(encoding="latin1")
    assert printer.encoding == "UTF-8"  # unchanged by the refused setting
