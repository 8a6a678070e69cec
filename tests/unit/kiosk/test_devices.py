"""The device coordinator against a fake session and fake devices (no Qt, no threads)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest

from drivers.base import DeviceStatus, StatusEvent, StatusPublisher
from drivers.idcard.identity import IdentityCard
from drivers.problem import Problem
from drivers.scanner.framing import Rejected
from kiosk.devices import FAULTS, DeviceCoordinator, usable
from kiosk.flow.states import Screen


@dataclass
class Flags:
    camera_on: bool = False


@dataclass
class FakeSession:
    screen: Screen = Screen.ATTRACT
    data: Flags = field(default_factory=Flags)
    calls: list[tuple[str, tuple[Any, ...]]] = field(default_factory=list)
    listeners: list[Callable[[Any], None]] = field(default_factory=list)

    def add_listener(self, listener: Callable[[Any], None]) -> None:
        self.listeners.append(listener)

    def move(self, screen: Screen | None = None, camera_on: bool | None = None) -> None:
        self.screen = screen or self.screen
        if camera_on is not None:
            self.data.camera_on = camera_on
        for listener in self.listeners:
            listener(self)

    def __getattr__(self, intent: str) -> Callable[..., None]:
        if intent not in ("code_scanned", "code_unreadable", "idcard_read", "idcard_failed",
                          "printer_status", "camera_status", "scanner_status"):
            raise AttributeError(intent)
        return lambda *args: self.calls.append((intent, args))


class FakeDevice:
    running = False

    def __init__(self, name: str) -> None:
        self.name = name
        self.publisher = StatusPublisher(name)
        self.log: list[str] = []

    def start(self) -> None: ...
    def stop(self, timeout: float = 2.0) -> None: ...
    def on_code(self, callback: Any) -> None: ...
    def on_error(self, callback: Any) -> None: ...
    def on_card(self, callback: Any) -> None: ...
    def on_preview(self, callback: Any) -> None: ...
    frames_decoded = 0

    def arm(self) -> None:
        self.log.append("arm")

    def disarm(self) -> None:
        self.log.append("disarm")

    def pause(self) -> None:
        self.log.append("pause")

    def resume(self) -> None:
        self.log.append("resume")


class FakeDevices:
    def __init__(self, **statuses: DeviceStatus) -> None:
        self.scanner, self.idcard, self.camera = (
            FakeDevice("scanner"), FakeDevice("idcard"), FakeDevice("camera"))
        self.printer = FakeDevice("printer")
        for name, status in statuses.items():
            getattr(self, name).publisher.publish(status)

    def add_listener(self, listener: Any) -> None: ...

    def statuses(self) -> dict[str, StatusEvent]:
        return {d.name: d.publisher.status
                for d in (self.printer, self.scanner, self.idcard, self.camera)}


CARD = IdentityCard(name="张伟", sex="男", nation="汉", birth=dt.date(1990, 3, 7),
                    address="北京市东城区景山前街4号", id_number="110101199003071233",
                    authority="北京市公安局东城分局", valid_from=dt.date(2016, 5, 20),
                    valid_to=dt.date(2036, 5, 20))


def rig(**statuses: DeviceStatus) -> tuple[DeviceCoordinator, FakeSession, FakeDevices]:
    session, devices = FakeSession(), FakeDevices(**statuses)
    return DeviceCoordinator(session, devices), session, devices  # type: ignore[arg-type]


@pytest.mark.parametrize("status", list(DeviceStatus))
def test_usable_is_anything_but_a_known_fault(status: DeviceStatus) -> None:
    assert usable(status) is (status not in FAULTS)
    if status.works:  # what the driver may print on is always offered
        assert usable(status)


def test_unknown_is_offered_but_does_not_work() -> None:
    assert usable(DeviceStatus.UNKNOWN) and not DeviceStatus.UNKNOWN.works


def test_start_up_reports_printer_and_camera_and_pauses_the_camera() -> None:
    _, session, devices = rig(printer=DeviceStatus.PAPER_OUT, camera=DeviceStatus.READY)
    assert ("printer_status", (False,)) in session.calls
    assert ("camera_status", (True,)) in session.calls
    assert devices.camera.log == ["pause"]


def test_the_reader_is_armed_only_on_the_reading_screen() -> None:
    coordinator, session, devices = rig()
    session.move(Screen.IDCARD_CONSENT)
    assert devices.idcard.log == [] and not coordinator.armed
    session.move(Screen.IDCARD_READING)
    session.move(Screen.IDCARD_READING)  # a repaint: no second arm
    assert devices.idcard.log == ["arm"] and coordinator.armed
    session.move(Screen.ORDERS)
    assert devices.idcard.log == ["arm", "disarm"]


def test_the_camera_runs_only_while_the_customer_has_it_on() -> None:
    coordinator, session, devices = rig()
    coordinator.code("ORDER-1", "camera")
    assert session.calls.count(("code_scanned", ("ORDER-1", "camera"))) == 0
    assert not coordinator.wants_preview()
    session.move(camera_on=True)
    assert devices.camera.log == ["pause", "resume"] and coordinator.wants_preview()
    coordinator.code("ORDER-1", "camera")
    assert ("code_scanned", ("ORDER-1", "camera")) in session.calls
    session.move(camera_on=False)
    assert devices.camera.log[-1] == "pause"


def test_suspension_holds_off_every_customer_input() -> None:
    coordinator, session, _ = rig()
    coordinator.suspend(True)
    before = list(session.calls)
    coordinator.code("X", "scanner")
    coordinator.unreadable(Rejected("not_utf8", b"\xff"))
    coordinator.card(CARD)
    coordinator.card_failed(Problem.of("idcard.read_failed"))
    assert session.calls == before
    coordinator.suspend(False)
    coordinator.code("X", "scanner")
    coordinator.unreadable(Rejected("not_utf8", b"\xff"))
    coordinator.card(CARD)
    coordinator.card_failed(Problem.of("idcard.read_failed"))
    assert session.calls[len(before):] == [
        ("code_scanned", ("X", "scanner")), ("code_unreadable", ("not_utf8", "scanner")),
        ("idcard_read", ("张伟", "110101199003071233")), ("idcard_failed", (Problem.of("idcard.read_failed"),))]


def test_status_events_become_usable_flags_for_printer_scanner_and_camera() -> None:
    coordinator, session, _ = rig()
    session.calls.clear()
    coordinator.status(StatusEvent("printer", DeviceStatus.COVER_OPEN, Problem.of("printer.cover_open")))
    coordinator.status(StatusEvent("printer", DeviceStatus.PAPER_LOW))
    coordinator.status(StatusEvent("scanner", DeviceStatus.OFFLINE))
    coordinator.status(StatusEvent("camera", DeviceStatus.UNKNOWN))
    coordinator.status(StatusEvent("idcard", DeviceStatus.OFFLINE))
    # The scanner's too (issue 11 item 9): the attract screen stops saying "scan below".
    assert session.calls == [("printer_status", (False,)), ("printer_status", (True,)),
                             ("scanner_status", (False,)), ("camera_status", (True,))]
