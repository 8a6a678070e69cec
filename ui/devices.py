"""Device reports to the session, on the UI thread: a bridge, nothing more.

Device callbacks run on the devices' worker threads; each one only emits a
(queued) signal here, and the signal's slot hands the report to the Qt-free
:class:`kiosk.devices.DeviceCoordinator` on the UI thread, which decides what
it means for the session (arming the ID reader, pausing the camera, holding
input off while diagnostics is open, what "usable" is). Camera frames arrive
as numpy arrays and become ``QImage`` s here (:func:`ui.frames.to_qimage`).
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QImage

from drivers.contract import Frame
from drivers.idcard.identity import IdentityCard
from drivers.problem import Problem
from drivers.scanner.framing import Rejected
from kiosk.devices import CustomerSession, DeviceCoordinator, Devices
from ui.frames import to_qimage


class DeviceBridge(QObject):
    code = Signal(str, str)  # text, source
    card = Signal(object)  # drivers.idcard IdentityCard
    status = Signal(object)  # drivers.base.StatusEvent
    preview = Signal(QImage)
    unreadable = Signal(object)  # drivers.scanner.framing.Rejected
    card_failed = Signal(object)  # drivers.problem.Problem

    def __init__(self, session: CustomerSession, devices: Devices,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.devices = devices
        self.coordinator = DeviceCoordinator(session, devices)
        coordinator = self.coordinator
        self.code.connect(coordinator.code)
        self.card.connect(self._card)
        self.status.connect(coordinator.status)
        self.unreadable.connect(self._unreadable)
        self.card_failed.connect(self._card_failed)
        devices.scanner.on_code(lambda text: self.code.emit(text, "scanner"))
        devices.scanner.on_error(self.unreadable.emit)
        devices.idcard.on_card(self.card.emit)
        devices.idcard.on_error(self.card_failed.emit)
        devices.camera.on_code(lambda text: self.code.emit(text, "camera"))
        devices.camera.on_preview(self._camera_preview)
        devices.add_listener(self.status.emit)

    @property
    def suspended(self) -> bool:
        return self.coordinator.suspended

    @suspended.setter
    def suspended(self, on: bool) -> None:  # diagnostics mode sets it (see kiosk.devices)
        self.coordinator.suspend(on)

    def _camera_preview(self, frame: Frame) -> None:  # on the camera's thread
        if self.coordinator.wants_preview():
            self.preview.emit(to_qimage(frame))

    def _card(self, card: IdentityCard) -> None:
        self.coordinator.card(card)

    def _unreadable(self, rejected: Rejected) -> None:
        self.coordinator.unreadable(rejected)

    def _card_failed(self, problem: Problem) -> None:
        self.coordinator.card_failed(problem)
