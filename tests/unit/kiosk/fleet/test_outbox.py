"""The fleet outbox: harvesting what issuing wrote, in order, once, across restarts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kiosk.fleet.outbox import FleetOutbox, public_invoice
from kiosk.fleet.records import Record, RecordError, decode
from tests.helpers.fleet import IssuingKiosk


def test_harvest_copies_audit_rows_and_invoices_once_in_order(tmp_path: Path) -> None:
    kiosk = IssuingKiosk(tmp_path / "kiosk.db")
    kiosk.issue(3)
    box = FleetOutbox(kiosk.path, "k1")
    assert box.harvest() == 6  # 3 audit rows + 3 invoices
    assert box.harvest() == 0  # nothing twice
    recs = box.pending(100)
    assert [r.seq for r in recs] == [1, 2, 3, 4, 5, 6]
    audit = [r.payload for r in recs if r.kind == "audit"]
    assert [a["seq"] for a in audit] == [1, 2, 3]
    assert audit[1]["prev_hash"] == audit[0]["hash"]
    kiosk.issue(1)
    assert box.harvest() == 2
    assert box.backlog() == 8


def test_cursor_and_published_seq_survive_a_restart(tmp_path: Path) -> None:
    kiosk = IssuingKiosk(tmp_path / "kiosk.db")
    kiosk.issue(2)
    box = FleetOutbox(kiosk.path, "k1")
    box.harvest()
    box.mark_published(3)
    box.close()
    again = FleetOutbox(kiosk.path, "k1")
    assert again.harvest() == 0
    assert [r.seq for r in again.pending()] == [4]
    again.mark_published(2)  # never moves back
    assert again.published_seq() == 3


def test_invoice_payload_keeps_only_what_the_invoice_carries(tmp_path: Path) -> None:
    kiosk = IssuingKiosk(tmp_path / "kiosk.db")
    kiosk.issue(1)
    box = FleetOutbox(kiosk.path, "k1")
    box.harvest()
    invoice = next(r.payload for r in box.pending() if r.kind == "invoice")
    flat = json.dumps(invoice, ensure_ascii=False)
    assert "SECRET-TOKEN" not in flat and "finance@example.com" not in flat
    assert "address" not in invoice["buyer"]  # not printed, so not sent
    assert invoice["buyer"]["tax_id"]  # printed on the invoice
    shown = public_invoice({"buyer": {"name": "x", "address": "a", "show_address_bank": True}})
    assert shown["buyer"]["address"] == "a"


def test_record_takes_known_kinds_only(tmp_path: Path) -> None:
    box = FleetOutbox(tmp_path / "kiosk.db", "k1")
    assert box.record("daily_report", {"day": "2026-03-15", "count": 3}) == 1
    with pytest.raises(ValueError, match="unknown fleet record kind"):
        box.record("gossip", {})


def test_envelope_round_trip_and_rejections() -> None:
    rec = Record("k1", 7, "audit", "2026-03-15T10:31:00+00:00", {"a": "数电票"})
    assert decode(rec.encode()) == rec
    assert rec.msg_id == "k1:7" and rec.subject("fleet") == "fleet.k1.audit"
    for bad in (b"\xff", b"[]", b'{"v":1,"kiosk_id":"a b","seq":1,"kind":"audit","ts":"","payload":{}}',
                b'{"v":1,"kiosk_id":"a","seq":0,"kind":"audit","ts":"","payload":{}}',
                b'{"v":1,"kiosk_id":"a","seq":1,"kind":"x","ts":"","payload":{}}'):
        with pytest.raises(RecordError):
            decode(bad)
