"""Fake ports for the session flow: a :class:`~kiosk.flow.ports.Services` in memory.

The session tests drive the flow against these instead of the real database,
sandbox platform and printer worker, so they run in well under a second each.
What is pure stays real: order QR codes are signed and verified by
:mod:`kiosk.orderqr`, title codes parsed by :mod:`kiosk.titleqr`, catalogue lines
built by :func:`kiosk.catalogue.line_for`, and the fake platform refuses what
:func:`kiosk.rules.validate_request` refuses. The end-to-end tests cover the
real services behind the same ports.

    kiosk = FakeKiosk()
    s = kiosk.session()
    s.code_scanned(kiosk.qr(kiosk.orders[0]))
    kiosk.next_outcome(IssueStatus.QUEUED)      # what the next issue() returns
    kiosk.printer.fail = "paper_out"            # the next prints raise
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from kiosk.accounts import Account, AccountKind, AuthError
from kiosk.catalogue import DEMO_CATALOGUE, CatalogueItem
from kiosk.demo import demo_orders
from kiosk.flow.ports import Runner, Services
from kiosk.flow.states import Identity, IdMethod
from kiosk.issuing import IssueOutcome, IssueStatus
from kiosk.model import Buyer, Colour, Invoice, InvoiceRequest, Order
from kiosk.orderqr import looks_like_order_qr, make_order_qr, resolve_order_qr
from kiosk.rules import invoice_lines_from_order_lines, validate_request
from kiosk.session import Session
from kiosk.titleqr import TitleQrResult, parse_title_qr
from tests.helpers.invoices import SELLER

SECRET = "fake-kiosk-secret"
NOW = dt.datetime(2026, 3, 15, 12, 0, tzinfo=dt.UTC)


class PrinterFailed(Exception):
    """What the real printer port raises when a receipt could not be printed."""

    def __init__(self, what: str) -> None:
        super().__init__(what)
        self.message_zh = f"打印机故障（{what}）：发票已开具，请扫描二维码或发送到邮箱获取。"
        self.message_en = f"The printer is {what.replace('_', ' ')}: your invoice is issued; scan the QR code or e-mail it."


@dataclass
class FakePrinter:
    """A receipt printer port: records what it printed; ``fail`` makes prints raise."""

    receipts: list[Invoice] = field(default_factory=list)
    claims: list[tuple[InvoiceRequest, str]] = field(default_factory=list)  # (request, lang)
    fail: str = ""

    def print_invoice(self, invoice: Invoice) -> None:
        if self.fail:
            raise PrinterFailed(self.fail)
        self.receipts.append(invoice)

    def print_claim(self, request_id: str, request: InvoiceRequest, lang: str) -> None:
        if self.fail:
            raise PrinterFailed(self.fail)
        assert request_id == request.request_id
        self.claims.append((request, lang))


class EventLog(logging.Handler):
    """Collects the ``session.*`` events the flow logs (the e2e tests wait on these)."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.events: list[dict[str, Any]] = []

    def emit(self, record: logging.LogRecord) -> None:
        event = getattr(record, "event", "")
        if event:
            self.events.append({"event": event, "msg": record.getMessage(),
                                **{k: v for k, v in vars(record).items()
                                   if k not in _RECORD_KEYS}})


_RECORD_KEYS = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message"}


@contextmanager
def captured_events() -> Iterator[EventLog]:
    handler = EventLog()
    logger = logging.getLogger("kiosk.session")
    old = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    try:
        yield handler
    finally:
        logger.removeHandler(handler)
        logger.setLevel(old)


@dataclass
class _User:
    password: str
    account: Account


class FakeKiosk:
    """The flow's outside world in memory, with knobs for the failures the flow handles."""

    def __init__(self, *, with_accounts: bool = True, with_mail: bool = True) -> None:
        self.orders: list[Order] = sorted(demo_orders(NOW), key=lambda o: o.order_no)
        self.store = {o.order_no: o for o in self.orders}
        self.invoices: dict[str, Invoice] = {}  # order number -> issued invoice
        self.requests: list[InvoiceRequest] = []  # every request issue() saw
        self.outcomes: list[IssueStatus | BaseException] = []  # scripted next outcomes
        self.printer = FakePrinter()
        self.mails: list[tuple[str, str]] = []  # (invoice number, address)
        self.mail_fails = False
        self.attachments: dict[str, bytes] = {}
        self.titles: dict[str, list[Buyer]] = {}
        self.catalogue: tuple[CatalogueItem, ...] = DEMO_CATALOGUE
        self.users = {
            "demo": _User("demo1234", Account(1, "demo", AccountKind.PERSON, "张三", "")),
            "shop": _User("shop1234", Account(2, "shop", AccountKind.BUSINESS, "示例商店", "")),
        }
        self._serial = 0
        self.services = Services(
            resolve_order_code=lambda text: resolve_order_qr(text, SECRET, self),
            looks_like_order_code=looks_like_order_qr,
            find_order=self.get,
            issue=self.issue,
            find_invoice_for_order=self.invoices.get,
            printer=self.printer,
            send_mail=self.send_mail if with_mail else None,
            flush_mail=self.flush_mail if with_mail else None,
            authenticate=self.authenticate if with_accounts else None,
            titles_for=self.titles_for,
            remember_title=self.remember_title,
            parse_title_qr=self.parse_title_qr,
            save_attachment=self.attachments.__setitem__,
            catalogue_search=self.catalogue_search,
        )

    # --- building a session -------------------------------------------------------

    def session(self, *, runner: Runner | None = None, clock: Callable[[], float] | None = None,
                idle_timeout_s: float = 90, countdown_s: float = 15) -> Session:
        kwargs: dict[str, Any] = {}
        if clock is not None:
            kwargs["clock"] = clock
        return Session(self.services, runner=runner, idle_timeout_s=idle_timeout_s,
                       countdown_s=countdown_s, drawer="自助终端",
                       seller_tax_id=SELLER.tax_id, **kwargs)

    def qr(self, order: Order) -> str:
        return make_order_qr(order.order_no, order.total, SECRET)

    def next_outcome(self, *outcomes: IssueStatus | BaseException) -> None:
        self.outcomes.extend(outcomes)

    # --- the ports ------------------------------------------------------------------

    def get(self, order_no: str) -> Order | None:  # also the OrderStore of resolve_order_qr
        return self.store.get(order_no)

    def issue(self, request: InvoiceRequest) -> IssueOutcome:
        self.requests.append(request)
        if self.outcomes:
            scripted = self.outcomes.pop(0)
            if isinstance(scripted, BaseException):
                raise scripted
            status = scripted
        else:
            status = IssueStatus.ISSUED
        done = next((self.invoices[n] for n in request.order_nos if n in self.invoices), None)
        if done is not None and done.request_id != request.request_id:
            status = IssueStatus.ALREADY_INVOICED
        errors = validate_request(request)
        if status is IssueStatus.ISSUED and errors:
            status = IssueStatus.REJECTED
        if status is IssueStatus.ISSUED:
            invoice = done or self._invoice(request)
            return IssueOutcome(status, request.request_id, invoice)
        messages = {
            IssueStatus.ALREADY_INVOICED: ("该订单已开具发票", "This order is already invoiced"),
            IssueStatus.QUEUED: ("开票平台暂时无法连接，申请已保存", "The platform is unreachable; "
                                 "the request is saved"),
            IssueStatus.UNKNOWN: ("开票结果未知", "The result is unknown"),
            IssueStatus.REJECTED: (
                "；".join(e.message_zh for e in errors) or "开票平台拒绝了该申请",
                "; ".join(e.message_en for e in errors) or "The platform refused the request"),
        }[status]
        return IssueOutcome(status, request.request_id, done, *messages)

    def _invoice(self, request: InvoiceRequest) -> Invoice:
        self._serial += 1
        invoice = Invoice(
            number=f"2611200000013511{self._serial:04d}", kind=request.kind, colour=Colour.BLUE,
            issued_at=NOW.replace(tzinfo=None), seller=SELLER, buyer=request.buyer,
            lines=invoice_lines_from_order_lines(request.lines), request_id=request.request_id,
            order_nos=request.order_nos, drawer=request.drawer, medium=request.medium,
            download_url=f"https://example.invalid/{request.request_id}",
        )
        for order_no in request.order_nos:
            self.invoices[order_no] = invoice
        return invoice

    def send_mail(self, invoice: Invoice, address: str) -> None:
        if self.mail_fails:
            raise ConnectionError("smtp down")
        self.mails.append((invoice.number, address))

    def flush_mail(self) -> bool:
        return not self.mail_fails

    def authenticate(self, user: str, password: str) -> Account:
        known = self.users.get(user)
        if known is None or known.password != password:
            raise AuthError("bad_credentials", "用户名或密码错误", "Wrong user name or password")
        return known.account

    def _key(self, identity: Identity) -> str:
        if identity.method is IdMethod.ACCOUNT and identity.account is not None:
            return f"account:{identity.account.id}"
        return f"id:{identity.id_number}"

    def titles_for(self, identity: Identity) -> Sequence[Buyer]:
        return list(self.titles.get(self._key(identity), []))

    def remember_title(self, identity: Identity, buyer: Buyer) -> None:
        self.titles.setdefault(self._key(identity), []).append(buyer)

    def remember_for_account(self, user: str, buyer: Buyer) -> None:
        self.titles.setdefault(f"account:{self.users[user].account.id}", []).append(buyer)

    def parse_title_qr(self, text: str) -> TitleQrResult:
        return parse_title_qr(text)

    def catalogue_search(self, text: str) -> Sequence[CatalogueItem]:
        return [i for i in self.catalogue if text in i.name or text in i.code]
