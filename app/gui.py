"""The Qt half of the composition root: devices, Qt runner, languages, main window, pump.

:func:`build_gui` builds a :class:`~app.core.Core` with a
:class:`ui.runner.QtRunner` (blocking work on a thread pool, results back on the
UI thread by queued signals), the devices (:class:`drivers.manager.DeviceManager`)
with their callbacks marshalled to the UI thread (:class:`ui.devices.DeviceBridge`),
the languages and the main window, and starts the periodic pump.

Thread rule: the session and every widget are touched only by the UI thread; the
issuing service and the mail outbox run on pool threads.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from app.core import PUMP_INTERVAL_S, Core, build_core, pump_on, serve_downloads, warm_up_imports
from drivers.contract import Frame
from drivers.manager import DeviceManager
from kiosk.config import Config
from kiosk.demo_secrets import demo_secret_problem
from kiosk.documents.renderer import ProcessDocumentRenderer
from kiosk.messages import text_for
from kiosk.overrides import effective_config
from kiosk.platform.gateway import IssuingGateway
from ui import theme
from ui.devices import DeviceBridge
from ui.i18n import Languages
from ui.main_window import MainWindow
from ui.runner import QtRunner
from ui.voice import PresenceRelay, VoiceKit, install_presence, install_voice
from ui.wedge import WedgeScanner

if TYPE_CHECKING:  # built later, on demand (kept off the path to the first frame)
    from app.fleet import FleetGui
    from app.systemd import SystemdIntegration
    from ui.control import ControlServer
    from ui.diagnostics.mode import DiagnosticsMode
    from ui.simulator import SimulatorPanel

log = logging.getLogger("kiosk.app")


@dataclass
class Gui:
    """The whole kiosk in this process; ``close()`` takes it down in order."""

    core: Core
    app: QApplication
    window: MainWindow
    runner: QtRunner
    devices: DeviceManager
    bridge: DeviceBridge
    pump_timer: QTimer
    simulator: SimulatorPanel | None = None
    systemd: SystemdIntegration | None = None
    control: ControlServer | None = None
    diagnostics: DiagnosticsMode | None = None
    voice: VoiceKit | None = None
    presence: PresenceRelay | None = None
    fleet: FleetGui | None = None
    closed: bool = False

    def close(self) -> None:
        if self.closed:
            return
        self.closed = True
        self.pump_timer.stop()
        self.window.allow_close = True
        self.window.close()
        if self.simulator is not None:
            self.simulator.close()
        # An issue in flight completes (it is exactly-once safe either way); then the
        # window goes for good, so no stale widget sees a later style or language event.
        self.runner.wait(30000)
        self.devices.stop()  # before the window goes: no device callback into it after
        if self.voice is not None:
            self.voice.close()
        self.window.deleteLater()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        self.core.close()


FIRST_FRAME_FALLBACK_MS = 2000  # a window never painted (hidden in a test) still gets them


class _FirstFrame(QObject):
    """Runs callbacks once, from the event loop just after ``window``'s first paint."""

    def __init__(self, window: QWidget, callbacks: Sequence[Callable[[], None]]) -> None:
        super().__init__(window)
        self.window = window
        self.callbacks = list(callbacks)
        window.installEventFilter(self)
        QTimer.singleShot(FIRST_FRAME_FALLBACK_MS, self, self._fire)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if watched is self.window and event.type() == QEvent.Type.Paint and self.callbacks:
            self.window.removeEventFilter(self)
            QTimer.singleShot(0, self, self._fire)  # after this frame is on the screen
        return False

    def _fire(self) -> None:
        callbacks, self.callbacks = self.callbacks, []
        for callback in callbacks:
            callback()


def after_first_frame(window: QWidget, callbacks: Sequence[Callable[[], None]]) -> None:
    """Run ``callbacks`` once the window has painted its first frame (or after
    :data:`FIRST_FRAME_FALLBACK_MS` if it is never shown)."""
    _FirstFrame(window, callbacks)


def build_gui(
    config: Config,
    app: QApplication,
    *,
    lang: str | None = None,
    large_text: bool | None = None,
    kiosk_mode: bool | None = None,
    devices: DeviceManager | None = None,
    start_devices: bool = True,
    gateway: IssuingGateway | None = None,
    keyboard: bool = True,
    downloads: bool = False,
    documents_process: bool = True,
    voice: bool = True,
) -> Gui:
    """Build the devices, the core with a Qt runner, and the main window over them.

    ``devices`` is a :class:`drivers.manager.DeviceManager` (built from
    ``config.devices`` when not given). ``downloads`` serves the sandbox's invoice
    downloads in-process (``kiosk run`` asks for it; tests stay off the network).
    ``documents_process`` draws PDFs and OFD copies in one child process
    (:class:`~kiosk.documents.renderer.ProcessDocumentRenderer`): their font subsetting
    holds the GIL for tens of ms at a time, which froze the UI while issuing.
    ``voice`` installs the spoken guidance and its controls (``[voice]``; off by default,
    the person can turn it on).
    Device callbacks arrive on device threads and reach the session through queued
    signals (:class:`ui.devices.DeviceBridge`).
    """
    runner = QtRunner(parent=app)
    config = effective_config(config)
    if config.fleet.enabled:  # the back office's last good override and tax tables
        from kiosk.fleet.policy import in_force_at_start

        config = in_force_at_start(config)
    large = config.ui.large_text if large_text is None else large_text
    theme.apply(app, large)
    if devices is None:
        # A keyboard-wedge scanner is a Qt event filter (ui.wedge): drivers import no Qt,
        # so the composition root hands the manager its factory.
        devices = DeviceManager(config.devices,
                                wedge=lambda ms: WedgeScanner(max_interval_ms=ms))
    renderer = ProcessDocumentRenderer() if documents_process else None
    core = build_core(config, runner=runner, printer=devices.printer_worker, gateway=gateway,
                      warm_up=False, renderer=renderer)
    if renderer is not None:
        core.closers.append(renderer.close)
    if downloads:
        stop_downloads = serve_downloads(config, core.gateway)
        if stop_downloads is not None:
            core.closers.append(stop_downloads)
    languages = Languages(app)
    languages.set(lang or config.ui.language)
    window = MainWindow(
        core.session, languages,
        kiosk_mode=config.ui.kiosk_mode if kiosk_mode is None else kiosk_mode,
        large_text=large, support_phone=config.ui.support_phone,
        support_text=config.ui.support_text, support_text_en=config.ui.support_text_en,
        keyboard=keyboard,
    )
    core.session.set_language(languages.current)  # a claim slip prints in it
    window.languageChanged.connect(core.session.set_language)
    bridge = DeviceBridge(core.session, devices, window)
    bridge.preview.connect(window.show_preview)
    # The fleet (issue 16, docs/fleet.md): records to JetStream, updates put in force,
    # metrics fed; None when [fleet] is off.
    fleet: FleetGui | None = None
    if config.fleet.enabled:  # imported only then: nats-py costs ~0.13 s before the frame
        from app.fleet import install_fleet

        fleet = install_fleet(core, devices, app, runner)
    demo_problem = demo_secret_problem(config)
    if demo_problem is not None:  # a demo secret on a real kiosk: the technician must fix it
        log.error("demo secret on a non-demo kiosk", extra={
            "event": "app.demo_secrets", "problem": str(demo_problem)})
        core.session.out_of_service(text_for(demo_problem))
    kit: VoiceKit | None = None
    presence: PresenceRelay | None = None
    if voice:  # spoken guidance (issue 17, docs/voice.md)
        kit = install_voice(window, core.session, config.voice, config.data_path,
                            language=languages.current, language_changed=window.languageChanged,
                            area=window.stack, prepare=config.voice.enabled)
        if window.keyboard is not None:
            # While typing they would float over the compacted footer and the notice.
            window.keyboard.shownChanged.connect(kit.controls.setHidden)
        # Presence looks only at the frames the paused camera drops (nobody scanning).
        presence = install_presence(window, core.session, config.presence, kit.guide)
        if presence is not None:
            presence.changed.connect(window.set_presence)  # the attract screen wakes
            monitor = presence.monitor

            def look(frame: Frame) -> None:
                monitor.offer(frame, time.monotonic())

            devices.camera.on_idle_frame(look)
    pump = QTimer(window)
    pump.setInterval(PUMP_INTERVAL_S * 1000)
    pump.timeout.connect(lambda: pump_on(core, runner))
    pump.start()
    # After the first frame, not before it (bench/bench_startup.py): finish what a restart
    # left, and import what the first issue needs (fpdf2, fontTools: ~0.3 s) while nobody
    # can reach "confirm" yet.
    first_frame: list[Callable[[], None]] = [lambda: pump_on(core, runner)]
    first_frame.append(renderer.warm_up if renderer is not None else warm_up_imports)
    after_first_frame(window, first_frame)
    if start_devices:
        devices.start()
    log.info("kiosk window built", extra={"event": "app.gui_built", "lang": languages.current,
                                          "large_text": large})
    return Gui(core, app, window, runner, devices, bridge, pump, voice=kit, presence=presence,
               fleet=fleet)
