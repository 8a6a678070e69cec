"""PrinterPort on a real worker and emulated printer: one status query, problems, the paper."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from drivers.base import DeviceStatus
from drivers.printer.emulated import EmulatedPrinter
from drivers.printer.worker import PrinterWorker
from drivers.problem import Problem
from kiosk.documents.text import display_width
from kiosk.flow.adapters import PrinterPort, ReceiptNotPrinted
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


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("width", [58, 80])
def test_a_claim_slip_prints_whole_sentences_in_the_persons_language_with_a_signed_code(
        lang: str, width: int) -> None:
    """Defect 7: the slip was cut mid-word ("...填写了邮"), Chinese only, and its QR (the
    bare request id) was refused by the kiosk itself."""
    from drivers.printer.parse import QR_STORE, TEXT, parse_all
    from kiosk.documents.text import NO_LINE_START
    from kiosk.messages import Problem, words
    from kiosk.orderqr import make_claim_qr, verify_claim_qr

    printer = EmulatedPrinter(paper_width_mm=width, status_timeout_s=0.2)
    worker = PrinterWorker(printer).start()
    try:
        request = sample_request(order_nos=("SO20260315001", "SO20260315002"))
        port = PrinterPort(worker, claim_qr=lambda rid: make_claim_qr(rid, "shop-key"))
        port.print_claim(request.request_id, request, lang)
        assert printer.wait_for_receipts(1, timeout=5)
        tokens = parse_all(printer.receipts[0])
        if os.environ.get("KIOSK_SHOTS_DIR"):  # keep the rendered slip for a look
            printer.render_png(os.path.join(os.environ["KIOSK_SHOTS_DIR"],
                                            f"slip-{lang}-{width}mm.png"))
    finally:
        worker.stop()
    lines = [t.data.decode("gb18030") for t in tokens if t.kind == TEXT]
    columns = 32 if width == 58 else 48
    title = words(Problem.of("flow.slip.title"), lang)
    for line in lines:
        if line != title:  # the title is printed double width and checked as such
            assert display_width(line, printer=True) <= columns, line
        assert line[:1] not in NO_LINE_START, line
    flowing = ("" if lang == "zh" else " ").join(line.strip() for line in lines)
    for code in ("saved", "scan", "not_invoice"):
        assert words(Problem.of(f"flow.slip.{code}"), lang) in flowing
    assert request.request_id in flowing and "SO20260315002" in flowing
    other = "en" if lang == "zh" else "zh"
    assert words(Problem.of("flow.slip.saved"), other) not in flowing
    codes = [t.data.decode("ascii") for t in tokens if t.kind == QR_STORE]
    assert [verify_claim_qr(code, "shop-key") for code in codes] == [request.request_id]
