"""The buyer and the invoice options: the title and tax ID (checked as typed),
ordinary or special, electronic or paper, and an optional photo of a voucher.
"""

from __future__ import annotations

from collections.abc import Callable

from kiosk.flow.checks import buyer_problem, request_problems, special_refusal, tax_id_check
from kiosk.flow.core import FlowCore, intent
from kiosk.flow.states import BuyerDraft, Screen
from kiosk.flow.transitions import Intent
from kiosk.flow.words import say
from kiosk.masking import mask_tax_id
from kiosk.messages import Text
from kiosk.model import Buyer, BuyerType, InvoiceKind, InvoiceRequest, Medium
from kiosk.rules.identifiers import classify_tax_id

FIELDS = ("name", "tax_id", "address", "phone", "bank", "account", "email")


class BuyerStep:
    """The buyer's title and the options. Needs no port: the title is checked by the rules
    on the request the session would send (``build_request``)."""

    def __init__(self, core: FlowCore, build_request: Callable[[], InvoiceRequest]) -> None:
        self.core = core
        self._build = build_request

    # --- the buyer -------------------------------------------------------------------

    def set_type(self, buyer_type: BuyerType) -> None:
        core = self.core
        core.touch()
        draft = core.data.buyer
        if draft.type is buyer_type:
            return
        draft.type = buyer_type
        if buyer_type is BuyerType.COMPANY and draft.name == "个人":
            draft.name = ""
        if buyer_type is BuyerType.PERSON:
            if not draft.name:
                draft.name = core.data.identity.name if core.data.identity else "个人"
            core.data.kind = InvoiceKind.NORMAL
        core.data.notice = None
        core.log("buyer_type", "buyer type", type=buyer_type.value)
        core.changed()

    def set_field(self, name: str, value: str) -> None:
        """Typing into one field (name, tax_id, address, phone, bank, account, email)."""
        core = self.core
        core.touch()
        if name not in FIELDS:
            raise ValueError(f"unknown buyer field {name!r}")
        if getattr(core.data.buyer, name) == value:
            return
        setattr(core.data.buyer, name, value)
        if name == "tax_id":
            core.data.buyer.tax_id_confirmed = False
            core.data.tax_id_feedback = classify_tax_id(value) if value.strip() else None
        core.changed()

    def set_show_address_bank(self, on: bool) -> None:
        self.core.touch()
        self.core.data.buyer.show_address_bank = on
        self.core.changed()

    @intent(Intent.BUYER_NEXT)
    def confirm_tax_id(self) -> None:
        """The buyer confirms a tax ID that failed its check digit (a warning, not an error)."""
        self.core.touch()
        self.core.data.buyer.tax_id_confirmed = True
        self.core.log("tax_id_confirmed", "tax ID warning confirmed",
                      tax_id=mask_tax_id(self.core.data.buyer.tax_id))
        self.next()

    def use_title(self, index: int) -> None:
        """A remembered title picked (on the review or the title screen): the person chose
        it, so it replaces the buyer without asking; the review reads it back."""
        core = self.core
        core.touch()
        if core.screen not in (Screen.BUYER, Screen.REVIEW) or not (
                0 <= index < len(core.data.titles)):
            return
        self.use_buyer(core.data.titles[index], "remembered")

    def use_buyer(self, buyer: Buyer, source: str) -> None:
        """A whole title from a remembered title or a scanned title code."""
        core = self.core
        data = core.data
        self._fill(buyer, source)
        if core.screen is Screen.BUYER:
            self.next()
        elif core.screen in (Screen.ATTRACT, Screen.ORDERS) and not data.lines:
            # Scanned before the receipt: read back, and the receipt is next.
            core.start()
            data.notice = say("flow.title_then_receipt", name=buyer.name)
            if core.screen is Screen.ATTRACT:
                core.go(Screen.ORDERS)
            else:
                core.changed()
        elif core.screen in (Screen.ORDERS, Screen.OPTIONS):
            core.go(Screen.REVIEW)  # the review reads the new title back
        else:
            core.changed()

    def _fill(self, buyer: Buyer, source: str) -> None:
        data = self.core.data
        data.buyer = BuyerDraft.from_buyer(buyer)
        data.title_offer = None
        data.tax_id_feedback = classify_tax_id(buyer.tax_id) if buyer.tax_id else None
        if data.buyer.type is BuyerType.PERSON:
            data.kind = InvoiceKind.NORMAL
        self.core.log("title_used", "title filled", source=source, type=buyer.type.value,
                      tax_id=mask_tax_id(buyer.tax_id))

    def offer_title(self, buyer: Buyer, source: str) -> None:
        """A scanned title code. It fills a blank title (个人, nothing typed) at once; a
        title already on the review (or the options) is replaced only when the person
        says so (:meth:`take_offer`); a person's own title code waits for the privacy
        notice when that is not yet accepted."""
        core = self.core
        data = core.data
        if data.buyer.same_title(buyer):
            data.title_offer = None
            core.changed()
            return
        if buyer.type is BuyerType.PERSON and not data.terms_accepted:
            data.title_offer = buyer
            back = Screen.REVIEW if data.lines else Screen.ORDERS
            data.pending_after_terms = back
            # "Not now" goes back to the walk-in (before it began: a wipe).
            data.terms_from = None if core.screen is Screen.ATTRACT else back
            core.start()
            core.log("title_offered", "personal title code: notice first", source=source)
            core.go(Screen.TERMS, kind="title_qr")
            return
        if core.screen in (Screen.REVIEW, Screen.OPTIONS) and not data.buyer.is_blank():
            data.title_offer = buyer
            core.log("title_offered", "title code scanned over a title: asking", source=source,
                     type=buyer.type.value, tax_id=mask_tax_id(buyer.tax_id))
            if core.screen is Screen.OPTIONS:
                core.go(Screen.REVIEW)  # the question is asked on the review
            else:
                core.changed()
            return
        self.use_buyer(buyer, source)

    def settle_offer(self) -> None:
        """After the notice: a waiting title fills a blank buyer (else it stays offered)."""
        data = self.core.data
        offer = data.title_offer
        if offer is not None and data.buyer.is_blank():
            self._fill(offer, "title_qr")

    def take_offer(self) -> None:
        """"Replace the title" on the review: the scanned title replaces the buyer."""
        core = self.core
        core.touch()
        offer = core.data.title_offer
        if offer is None:
            return
        self._fill(offer, "title_qr_confirmed")
        core.data.notice = None
        core.changed()

    def keep_title(self) -> None:
        """"Keep the title": the scanned title is dropped."""
        core = self.core
        core.touch()
        if core.data.title_offer is None:
            return
        core.data.title_offer = None
        core.log("title_kept", "scanned title not used")
        core.changed()

    def problem(self) -> Text | None:
        """Why the buyer cannot go on yet (None when it can): the buyer's own checks,
        then what :func:`kiosk.rules.validate_request` would refuse about the buyer."""
        data = self.core.data
        data.tax_id_feedback = tax_id_check(data.buyer)
        problem = buyer_problem(data.buyer)
        if problem is not None or not data.lines:
            return problem
        refused = [p for p in request_problems(self._build()) if p.field]
        return refused[0].text if refused else None

    @intent(Intent.BUYER_NEXT)
    def next(self) -> None:
        core = self.core
        core.touch()
        if core.screen not in (Screen.BUYER, Screen.REVIEW) or not core.data.lines:
            return
        problem = self.problem()
        if problem is not None:
            core.log("buyer_refused", "buyer not complete",
                     tax_id=mask_tax_id(core.data.buyer.tax_id))
            core.data.notice = problem
            if core.screen is not Screen.BUYER:
                core.go(Screen.BUYER)
            else:
                core.changed()
            return
        core.data.notice = None
        b = core.data.buyer
        if b.type is BuyerType.PERSON:
            core.data.kind = InvoiceKind.NORMAL  # a natural person gets an ordinary invoice
        # Back to the review, which reads the title back; the options are one touch away.
        if core.screen is Screen.REVIEW:
            core.changed()
        else:
            core.go(Screen.REVIEW, buyer=b.type.value, tax_id=mask_tax_id(b.tax_id))

    # --- the options -------------------------------------------------------------------

    def special_refusal(self) -> Text | None:
        """Why a special invoice (增值税专用发票) is not possible here, or None."""
        return special_refusal(self.core.data)

    def may_be_special(self) -> bool:
        return self.special_refusal() is None

    def set_kind(self, kind: InvoiceKind) -> None:
        core = self.core
        core.touch()
        refusal = self.special_refusal() if kind is InvoiceKind.SPECIAL else None
        if refusal is not None:
            core.notice(refusal)
            return
        core.data.kind = kind
        core.data.notice = None
        core.changed()

    def set_medium(self, medium: Medium) -> None:
        """Electronic or paper (paper: picked up unless :meth:`set_paper_delivery` says post)."""
        self.core.touch()
        self.core.data.medium = medium
        self.core.data.notice = None
        self.core.changed()

    @intent(Intent.BY_POST)
    def set_paper_delivery(self, by_post: bool, address: str | None = None) -> None:
        """Paper picked up, or by post to ``address``. A person's mailing address is
        personal data: the privacy notice comes first when it is not yet accepted
        ("not now" goes back to the options, picked up)."""
        core = self.core
        core.touch()
        data = core.data
        data.paper_by_post = by_post
        if address is not None:
            data.paper_delivery = address
        if (by_post and not data.terms_accepted and data.buyer.type is BuyerType.PERSON
                and core.screen is Screen.OPTIONS):
            data.pending_after_terms = data.terms_from = Screen.OPTIONS
            core.go(Screen.TERMS, then="by_post")
            return
        core.changed()

    @intent(Intent.OPTIONS_NEXT)
    def options_next(self) -> None:
        core = self.core
        core.touch()
        if core.screen is not Screen.OPTIONS:
            return
        data = core.data
        if data.medium is Medium.PAPER and data.paper_by_post and not data.paper_delivery.strip():
            core.notice(say("flow.address_needed"))
            return
        data.notice = None
        core.go(Screen.REVIEW)

    # --- the photo ---------------------------------------------------------------------

    def start_photo(self) -> None:
        """The user wants to photograph a contract or voucher: the camera (and its notice) on."""
        core = self.core
        core.touch()
        if not core.camera_ok:
            core.notice(say("flow.camera_unavailable"))
            return
        core.data.camera_on = True
        core.data.camera_for_photo = True
        core.log("camera_on", "camera on for a photo")
        core.changed()

    def attach_photo(self, png: bytes) -> None:
        """An optional camera photo of a contract or voucher; the camera goes off again.
        It is kept with the issued invoice's documents (see ``Services.save_attachment``)."""
        core = self.core
        core.touch()
        core.data.attachment = png
        core.data.camera_on = False
        core.data.camera_for_photo = False
        core.log("photo_attached", "photo attached", size=len(png))
        core.changed()
