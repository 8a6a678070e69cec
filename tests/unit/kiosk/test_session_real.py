"""One walk-in on the REAL services behind the flow's ports (demo orders in a real
SQLite file, the sandbox platform, the issuing service, the emulated printer): the
fakes of test_session.py must not drift from what the composition root wires."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.flow.states import Screen
from tests.helpers.app import CoreRig, kiosk_core


@pytest.fixture
def rig(tmp_path: Path) -> Iterator[CoreRig]:
    r = kiosk_core(tmp_path / "data")
    yield r
    r.close()


def test_walk_in_personal_invoice_on_the_real_services(rig: CoreRig) -> None:
    s = rig.session
    order = rig.orders()[0]
    s.code_scanned(rig.qr(order), "scanner")
    s.orders.next()
    s.buyer.next()
    s.review.confirm()
    assert s.screen is Screen.RESULT and s.data.invoice is not None and s.data.printed
    assert rig.printer.wait_for_receipts(1, timeout=5)
    s.finish()
    s.code_scanned(rig.qr(order), "scanner")
    assert s.screen is Screen.ALREADY_INVOICED
    transitions = [(e["from"], e["to"]) for e in rig.events()
                   if e["event"] == "session.transition"]
    assert ("review", "issuing") in transitions and ("issuing", "result") in transitions


def test_a_receipt_held_by_an_opened_cover_is_not_printed_twice(rig: CoreRig) -> None:
    """The cover opened after the printer's last status answer (trusted for 5 s): the
    receipt went out and the printer held it. Closing the cover prints it; "print again"
    then gave a second copy (the soak: 32 of 77 such sessions). Now the held receipt
    counts as printed once the printer works again, and is not sent twice."""
    s = rig.session
    order = rig.orders()[0]
    assert rig.printer.status().status.works  # a fresh answer: the next job is not preceded
    rig.printer.set_cover_open(True)
    s.code_scanned(rig.qr(order), "scanner")
    s.review.confirm()
    assert s.screen is Screen.PRINTER_PROBLEM and s.data.receipt_held
    assert rig.printer.receipts == []  # held in the printer's buffer
    s.review.print_receipt()  # tapped while the cover is still open: nothing is sent
    assert s.data.notice is not None and "no need to print again" in s.data.notice.en
    rig.printer.set_cover_open(False)  # staff close it: the held receipt comes out
    assert rig.printer.wait_for_receipts(1, timeout=5)
    s.printer_status(True)  # the status poll sees the printer working again
    assert s.screen is Screen.RESULT and s.data.printed and not s.data.receipt_held
    s.review.print_receipt()  # a deliberate reprint from the result screen still works
    assert rig.printer.wait_for_receipts(2, timeout=5)
    number = s.data.invoice.number.encode("ascii")  # type: ignore[union-attr]
    assert all(number in r for r in rig.printer.receipts)


def test_print_again_after_the_cover_closed_does_not_send_the_held_receipt_twice(
        rig: CoreRig) -> None:
    s = rig.session
    order = rig.orders()[0]
    assert rig.printer.status().status.works
    rig.printer.set_cover_open(True)
    s.code_scanned(rig.qr(order), "scanner")
    s.review.confirm()
    assert s.screen is Screen.PRINTER_PROBLEM
    rig.printer.set_cover_open(False)
    assert rig.printer.wait_for_receipts(1, timeout=5)
    s.review.print_receipt()  # before the status poll has seen the cover closed
    s.printer_status(True)
    assert s.screen is Screen.RESULT and s.data.printed
    assert len(rig.printer.receipts) == 1
