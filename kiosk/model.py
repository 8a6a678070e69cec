"""The invoice domain model: orders, buyers, requests, invoices, red-letter forms.

Plain dataclasses with ``Decimal`` money and explicit states. No IO and no
rules here (those live in :mod:`kiosk.rules`); the model only holds values and
derives sums, so every layer can pass the same objects around.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

ZERO = Decimal("0.00")


class InvoiceKind(StrEnum):
    """普票 or 专票 (both fully digital e-invoices)."""

    NORMAL = "normal"  # 电子发票（普通发票）
    SPECIAL = "special"  # 电子发票（增值税专用发票）

    @property
    def invoice_title(self) -> str:
        return "电子发票（普通发票）" if self is InvoiceKind.NORMAL else "电子发票（增值税专用发票）"


class Medium(StrEnum):
    """How the buyer receives the invoice."""

    ELECTRONIC = "electronic"
    PAPER = "paper"  # a paper invoice on tax stock, mailed or picked up (a recorded request)


class BuyerType(StrEnum):
    PERSON = "person"
    COMPANY = "company"


class Colour(StrEnum):
    BLUE = "blue"  # ordinary invoice, LabelCode Y
    RED = "red"  # red-letter (negative) invoice, LabelCode N


class RequestStatus(StrEnum):
    """Where an issue request stands in the kiosk's outbox."""

    PENDING = "pending"  # recorded, not yet sent (or queued while offline)
    SENT = "sent"  # sent, no answer yet
    UNKNOWN = "unknown"  # the answer never came: query the platform before any retry
    ISSUED = "issued"
    REJECTED = "rejected"  # the platform refused it with a coded error


class RedFormStatus(StrEnum):
    """红字发票信息确认单 statuses, as the platform codes them.

    Providers also report codes outside 01-09 (10 void for an abnormal voucher,
    11-13): any other two-digit code decodes to a *void* pseudo-member that
    keeps its code as ``value`` (``RedFormStatus("10").value == "10"``,
    ``.is_void``), never to a crash. Such a status allows no red invoice.
    """

    NO_CONFIRMATION_NEEDED = "01"
    SELLER_FILED = "02"  # awaiting buyer
    BUYER_FILED = "03"  # awaiting seller
    CONFIRMED = "04"
    REJECTED_BY_BUYER = "05"
    REJECTED_BY_SELLER = "06"
    EXPIRED = "07"  # void after 72 h unconfirmed
    WITHDRAWN = "08"
    VOID_AFTER_CONFIRMATION = "09"

    @classmethod
    def _missing_(cls, value: object) -> RedFormStatus | None:
        """Any other two-digit code: a void status that shows its own code."""
        if not (isinstance(value, str) and len(value) == 2 and value.isascii()
                and value.isdigit()):
            return None
        member = str.__new__(cls, value)
        member._name_ = f"VOID_{value}"
        member._value_ = value
        # Cached, so the same code is the same object (``is`` comparisons hold).
        return cls._value2member_map_.setdefault(value, member)  # type: ignore[return-value]

    @property
    def known(self) -> bool:
        """One of the nine statuses the standard defines (01-09)."""
        return self.name in type(self).__members__

    @property
    def is_void(self) -> bool:
        """The form is dead (作废): 05-09 as published, or a provider's other code."""
        return not self.known or self.value >= "05"

    @property
    def allows_red_invoice(self) -> bool:
        return self in (RedFormStatus.NO_CONFIRMATION_NEEDED, RedFormStatus.CONFIRMED)


class RedReason(StrEnum):
    """Why a red-letter form is filed: two digits, 01-04.

    The one-digit forms 1-4 (which the kiosk wrote before, and which a user may
    type) decode to the same members: ``RedReason("1") is RedReason.ISSUED_IN_ERROR``.
    """

    ISSUED_IN_ERROR = "01"  # 开票有误
    GOODS_RETURNED = "02"  # 销货退回
    SERVICE_STOPPED = "03"  # 服务中止
    SALES_ALLOWANCE = "04"  # 销售折让

    @classmethod
    def _missing_(cls, value: object) -> RedReason | None:
        if isinstance(value, str) and len(value) == 1 and value in "1234":
            return cls("0" + value)
        return None


@dataclass(frozen=True)
class OrderLine:
    """One line of a paid order, as the point of sale recorded it.

    ``amount`` is price-inclusive (含税); ``rate`` is a fraction (0.13). A line
    under a special mark (免税 / 不征税) has rate 0 and ``rate_mark`` set.
    """

    name: str
    short_name: str
    tax_code: str
    quantity: Decimal
    unit_price: Decimal  # price-inclusive unit price
    amount: Decimal  # price-inclusive amount
    rate: Decimal
    rate_mark: str = ""  # "" | "免税" | "不征税"
    spec: str = ""  # 规格型号
    unit: str = ""  # 单位


@dataclass(frozen=True)
class Order:
    order_no: str
    paid_at: dt.datetime
    lines: tuple[OrderLine, ...]
    seller_tax_id: str = ""

    @property
    def total(self) -> Decimal:
        return sum((line.amount for line in self.lines), ZERO)


@dataclass(frozen=True)
class Buyer:
    """The invoice title (抬头)."""

    type: BuyerType
    name: str
    tax_id: str = ""
    address: str = ""
    phone: str = ""
    bank: str = ""
    account: str = ""
    email: str = ""
    show_address_bank: bool = False  # print address/phone/bank on the invoice
    tax_id_confirmed: bool = False  # the buyer confirmed a tax ID that failed its check (rules)


@dataclass(frozen=True)
class Seller:
    name: str
    tax_id: str
    address: str = ""
    phone: str = ""
    bank: str = ""
    account: str = ""


@dataclass(frozen=True)
class InvoiceRequest:
    """What the kiosk asks the platform to issue.

    ``request_id`` is derived from the order numbers (see
    ``kiosk.rules.request_id_for``), so a retry of the same orders can never
    become a second invoice.
    """

    request_id: str
    order_nos: tuple[str, ...]
    buyer: Buyer
    kind: InvoiceKind
    lines: tuple[OrderLine, ...]
    medium: Medium = Medium.ELECTRONIC
    remark: str = ""
    drawer: str = ""
    paper_delivery: str = ""  # mailing address, or "" for pickup, when medium is PAPER

    @property
    def total(self) -> Decimal:
        return sum((line.amount for line in self.lines), ZERO)


@dataclass(frozen=True)
class InvoiceLine:
    """A printed detail line: net amount and tax split out."""

    name: str  # full printed name: *简称*名称
    tax_code: str
    quantity: Decimal
    unit_price: Decimal  # net unit price (不含税单价)
    amount: Decimal  # net amount (金额)
    rate: Decimal
    tax: Decimal  # 税额
    rate_mark: str = ""
    spec: str = ""
    unit: str = ""


@dataclass(frozen=True)
class Invoice:
    """An issued invoice, blue or red, as the platform recorded it."""

    number: str  # 20 digits
    kind: InvoiceKind
    colour: Colour
    issued_at: dt.datetime
    seller: Seller
    buyer: Buyer
    lines: tuple[InvoiceLine, ...]
    request_id: str = ""
    order_nos: tuple[str, ...] = ()
    remark: str = ""
    drawer: str = ""
    original_number: str = ""  # for a red invoice: the blue invoice it corrects
    red_form_number: str = ""  # for a red invoice: the confirmation form
    medium: Medium = Medium.ELECTRONIC
    download_url: str = ""  # unguessable URL of the PDF/XML, for QR codes

    @property
    def total_net(self) -> Decimal:
        return sum((line.amount for line in self.lines), ZERO)

    @property
    def total_tax(self) -> Decimal:
        return sum((line.tax for line in self.lines), ZERO)

    @property
    def total(self) -> Decimal:
        """价税合计 = sum of net + sum of tax."""
        return self.total_net + self.total_tax


@dataclass(frozen=True)
class RedLetterForm:
    """红字发票信息确认单."""

    form_number: str  # 20 characters
    original_number: str
    reason: RedReason
    status: RedFormStatus
    filed_by: str  # "seller" | "buyer"
    filed_at: dt.datetime
    lines: tuple[InvoiceLine, ...] = field(default_factory=tuple)  # negative lines
    red_invoice_number: str = ""
