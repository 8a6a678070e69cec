"""Overlays (help, support, tutorial, the idle warning) over the screen they cover,
the idle timer, and the devices' status: printer, camera, out of service.
"""

from __future__ import annotations

from kiosk.flow.core import FlowCore, intent
from kiosk.flow.states import OVERLAYS, RESTING, Screen, SessionData
from kiosk.flow.transitions import Intent
from kiosk.flow.words import say
from kiosk.messages import Text


class OverlaysStep:
    """Overlays and the idle timer. Needs no port."""

    def __init__(self, core: FlowCore) -> None:
        self.core = core

    @intent(Intent.OPEN_OVERLAY)
    def open(self, screen: Screen) -> None:
        core = self.core
        core.touch()
        if screen not in OVERLAYS:
            raise ValueError(f"{screen} is not an overlay")
        if core.screen not in OVERLAYS:
            core.covered = core.screen
        cover = core.covered
        core.go(screen)
        core.covered = cover

    @intent(Intent.RESUME)
    def resume(self) -> None:
        """Close an overlay ("need more time?" -> yes; close support or tutorial)."""
        core = self.core
        core.touch()
        target = core.covered or Screen.ATTRACT
        core.covered = None
        core.go(target)

    def tick(self) -> None:
        """Called about once a second by the UI: the idle timer and the countdown."""
        core = self.core
        now = core.clock()
        if core.screen is Screen.IDLE_WARNING:
            if now >= core.countdown_deadline:
                core.log("idle_timeout", "idle timeout: session wiped")
                core.wipe("idle")
            return
        if core.screen in RESTING or core.data.printing:
            return
        if now - core.last_activity >= core.idle_timeout_s:
            core.countdown_deadline = now + core.countdown_s
            self.open(Screen.IDLE_WARNING)
            core.last_activity = now - core.idle_timeout_s  # open() touched: undo

    def countdown_left(self) -> int:
        return self.core.countdown_left()


class DevicesStep:
    """What the devices say about themselves, and the camera as a way to scan."""

    def __init__(self, core: FlowCore) -> None:
        self.core = core

    def printer_status(self, usable: bool) -> None:
        self.core.printer_ok = usable

    def scanner_status(self, usable: bool) -> None:
        """The receipt scanner works or not: the attract screen says which way to scan."""
        if usable != self.core.scanner_ok:
            self.core.scanner_ok = usable
            self.core.changed()

    @intent(Intent.USE_CAMERA)
    def use_camera(self) -> None:
        """The user chose the camera to scan: show ORDERS with the camera notice on."""
        core = self.core
        core.touch()
        core.start()
        if not core.camera_ok:
            self._camera_unavailable()
            return
        core.data.camera_on = True
        core.data.camera_for_photo = False
        core.log("camera_on", "camera in use")
        core.go(Screen.ORDERS)

    def camera_off(self) -> None:
        core = self.core
        core.touch()
        core.data.camera_on = False
        core.data.camera_for_photo = False
        core.changed()

    @intent(Intent.CAMERA_LOST)
    def camera_status(self, usable: bool) -> None:
        core = self.core
        core.camera_ok = usable
        if not usable and core.data.camera_on:
            core.data.camera_on = False
            self._camera_unavailable()

    def _camera_unavailable(self) -> None:
        """The user wanted the camera and it is not there: say so and offer the other ways."""
        core = self.core
        core.camera_ok = False
        core.data.notice = say("flow.camera_unavailable")
        core.go(Screen.CAMERA_UNAVAILABLE)

    @intent(Intent.OUT_OF_SERVICE)
    def out_of_service(self, reason: Text, cause: str = "") -> None:
        self.core.out_of_service_reason = reason
        self.core.out_of_service_cause = cause
        self.core.data = SessionData()
        self.core.go(Screen.OUT_OF_SERVICE)

    @intent(Intent.BACK_IN_SERVICE)
    def back_in_service(self) -> None:
        self.core.out_of_service_reason = None
        self.core.out_of_service_cause = ""
        self.core.screen = Screen.ATTRACT  # as before: logged as attract -> attract
        self.core.go(Screen.ATTRACT)
