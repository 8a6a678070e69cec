"""The queued screen and the pump (issue 11 item 7), on the fake ports: only the outcome
of the request this person waits for moves the screen; it prints the receipt."""

from __future__ import annotations

import pytest

from kiosk.flow.states import Screen
from kiosk.issuing import IssueOutcome, IssueStatus
from kiosk.session import Session
from tests.helpers.fake_services import FakeKiosk


@pytest.fixture
def kiosk() -> FakeKiosk:
    return FakeKiosk()


def queued(kiosk: FakeKiosk) -> Session:
    kiosk.next_outcome(IssueStatus.QUEUED)
    s = kiosk.session()
    s.set_language("en")
    s.code_scanned(kiosk.qr(kiosk.orders[0]), "scanner")
    s.orders.next()
    s.buyer.next()
    s.review.confirm()
    assert s.screen is Screen.PLATFORM_QUEUED
    return s


def test_the_claim_slip_prints_in_the_language_on_screen(kiosk: FakeKiosk) -> None:
    s = queued(kiosk)
    assert [(r.request_id, lang) for r, lang in kiosk.printer.claims] == [(s.data.claim_id, "en")]


def test_only_the_awaited_request_moves_the_queued_screen(kiosk: FakeKiosk) -> None:
    s = queued(kiosk)
    request = s.data.request
    assert request is not None
    s.settled([IssueOutcome(IssueStatus.ISSUED, "RQ" + "0" * 30, None)])
    s.settled([IssueOutcome(IssueStatus.QUEUED, request.request_id, None)])
    assert s.screen is Screen.PLATFORM_QUEUED and kiosk.printer.receipts == []
    issued = kiosk.issue(request)  # what the pump did once the platform was back
    s.settled([issued])
    assert s.screen is Screen.RESULT and s.data.invoice == issued.invoice
    assert [i.number for i in kiosk.printer.receipts] == [issued.invoice.number]


def test_a_rejection_in_the_background_is_shown_with_its_reason(kiosk: FakeKiosk) -> None:
    s = queued(kiosk)
    assert s.data.request is not None
    s.settled([IssueOutcome(IssueStatus.REJECTED, s.data.request.request_id, None,
                            "税号不存在", "unknown tax ID")])
    assert s.screen is Screen.REJECTED
    assert s.data.notice is not None and "unknown tax ID" in s.data.notice.en


def test_after_the_person_left_nothing_moves(kiosk: FakeKiosk) -> None:
    s = queued(kiosk)
    request = s.data.request
    assert request is not None
    s.finish()
    s.settled([kiosk.issue(request)])
    assert s.screen is Screen.ATTRACT and kiosk.printer.receipts == []
