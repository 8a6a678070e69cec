"""The invoice request a session stands for, built the same way for validation and issuing."""

from __future__ import annotations

from kiosk.flow.core import FlowCore
from kiosk.model import InvoiceRequest, Medium
from kiosk.rules import request_id_for


class RequestBuilder:
    """Builds the :class:`InvoiceRequest` of the session's data (this kiosk's drawer and seller)."""

    def __init__(self, core: FlowCore, *, drawer: str = "", seller_tax_id: str = "") -> None:
        self.core = core
        self.drawer = drawer
        self.seller_tax_id = seller_tax_id

    def __call__(self) -> InvoiceRequest:
        data = self.core.data
        # A catalogue sale has no point-of-sale order: it gets one number for this
        # session, so a retry is the same request (and never a second invoice).
        order_nos = data.order_nos or (f"BIZ-{data.session_id}",)
        return InvoiceRequest(
            request_id=request_id_for(order_nos, self.seller_tax_id), order_nos=order_nos,
            buyer=data.buyer.freeze(), kind=data.kind, lines=data.lines, medium=data.medium,
            drawer=self.drawer,
            paper_delivery=(data.paper_delivery.strip()
                            if data.medium is Medium.PAPER and data.paper_by_post else ""),
        )
