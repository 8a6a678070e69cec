"""Demo orders: seeded once into an empty database, and every one is a valid request."""

from __future__ import annotations

from pathlib import Path

from kiosk.demo import SEEDED_KEY, seed_demo_orders
from kiosk.model import Buyer, BuyerType, InvoiceKind, InvoiceRequest
from kiosk.orders import OrderStore
from kiosk.rules import request_id_for, validate_request
from kiosk.storage import get_meta
from tests.helpers.kioskenv import kiosk_db


def test_seeded_once_and_valid(tmp_path: Path) -> None:
    store = OrderStore(kiosk_db(tmp_path / "kiosk.db"))
    seeded = seed_demo_orders(store)
    assert len(seeded) >= 4 and store.count() == len(seeded)
    assert seed_demo_orders(store) == []
    rates = set()
    for no in seeded:
        order = store.get(no)
        assert order is not None
        rates |= {line.rate_mark or str(line.rate) for line in order.lines}
        request = InvoiceRequest(
            request_id=request_id_for([no], "91110108MA01ABCD2X"), order_nos=(no,),
            buyer=Buyer(BuyerType.PERSON, "个人"), kind=InvoiceKind.NORMAL, lines=order.lines)
        assert validate_request(request) == [], no
    assert {"0.06", "0.09", "0.13", "免税"} <= rates


def test_not_seeded_when_orders_exist(tmp_path: Path) -> None:
    db = kiosk_db(tmp_path / "kiosk.db")
    store = OrderStore(db)
    first = seed_demo_orders(store)
    db.execute("DELETE FROM meta WHERE key = ?", [SEEDED_KEY])
    db.execute("DELETE FROM order_lines WHERE order_no != ?", [first[0]])
    db.execute("DELETE FROM orders WHERE order_no != ?", [first[0]])
    assert seed_demo_orders(store) == []
    assert store.count() == 1 and get_meta(db, SEEDED_KEY)
