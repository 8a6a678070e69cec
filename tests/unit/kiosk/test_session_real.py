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
