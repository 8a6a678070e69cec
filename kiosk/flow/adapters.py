"""Adapters from the partners' services to the flow's ports (used by the composition root).

:class:`PrinterPort` turns the printer worker's futures into the blocking,
preflight-first calls the session's runner executes off the UI thread, and
printer exceptions into one error with a message in both languages.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any

from drivers.base import DeviceStatus, StatusEvent
from drivers.printer.errors import PrinterError, error_for
from drivers.printer.ops import Align, Cut, Feed, Op, Qr, Rule, Text
from kiosk.model import Invoice, InvoiceRequest

log = logging.getLogger("kiosk.flow")

PRINT_TIMEOUT_S = 60.0

_STATUS_TEXT: dict[DeviceStatus, tuple[str, str]] = {
    DeviceStatus.PAPER_OUT: ("打印机缺纸", "The printer is out of paper"),
    DeviceStatus.COVER_OPEN: ("打印机盖未关好", "The printer cover is open"),
    DeviceStatus.OFFLINE: ("打印机未连接", "The printer is not connected"),
    DeviceStatus.UNKNOWN: ("打印机无响应", "The printer does not answer"),
    DeviceStatus.DISABLED: ("本终端未配置打印机", "This kiosk has no printer"),
}


class ReceiptNotPrinted(Exception):
    """A receipt could not be printed; messages for the screen, ``status`` for the log."""

    def __init__(self, status: DeviceStatus, detail: str = "") -> None:
        zh, en = _STATUS_TEXT.get(status, ("打印机故障", "The printer has a fault"))
        self.status = status
        self.message_zh = f"{zh}：发票已开具，请扫描二维码或发送到邮箱获取。"
        self.message_en = f"{en}: your invoice is issued; scan the QR code or e-mail it."
        super().__init__(f"{status.value}: {detail}")


class PrinterPort:
    """The session's :class:`~kiosk.flow.ports.ReceiptPrinter` over a printer worker."""

    def __init__(self, worker: Any, receipt_ops: Callable[[Invoice], Sequence[Op]],
                 *, timeout_s: float = PRINT_TIMEOUT_S) -> None:
        self.worker = worker
        self.receipt_ops = receipt_ops
        self.timeout_s = timeout_s

    def _preflight(self) -> None:
        event: StatusEvent = self.worker.submit_preflight().result(self.timeout_s)
        error = error_for(event)
        if error is not None:
            raise ReceiptNotPrinted(event.status, event.message)

    def _print(self, ops: Sequence[Op]) -> None:
        self._preflight()
        try:
            self.worker.submit_print(list(ops)).result(self.timeout_s)
        except PrinterError as err:
            raise ReceiptNotPrinted(err.status, str(err)) from err

    def print_invoice(self, invoice: Invoice) -> None:
        self._print(self.receipt_ops(invoice))

    def print_claim(self, request: InvoiceRequest, message_zh: str) -> None:
        self._print(claim_ops(request, message_zh))


def claim_ops(request: InvoiceRequest, message_zh: str) -> list[Op]:
    """The claim receipt for a queued request: its reference as text and QR, what next.

    Only the reference, orders and total: no buyer data goes on this slip.
    """
    return [
        Text("开票申请凭条", align=Align.CENTER, bold=True, width=2, height=2),
        Rule(),
        Text("开票平台暂时无法连接，您的申请已保存，", align=Align.LEFT),
        Text("终端将自动重试。", align=Align.LEFT),
        Text(f"凭条编号: {request.request_id}", bold=True),
        Text(f"订单: {', '.join(request.order_nos)}"),
        Text(f"价税合计: ￥{request.total}"),
        Qr(request.request_id, size=6),
        Text("稍后请再次扫描订单二维码，或凭此凭条", align=Align.LEFT),
        Text("联系工作人员领取发票。", align=Align.LEFT),
        *([Text(message_zh[:60])] if message_zh else []),
        Feed(2),
        Cut(),
    ]
