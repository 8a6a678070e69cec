"""PrinterWorker: jobs off the caller's thread, results and errors as Futures, clean stop."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from drivers.base import DeviceStatus, StatusEvent
from drivers.printer.emulated import EmulatedPrinter
from drivers.printer.errors import PaperOut
from drivers.printer.ops import Text
from drivers.printer.worker import PrinterWorker
from drivers.problem import Problem
from tests.helpers.printer import sample_receipt_ops


@pytest.fixture
def printer() -> EmulatedPrinter:
    return EmulatedPrinter(paper_width_mm=58, status_timeout_s=0.3)


@pytest.fixture
def worker(printer: EmulatedPrinter) -> Iterator[PrinterWorker]:
    w = PrinterWorker(printer).start()
    yield w
    w.stop()


def test_print_runs_on_the_worker_thread(printer: EmulatedPrinter, worker: PrinterWorker) -> None:
    threads: list[str] = []
    printer.publisher.add_listener(lambda e: threads.append(threading.current_thread().name))
    done = threading.Event()
    future = worker.submit_print(sample_receipt_ops())
    future.add_done_callback(lambda f: done.set())
    assert future.result(timeout=5) is None
    assert done.wait(5)
    assert set(threads) == {"printer-worker"}
    assert len(printer.receipts) == 1


def test_status_future(printer: EmulatedPrinter, worker: PrinterWorker) -> None:
    printer.set_paper("near_end")
    event = worker.submit_status().result(timeout=5)
    assert event == StatusEvent("printer", DeviceStatus.PAPER_LOW, Problem.of("printer.paper_low"),
                                "printer paper is running low")
    assert worker.submit_preflight().result(timeout=5).status.works


def test_errors_arrive_through_the_future(printer: EmulatedPrinter, worker: PrinterWorker) -> None:
    printer.set_paper("out")
    future = worker.submit_print([Text("x")])
    with pytest.raises(PaperOut, match="out of paper"):
        future.result(timeout=5)
    # the worker survives and serves the next job
    printer.set_paper("ok")
    worker.submit_print([Text("y")]).result(timeout=5)


def test_jobs_run_in_order(printer: EmulatedPrinter, worker: PrinterWorker) -> None:
    futures = [worker.submit_raw(f"{i}\n".encode()) for i in range(5)]
    for f in futures:
        f.result(timeout=5)
    assert bytes(printer.emulator.page) == b"0\n1\n2\n3\n4\n"


def test_stop_cancels_queued_jobs_and_refuses_new_ones(printer: EmulatedPrinter) -> None:
    gate = threading.Event()
    started = threading.Event()

    def hold(event: StatusEvent) -> None:
        if event.status is DeviceStatus.BUSY:
            started.set()
            gate.wait(5)

    printer.publisher.add_listener(hold)
    w = PrinterWorker(printer).start()
    first = w.submit_print([Text("a")])
    assert started.wait(5)
    queued = w.submit_print([Text("b")])
    stopper = threading.Thread(target=w.stop)
    stopper.start()
    gate.set()
    stopper.join(5)
    assert first.result(timeout=1) is None  # the job in hand finishes
    assert queued.cancelled()
    with pytest.raises(RuntimeError, match="not running"):
        w.submit_status()


def test_idle_polling_publishes_status_changes(printer: EmulatedPrinter) -> None:
    seen = threading.Event()
    printer.publisher.add_listener(
        lambda e: seen.set() if e.status is DeviceStatus.COVER_OPEN else None)
    printer.set_cover_open(True)
    w = PrinterWorker(printer, poll_interval_s=0.05).start()
    try:
        assert seen.wait(5)
    finally:
        w.stop()
