"""The walk-in session as a state machine, testable without Qt.

Screens (:class:`~kiosk.flow.states.Screen`) are the states; public methods are
the intents a screen sends ("accept", "next", "issue", a scanned code); plain
callbacks (:meth:`Session.add_listener`) tell the UI to redraw. The machine
never blocks: issuing, printing and mail go to a :class:`~kiosk.flow.ports.Runner`
and come back through ``done`` callbacks.

Touch budget (design target, counted in tests): a scanned receipt QR on the
attract screen opens ORDERS at once, with the privacy notice summarised there,
so "accept & continue" is both the consent and the first touch. Defaults are
preselected (person "个人", ordinary, electronic), so a walk-in personal invoice
is: accept & continue -> next (buyer) -> issue = 3 touches, and the receipt
prints by itself when the printer's preflight is good. A company with a
remembered title: accept, pick the title (goes on to OPTIONS), special, next,
issue = 5; with a scanned title code the scan does the filling (4).

Privacy: everything personal sits in one :class:`SessionData`, replaced whole by
:meth:`Session.wipe` on finish and on idle timeout. Every transition is logged
as a ``session.*`` JSON event with the session id and masked data only.
"""

from __future__ import annotations

import dataclasses
import logging
import time
import uuid
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from kiosk.flow.ports import InlineRunner, Runner, Services
from kiosk.flow.states import (
    FAILURES,
    OVERLAYS,
    RESTING,
    BuyerDraft,
    Identity,
    IdMethod,
    Screen,
    SessionData,
    Text,
)
from kiosk.logs import current_session
from kiosk.masking import mask_name, mask_tax_id
from kiosk.model import Buyer, BuyerType, Invoice, InvoiceKind, InvoiceRequest, Medium
from kiosk.rules.identifiers import Severity, classify_tax_id

log = logging.getLogger("kiosk.session")

Listener = Callable[["Session"], None]

MAX_ORDERS = 20
MAX_LOGIN_FAILURES_SHOWN = 5

T_NOT_FOUND = Text("未找到该订单号，请核对小票上的订单号", "No order with this number; check the receipt")
T_DUPLICATE = Text("该订单已添加", "This order is already in the list")
T_TOO_MANY = Text(f"一张发票最多合并 {MAX_ORDERS} 个订单", f"At most {MAX_ORDERS} orders per invoice")
T_NO_ORDERS = Text("请先扫描或输入订单", "Scan or type an order first")
T_NAME_NEEDED = Text("请填写发票抬头（名称）", "Enter the buyer's name (invoice title)")
T_TAXID_NEEDED = Text("单位抬头需要纳税人识别号", "A company title needs a tax ID")
T_SPECIAL_COMPANY = Text("专用发票仅开给有纳税人识别号的单位",
                         "A special invoice is only for a company with a tax ID")
T_CONFIRM_TAXID = Text("请确认纳税人识别号无误后再继续", "Confirm the tax ID before you continue")
T_NO_PRINTER = Text("打印机不可用：请用手机扫描二维码下载发票，或发送到邮箱",
                    "The printer is not available: scan the QR code with your phone or e-mail it")
T_NO_ACCOUNTS = Text("本终端未开通账户登录", "Account login is not available on this terminal")
T_CAMERA = Text("摄像头不可用，请使用扫码器或手工输入订单号",
                "The camera is not available; use the scanner or type the order number")
T_BAD_EMAIL = Text("邮箱地址格式不正确", "That e-mail address is not valid")
T_NOT_BUSINESS = Text("商品目录仅供企业账户使用", "The catalogue is for business accounts only")
T_ADDRESS_NEEDED = Text("请填写邮寄地址，或选择到柜台领取", "Enter a mailing address, or pick it up")
T_UNREADABLE = Text("扫码内容无法识别，请重新扫描，或输入小票上的订单号",
                    "The code could not be read: scan it again or type the order number")
T_IDCARD_FAILED = Text("未能读取身份证，请拿起后重新放稳在读卡区",
                       "The ID card could not be read: lift it and place it flat again")
T_BAD_LINE = Text("数量、单价或金额不正确", "Quantity, unit price or amount is not valid")


class Session:
    """One kiosk's walk-in flow. Construct once; every walk-in is a fresh :class:`SessionData`."""

    def __init__(
        self,
        services: Services,
        *,
        runner: Runner | None = None,
        idle_timeout_s: float = 90,
        countdown_s: float = 15,
        clock: Callable[[], float] = time.monotonic,
        drawer: str = "",
        seller_tax_id: str = "",
    ) -> None:
        self.services = services
        self.runner: Runner = runner or InlineRunner()
        self.idle_timeout_s = idle_timeout_s
        self.countdown_s = countdown_s
        self.clock = clock
        self.drawer = drawer
        self.seller_tax_id = seller_tax_id
        self.screen = Screen.ATTRACT
        self.data = SessionData()
        self.covered: Screen | None = None  # the screen an overlay covers
        self.last_activity = clock()
        self.countdown_deadline = 0.0
        self.printer_ok = True
        self.camera_ok = True
        self.out_of_service_reason: Text | None = None
        self._listeners: list[Listener] = []

    # --- listeners and logging ---------------------------------------------------

    def add_listener(self, listener: Listener) -> None:
        self._listeners.append(listener)

    def _changed(self) -> None:
        for listener in list(self._listeners):
            listener(self)

    def _log(self, event: str, msg: str, **fields: Any) -> None:
        log.info(msg, extra={"event": f"session.{event}", "session": self.data.session_id, **fields})

    def _go(self, screen: Screen, **fields: Any) -> None:
        before = self.screen
        self.screen = screen
        if screen not in OVERLAYS:
            self.covered = None
        self._log("transition", f"{before.value} -> {screen.value}",
                  **{"from": before.value, "to": screen.value, **fields})
        self._changed()

    def _notice(self, text: Text | None) -> None:
        self.data.notice = text
        self._changed()

    def touch(self) -> None:
        """Any touch or key press: the user is still there."""
        self.last_activity = self.clock()

    def _start(self) -> None:
        if not self.data.session_id:
            self.data.session_id = uuid.uuid4().hex[:12]
            current_session.set(self.data.session_id)
            self._log("started", "session started")

    # --- attract, terms, identification -------------------------------------------

    def begin(self, way: str) -> None:
        """A button on the attract screen: ``type`` (order number), ``idcard``, ``login``,
        ``qr`` (personal code), ``business``. Terms come first; then the chosen way."""
        self.touch()
        self._start()
        after = {"type": Screen.ORDERS, "idcard": Screen.IDCARD_CONSENT, "login": Screen.LOGIN,
                 "qr": Screen.IDENTIFY, "business": Screen.LOGIN}.get(way, Screen.IDENTIFY)
        if self.data.terms_accepted:
            self._go(after, way=way)
        else:
            self.data.pending_after_terms = after
            self._go(Screen.TERMS, way=way)

    def accept_terms(self) -> None:
        """The privacy notice accepted (on TERMS, or the summary on ORDERS)."""
        self.touch()
        self._start()
        self.data.terms_accepted = True
        self._log("terms_accepted", "terms accepted")
        if self.screen is Screen.TERMS:
            nxt = self.data.pending_after_terms or Screen.IDENTIFY
            self.data.pending_after_terms = None
            self._go(nxt)
        elif self.screen is Screen.ORDERS:
            self.orders_continue()

    def show_terms(self) -> None:
        """The full notice from the summary on ORDERS; accepting it comes back to ORDERS."""
        self.touch()
        self.data.pending_after_terms = self.screen
        self._go(Screen.TERMS)

    def choose_identification(self, method: str) -> None:
        self.touch()
        if method == "idcard":
            self._go(Screen.IDCARD_CONSENT)
        elif method == "account":
            self._go(Screen.LOGIN)
        elif method == "qr":
            self._notice(Text("请将个人二维码对准扫码口", "Hold your personal QR code to the scanner"))
        else:  # skip: a walk-in without identification
            self._go(Screen.ORDERS)

    def consent_idcard(self, agreed: bool) -> None:
        """Separate consent before the ID card is read (sensitive personal data)."""
        self.touch()
        self._log("idcard_consent", "ID card consent", agreed=agreed)
        self._go(Screen.IDCARD_READING if agreed else Screen.IDENTIFY)

    def idcard_read(self, name: str, id_number: str) -> None:
        """The reader delivered an identity. Ignored unless the user consented (READING)."""
        if self.screen is not Screen.IDCARD_READING:
            self._log("idcard_ignored", "ID card read without consent ignored")
            return
        self.touch()
        self.data.identity = Identity(IdMethod.IDCARD, name=name, id_number=id_number)
        self.data.buyer = BuyerDraft(type=BuyerType.PERSON, name=name)
        self._load_titles()
        self._log("identified", "identified by ID card", method="idcard", holder=mask_name(name))
        self._go(Screen.ORDERS)

    def _load_titles(self) -> None:
        identity = self.data.identity
        if identity is not None and self.services.titles_for is not None:
            try:
                self.data.titles = list(self.services.titles_for(identity))
            except Exception:
                log.exception("titles could not be loaded", extra={"event": "session.titles_error"})

    def login(self, user: str, password: str) -> None:
        self.touch()
        if self.services.authenticate is None:
            self._notice(T_NO_ACCOUNTS)
            return
        try:
            account = self.services.authenticate(user, password)
        except Exception as err:
            self.data.login_failures += 1
            self._log("login_failed", "login failed", failures=self.data.login_failures)
            self._notice(_text_of(err, Text("用户名或密码错误", "Wrong user name or password")))
            return
        business = str(getattr(account, "kind", "person")).endswith("business")
        display = str(getattr(account, "display_name", "") or getattr(account, "name", "") or user)
        self.data.identity = Identity(IdMethod.ACCOUNT, name=display, account=account,
                                      business=business)
        self._load_titles()
        self.data.notice = None
        self._log("identified", "identified by account", method="account", business=business,
                  titles=len(self.data.titles))
        self._go(Screen.CATALOGUE if business else Screen.ORDERS)

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

    def idcard_failed(self, message: str = "") -> None:
        """The reader could not read the card: say so, stay on the reading screen."""
        if self.screen is Screen.IDCARD_READING:
            self._log("idcard_failed", "ID card read failed")
            self._notice(T_IDCARD_FAILED)

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

    # --- review, issue, result ---------------------------------------------------------

    def build_request(self) -> InvoiceRequest:
        from kiosk.rules import request_id_for

        data = self.data
        # A catalogue sale has no point-of-sale order: it gets one number for this
        # session, so a retry is the same request (and never a second invoice).
        order_nos = data.order_nos or (f"BIZ-{data.session_id}",)
        request_id = request_id_for(order_nos, self.seller_tax_id)
        return InvoiceRequest(
            request_id=request_id, order_nos=order_nos, buyer=data.buyer.freeze(),
            kind=data.kind, lines=data.lines, medium=data.medium, drawer=self.drawer,
            paper_delivery=(data.paper_delivery.strip()
                            if data.medium is Medium.PAPER and data.paper_by_post else ""),
        )

    def confirm_issue(self) -> None:
        """"Confirm & issue" on REVIEW: issue asynchronously, ISSUING shows progress."""
        self.touch()
        if self.screen is not Screen.REVIEW or not self.data.lines:
            return
        problem = self.buyer_problem()
        if problem is not None:
            self.data.notice = problem
            self._go(Screen.BUYER)
            return
        request = self.build_request()
        self.data.request = request
        self._go(Screen.ISSUING, request_id=request.request_id, orders=list(request.order_nos),
                 kind=request.kind.value, medium=request.medium.value,
                 buyer=request.buyer.type.value, tax_id=mask_tax_id(request.buyer.tax_id),
                 total=str(request.total))
        session_id = self.data.session_id
        self.runner.submit("issue", lambda: self.services.issue(request),
                           lambda result, error: self._issued(session_id, result, error))

    def _issued(self, session_id: str, outcome: Any, error: BaseException | None) -> None:
        if session_id != self.data.session_id or self.screen is not Screen.ISSUING:
            return  # the session was wiped meanwhile
        self.last_activity = self.clock()
        data = self.data
        data.outcome = outcome
        if error is not None:
            log.error("issuing raised", exc_info=error,
                      extra={"event": "session.issue_error", "session": session_id})
            data.notice = Text("开票结果未知：系统正在向平台核实，请勿重复开票",
                               "The result is unknown: the kiosk is checking with the platform; "
                               "do not issue again")
            self._go(Screen.RESULT_UNKNOWN, status="error")
            return
        status = str(getattr(outcome, "status", "unknown")).rsplit(".", 1)[-1].lower()
        # The outcome's message explains a failure; success speaks for itself.
        data.notice = None if status == "issued" else _text_of(outcome, None)
        invoice = getattr(outcome, "invoice", None)
        if status == "issued" and invoice is not None:
            data.invoice = invoice
            self._go(Screen.RESULT, status=status, invoice=invoice.number)
            self._remember_title()
            self._save_attachment(invoice)
            self._deliver(invoice)
        elif status == "already_invoiced":
            data.invoice = invoice
            self._go(Screen.ALREADY_INVOICED, status=status)
        elif status == "queued":
            self._go(Screen.PLATFORM_QUEUED, status=status)
            self._print_claim()
        elif status == "rejected":
            self._go(Screen.REJECTED, status=status)
        else:
            self._go(Screen.RESULT_UNKNOWN, status=status)

    def _save_attachment(self, invoice: Invoice) -> None:
        save = self.services.save_attachment
        if not self.data.attachment or save is None:
            return
        try:
            save(invoice.number, self.data.attachment)
        except Exception:
            log.exception("attachment not saved", extra={"event": "session.attachment_error",
                                                         "session": self.data.session_id})

    def _remember_title(self) -> None:
        identity = self.data.identity
        if identity is None or self.services.remember_title is None:
            return
        if self.data.buyer.type is BuyerType.PERSON and self.data.buyer.name == "个人":
            return
        try:
            self.services.remember_title(identity, self.data.buyer.freeze())
        except Exception:
            log.exception("could not remember the title",
                          extra={"event": "session.title_not_remembered"})

    def _deliver(self, invoice: Invoice) -> None:
        """After issue: print the receipt; send the mail the issuing service queued."""
        email = self.data.buyer.email.strip()
        if email and self.services.flush_mail is not None:
            flush = self.services.flush_mail
            self.data.mailing = True
            session_id = self.data.session_id
            self.runner.submit("mail", flush,
                               lambda sent, error: self._mailed(
                                   session_id, email, error if error else
                                   (None if sent else RuntimeError("mail not sent yet"))))
        self.print_receipt()

    def print_receipt(self) -> None:
        """Print (or reprint) the courtesy receipt. The printer port checks its preflight
        first (off the UI thread) and raises when the printer is not good."""
        self.touch()
        invoice = self.data.invoice
        printer = self.services.printer
        if invoice is None or self.data.printing:
            return
        if printer is None:
            self.data.notice = T_NO_PRINTER
            self._go(Screen.PRINTER_PROBLEM, phase="none")
            return
        self.data.printing = True
        session_id = self.data.session_id
        self._log("printing", "printing receipt", invoice=invoice.number)
        self._changed()
        self.runner.submit("print", lambda: printer.print_invoice(invoice),
                           lambda _r, error: self._printed(session_id, error))

    def _printed(self, session_id: str, error: BaseException | None) -> None:
        if session_id != self.data.session_id:
            return
        self.data.printing = False
        if error is not None:
            self.printer_ok = False
            self.data.notice = _text_of(error, T_NO_PRINTER)
            self._go(Screen.PRINTER_PROBLEM, error=type(error).__name__)
            return
        self.data.printed = True
        self._log("printed", "receipt printed")
        if self.screen is Screen.PRINTER_PROBLEM:
            self._go(Screen.RESULT)
        else:
            self._changed()

    def _print_claim(self) -> None:
        printer = self.services.printer
        request = self.data.request
        if printer is None or request is None:
            return
        session_id = self.data.session_id
        message = self.data.notice.zh if self.data.notice else ""
        self.data.printing = True
        self.runner.submit("print_claim", lambda: printer.print_claim(request, message),
                           lambda _r, error: self._claim_printed(session_id, error))

    def _claim_printed(self, session_id: str, error: BaseException | None) -> None:
        if session_id != self.data.session_id:
            return
        self.data.printing = False
        self.data.printed = error is None
        self._log("claim_printed", "claim receipt printed", ok=error is None)
        self._changed()

    def send_email(self, address: str) -> None:
        self.touch()
        invoice = self.data.invoice
        if invoice is None or self.services.send_mail is None or self.data.mailing:
            return
        if not _plausible_email(address):
            self._notice(T_BAD_EMAIL)
            return
        send = self.services.send_mail
        self.data.mailing = True
        session_id = self.data.session_id
        self._log("mailing", "sending invoice by e-mail", invoice=invoice.number)
        self._changed()
        self.runner.submit("mail", lambda: send(invoice, address.strip()),
                           lambda _r, error: self._mailed(session_id, address.strip(), error))

    def _mailed(self, session_id: str, address: str, error: BaseException | None) -> None:
        if session_id != self.data.session_id:
            return
        self.data.mailing = False
        if error is None:
            self.data.mail_sent_to = address
            self._log("mailed", "invoice e-mailed")
        else:
            self.data.notice = _text_of(error, Text("邮件发送失败，请扫描二维码下载",
                                                    "The e-mail failed; scan the QR code instead"))
            log.warning("mail failed", extra={"event": "session.mail_failed",
                                               "session": session_id, "error": type(error).__name__})
        self._changed()

    def retry_issue(self) -> None:
        """From RESULT_UNKNOWN / PLATFORM_QUEUED: ask again with the SAME request id."""
        self.touch()
        request = self.data.request
        if request is None:
            return
        self._go(Screen.ISSUING, request_id=request.request_id, retry=True)
        session_id = self.data.session_id
        self.runner.submit("issue", lambda: self.services.issue(request),
                           lambda result, error: self._issued(session_id, result, error))

    def finish(self) -> None:
        """Done (or "start over"): wipe everything and return to the attract screen."""
        self.touch()
        self.wipe("finish")

    def back(self) -> None:
        self.touch()
        prev = {
            Screen.TERMS: Screen.ATTRACT, Screen.IDENTIFY: Screen.ATTRACT,
            Screen.IDCARD_CONSENT: Screen.IDENTIFY, Screen.IDCARD_READING: Screen.IDENTIFY,
            Screen.LOGIN: Screen.IDENTIFY, Screen.ORDERS: Screen.ATTRACT,
            Screen.CATALOGUE: Screen.ATTRACT, Screen.BUYER: Screen.ORDERS,
            Screen.OPTIONS: Screen.BUYER, Screen.REVIEW: Screen.BUYER,
            Screen.BAD_QR: Screen.ORDERS if self.data.orders else Screen.ATTRACT,
            Screen.CAMERA_UNAVAILABLE: Screen.ORDERS, Screen.REJECTED: Screen.REVIEW,
            Screen.PRINTER_PROBLEM: Screen.RESULT,
        }.get(self.screen)
        if self.screen is Screen.BUYER and self.data.catalogue_lines:
            prev = Screen.CATALOGUE
        if self.screen is Screen.REVIEW and self.data.buyer.type is BuyerType.COMPANY:
            prev = Screen.OPTIONS
        if self.screen in OVERLAYS:
            self.resume()
            return
        if prev is Screen.ATTRACT:
            self.wipe("back")
        elif prev is not None:
            self.data.notice = None
            self._go(prev)

    # --- overlays: help, support, tutorial, idle --------------------------------------

    def open_overlay(self, screen: Screen) -> None:
        self.touch()
        if screen not in OVERLAYS:
            raise ValueError(f"{screen} is not an overlay")
        if self.screen not in OVERLAYS:
            self.covered = self.screen
        cover = self.covered
        self._go(screen)
        self.covered = cover

    def resume(self) -> None:
        """Close an overlay ("need more time?" -> yes; close support or tutorial)."""
        self.touch()
        target = self.covered or Screen.ATTRACT
        self.covered = None
        self._go(target)

    def tick(self) -> None:
        """Called about once a second by the UI: the idle timer and the countdown."""
        now = self.clock()
        if self.screen is Screen.IDLE_WARNING:
            if now >= self.countdown_deadline:
                self._log("idle_timeout", "idle timeout: session wiped")
                self.wipe("idle")
            return
        if self.screen in RESTING or self.data.printing:
            return
        if now - self.last_activity >= self.idle_timeout_s:
            self.countdown_deadline = now + self.countdown_s
            self.open_overlay(Screen.IDLE_WARNING)
            self.last_activity = now - self.idle_timeout_s  # open_overlay touched: undo

    def countdown_left(self) -> int:
        return max(0, int(round(self.countdown_deadline - self.clock())))

    def wipe(self, reason: str) -> None:
        """Drop everything personal and return to the attract screen."""
        old = self.data.session_id
        self.data = SessionData()
        self.covered = None
        current_session.set("")
        log.info("session wiped", extra={"event": "session.wiped", "session": old,
                                          "reason": reason})
        if self.screen is not Screen.OUT_OF_SERVICE:
            self._go(Screen.ATTRACT, reason=reason)

    # --- devices --------------------------------------------------------------------

    def printer_status(self, usable: bool) -> None:
        self.printer_ok = usable

    def use_camera(self) -> None:
        """The user chose the camera to scan: show ORDERS with the camera notice on."""
        self.touch()
        self._start()
        if not self.camera_ok:
            self.camera_unavailable()
            return
        self.data.camera_on = True
        self.data.camera_for_photo = False
        self._log("camera_on", "camera in use")
        self._go(Screen.ORDERS)

    def camera_off(self) -> None:
        self.touch()
        self.data.camera_on = False
        self.data.camera_for_photo = False
        self._changed()

    def camera_status(self, usable: bool) -> None:
        self.camera_ok = usable
        if not usable and self.data.camera_on:
            self.data.camera_on = False
            self.camera_unavailable()

    def camera_unavailable(self) -> None:
        """The user wanted the camera and it is not there: say so and offer the other ways."""
        self.camera_ok = False
        self.data.notice = T_CAMERA
        self._go(Screen.CAMERA_UNAVAILABLE)

    def out_of_service(self, reason: Text) -> None:
        self.out_of_service_reason = reason
        self.data = SessionData()
        self._go(Screen.OUT_OF_SERVICE)

    def back_in_service(self) -> None:
        self.out_of_service_reason = None
        self.screen = Screen.ATTRACT
        self._go(Screen.ATTRACT)


def _text_of(obj: Any, default: Text | None) -> Text | None:
    """The zh/en message an error or outcome carries, else ``default``."""
    zh = getattr(obj, "message_zh", "") if obj is not None else ""
    en = getattr(obj, "message_en", "") if obj is not None else ""
    if zh or en:
        return Text(zh or en, en or zh)
    return default


def _plausible_email(address: str) -> bool:
    from kiosk.rules.fields import is_valid_email

    return is_valid_email(address.strip())
