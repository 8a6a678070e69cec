"""The buyer and the invoice options: the title and tax ID (checked as typed),
ordinary or special, electronic or paper, an optional photo, and the business
catalogue that stands in for orders on a business account.
"""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from typing import Any

from kiosk.flow.base import (
    T_ADDRESS_NEEDED,
    T_BAD_EMAIL,
    T_BAD_LINE,
    T_CAMERA,
    T_NAME_NEEDED,
    T_NO_ORDERS,
    T_NOT_BUSINESS,
    T_SPECIAL_COMPANY,
    T_TAXID_NEEDED,
    SessionBase,
    _plausible_email,
    _text_of,
)
from kiosk.flow.states import BuyerDraft, Screen, Text
from kiosk.masking import mask_tax_id
from kiosk.model import Buyer, BuyerType, InvoiceKind, Medium
from kiosk.rules.identifiers import Severity, classify_tax_id


class BuyerMixin(SessionBase):
    """The buyer's title, the options, the photo and the business catalogue."""

    # --- buyer and options -----------------------------------------------------------

    def set_buyer_type(self, buyer_type: BuyerType) -> None:
        self.touch()
        draft = self.data.buyer
        if draft.type is buyer_type:
            return
        draft.type = buyer_type
        if buyer_type is BuyerType.COMPANY and draft.name == "个人":
            draft.name = ""
        if buyer_type is BuyerType.PERSON:
            if not draft.name:
                draft.name = self.data.identity.name if self.data.identity else "个人"
            self.data.kind = InvoiceKind.NORMAL
        self.data.notice = None
        self._log("buyer_type", "buyer type", type=buyer_type.value)
        self._changed()

    def set_buyer_field(self, name: str, value: str) -> None:
        """Typing into one field (name, tax_id, address, phone, bank, account, email)."""
        self.last_activity = self.clock()
        if name not in ("name", "tax_id", "address", "phone", "bank", "account", "email"):
            raise ValueError(f"unknown buyer field {name!r}")
        if getattr(self.data.buyer, name) == value:
            return
        setattr(self.data.buyer, name, value)
        if name == "tax_id":
            self.data.buyer.tax_id_confirmed = False
            self.data.tax_id_feedback = classify_tax_id(value) if value.strip() else None
        self._changed()

    def set_show_address_bank(self, on: bool) -> None:
        self.touch()
        self.data.buyer.show_address_bank = on
        self._changed()

    def confirm_tax_id(self) -> None:
        """The buyer confirms a tax ID that failed its check digit (a warning, not an error)."""
        self.touch()
        self.data.buyer.tax_id_confirmed = True
        self._log("tax_id_confirmed", "tax ID warning confirmed",
                  tax_id=mask_tax_id(self.data.buyer.tax_id))
        self.buyer_continue()

    def use_title(self, index: int) -> None:
        """A remembered title picked: fill the buyer and go on to the options."""
        self.touch()
        self._use_buyer(self.data.titles[index], "remembered")

    def _use_buyer(self, buyer: Buyer, source: str) -> None:
        self.data.buyer = BuyerDraft.from_buyer(buyer)
        check = classify_tax_id(buyer.tax_id) if buyer.tax_id else None
        self.data.tax_id_feedback = check
        self._log("title_used", "title filled", source=source, type=buyer.type.value,
                  tax_id=mask_tax_id(buyer.tax_id))
        if self.screen in (Screen.BUYER, Screen.ORDERS):
            self.buyer_continue()
        else:
            self._changed()

    def buyer_problem(self) -> Text | None:
        """Why the buyer cannot go on yet (None when it can)."""
        b = self.data.buyer
        if not b.name.strip():
            return T_NAME_NEEDED
        if b.type is BuyerType.COMPANY and not b.tax_id.strip():
            return T_TAXID_NEEDED
        if b.tax_id.strip():
            check = classify_tax_id(b.tax_id)
            self.data.tax_id_feedback = check
            if check.severity is Severity.ERROR:
                return Text(check.message_zh, check.message_en)
            if check.severity is Severity.WARNING and not b.tax_id_confirmed:
                return Text(check.message_zh, check.message_en)
        if b.email.strip() and not _plausible_email(b.email):
            return T_BAD_EMAIL
        return None

    def buyer_continue(self) -> None:
        self.touch()
        if self.screen not in (Screen.BUYER, Screen.ORDERS, Screen.REVIEW) or not self.data.lines:
            return
        problem = self.buyer_problem()
        if problem is not None:
            self._log("buyer_refused", "buyer not complete",
                      tax_id=mask_tax_id(self.data.buyer.tax_id))
            self.data.notice = problem
            if self.screen is not Screen.BUYER:
                self._go(Screen.BUYER)
            else:
                self._changed()
            return
        self.data.notice = None
        b = self.data.buyer
        if b.type is BuyerType.PERSON:
            self.data.kind = InvoiceKind.NORMAL  # a natural person gets an ordinary invoice
            self._go(Screen.REVIEW, buyer=b.type.value)
        else:
            self._go(Screen.OPTIONS, buyer=b.type.value, tax_id=mask_tax_id(b.tax_id))

    def set_kind(self, kind: InvoiceKind) -> None:
        self.touch()
        if kind is InvoiceKind.SPECIAL and not self.may_be_special():
            self._notice(T_SPECIAL_COMPANY)
            return
        self.data.kind = kind
        self.data.notice = None
        self._changed()

    def may_be_special(self) -> bool:
        b = self.data.buyer
        exempt = any(line.rate_mark for line in self.data.lines)
        return b.type is BuyerType.COMPANY and bool(b.tax_id.strip()) and not exempt

    def set_medium(self, medium: Medium) -> None:
        """Electronic or paper (paper: picked up unless :meth:`set_paper_delivery` says post)."""
        self.touch()
        self.data.medium = medium
        self.data.notice = None
        self._changed()

    def set_paper_delivery(self, by_post: bool, address: str | None = None) -> None:
        self.last_activity = self.clock()
        self.data.paper_by_post = by_post
        if address is not None:
            self.data.paper_delivery = address
        self._changed()

    def options_continue(self) -> None:
        self.touch()
        if self.screen is not Screen.OPTIONS:
            return
        data = self.data
        if data.medium is Medium.PAPER and data.paper_by_post and not data.paper_delivery.strip():
            self._notice(T_ADDRESS_NEEDED)
            return
        data.notice = None
        self._go(Screen.REVIEW)

    def start_photo(self) -> None:
        """The user wants to photograph a contract or voucher: the camera (and its notice) on."""
        self.touch()
        if not self.camera_ok:
            self._notice(T_CAMERA)
            return
        self.data.camera_on = True
        self.data.camera_for_photo = True
        self._log("camera_on", "camera on for a photo")
        self._changed()

    def attach_photo(self, png: bytes) -> None:
        """An optional camera photo of a contract or voucher; the camera goes off again.
        It is kept with the issued invoice's documents (see ``Services.save_attachment``)."""
        self.touch()
        self.data.attachment = png
        self.data.camera_on = False
        self.data.camera_for_photo = False
        self._log("photo_attached", "photo attached", size=len(png))
        self._changed()

    def edit(self, screen: Screen) -> None:
        """From REVIEW: change the orders, the buyer or the options."""
        self.touch()
        if screen in (Screen.ORDERS, Screen.BUYER, Screen.OPTIONS, Screen.CATALOGUE):
            self._go(screen)

    # --- business catalogue -----------------------------------------------------------

    def catalogue_search(self, text: str) -> list[Any]:
        if self.services.catalogue_search is None:
            return []
        return list(self.services.catalogue_search(text))

    def catalogue_add(self, item: Any, quantity: Decimal | None = None, *,
                      unit_price: Decimal | None = None, amount: Decimal | None = None,
                      rate: Decimal | None = None) -> None:
        """Add a catalogue item: quantity with a unit price or an amount (price-inclusive);
        ``rate`` overrides the item's rate (not for exempt / not-taxable items)."""
        from kiosk.catalogue import line_for

        self.touch()
        identity = self.data.identity
        if identity is None or not identity.business:
            self._notice(T_NOT_BUSINESS)
            return
        try:
            line = line_for(item, quantity, unit_price, amount)
        except ValueError as err:
            self._notice(_text_of(err, T_BAD_LINE))
            return
        if rate is not None and not line.rate_mark and rate != line.rate:
            line = dataclasses.replace(line, rate=rate)
        self.data.catalogue_lines.append(line)
        self.data.notice = None
        self._log("catalogue_added", "catalogue line added", tax_code=line.tax_code,
                  amount=str(line.amount), lines=len(self.data.catalogue_lines))
        self._changed()

    def catalogue_remove(self, index: int) -> None:
        self.touch()
        del self.data.catalogue_lines[index]
        self._changed()

    def catalogue_continue(self) -> None:
        self.touch()
        if self.screen is not Screen.CATALOGUE:
            return
        if not self.data.catalogue_lines:
            self._notice(T_NO_ORDERS)
            return
        self.data.terms_accepted = True
        self.data.notice = None
        self._go(Screen.BUYER)
