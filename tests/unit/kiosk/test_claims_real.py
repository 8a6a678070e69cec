"""Defect 7 of issue 11 on the REAL services: the platform unreachable (the sandbox's
``unavailable`` fault), the claim slip on the emulated printer, the pump issuing the
request while the person waits, "e-mail me when it is issued", and the slip scanned at a
second kiosk of the shop (its own data folder, the shop's config and platform)."""

from __future__ import annotations

import mailbox
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.core import Core, build_core, pump_on
from drivers.printer import PrinterWorker, build_printer
from drivers.printer.parse import QR_STORE, TEXT, parse_all
from kiosk.flow.ports import InlineRunner
from kiosk.flow.states import Screen
from kiosk.flow.views import QueuedView
from kiosk.orderqr import make_claim_qr, verify_claim_qr
from tests.helpers.app import CoreRig, kiosk_core, make_config

SHOTS = os.environ.get("KIOSK_SHOTS_DIR", "")  # set it to keep the slip's PNG for a look


@pytest.fixture
def rig(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[CoreRig]:
    monkeypatch.delenv("KIOSK_DATA_DIR")  # two kiosks: each its own data folder
    r = kiosk_core(tmp_path / "kiosk-a")
    yield r
    r.close()


class OtherKiosk:
    """A second kiosk of the same shop: its own data folder, database and printer, the
    shop's config (same qr_secret) and the shop's one platform."""

    def __init__(self, folder: Path, rig: CoreRig) -> None:
        config = make_config(folder)
        assert config.data_path == folder and folder != rig.core.config.data_path
        assert config.orders.qr_secret == rig.core.config.orders.qr_secret
        self.printer = build_printer(config.devices.printer)
        self.worker = PrinterWorker(self.printer).start()
        self.core: Core = build_core(config, printer=self.worker, gateway=rig.core.gateway,
                                     warm_up=False)
        self.core.closers.remove(self.core.core_services.close)  # the platform is kiosk A's

    def close(self) -> None:
        self.worker.stop()
        self.core.close()


def slip_code(receipt: bytes) -> str:
    codes = [t.data.decode("ascii") for t in parse_all(receipt) if t.kind == QR_STORE]
    assert len(codes) == 1
    return codes[0]


def slip_text(receipt: bytes) -> str:
    return " ".join(t.data.decode("gb18030").strip() for t in parse_all(receipt)
                    if t.kind == TEXT)


def queue_one(rig: CoreRig, lang: str = "zh") -> str:
    """A walk-in personal invoice while the platform is down; returns the request id."""
    s = rig.session
    s.set_language(lang)
    rig.core.gateway.faults.set(unavailable=True)
    s.code_scanned(rig.qr(rig.orders()[0]), "scanner")
    s.orders.next()
    s.buyer.next()
    s.review.confirm()
    assert s.screen is Screen.PLATFORM_QUEUED
    assert rig.printer.wait_for_receipts(1, timeout=10)
    assert s.data.printed
    return s.data.claim_id


def test_the_queued_screen_follows_the_pump_and_the_address_gets_the_official_files(
        rig: CoreRig, tmp_path: Path) -> None:
    s = rig.session
    rid = queue_one(rig, "en")
    slip = rig.printer.receipts[-1]
    if SHOTS:
        rig.printer.render_png(str(Path(SHOTS) / "slip-en-80mm.png"))
    assert verify_claim_qr(slip_code(slip), rig.core.config.orders.qr_secret) == rid
    text = slip_text(slip)
    assert "Invoice claim slip" in text and "any self-service invoicing kiosk" in text
    assert "开票" not in text  # English for an English user

    view = s.view()
    assert isinstance(view, QueuedView) and view.reference == rid and view.mail.enabled
    s.review.mail_when_issued("not an address")
    assert s.data.notice is not None and "not valid" in s.data.notice.en
    s.review.mail_when_issued("buyer@example.com")
    assert s.data.mail_promised_to == "buyer@example.com" and s.data.notice is None
    promised = s.view()
    assert isinstance(promised, QueuedView)
    assert promised.mail_promised_to == "buyer@example.com"
    pump_on(rig.core, InlineRunner(), force=True)  # still down: nothing moves
    assert s.screen is Screen.PLATFORM_QUEUED

    rig.core.gateway.faults.clear()  # the platform is back; the periodic pump runs
    pump_on(rig.core, InlineRunner(), force=True)
    assert s.screen is Screen.RESULT and s.data.invoice is not None
    assert s.data.invoice.request_id == rid
    assert rig.printer.wait_for_receipts(2, timeout=10)  # the receipt prints by itself
    sent = rig.core.mail.entries("sent")
    assert [(m.recipient, m.invoice_number) for m in sent] == [
        ("buyer@example.com", s.data.invoice.number)]
    box = mailbox.Maildir(rig.core.config.data_path / "maildir", create=False)
    names = sorted(part.get_filename() for message in box
                   for part in message.walk() if part.get_filename())
    assert any(n.endswith(".pdf") for n in names) and any(n.endswith(".xml") for n in names)
    transitions = [(e["from"], e["to"], e.get("intent", "")) for e in rig.events()
                   if e["event"] == "session.transition"]
    assert ("platform_queued", "result", "") in [t[:2] + ("",) for t in transitions]


def test_a_person_who_left_still_gets_the_mail_and_the_next_person_is_untouched(
        rig: CoreRig) -> None:
    s = rig.session
    queue_one(rig)
    s.review.mail_when_issued("later@example.com")
    s.finish()  # the person leaves; the next one is on the attract screen
    rig.core.gateway.faults.clear()
    pump_on(rig.core, InlineRunner(), force=True)
    assert s.screen is Screen.ATTRACT and s.data.invoice is None
    assert [m.recipient for m in rig.core.mail.entries("sent")] == ["later@example.com"]


def test_the_slip_is_accepted_at_any_kiosk_of_the_shop(rig: CoreRig, tmp_path: Path) -> None:
    rid = queue_one(rig, "zh")
    slip = rig.printer.receipts[-1]
    if SHOTS:
        rig.printer.render_png(str(Path(SHOTS) / "slip-zh-80mm.png"))
    code = slip_code(slip)
    assert "开票申请凭条" in slip_text(slip) and "填写了邮" not in slip_text(slip)
    rig.session.finish()
    other = OtherKiosk(tmp_path / "kiosk-b", rig)
    try:
        s2 = other.core.session
        # Still down: said in plain words, no "not one of our order codes".
        s2.code_scanned(code + "\r\n", "scanner")
        assert s2.screen is Screen.PLATFORM_QUEUED
        assert s2.data.notice is not None and "scan the slip again later" in s2.data.notice.en
        view = s2.view()
        assert isinstance(view, QueuedView) and view.reference == rid and not view.mail.visible
        # The same kiosk: still queued, one more try now; an e-mail may be left.
        rig.session.code_scanned(code, "scanner")
        assert rig.session.screen is Screen.PLATFORM_QUEUED
        assert rig.session.data.notice is not None
        assert "keeps trying" in rig.session.data.notice.en
        assert rig.session.view().mail.visible
        rig.session.finish()
        # Up again, but kiosk A has not retried yet: the platform has not seen it.
        rig.core.gateway.faults.clear()
        s2.code_scanned(code, "scanner")
        assert s2.screen is Screen.PLATFORM_QUEUED
        assert s2.data.notice is not None and "kiosk that took your request" in s2.data.notice.en
        pump_on(rig.core, InlineRunner(), force=True)  # kiosk A issues it
        s2.code_scanned(code, "scanner")
        assert s2.screen is Screen.RESULT and s2.data.invoice is not None
        assert s2.data.invoice.request_id == rid
        assert other.printer.wait_for_receipts(1, timeout=10)  # its receipt, at kiosk B
        assert other.core.issuing.find_invoice_for_order(rig.orders()[0].order_no) is not None
        # A slip of another shop, or an edited one: refused with its reason.
        s2.finish()
        s2.code_scanned(make_claim_qr(rid, "another-shop"), "scanner")
        assert s2.screen is Screen.BAD_QR
        assert s2.data.notice is not None and "not one of our" not in s2.data.notice.en
        assert "altered" in s2.data.notice.en
    finally:
        other.close()


def test_an_address_left_just_after_the_pump_issued_still_gets_the_files(rig: CoreRig) -> None:
    """The race: the pump issued the request a moment before the person tapped "e-mail
    me" (the screen had not moved yet). The mail is queued with the official files."""
    from kiosk.claims import ClaimDesk

    rid = queue_one(rig)
    rig.core.gateway.faults.clear()
    rig.core.pump(force=True)  # issued; the session has not heard of it yet
    desk = ClaimDesk(rig.core.issuing)
    assert desk.mail_when_issued(rid, "late@example.com")
    rig.core.mail.drain(force=True)
    sent = rig.core.mail.entries("sent")
    assert [m.recipient for m in sent] == ["late@example.com"]
    assert not desk.mail_when_issued("RQ" + "F" * 30, "x@example.com")  # not this kiosk's
