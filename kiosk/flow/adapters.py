"""Adapters from the partners' services to the flow's ports (used by the composition root).

:class:`PrinterPort` turns the printer worker's futures into the blocking calls
the session's runner executes off the UI thread, and printer exceptions into
one error, :class:`ReceiptNotPrinted`, carrying the printer's
:class:`~drivers.problem.Problem` (words from :mod:`kiosk.messages`). A print
asks the printer's status once: the driver refuses a printer that does not
work before any byte is sent, so no separate preflight round trip is made.
Layouts read the paper (columns, QR module) from the printer itself.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from typing import Protocol

from drivers.base import DeviceStatus
from drivers.printer.errors import PrinterError
from drivers.printer.interface import Printer
from drivers.printer.ops import Op
from drivers.printer.paper import Paper
from drivers.problem import Problem
from kiosk.messages import join, text_for
from kiosk.model import Invoice, InvoiceRequest

log = logging.getLogger("kiosk.flow")

PRINT_TIMEOUT_S = 60.0
AFTER = Problem.of("printer.invoice_still_yours")


class ReceiptNotPrinted(Exception):
    """A receipt could not be printed: ``problem`` says why (a catalogue code), ``status``
    is the printer's. ``message_zh``/``message_en`` (the problem's words plus what to do
    instead) are kept for the flow until it reads ``problem`` itself."""

    def __init__(self, status: DeviceStatus, detail: str = "", *,
                 problem: Problem | None = None, held: bool = False) -> None:
        self.status = status
        self.held = held  # the printer keeps the rest and prints it once it works again
        self.problem = problem or Problem.of("printer.fault", status=status.value)
        self.detail = detail
        said, after = text_for(self.problem), text_for(AFTER)
        self.message_zh = join(said.zh, after.zh, lang="zh")
        self.message_en = join(said.en, after.en, lang="en")
        super().__init__(f"{status.value}: {self.problem}{': ' + detail if detail else ''}")


class PrinterWorkerLike(Protocol):
    """What :class:`PrinterPort` needs of :class:`drivers.printer.PrinterWorker`."""

    @property
    def printer(self) -> Printer: ...

    def submit_print(self, ops: Sequence[Op]) -> Future[None]: ...


class PrinterPort:
    """The session's :class:`~kiosk.flow.ports.ReceiptPrinter` over a printer worker.

    ``receipt_ops(invoice)``, when given, lays the receipt out (the composition root's
    old shape); otherwise :func:`kiosk.documents.receipt_ops` does, on the printer's
    own paper, with the QR pointing at the invoice's download URL or ``fetch_base_url``.
    ``claim_qr(request_id)`` makes a claim slip's signed code.
    """

    def __init__(self, worker: PrinterWorkerLike,
                 receipt_ops: Callable[[Invoice], Sequence[Op]] | None = None,
                 *, fetch_base_url: str = "", timeout_s: float = PRINT_TIMEOUT_S,
                 claim_qr: Callable[[str], str] | None = None) -> None:
        self.worker = worker
        self.claim_qr = claim_qr
        self.receipt_ops = receipt_ops
        self.fetch_base_url = fetch_base_url
        self.timeout_s = timeout_s

    @property
    def paper(self) -> Paper:
        return self.worker.printer.paper

    def _print(self, ops: Sequence[Op]) -> None:
        try:
            self.worker.submit_print(list(ops)).result(self.timeout_s)
        except PrinterError as err:
            raise ReceiptNotPrinted(err.status, err.detail, problem=err.problem,
                                    held=err.held) from err

    def print_invoice(self, invoice: Invoice) -> None:
        if self.receipt_ops is not None:
            self._print(self.receipt_ops(invoice))
            return
        from kiosk.documents.receipt import receipt_ops

        self._print(receipt_ops(invoice, paper=self.paper,
                                fetch_url=invoice.download_url or self.fetch_base_url))

    def print_claim(self, request_id: str, request: InvoiceRequest, lang: str) -> None:
        """The claim slip of a queued request (:func:`kiosk.documents.receipt.claim_ops`), its
        QR the signed claim code (``claim_qr``: the composition root's, from the shop's key)."""
        from kiosk.documents.receipt import claim_ops

        qr = self.claim_qr(request_id) if self.claim_qr is not None else ""
        self._print(claim_ops(request_id, qr, request.order_nos, request.total,
                              paper=self.paper, lang=lang))

    def print_change_slip(self, reference: str, original_number: str, lang: str) -> None:
        """The come-back slip of a change left waiting, in the person's language
        (:func:`kiosk.documents.receipt.change_ops`)."""
        from kiosk.documents.receipt import change_ops

        self._print(change_ops(reference, original_number, paper=self.paper, lang=lang))
