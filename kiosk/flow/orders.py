"""Codes from the scanner or the camera, and the orders they add: what a scanned
code means depends on the screen (an order, a personal code, a buyer-title code,
or a foreign or unreadable code that is explained on BAD_QR).

A scanned receipt opens the review at once (everything read back, one touch to
issue); a typed order number stays on the orders screen, where the keypad is.
"""

from __future__ import annotations

from collections.abc import Callable

from kiosk.flow.core import FlowCore, intent
from kiosk.flow.ports import OrderPorts
from kiosk.flow.states import FAILURES, BuyerDraft, Identity, IdMethod, Screen
from kiosk.flow.transitions import Intent
from kiosk.flow.words import say, text_of
from kiosk.messages import Text
from kiosk.model import Buyer, Order

MAX_ORDERS = 20
QUIET = (Screen.ISSUING, Screen.OUT_OF_SERVICE)  # where codes are not heard
# Where a buyer-title code is heard: before the receipt (attract, orders) or after it.
TITLE_SCREENS = (Screen.ATTRACT, Screen.ORDERS, Screen.BUYER, Screen.OPTIONS, Screen.REVIEW)


class OrdersStep:
    """Scanned and typed codes, and the list of orders an invoice covers."""

    def __init__(self, core: FlowCore, ports: OrderPorts,
                 offer_title: Callable[[Buyer, str], None]) -> None:
        self.core = core
        self.ports = ports
        self._offer_title = offer_title

    # --- codes from the scanner or the camera ----------------------------------------

    @intent(Intent.CODE_SCANNED)
    def code_scanned(self, text: str, source: str = "scanner") -> None:
        """A decoded code from any scanner or the camera; what it means depends on the screen."""
        core = self.core
        core.touch()
        text = text.strip()
        if not text or core.screen in QUIET:
            return
        if source == "camera" and core.data.camera_for_photo:
            return  # photographing a document: a code on it is not a scan
        if self.ports.looks_like_order_code(text):
            if (core.screen is Screen.RESULT or core.data.invoice is not None
                    or (core.screen in FAILURES and core.screen is not Screen.BAD_QR)):
                # The next customer scanned (also after a stray code on a result): a
                # fresh session, never a merge into an invoiced one.
                core.wipe("new_scan")
            core.start()
            self._add_order_code(text, source)
            return
        if core.screen is Screen.IDENTIFY and self._personal_code(text):
            return
        if core.screen in TITLE_SCREENS:
            # Before a walk-in starts only a usable title is taken (else: explained as foreign).
            if self._title_code(text, need_buyer=core.screen is Screen.ATTRACT):
                return
        core.start()
        self._bad_qr(say("flow.code_foreign"), source, kind="foreign")

    @intent(Intent.CODE_UNREADABLE)
    def code_unreadable(self, reason: str, source: str = "scanner") -> None:
        """The scanner sent something that is not a code (noise, a damaged print)."""
        self.core.touch()
        if self.core.screen in QUIET:
            return
        self.core.start()
        self._bad_qr(say("flow.code_unreadable"), source, kind=f"unreadable:{reason}")

    def _add_order_code(self, text: str, source: str) -> None:
        try:
            order = self.ports.resolve_order_code(text)
        except Exception as err:
            self._bad_qr(text_of(err, say("flow.code_not_read")), source,
                         kind=str(getattr(err, "kind", type(err).__name__)))
            return
        self._add_order(order, source)

    def _bad_qr(self, text: Text | None, source: str, kind: str) -> None:
        self.core.data.notice = text
        self.core.go(Screen.BAD_QR, source=source, kind=kind)

    @intent(Intent.TYPE_ORDER)
    def type_order_no(self, order_no: str) -> None:
        """An order number typed on the keypad."""
        core = self.core
        core.touch()
        core.start()
        order = self.ports.find_order(order_no.strip())
        if order is None:
            core.log("order_not_found", "typed order not found")
            core.data.notice = say("flow.order_not_found")
            if core.screen is not Screen.ORDERS:
                core.go(Screen.ORDERS)
            else:
                core.changed()
            return
        self._add_order(order, "keypad")

    def _add_order(self, order: Order, source: str) -> None:
        core = self.core
        data = core.data
        if order.order_no in data.order_nos:
            data.notice = say("flow.order_duplicate")  # said where the user is: no jump
            core.changed()
            return
        if len(data.orders) >= MAX_ORDERS:
            data.notice = say("flow.too_many_orders", max=MAX_ORDERS)
            core.go(Screen.ORDERS)
            return
        existing = self.ports.find_invoice_for_order(order.order_no)
        if existing is not None:
            data.invoice = existing
            data.notice = None
            core.go(Screen.ALREADY_INVOICED, order_no=order.order_no, source=source)
            return
        data.orders.append(order)
        data.notice = None
        core.log("order_added", "order added", order_no=order.order_no, source=source,
                 orders=len(data.orders), total=str(data.total))
        # A scan opens (or updates) the review; typing stays where the keypad is.
        target = Screen.ORDERS if source == "keypad" else Screen.REVIEW
        if source == "camera" and data.camera_on and target is Screen.REVIEW:
            data.camera_on = False  # the receipt is read: the camera (and its notice) off
            core.log("camera_off", "camera off: the receipt was read")
        if core.screen is target:
            core.changed()
        else:
            core.go(target)

    def remove(self, order_no: str) -> None:
        """A wrongly added order taken out of the merge (the totals follow)."""
        core = self.core
        core.touch()
        before = len(core.data.orders)
        core.data.orders = [o for o in core.data.orders if o.order_no != order_no]
        if len(core.data.orders) == before:
            return
        core.data.notice = None
        core.log("order_removed", "order removed", order_no=order_no,
                 orders=len(core.data.orders), total=str(core.data.total))
        core.changed()

    @intent(Intent.ORDERS_NEXT)
    def next(self) -> None:
        """"Continue" on ORDERS: on to the review (nothing personal is asked on the way)."""
        core = self.core
        core.touch()
        if core.screen is not Screen.ORDERS:
            return
        if not core.data.orders:
            core.notice(say("flow.no_orders"))
            return
        core.data.notice = None
        core.go(Screen.REVIEW)

    # --- title codes ------------------------------------------------------------------

    def _personal_code(self, text: str) -> bool:
        """A personal title code (the tax bureau's 便捷开票 code) scanned to identify:
        the title is filled and the user goes on to the orders. True if it was one."""
        parse = self.ports.parse_title_qr
        if parse is None:
            return False
        result = parse(text)
        buyer = result.buyer if result is not None else None
        if result is None or buyer is None:
            if result is not None and result.reason not in ("", "not_a_title_code"):
                self.core.notice(text_of(result, None))  # recognised but unusable: explained
                return True
            return False
        core = self.core
        core.data.identity = Identity(IdMethod.QR, name=buyer.name)
        core.data.buyer = BuyerDraft.from_buyer(buyer)
        core.log("identified", "identified by personal code", method="qr", type=buyer.type.value)
        core.go(Screen.ORDERS)
        return True

    def _title_code(self, text: str, need_buyer: bool = False) -> bool:
        """A buyer-title code scanned on a buyer screen: fill the title. True if handled."""
        parse = self.ports.parse_title_qr
        if parse is None:
            return False
        result = parse(text)
        if result is None or result.reason == "not_a_title_code":
            return False
        if need_buyer and result.buyer is None:
            return False
        core = self.core
        core.data.title_qr_note = text_of(result, say("flow.title_code_read"))
        if result.buyer is None:  # recognised (WeChat/Alipay) but not resolvable offline
            core.log("title_qr_explained", "title code recognised, not resolvable",
                     kind=str(result.kind))
            core.data.notice = core.data.title_qr_note
            core.changed()
            return True
        self._offer_title(result.buyer, "title_qr")
        return True
