"""Overlays (help, support, tutorial, the idle warning) over the screen they cover,
the idle timer and the wipe, and the devices' status: printer, camera, out of service.
"""

from __future__ import annotations

from kiosk.flow.base import T_CAMERA, SessionBase, log
from kiosk.flow.states import OVERLAYS, RESTING, Screen, SessionData, Text
from kiosk.logs import current_session


class OverlaysMixin(SessionBase):
    """Overlays, the idle timer and wipe, and device status."""

    # --- overlays: help, support, tutorial, idle --------------------------------------

    def open_overlay(self, screen: Screen) -> None:
        self.touch()
        if screen not in OVERLAYS:
            raise ValueError(f"{screen} is not an overlay")
        if self.screen not in OVERLAYS:
            self.covered = self.screen
        cover = self.covered
        self._go(screen)
        self.covered = cover

    def resume(self) -> None:
        """Close an overlay ("need more time?" -> yes; close support or tutorial)."""
        self.touch()
        target = self.covered or Screen.ATTRACT
        self.covered = None
        self._go(target)

    def tick(self) -> None:
        """Called about once a second by the UI: the idle timer and the countdown."""
        now = self.clock()
        if self.screen is Screen.IDLE_WARNING:
            if now >= self.countdown_deadline:
                self._log("idle_timeout", "idle timeout: session wiped")
                self.wipe("idle")
            return
        if self.screen in RESTING or self.data.printing:
            return
        if now - self.last_activity >= self.idle_timeout_s:
            self.countdown_deadline = now + self.countdown_s
            self.open_overlay(Screen.IDLE_WARNING)
            self.last_activity = now - self.idle_timeout_s  # open_overlay touched: undo

    def countdown_left(self) -> int:
        return max(0, int(round(self.countdown_deadline - self.clock())))

    def wipe(self, reason: str) -> None:
        """Drop everything personal and return to the attract screen."""
        old = self.data.session_id
        self.data = SessionData()
        self.covered = None
        current_session.set("")
        log.info("session wiped", extra={"event": "session.wiped", "session": old,
                                          "reason": reason})
        if self.screen is not Screen.OUT_OF_SERVICE:
            self._go(Screen.ATTRACT, reason=reason)

    # --- devices --------------------------------------------------------------------

    def printer_status(self, usable: bool) -> None:
        self.printer_ok = usable

    def use_camera(self) -> None:
        """The user chose the camera to scan: show ORDERS with the camera notice on."""
        self.touch()
        self._start()
        if not self.camera_ok:
            self.camera_unavailable()
            return
        self.data.camera_on = True
        self.data.camera_for_photo = False
        self._log("camera_on", "camera in use")
        self._go(Screen.ORDERS)

    def camera_off(self) -> None:
        self.touch()
        self.data.camera_on = False
        self.data.camera_for_photo = False
        self._changed()

    def camera_status(self, usable: bool) -> None:
        self.camera_ok = usable
        if not usable and self.data.camera_on:
            self.data.camera_on = False
            self.camera_unavailable()

    def camera_unavailable(self) -> None:
        """The user wanted the camera and it is not there: say so and offer the other ways."""
        self.camera_ok = False
        self.data.notice = T_CAMERA
        self._go(Screen.CAMERA_UNAVAILABLE)

    def out_of_service(self, reason: Text) -> None:
        self.out_of_service_reason = reason
        self.data = SessionData()
        self._go(Screen.OUT_OF_SERVICE)

    def back_in_service(self) -> None:
        self.out_of_service_reason = None
        self.screen = Screen.ATTRACT
        self._go(Screen.ATTRACT)
