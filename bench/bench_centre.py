"""The personal centre's first page with 10,000 invoices in the database (issue 12 item 11).

Targets: <= 50 ms to the data (``CentreStore.page``: the scope's invoices newest
first, their red invoices, the paper delivery from the request) and <= one frame
(16.7 ms) more to paint the page (``CentrePage.show_view`` + a full render).

"My requests" (every change and paper invoice request, kiosk.centre.requests) is timed
on the same data: 1,000 of the 10,000 invoices were asked on paper.

Measured side by side on two copies of the same database: with the ``centre``
migration's indexes and without the two that shape the plans
(``centre_claims_order``, ``issued_invoices_newest``; ``issued_invoice_orders_number``
stays in both: without it a page takes minutes) and
without them, for a person who owns all 10,000 invoices (the worst case for the
sort) and one who owns 20 of them (the worst case for the scan), and a search by
amount. Each figure's ratio to its target is printed.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import sqlite3
import tempfile
from decimal import Decimal
from pathlib import Path

from bench.runner import Runner
from kiosk import storage
from kiosk.centre.requests import my_requests
from kiosk.centre.scope import InvoiceScope
from kiosk.centre.store import CentreStore
from kiosk.model import (
    Buyer,
    BuyerType,
    Colour,
    Invoice,
    InvoiceKind,
    InvoiceLine,
    InvoiceRequest,
    Medium,
    OrderLine,
    Seller,
)
from kiosk.platform.codec import to_data

N = 10_000
TARGET_DATA_MS = 50.0
FRAME_MS = 1000 / 60
SELLER = Seller("北京示例科技有限公司", "91110108MA01ABCD2X")
LINE = InvoiceLine("*餐饮服务*工作日午餐套餐", "3070401000000000000", Decimal("2"),
                   Decimal("35.85"), Decimal("71.70"), Decimal("0.06"), Decimal("4.30"))
ORDER_LINE = OrderLine("工作日午餐套餐", "餐饮服务", "3070401000000000000", Decimal("2"),
                       Decimal("38.00"), Decimal("76.00"), Decimal("0.06"))


def _fill(path: Path) -> None:
    db = storage.open_database(path)
    start = dt.datetime(2025, 1, 1, 9, 0, tzinfo=dt.UTC)
    invoices, orders, requests, claims = [], [], [], []
    for i in range(N):
        number = f"2611200000{i:010d}"
        order_no = f"D{i:08d}"
        at = start + dt.timedelta(minutes=37 * i)
        red = i % 50 == 49  # every 50th is a red invoice against the one before
        paper = i % 10 == 3
        inv = Invoice(number, InvoiceKind.NORMAL, Colour.RED if red else Colour.BLUE, at,
                      SELLER, Buyer(BuyerType.PERSON, "个人"), (LINE,),
                      request_id=f"RQ{i}", order_nos=(order_no,),
                      original_number=f"2611200000{i - 1:010d}" if red else "",
                      medium=Medium.PAPER if paper else Medium.ELECTRONIC)
        total = str(-inv.total if red else inv.total)
        invoices.append((number, inv.request_id, at.isoformat(), total,
                         json.dumps(to_data(inv), ensure_ascii=False), at.isoformat(),
                         inv.colour.value, inv.original_number))
        orders.append((order_no, number))
        request = InvoiceRequest(f"RQ{i}", (order_no,), inv.buyer, inv.kind, (ORDER_LINE,),
                                 medium=inv.medium,
                                 paper_delivery="北京市海淀区中关村大街1号" if paper else "")
        requests.append((f"RQ{i}", json.dumps([order_no]),
                         json.dumps(to_data(request), ensure_ascii=False), "issued", total,
                         at.isoformat(), at.isoformat(), at.isoformat(), number))
        claims.append(("account:1", order_no, at.isoformat()))
        if i % 500 == 0:
            claims.append(("account:2", order_no, at.isoformat()))
    with db.write() as conn:
        conn.executemany("INSERT INTO issued_invoices(number, request_id, issued_at, total, data,"
                         " stored_at, colour, original_number) VALUES (?,?,?,?,?,?,?,?)", invoices)
        conn.executemany("INSERT INTO issued_invoice_orders(order_no, number) VALUES (?,?)",
                         orders)
        conn.executemany("INSERT INTO issue_requests(request_id, order_nos, request, status,"
                         " total, created_at, updated_at, next_attempt_at, invoice_number)"
                         " VALUES (?,?,?,?,?,?,?,?,?)", requests)
        conn.executemany("INSERT INTO centre_claims(owner, order_no, claimed_at) VALUES (?,?,?)",
                         claims)
    db.execute("ANALYZE")
    db.close()


def _paint(r: Runner, store: CentreStore, everything: InvoiceScope) -> None:
    """Render the page of the first 6 invoices: view model, widgets, one full paint."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from kiosk.flow.ports import Services
    from kiosk.flow.states import Screen
    from kiosk.flow.views import view_for
    from kiosk.session import Session
    from ui import theme
    from ui.screens.centre import CentrePage

    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    theme.apply(app, False)
    session = Session(Services(resolve_order_code=lambda t: None,  # type: ignore[arg-type,return-value]
                               looks_like_order_code=lambda t: False,
                               find_order=lambda t: None, issue=lambda r: None,  # type: ignore[arg-type,return-value]
                               find_invoice_for_order=lambda o: None))
    page = CentrePage(session)
    page.resize(1280, 800)
    page.show()
    core = session.core
    core.screen = Screen.CENTRE
    pages = [store.page(everything, "", 0), store.page(everything, "", 1)]
    core.data.centre.requests = tuple(my_requests(store, everything))  # "my requests" too
    flip = [0]

    def paint() -> None:
        flip[0] ^= 1
        core.data.centre.page = pages[flip[0]]
        page.show_view(view_for(core, Screen.CENTRE), "zh_CN")  # type: ignore[arg-type]
        page.grab()  # the whole page rendered, as one frame would be

    medians = r.compare("paint the first page (view model + widgets + one full render)",
                        {"CentrePage": paint, "render only (nothing changed)": page.grab},
                        rounds=30)
    r.table("paint vs one frame", ["case", "median ms", "target ms", "ratio to target"],
            [["paint", f"{medians['CentrePage']:.2f}", f"{FRAME_MS:.1f}",
              f"{medians['CentrePage'] / FRAME_MS:.2f}x"]])
    page.close()


def run(r: Runner) -> None:
    tmp = Path(tempfile.mkdtemp(prefix="bench-centre-"))
    indexed_path = tmp / "indexed.db"
    _fill(indexed_path)
    bare_path = tmp / "bare.db"
    shutil.copy(indexed_path, bare_path)
    with sqlite3.connect(bare_path) as conn:  # the same data without the centre's indexes
        conn.execute("DROP INDEX centre_claims_order")
        conn.execute("DROP INDEX issued_invoices_newest")
        # issued_invoice_orders_number stays: without it every ownership probe scans the
        # whole order table (10,000 x 10,000 rows: minutes per page, not worth timing).
        conn.execute("ANALYZE")
    indexed = CentreStore(storage.Database(indexed_path))
    bare = CentreStore(storage.Database(bare_path))
    everything = InvoiceScope(owners=("account:1",))
    few = InvoiceScope(owners=("account:2",))
    scanned = InvoiceScope(order_nos=("D00005000",))
    assert len(indexed.page(everything).entries) == 6
    assert len(indexed.page(few).entries) == 6
    medians = r.compare(f"first page of the personal centre, {N:,} invoices in the database", {
        "all 10,000 mine, indexed": lambda: indexed.page(everything),
        "all 10,000 mine, no index": lambda: bare.page(everything),
        "20 of 10,000 mine, indexed": lambda: indexed.page(few),
        "20 of 10,000 mine, no index": lambda: bare.page(few),
        "receipt just scanned, indexed": lambda: indexed.page(scanned),
        "search by amount, indexed": lambda: indexed.page(everything, "76.00"),
        "search by amount, no index": lambda: bare.page(everything, "76.00"),
        "page 50, indexed": lambda: indexed.page(everything, "", 50),
        "my requests, all 10,000 mine": lambda: my_requests(indexed, everything),
        "my requests, 20 of 10,000 mine": lambda: my_requests(indexed, few),
    }, rounds=20, baseline="all 10,000 mine, indexed")
    r.table("to the data vs the 50 ms target", ["case", "median ms", "ratio to target"],
            [[name, f"{ms:.2f}", f"{ms / TARGET_DATA_MS:.2f}x"] for name, ms in medians.items()])
    _paint(r, indexed, everything)
    shutil.rmtree(tmp, ignore_errors=True)
