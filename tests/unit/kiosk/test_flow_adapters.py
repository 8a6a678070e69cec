"""PrinterPort on a real worker and emulated printer: one status query, problems, the paper."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from drivers.base import DeviceStatus
from drivers.printer.emulated import EmulatedPrinter
from drivers.printer.ops import Qr, Rule, Text
from drivers.printer.worker import PrinterWorker
from drivers.problem import Problem
from kiosk.documents.text import display_width
from kiosk.flow.adapters import PrinterPort, ReceiptNotPrinted, claim_ops
from tests.helpers.invoices import sample_invoice, sample_request


@pytest.fixture
def port() -> Iterator[tuple[PrinterPort, EmulatedPrinter]]:
    printer = EmulatedPrinter(paper_width_mm=58, status_timeout_s=0.2)
    worker = PrinterWorker(printer).start()
    yield PrinterPort(worker, fetch_base_url="https://kiosk.example.invalid/i"), printer
    worker.stop()


def test_a_receipt_is_laid_out_on_the_printers_own_paper(port) -> None:
    p, printer = port
    p.print_invoice(sample_invoice())
    assert printer.wait_for_receipts(1, timeout=5)
    assert p.paper.columns == 32
    receipt = printer.receipts[0]
    assert b"=" * 32 + b"\n" in receipt and b"=" * 33 not in receipt  # rules fill 58 mm


def test_a_print_asks_the_status_once_when_the_last_answer_is_fresh(port) -> None:
    p, printer = port
    printer.status()  # what the worker's idle poll does
    asked = printer.status_queries
    p.print_invoice(sample_invoice())
    assert printer.status_queries == asked + 1  # was 3: preflight, before, after


def test_a_refused_print_carries_the_printers_problem(port) -> None:
    p, printer = port
    printer.set_paper("out")
    with pytest.raises(ReceiptNotPrinted) as info:
        p.print_invoice(sample_invoice())
    err = info.value
    assert err.status is DeviceStatus.PAPER_OUT
    assert err.problem == Problem.of("printer.paper_out")
    assert err.message_zh == "打印机缺纸。发票已开具，请扫描二维码或发送到邮箱获取。"
    assert err.message_en.startswith("The printer is out of paper. Your invoice is issued")
    assert printer.receipts == []


def test_claim_slips_wrap_to_the_paper_and_keep_80_mm_as_it_was() -> None:
    from drivers.printer.paper import Paper

    request = sample_request()
    wide = claim_ops(request, "", Paper.for_width(80))
    narrow = claim_ops(request, "", Paper.for_width(58))
    assert [op.text for op in wide if isinstance(op, Text)][1] == "开票平台暂时无法连接，您的申请已保存，"
    for op in narrow:
        if isinstance(op, Text) and op.width == 1:
            assert display_width(op.text, printer=True) <= 32 or op.text.startswith(("凭条", "订单"))
    assert len(narrow) > len(wide)
    assert any(isinstance(op, Qr) for op in narrow) and any(isinstance(op, Rule) for op in narrow)
