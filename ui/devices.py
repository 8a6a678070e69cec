"""Device events to the session, on the UI thread.

Device callbacks run on the devices' worker threads; each one only emits a
signal here, and the signal's (queued) slot calls the session's intent on the
UI thread. The ID card reader is armed only while the session is on the
ID-card reading screen (after the separate consent); the camera decodes and
previews only while the user has it on (its notice is showing): otherwise it is
paused.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QImage

from drivers.base import DeviceStatus, StatusEvent
from drivers.camera.device import Frame
from kiosk.flow.states import Screen
from kiosk.session import Session
from ui.frames import to_qimage

log = logging.getLogger("ui.devices")


class DeviceBridge(QObject):
    code = Signal(str, str)  # text, source
    card = Signal(object)  # drivers.idcard IdentityCard
    status = Signal(object)  # StatusEvent
    preview = Signal(QImage)
    unreadable = Signal(str)  # the scanner's reason for a dropped line
    card_failed = Signal(str)

    def __init__(self, session: Session, devices: Any, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.devices = devices
        # While the technician's diagnostics mode is open, scans and cards are the
        # technician's tests: they must not drive the customer session underneath.
        self.suspended = False
        self.code.connect(self._on_code)
        self.card.connect(self._on_card)
        self.status.connect(self._on_status)
        self.unreadable.connect(self._on_unreadable)
        self.card_failed.connect(self._on_card_failed)
        devices.scanner.on_code(lambda text: self.code.emit(text, "scanner"))
        devices.scanner.on_error(lambda rejected: self.unreadable.emit(
            str(getattr(rejected, "reason", "garbled"))))
        devices.idcard.on_error(lambda message: self.card_failed.emit(str(message)))
        devices.camera.on_code(lambda text: self.code.emit(text, "camera"))
        devices.camera.on_preview(self._camera_preview)
        devices.idcard.on_card(self.card.emit)
        devices.add_listener(self.status.emit)
        for event in devices.statuses().values():
            self._on_status(event)
        session.add_listener(self._session_changed)
        self._armed = False
        self._camera_on = True
        self._set_camera(False)  # the camera works only while the user has turned it on

    def _camera_preview(self, frame: Frame) -> None:
        if self.session.data.camera_on:
            self.preview.emit(to_qimage(frame))

    def _on_unreadable(self, reason: str) -> None:
        if not self.suspended:
            self.session.code_unreadable(reason, "scanner")

    def _on_card_failed(self, message: str) -> None:
        if not self.suspended:
            self.session.idcard_failed(message)

    def _on_code(self, text: str, source: str) -> None:
        if self.suspended:
            return
        if source == "camera" and not self.session.data.camera_on:
            return  # the camera decodes only while the user has turned it on
        self.session.code_scanned(text, source)

    def _on_card(self, card: Any) -> None:
        if not self.suspended:
            self.session.idcard_read(card.name, card.id_number)

    def _on_status(self, event: StatusEvent) -> None:
        # UNKNOWN (not asked yet) and BUSY are not failures: only a known fault counts.
        usable = event.status not in (DeviceStatus.OFFLINE, DeviceStatus.ERROR,
                                      DeviceStatus.DISABLED, DeviceStatus.PAPER_OUT,
                                      DeviceStatus.COVER_OPEN)
        if event.device == "printer":
            self.session.printer_status(usable)
        elif event.device == "camera":
            self.session.camera_status(usable)

    def _set_camera(self, on: bool) -> None:
        if on != self._camera_on:
            self._camera_on = on
            action = getattr(self.devices.camera, "resume" if on else "pause", None)
            if action is not None:
                action()
            log.info("camera %s", "on" if on else "off",
                     extra={"event": "ui.camera", "on": on})

    def _session_changed(self, session: Session) -> None:
        want = session.screen is Screen.IDCARD_READING
        if want != self._armed:
            self._armed = want
            (self.devices.idcard.arm if want else self.devices.idcard.disarm)()
        self._set_camera(session.data.camera_on)
