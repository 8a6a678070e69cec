"""Sample orders, requests and issued invoices for tests (fictitious but rule-valid).

Every factory is deterministic: the same arguments give equal objects, so a
golden file or a snapshot can depend on them. Tax IDs are computed with the
real check algorithms, so they pass :func:`kiosk.rules.is_valid_credit_code`.

    sample_invoice(lines=3, kind=InvoiceKind.SPECIAL, buyer="company")
    sample_invoice(buyer="person")           # a natural person with an ID number
    sample_red_invoice()                      # red-letter copy of sample_invoice()
    sample_request(lines=2)                   # an InvoiceRequest that validates
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from kiosk.model import (
    Buyer,
    BuyerType,
    Colour,
    Invoice,
    InvoiceKind,
    InvoiceLine,
    InvoiceRequest,
    OrderLine,
    Seller,
)
from kiosk.rules import (
    credit_code_check_char,
    invoice_lines_from_order_lines,
    org_code_check_char,
    request_id_for,
)

ISSUED_AT = dt.datetime(2026, 3, 15, 10, 30, 0)
BLUE_NUMBER = "26112000000135114086"
RED_NUMBER = "26112000000135119921"
RED_FORM_NUMBER = "11010826031500001234"
PERSON_ID = "11010519491231002X"  # the GB 11643 worked example


def make_credit_code(prefix8: str, body8: str) -> str:
    """A credit code with both the organisation-code and the final check correct."""
    first17 = prefix8 + body8 + org_code_check_char(body8)
    return first17 + credit_code_check_char(first17)


SELLER_TAX_ID = make_credit_code("91110108", "MA01B2C3")
BUYER_TAX_ID = make_credit_code("91310115", "MA1H4K7N")

SELLER = Seller(
    name="北京示例餐饮管理有限公司",
    tax_id=SELLER_TAX_ID,
    address="北京市海淀区中关村大街1号",
    phone="010-62345678",
    bank="中国工商银行北京中关村支行",
    account="0200004509200123456",
)

COMPANY_BUYER = Buyer(
    type=BuyerType.COMPANY,
    name="上海示例信息技术有限公司",
    tax_id=BUYER_TAX_ID,
    address="上海市浦东新区张江路100号",
    phone="021-58881234",
    bank="招商银行上海张江支行",
    account="121900000010001",
    email="finance@example.com",
)

PERSON_BUYER = Buyer(type=BuyerType.PERSON, name="张三丰", tax_id=PERSON_ID,
                     email="zhang.sanfeng@example.com")

# (short name, name, tax code, rate, qty, price-inclusive unit price, spec, unit)
CATALOGUE: tuple[tuple[str, str, str, str, str, str, str, str], ...] = (
    ("餐饮服务", "餐费", "3070401000000000000", "0.06", "1", "113.00", "", "次"),
    ("汽油", "92号车用汽油（VIB）", "1070101010100000000", "0.13", "35.5", "7.89", "92#", "升"),
    ("图书", "Python编程：从入门到实践（第3版）全彩印刷精装典藏版附赠配套练习册与在线视频课程",
     "1060512000000000000", "0.09", "2", "89.90", "ISBN 978-7-115-61327-9", "本"),
    ("信息技术服务", "软件维护服务费", "3040201000000000000", "0.06", "1", "1000.00", "V2.1", "项"),
    ("非酒精饮料", "矿泉水 550ml", "1030307020000000000", "0.13", "24", "2.50", "550ml×24", "瓶"),
)


def sample_order_lines(n: int = 1) -> tuple[OrderLine, ...]:
    """``n`` price-inclusive order lines cycling through :data:`CATALOGUE`."""
    out = []
    for i in range(n):
        short, name, code, rate, qty, price, spec, unit = CATALOGUE[i % len(CATALOGUE)]
        q, p = Decimal(qty), Decimal(price)
        out.append(OrderLine(name=name, short_name=short, tax_code=code, quantity=q,
                             unit_price=p, amount=(q * p).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP),
                             rate=Decimal(rate), spec=spec, unit=unit))
    return tuple(out)


def _buyer(buyer: str | Buyer) -> Buyer:
    if isinstance(buyer, Buyer):
        return buyer
    return {"company": COMPANY_BUYER, "person": PERSON_BUYER}[buyer]


def sample_request(lines: int = 1, kind: InvoiceKind = InvoiceKind.NORMAL,
                   buyer: str | Buyer = "company", order_nos: tuple[str, ...] = ("SO20260315001",)
                   ) -> InvoiceRequest:
    return InvoiceRequest(
        request_id=request_id_for(order_nos, SELLER_TAX_ID),
        order_nos=order_nos,
        buyer=_buyer(buyer),
        kind=kind,
        lines=sample_order_lines(lines),
        drawer="李收银",
    )


def sample_invoice(lines: int = 1, kind: InvoiceKind = InvoiceKind.NORMAL,
                   buyer: str | Buyer = "company", *, number: str = BLUE_NUMBER,
                   remark: str = "订单号 SO20260315001", download_url: str = "") -> Invoice:
    """A blue invoice as the platform would issue it for :func:`sample_request`."""
    request = sample_request(lines, kind, buyer)
    return Invoice(
        number=number,
        kind=kind,
        colour=Colour.BLUE,
        issued_at=ISSUED_AT,
        seller=SELLER,
        buyer=request.buyer,
        lines=invoice_lines_from_order_lines(request.lines),
        request_id=request.request_id,
        order_nos=request.order_nos,
        remark=remark,
        drawer=request.drawer,
        download_url=download_url,
    )


def negate(line: InvoiceLine) -> InvoiceLine:
    return InvoiceLine(name=line.name, tax_code=line.tax_code, quantity=-line.quantity,
                       unit_price=line.unit_price, amount=-line.amount, rate=line.rate,
                       tax=-line.tax, rate_mark=line.rate_mark, spec=line.spec, unit=line.unit)


def sample_red_invoice(blue: Invoice | None = None) -> Invoice:
    """The full red-letter (negative) invoice correcting ``blue`` (default: sample_invoice())."""
    blue = blue or sample_invoice()
    return Invoice(
        number=RED_NUMBER,
        kind=blue.kind,
        colour=Colour.RED,
        issued_at=ISSUED_AT + dt.timedelta(days=2),
        seller=blue.seller,
        buyer=blue.buyer,
        lines=tuple(negate(line) for line in blue.lines),
        request_id=blue.request_id,
        order_nos=blue.order_nos,
        remark=(f"被红冲蓝字数电发票号码：{blue.number} "
                f"红字发票信息确认单编号：{RED_FORM_NUMBER}"),
        drawer=blue.drawer,
        original_number=blue.number,
        red_form_number=RED_FORM_NUMBER,
    )
