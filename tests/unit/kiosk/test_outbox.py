"""The outbox schema: a database from before red-letter support is upgraded without loss."""

from __future__ import annotations

import json
from pathlib import Path

from kiosk import outbox, storage
from kiosk.model import Colour
from kiosk.outbox import Outbox
from kiosk.platform.codec import to_data
from kiosk.platform.sandbox import SandboxPlatform
from kiosk.rules import request_id_for
from tests.helpers.platform import PERSON, SELLER, MutableClock, make_request, make_sandbox


def test_m002_keeps_invoices_and_allows_several_per_order(tmp_path: Path) -> None:
    clock = MutableClock()
    sandbox: SandboxPlatform = make_sandbox(tmp_path, clock)
    blue = sandbox.issue(make_request("M1", "M2", buyer=PERSON,
                                      request_id=request_id_for(["M1", "M2"], SELLER.tax_id)))
    red = sandbox.issue_red_invoice(sandbox.file_red_form(blue.number, "1", "seller").form_number)
    sandbox.close()
    db = storage.connect(tmp_path / "kiosk.db")
    outbox.migrations.apply(db, stop_before="m002_red_letters")  # the schema as it was
    with db.conn:  # what the old store_invoice wrote: one order row per order, red dropped
        db.execute("INSERT INTO issued_invoices(number, request_id, issued_at, total, data,"
                   " stored_at) VALUES (?, ?, ?, ?, ?, ?)",
                   [blue.number, blue.request_id, blue.issued_at.isoformat(), str(blue.total),
                    json.dumps(to_data(blue), ensure_ascii=False), "2026-03-10T02:00:00+00:00"])
        db.execute("INSERT INTO issued_invoice_orders(order_no, number) VALUES ('M1', ?), "
                   "('M2', ?)", [blue.number, blue.number])
    assert storage.migrate(db, [outbox.migrations]) == ["outbox:m002_red_letters"]
    box = Outbox(db)
    assert box.invoice_for_order("M2").invoice == blue  # type: ignore[union-attr]
    with box.tx() as conn:
        assert box.store_invoice(conn, red, clock(), False)
    assert box.invoice_for_order("M1") is None  # fully credited
    assert [s.invoice.colour for s in box.invoices_for_order("M1")] == [Colour.RED, Colour.BLUE]
    assert box.credited(blue.number) == -blue.total
    row = db.execute("SELECT colour, original_number FROM issued_invoices WHERE number = ?",
                     [red.number]).fetchone()
    assert row == ("red", blue.number)
    db.close()
