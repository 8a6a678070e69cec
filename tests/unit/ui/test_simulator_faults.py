"""Issue 11 item 13: what the README promises of the simulator, on the real kiosk core
(sandbox platform, emulated printer behind its worker): the receipt view shows the
printed bytes rendered, paper can run out mid-print, the platform can be taken down."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QGroupBox
from pytestqt.qtbot import QtBot

from app.core import pump_on
from drivers.manager import Emulators
from kiosk.flow.ports import InlineRunner
from kiosk.flow.states import Screen
from tests.helpers.app import CoreRig, kiosk_core
from ui.simulator import SimulatorPanel


@pytest.fixture
def rig(tmp_path: Path) -> Iterator[CoreRig]:
    r = kiosk_core(tmp_path / "data")
    yield r
    r.close()


@pytest.fixture
def panel(qtbot: QtBot, rig: CoreRig) -> SimulatorPanel:
    p = SimulatorPanel(Emulators(printer=rig.printer), samples=[],
                       platform_faults=rig.core.gateway.faults, receipt_poll_ms=50)
    qtbot.addWidget(p)
    p.show()
    return p


def walk_in(rig: CoreRig) -> None:
    s = rig.session
    s.code_scanned(rig.qr(rig.orders()[0]), "scanner")
    s.orders.next()
    s.buyer.next()
    s.review.confirm()


def _click(qtbot: QtBot, panel: SimulatorPanel, name: str) -> str:
    with qtbot.waitSignal(panel.acted) as blocker:
        qtbot.mouseClick(panel.buttons[name], Qt.MouseButton.LeftButton)
    return str(blocker.args[0])


def test_the_receipt_view_shows_the_printed_bytes_rendered(qtbot: QtBot, rig: CoreRig,
                                                           panel: SimulatorPanel) -> None:
    assert panel.receipt.pixmap().isNull() and panel.receipt.text()
    with qtbot.waitSignal(panel.receiptShown, timeout=20000) as shown:
        walk_in(rig)
        assert rig.session.screen is Screen.RESULT
    assert shown.args == [1]
    image = panel.receipt_image
    rendered = rig.printer.last_receipt_image()  # the renderer diagnostics uses
    assert image is not None and (image.width(), image.height()) == rendered.size
    assert image.pixelColor(image.width() // 2, image.height() // 2).isValid()
    assert not panel.receipt.pixmap().isNull()
    assert panel.receipt.pixmap().width() <= panel.receipt.width()


def test_paper_runs_out_during_the_next_print(qtbot: QtBot, rig: CoreRig,
                                              panel: SimulatorPanel) -> None:
    assert _click(qtbot, panel, "printer_runs_out").startswith("✓")
    walk_in(rig)
    s = rig.session
    assert s.screen is Screen.PRINTER_PROBLEM  # the invoice is issued; the receipt cut short
    assert s.data.invoice is not None and s.data.notice is not None
    assert "the rest prints once paper is loaded" in s.data.notice.en
    assert s.data.receipt_held
    assert rig.printer.emulator.paper == "out" and rig.printer.receipts == []
    qtbot.waitUntil(lambda: panel.receipt_partial, timeout=20000)  # what made it out
    assert not panel.receipt_note.isHidden() and not panel.receipt.pixmap().isNull()
    with qtbot.waitSignal(panel.receiptShown, timeout=20000):
        _click(qtbot, panel, "printer_paper_ok")  # a new roll: the rest of it prints
    assert len(rig.printer.receipts) == 1 and panel.receipt_note.isHidden()
    s.printer_status(True)  # the status poll: the held receipt is out, the person done
    assert s.screen is Screen.RESULT and s.data.printed and len(rig.printer.receipts) == 1
    s.review.print_receipt()  # and a whole one on request
    assert len(rig.printer.receipts) == 2


def test_the_platform_unreachable_switch(qtbot: QtBot, rig: CoreRig,
                                         panel: SimulatorPanel) -> None:
    switch = panel.findChild(QCheckBox, "platform_unreachable")
    assert switch is not None and switch.text() and not switch.isChecked()
    with qtbot.waitSignal(panel.acted):
        switch.click()
    assert rig.core.gateway.faults.settings.unavailable
    with qtbot.waitSignal(panel.receiptShown, timeout=20000):  # the claim slip, on view
        walk_in(rig)
        assert rig.session.screen is Screen.PLATFORM_QUEUED
    with qtbot.waitSignal(panel.acted):
        switch.click()
    assert not rig.core.gateway.faults.settings.unavailable
    pump_on(rig.core, InlineRunner(), force=True)
    assert rig.session.screen is Screen.RESULT


def test_a_platform_that_is_not_the_sandbox_has_no_switch(qtbot: QtBot) -> None:
    p = SimulatorPanel(Emulators(), samples=[])
    qtbot.addWidget(p)
    box = p.findChild(QGroupBox, "group_platform")
    assert box is not None and not box.isEnabled()
    assert p.findChild(QCheckBox, "platform_unreachable") is None


def test_the_other_party_confirms_the_newest_red_letter_form(qtbot: QtBot, rig: CoreRig) -> None:
    """A company's correction waits for the buyer's confirmation: the simulator gives it,
    so a sandbox correction needs no shell (``kiosk red confirm``)."""
    from kiosk.model import BuyerType, RedFormStatus, RedReason
    from ui.screenshots import DEMO_COMPANY, DEMO_COMPANY_TAX_ID

    gateway = rig.core.gateway
    panel = SimulatorPanel(Emulators(printer=rig.printer), samples=[],
                           platform_faults=gateway.faults, red_forms=gateway)
    qtbot.addWidget(panel)
    assert _click(qtbot, panel, "platform_confirm_red").startswith("✗")  # none waits yet
    s = rig.session
    s.code_scanned(rig.qr(rig.orders()[0]), "scanner")
    s.orders.next()
    s.buyer.set_type(BuyerType.COMPANY)
    s.buyer.set_field("name", DEMO_COMPANY)
    s.buyer.set_field("tax_id", DEMO_COMPANY_TAX_ID)
    s.buyer.next()
    s.review.confirm()
    assert s.screen is Screen.RESULT
    outcome = s.data.outcome
    assert outcome is not None and outcome.invoice is not None
    number = outcome.invoice.number
    form = gateway.file_red_form(number, RedReason.GOODS_RETURNED, "seller")
    assert form.status is RedFormStatus.SELLER_FILED  # waits for the buyer
    assert _click(qtbot, panel, "platform_confirm_red").startswith("✓")
    assert gateway.query_red_form(form.form_number).status is RedFormStatus.CONFIRMED
