"""What the Nuonuo and Baiwang adapters keep the same way: the book of their requests.

Each provider adapter owns a :class:`ProviderBook`: its ledger
(:class:`~kiosk.platform.nuonuo_ledger.Ledger`, ``<data>/<provider>.db``), the checks
made before a request may be sent (the kiosk's rules, the request id, an order
already invoiced or in a request whose outcome is open), the invoices it knows
(a blue invoice counts until red invoices credit all of it), and the provider's
official files, downloaded once into ``<data>/<provider>-documents/``. The adapters
differ in how they call, poll and read answers; this is the part that is the same.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from kiosk.model import Invoice, InvoiceRequest
from kiosk.platform import provider_files
from kiosk.platform.gateway import (
    InvoiceDocuments,
    NotFound,
    OrderAlreadyInvoiced,
    PlatformError,
    PlatformRejected,
    Rejection,
)
from kiosk.platform.nuonuo_ledger import Ledger


class ProviderBook:
    def __init__(self, folder: Path, provider: str) -> None:
        self.ledger = Ledger(folder / f"{provider}.db")
        self.documents_folder = folder / f"{provider}-documents"

    def close(self) -> None:
        self.ledger.close()

    # --- before sending ---------------------------------------------------------------
    def recorded(self, request_id: str) -> Invoice | None:
        """The invoice this request already has in the book (issue again = the same)."""
        entry = self.ledger.entry(request_id)
        if entry is None or not entry.invoice_number:
            return None
        return self.ledger.invoice(entry.invoice_number)

    def still_invoiced(self, number: str) -> bool:
        """A blue invoice not yet fully credited by red ones."""
        blue = self.ledger.invoice(number)
        return blue is not None and blue.total + self.ledger.red_total_of(number) > 0

    def check_orders(self, request: InvoiceRequest) -> None:
        """Refuse an order invoiced by another request, or held by one whose outcome is open."""
        for order_no in request.order_nos:
            for rid, state, number in self.ledger.holders(order_no):
                if rid == request.request_id:
                    continue
                if state == "issued" and number and self.still_invoiced(number):
                    raise OrderAlreadyInvoiced(number, order_no)
                if state == "sent":
                    raise PlatformRejected([Rejection(
                        "ORDER_PENDING", f"订单{order_no}正在另一开票请求中，结果未定",
                        f"order {order_no} is in another request whose outcome is open",
                        "order_nos")])

    # --- official files -----------------------------------------------------------------
    def official_files(self, number: str, timeout_s: float,
                       missing: Callable[[str], PlatformError]) -> dict[str, Path]:
        """The provider's PDF, OFD and XML of ``number``, downloaded once into the data
        folder; ``missing(number)`` is raised when the provider gave no URL for one."""
        if self.ledger.invoice(number) is None:
            raise NotFound(f"发票{number}不存在", f"no invoice {number}")
        urls = self.ledger.urls(number)
        out: dict[str, Path] = {}
        for kind in provider_files.DOC_KINDS:
            path = self.documents_folder / f"{number}.{kind}"
            if not path.exists():
                url = urls.get(kind)
                if not url:
                    raise missing(number)
                provider_files.store(path, provider_files.download(url, timeout_s))
            out[kind] = path
        return out

    def documents(self, number: str, timeout_s: float,
                  missing: Callable[[str], PlatformError]) -> InvoiceDocuments:
        files = self.official_files(number, timeout_s, missing)
        return InvoiceDocuments(number, pdf=files["pdf"].read_bytes(),
                                xml=files["xml"].read_bytes(), ofd=files["ofd"].read_bytes())
