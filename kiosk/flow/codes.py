"""Codes from the scanner or the camera, and the orders they add: what a scanned
code means depends on the screen (an order, a personal code, a buyer-title code,
or a foreign or unreadable code that is explained on BAD_QR).
"""

from __future__ import annotations

from typing import Any

from kiosk.flow.base import (
    MAX_ORDERS,
    T_DUPLICATE,
    T_NO_ORDERS,
    T_NOT_FOUND,
    T_TOO_MANY,
    T_UNREADABLE,
    SessionBase,
    _text_of,
)
from kiosk.flow.states import FAILURES, BuyerDraft, Identity, IdMethod, Screen, Text


class CodesMixin(SessionBase):
    """Scanned and typed codes, and the list of orders an invoice covers."""

    # --- codes from the scanner or the camera ----------------------------------------

    def code_scanned(self, text: str, source: str = "scanner") -> None:
        """A decoded code from any scanner or the camera; what it means depends on the screen."""
        self.touch()
        text = text.strip()
        if not text or self.screen in (Screen.ISSUING, Screen.OUT_OF_SERVICE):
            return
        if source == "camera" and self.data.camera_for_photo:
            return  # photographing a document: a code on it is not a scan
        if self.services.looks_like_order_code(text):
            if self.screen is Screen.RESULT or (self.screen in FAILURES
                                                and self.screen is not Screen.BAD_QR):
                self.wipe("new_scan")  # the next customer scanned: a fresh session
            self._start()
            self._add_order_code(text, source)
            return
        if self.screen is Screen.IDENTIFY and self._personal_code(text):
            return
        if self.screen in (Screen.BUYER, Screen.OPTIONS, Screen.ORDERS, Screen.REVIEW):
            if self._title_code(text):
                return
        self._start()
        self._bad_qr(_text_of(None, Text("这不是本店的订单二维码，请扫描购物小票上的订单二维码",
                                         "This is not one of our order codes; scan the order QR "
                                         "code on your receipt")), source, kind="foreign")

    def code_unreadable(self, reason: str, source: str = "scanner") -> None:
        """The scanner sent something that is not a code (noise, a damaged print)."""
        self.touch()
        if self.screen in (Screen.ISSUING, Screen.OUT_OF_SERVICE):
            return
        self._start()
        self._bad_qr(T_UNREADABLE, source, kind=f"unreadable:{reason}")

    def _add_order_code(self, text: str, source: str) -> None:
        try:
            order = self.services.resolve_order_code(text)
        except Exception as err:
            self._bad_qr(_text_of(err, Text("二维码无法识别", "The code could not be read")), source,
                         kind=str(getattr(err, "kind", type(err).__name__)))
            return
        self._add_order(order, source)

    def _bad_qr(self, text: Text | None, source: str, kind: str) -> None:
        self.data.notice = text
        self._go(Screen.BAD_QR, source=source, kind=kind)

    def type_order_no(self, order_no: str) -> None:
        """An order number typed on the keypad."""
        self.touch()
        self._start()
        order = self.services.find_order(order_no.strip())
        if order is None:
            self._log("order_not_found", "typed order not found")
            self.data.notice = T_NOT_FOUND
            if self.screen is not Screen.ORDERS:
                self._go(Screen.ORDERS)
            else:
                self._changed()
            return
        self._add_order(order, "keypad")

    def _add_order(self, order: Any, source: str) -> None:
        data = self.data
        if order.order_no in data.order_nos:
            data.notice = T_DUPLICATE  # said where the user is; no jump back to ORDERS
            self._changed()
            return
        if len(data.orders) >= MAX_ORDERS:
            data.notice = T_TOO_MANY
            self._go(Screen.ORDERS)
            return
        existing = self.services.find_invoice_for_order(order.order_no)
        if existing is not None:
            data.invoice = existing
            data.notice = None
            self._go(Screen.ALREADY_INVOICED, order_no=order.order_no, source=source)
            return
        data.orders.append(order)
        data.notice = None
        self._log("order_added", "order added", order_no=order.order_no, source=source,
                  orders=len(data.orders), total=str(data.total))
        self._go(Screen.ORDERS)

    def remove_order(self, order_no: str) -> None:
        self.touch()
        self.data.orders = [o for o in self.data.orders if o.order_no != order_no]
        self._log("order_removed", "order removed", order_no=order_no)
        self._changed()

    def orders_continue(self) -> None:
        """"Accept & continue" on ORDERS: consent (if not yet given) and on to the buyer."""
        self.touch()
        if self.screen is not Screen.ORDERS:
            return
        if not self.data.orders:
            self._notice(T_NO_ORDERS)
            return
        if not self.data.terms_accepted:
            self.data.terms_accepted = True
            self._log("terms_accepted", "terms accepted with the order")
        self.data.notice = None
        self._go(Screen.BUYER)

    def _personal_code(self, text: str) -> bool:
        """A personal title code (the tax bureau's 便捷开票 code) scanned to identify:
        the title is filled and the user goes on to the orders. True if it was one."""
        if self.services.parse_title_qr is None:
            return False
        result = self.services.parse_title_qr(text)
        buyer = getattr(result, "buyer", None)
        if buyer is None:
            if getattr(result, "reason", "") not in ("", "not_a_title_code"):
                self._notice(_text_of(result, None))  # recognised but unusable: explained
                return True
            return False
        self.data.identity = Identity(IdMethod.QR, name=buyer.name)
        self.data.buyer = BuyerDraft.from_buyer(buyer)
        self._log("identified", "identified by personal code", method="qr",
                  type=buyer.type.value)
        self._go(Screen.ORDERS)
        return True

    def _title_code(self, text: str) -> bool:
        """A buyer-title code scanned on a buyer screen: fill the title. True if handled."""
        if self.services.parse_title_qr is None:
            return False
        result = self.services.parse_title_qr(text)
        if result is None or getattr(result, "reason", "") == "not_a_title_code":
            return False
        buyer = getattr(result, "buyer", None)
        self.data.title_qr_note = _text_of(result, Text("已识别开票抬头二维码", "Title code read"))
        if buyer is None:  # recognised (WeChat/Alipay) but not resolvable offline: explained
            self._log("title_qr_explained", "title code recognised, not resolvable",
                      kind=str(getattr(result, "kind", "")))
            self.data.notice = self.data.title_qr_note
            self._changed()
            return True
        self._use_buyer(buyer, "title_qr")
        return True
