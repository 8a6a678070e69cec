"""Demo orders, seeded on first start so a fresh kiosk has something to invoice.

Seeded only into an EMPTY order table and only once (a ``meta`` key records it,
so deleting the demo orders does not bring them back). The composition root
calls :func:`seed_demo_orders` when ``[orders] seed_demo`` is true.

The orders cover the common cases at the rates in force (domain.md): catering
6%, parking as real-estate leasing 9%, a multi-line shop order of goods at 13%,
a bookshop order whose books are exempt (图书零售免征增值税, 免税) beside a
13% tote bag, and a small café order. Tax codes are plausible 19-digit codes
of the right category (first digit: 1 goods, 3 services); short names are the
classification short names printed as ``*简称*名称``.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING

from kiosk.model import Buyer, BuyerType, Order, OrderLine
from kiosk.orders import OrderStore
from kiosk.storage import get_meta, set_meta

if TYPE_CHECKING:
    from kiosk.accounts import AccountStore

log = logging.getLogger("kiosk.demo")

SEEDED_KEY = "orders.demo_seeded"
TITLES_SEEDED_KEY = "accounts.demo_titles_seeded"
DEMO_TITLE_USER = "demo"
# The demo person's remembered titles (README: "a person, with remembered titles"):
# two companies the person invoices for, with valid credit codes.
DEMO_TITLES: tuple[Buyer, ...] = (
    Buyer(type=BuyerType.COMPANY, name="厦门示例贸易有限公司", tax_id="91350200776049653A",
          address="厦门市思明区湖滨南路100号", phone="0592-5551234", bank="中国银行厦门分行",
          account="410012345678901234"),
    Buyer(type=BuyerType.COMPANY, name="北京示例科技有限公司", tax_id="91110108MA01X7Q296",
          address="北京市海淀区中关村大街1号", phone="010-62345678"),
)
CHINA = dt.timezone(dt.timedelta(hours=8))


def _line(name: str, short: str, code: str, qty: str, price: str, amount: str, rate: str,
          mark: str = "", unit: str = "", spec: str = "") -> OrderLine:
    return OrderLine(
        name=name, short_name=short, tax_code=code, quantity=Decimal(qty),
        unit_price=Decimal(price), amount=Decimal(amount), rate=Decimal(rate), rate_mark=mark,
        unit=unit, spec=spec,
    )


def demo_orders(now: dt.datetime) -> list[Order]:
    """The demo orders, paid during the last few hours before ``now``."""
    today = now.astimezone(CHINA)
    stamp = today.strftime("%Y%m%d")

    def paid(hours_ago: float) -> dt.datetime:
        return (today - dt.timedelta(hours=hours_ago)).replace(microsecond=0)

    return [
        Order(f"D{stamp}0001", paid(3.5), (
            _line("工作日午餐套餐", "餐饮服务", "3070401000000000000", "2", "38.00", "76.00",
                  "0.06", unit="份"),
            _line("鲜榨橙汁", "餐饮服务", "3070401000000000000", "2", "18.00", "36.00",
                  "0.06", unit="杯"),
        )),
        Order(f"D{stamp}0002", paid(2.0), (
            _line("停车费", "经营租赁", "3040502020200000000", "3", "10.00", "30.00", "0.09",
                  unit="小时", spec="地下B2层"),
        )),
        Order(f"D{stamp}0003", paid(1.5), (
            _line("中性笔", "文具", "1060501010000000000", "10", "2.50", "25.00", "0.13",
                  unit="支", spec="0.5mm黑色"),
            _line("笔记本", "纸制品", "1060102990000000000", "5", "12.80", "64.00", "0.13",
                  unit="本", spec="A5"),
            _line("抽纸", "日用杂品", "1060301020100000000", "1", "29.90", "29.90", "0.13",
                  unit="提", spec="3层120抽x6包"),
        )),
        Order(f"D{stamp}0004", paid(1.0), (
            _line("中国历史地理常识", "图书", "1060201010000000000", "1", "58.00", "58.00", "0",
                  mark="免税", unit="册"),
            _line("帆布袋", "箱包", "1060403010000000000", "1", "15.00", "15.00", "0.13",
                  unit="个"),
        )),
        Order(f"D{stamp}0005", paid(0.5), (
            _line("拿铁咖啡", "餐饮服务", "3070401000000000000", "1", "28.00", "28.00", "0.06",
                  unit="杯", spec="大杯"),
        )),
    ]


def seed_demo_orders(
    store: OrderStore,
    *,
    clock: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
) -> list[str]:
    """Seed the demo orders into an empty database once; returns the numbers seeded."""
    if get_meta(store.db, SEEDED_KEY):
        return []
    if store.count() > 0:  # a real kiosk with real orders: never mix demo data in
        set_meta(store.db, SEEDED_KEY, "skipped: orders present")
        return []
    seeded: list[str] = []
    for order in demo_orders(clock()):
        store.add(order, source="demo")
        seeded.append(order.order_no)
    set_meta(store.db, SEEDED_KEY, clock().isoformat(timespec="seconds"))
    log.info("demo orders seeded", extra={"event": "orders.demo_seeded", "orders": seeded})
    return seeded


def seed_demo_titles(accounts: AccountStore) -> int:
    """Give the demo person (``demo``) its remembered titles, once: a ``meta`` key records
    it, so titles the person later forgot are not brought back. Returns how many."""
    if get_meta(accounts.db, TITLES_SEEDED_KEY):
        return 0
    account = accounts.find(DEMO_TITLE_USER)
    if account is None:
        return 0
    known = {t.tax_id for t in accounts.titles_for(account.id)}
    added = 0
    for title in reversed(DEMO_TITLES):  # the most recent is listed first
        if title.tax_id not in known:
            accounts.remember_title(account.id, title)
            added += 1
    set_meta(accounts.db, TITLES_SEEDED_KEY, str(added))
    log.info("demo titles seeded", extra={"event": "accounts.demo_titles_seeded",
                                          "titles": added})
    return added
