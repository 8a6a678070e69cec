"""The device coordinator: what the devices do while a customer is served, without Qt.

Devices report on their own worker threads; the UI's bridge
(:class:`ui.devices.DeviceBridge`) only moves each report to the UI thread and
hands it to :class:`DeviceCoordinator`, which owns the rules:

- the ID card reader is armed only on the ID-card reading screen (after the
  separate consent), disarmed everywhere else;
- the camera decodes and previews only while the customer has it on (its
  notice is showing); otherwise it is paused, and its codes are dropped;
- while the technician's diagnostics mode is open (:meth:`suspend`), scans,
  cards and read failures are the technician's tests and never reach the
  customer session underneath;
- :func:`usable` is THE definition of whether a device may be offered to a
  customer: anything but a known fault. A device not asked yet (UNKNOWN) or
  busy is still offered; the printer driver itself refuses a print unless its
  status works (:attr:`drivers.base.DeviceStatus.works`).

The session is reached only through its intents (``code_scanned``,
``code_unreadable``, ``idcard_read``, ``idcard_failed``, ``printer_status``,
``camera_status``, ``scanner_status``) and read through ``screen`` and ``data.camera_on``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, Protocol

from drivers.base import DeviceStatus, StatusEvent, StatusListener
from drivers.contract import CardReading, Frames, Scanning
from drivers.idcard.identity import IdentityCard
from drivers.problem import Problem
from drivers.scanner.framing import Rejected
from kiosk.flow.states import Screen

log = logging.getLogger("kiosk.devices")

# A known fault: the device cannot serve a customer until someone acts.
FAULTS = frozenset({DeviceStatus.OFFLINE, DeviceStatus.ERROR, DeviceStatus.DISABLED,
                    DeviceStatus.PAPER_OUT, DeviceStatus.COVER_OPEN})


def usable(status: DeviceStatus) -> bool:
    """May the device be offered to a customer? Anything but a known fault."""
    return status not in FAULTS


class CameraFlags(Protocol):
    @property
    def camera_on(self) -> bool: ...


class CustomerSession(Protocol):
    """What the coordinator reads of the session and the intents it calls."""

    @property
    def screen(self) -> Screen: ...

    @property
    def data(self) -> CameraFlags: ...

    def add_listener(self, listener: Callable[[Any], None]) -> None: ...

    def code_scanned(self, text: str, source: str = "scanner") -> None: ...

    def code_unreadable(self, reason: str, source: str = "scanner") -> None: ...

    def idcard_read(self, name: str, id_number: str) -> None: ...

    def idcard_failed(self, message: Problem | str = "") -> None: ...

    def printer_status(self, usable: bool) -> None: ...

    def camera_status(self, usable: bool) -> None: ...

    def scanner_status(self, usable: bool) -> None: ...


class Devices(Protocol):
    """The devices as :class:`drivers.manager.DeviceManager` offers them."""

    @property
    def scanner(self) -> Scanning: ...

    @property
    def idcard(self) -> CardReading: ...

    @property
    def camera(self) -> Frames: ...

    def add_listener(self, listener: StatusListener) -> None: ...

    def statuses(self) -> dict[str, StatusEvent]: ...


class DeviceCoordinator:
    """Device reports in, session intents out; call every method on the session's thread."""

    def __init__(self, session: CustomerSession, devices: Devices) -> None:
        self.session = session
        self.devices = devices
        self._suspended = False
        self._armed = False
        self._camera_on = True
        for event in devices.statuses().values():
            self.status(event)
        session.add_listener(self.session_changed)
        self._set_camera(False)  # the camera works only while the customer has it on

    # -- state ---------------------------------------------------------------------------
    @property
    def suspended(self) -> bool:
        return self._suspended

    def suspend(self, on: bool) -> None:
        """Diagnostics opened (True) or closed (False): customer input is held off meanwhile."""
        if on != self._suspended:
            self._suspended = on
            log.info("customer device input %s", "suspended" if on else "resumed",
                     extra={"event": "devices.suspended", "on": on})

    @property
    def armed(self) -> bool:
        return self._armed

    @property
    def camera_on(self) -> bool:
        return self._camera_on

    def wants_preview(self) -> bool:
        """Is a preview frame worth converting and showing? (Called on the camera's thread.)"""
        return self.session.data.camera_on

    # -- device reports ----------------------------------------------------------------------
    def code(self, text: str, source: str) -> None:
        if self._suspended:
            return
        if source == "camera" and not self.session.data.camera_on:
            return  # the camera decodes only while the customer has turned it on
        self.session.code_scanned(text, source)

    def unreadable(self, rejected: Rejected) -> None:
        if not self._suspended:
            self.session.code_unreadable(rejected.reason, "scanner")

    def card(self, card: IdentityCard) -> None:
        if not self._suspended:
            self.session.idcard_read(card.name, card.id_number)

    def card_failed(self, problem: Problem) -> None:
        if not self._suspended:
            self.session.idcard_failed(problem)

    def status(self, event: StatusEvent) -> None:
        if event.device == "printer":
            self.session.printer_status(usable(event.status))
        elif event.device == "camera":
            self.session.camera_status(usable(event.status))
        elif event.device == "scanner":
            self.session.scanner_status(usable(event.status))

    # -- the session moved -------------------------------------------------------------------
    def session_changed(self, session: Any = None) -> None:
        want = self.session.screen is Screen.IDCARD_READING
        if want != self._armed:
            self._armed = want
            (self.devices.idcard.arm if want else self.devices.idcard.disarm)()
        self._set_camera(self.session.data.camera_on)

    def _set_camera(self, on: bool) -> None:
        if on != self._camera_on:
            self._camera_on = on
            (self.devices.camera.resume if on else self.devices.camera.pause)()
            log.info("camera %s", "on" if on else "off", extra={"event": "ui.camera", "on": on})
