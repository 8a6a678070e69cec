"""Messages that must not go stale or contradict the screen (issue 11 items 8 and 9):
a reprint that worked clears "out of paper"; the printer-problem screen knows the
invoice was already e-mailed; the attract screen knows the scanner is gone (from the
device coordinator's own status reports)."""

from __future__ import annotations

from typing import Any

from drivers.base import DeviceStatus, StatusEvent
from kiosk.devices import DeviceCoordinator
from kiosk.flow.states import Screen
from kiosk.flow.views import AttractView, ResultView
from tests.helpers.fake_services import FakeKiosk


def _issue(kiosk: FakeKiosk, email: str = "") -> Any:
    s = kiosk.session()
    s.code_scanned(kiosk.qr(kiosk.orders[0]), "scanner")
    s.orders.next()
    if email:
        s.buyer.set_field("email", email)
    s.buyer.next()
    s.review.confirm()
    return s


def test_a_reprint_that_worked_clears_out_of_paper() -> None:
    kiosk = FakeKiosk()
    kiosk.printer.fail = "paper_out"
    s = _issue(kiosk)
    assert s.screen is Screen.PRINTER_PROBLEM and "paper" in s.data.notice.en
    kiosk.printer.fail = ""
    s.review.print_receipt()
    assert s.screen is Screen.RESULT and s.data.printed
    assert s.data.notice is None  # not "out of paper" beside "receipt printed"
    view = s.view()
    assert isinstance(view, ResultView) and view.printed and view.frame.notice is None


def test_printer_problem_view_says_the_invoice_was_already_mailed() -> None:
    kiosk = FakeKiosk()
    kiosk.printer.fail = "paper_out"
    s = _issue(kiosk, email="zhang.san@example.com")
    assert s.screen is Screen.PRINTER_PROBLEM
    view = s.view()
    assert isinstance(view, ResultView)
    assert view.mail_sent and view.mailed_to == "zhang.san@example.com"


class _Devices:
    """The device manager as the coordinator sees it: statuses and listeners."""

    def __init__(self, statuses: dict[str, DeviceStatus]) -> None:
        self._statuses = {name: StatusEvent(name, status) for name, status in statuses.items()}
        self.scanner = self.idcard = self.camera = _Quiet()

    def add_listener(self, listener: Any) -> None: ...

    def statuses(self) -> dict[str, StatusEvent]:
        return dict(self._statuses)


class _Quiet:
    def arm(self) -> None: ...
    def disarm(self) -> None: ...
    def pause(self) -> None: ...
    def resume(self) -> None: ...


def test_attract_view_follows_the_scanner_status_from_the_coordinator() -> None:
    s = FakeKiosk().session()
    coordinator = DeviceCoordinator(s, _Devices({"scanner": DeviceStatus.OFFLINE,
                                                 "camera": DeviceStatus.READY}))
    view = s.view()
    assert isinstance(view, AttractView)
    assert not view.scanner_ok and view.camera_ok  # unplugged: offer the camera
    coordinator.status(StatusEvent("camera", DeviceStatus.ERROR))
    view = s.view()
    assert isinstance(view, AttractView) and not view.camera_ok  # then only the keypad
    coordinator.status(StatusEvent("scanner", DeviceStatus.READY))
    view = s.view()
    assert isinstance(view, AttractView) and view.scanner_ok  # plugged back in
