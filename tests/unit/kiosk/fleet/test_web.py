"""The back-office page over real HTTP on real data: kiosks, the day, search, escaping."""

from __future__ import annotations

import urllib.error
import urllib.request
from pathlib import Path

from kiosk.config import FleetConfig
from kiosk.fleet.publisher import FleetPublisher
from kiosk.fleet.records import Record
from kiosk.fleet.store import CentralStore
from kiosk.fleet.web import BackOffice
from tests.helpers.fleet import IssuingKiosk, invoice_number
from tests.unit.kiosk.fleet.test_central import WAIT_S, stored, with_central


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as resp:
            return resp.status, resp.read().decode("utf-8")
    except urllib.error.HTTPError as err:
        return err.code, err.read().decode("utf-8")


def test_page_shows_kiosks_invoices_search_and_escapes_what_kiosks_send(
        tmp_path: Path, fleet_config: FleetConfig) -> None:
    kiosk = IssuingKiosk(tmp_path / "kiosk.db")
    kiosk.issue(3)
    pub = FleetPublisher(kiosk.path, fleet_config)
    pub.start()
    try:
        assert pub.wait_published(6, WAIT_S)

        async def body(cs: list[object]) -> None:
            await cs[0].wait_until(lambda: stored(cs) >= 6, WAIT_S)  # type: ignore[attr-defined]
        with_central(fleet_config, body)  # type: ignore[arg-type]
    finally:
        pub.stop()
    store = CentralStore(fleet_config.central.database_url)
    store.write([Record("evil", 1, "invoice", "2026-03-15T10:00:00+00:00", {
        "number": "<script>alert(1)</script>", "issued_at": "2026-03-15T10:00:00",
        "order_nos": ["O'1"], "lines": []})])
    store.update_pushed("catalogue", 7, "catalogue.json, 120 bytes")
    store.close()
    office = BackOffice(fleet_config)
    office.start()
    try:
        code, page = get(f"{office.url}/?day=2026-03-15")
        assert code == 200
        assert '<a href="/kiosk/k1">k1</a>' in page and "evil" in page
        assert "4 invoices" in page and invoice_number(2) in page
        assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page
        assert "catalogue.json, 120 bytes" in page  # the update history
        code, page = get(f"{office.url}/?q=SO00000002")
        assert code == 200 and "1 invoices" in page and invoice_number(2) in page
        code, page = get(f"{office.url}/?q=O%271")  # a quote in a search is data, not SQL
        assert code == 200 and "1 invoices" in page
        code, page = get(f"{office.url}/kiosk/k1")
        assert code == 200 and "invoice.issued" in page and "chain OK" in page
        assert get(f"{office.url}/kiosk/nobody")[0] == 404
        assert get(f"{office.url}/?day=yesterday")[0] == 400
    finally:
        office.stop()
