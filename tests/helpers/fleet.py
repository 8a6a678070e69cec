"""Fleet test helpers: a kiosk database with real invoices and audit rows written the way
issuing writes them (``Outbox.store_invoice`` + ``AuditTrail.record`` in one transaction).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import sqlite_utils

from kiosk.audit import AuditTrail
from kiosk.outbox import Outbox
from tests.helpers.invoices import COMPANY_BUYER, sample_invoice
from tests.helpers.kioskenv import kiosk_db

NOW = dt.datetime(2026, 3, 15, 10, 31, tzinfo=dt.UTC)


def invoice_number(i: int) -> str:
    return f"2611200000{i:010d}"


class IssuingKiosk:
    """Writes what the issuing path writes, without the platform round trip."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.db: sqlite_utils.Database = kiosk_db(path)
        self.outbox = Outbox(self.db)
        self.audit = AuditTrail(self.db)
        self.issued = 0

    def issue(self, n: int = 1) -> list[str]:
        numbers = []
        for _ in range(n):
            self.issued += 1
            number = invoice_number(self.issued)
            invoice = dataclasses.replace(
                sample_invoice(buyer=dataclasses.replace(COMPANY_BUYER, show_address_bank=False),
                               number=number, download_url="https://dl.example/SECRET-TOKEN"),
                order_nos=(f"SO{self.issued:08d}",))
            with self.outbox.tx() as conn:
                self.outbox.store_invoice(conn, invoice, NOW, False)
                self.audit.record("invoice.issued", "kiosk", {
                    "number": number, "total": invoice.total})
            numbers.append(number)
        return numbers

    def close(self) -> None:
        self.db.conn.close()
