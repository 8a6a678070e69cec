"""Stand-ins for a device that is off (backend "none") or cannot be built, one per capability.

Each keeps its capability's contract (:mod:`drivers.contract`), so the kiosk
wires it like the real device, and publishes DISABLED or ERROR with the
problem once: it never produces a code, a card or a frame. The printer's
stand-in is :class:`drivers.printer.factory.DisabledPrinter`.
"""

from __future__ import annotations

from drivers.base import DeviceStatus, StatusPublisher
from drivers.contract import (
    CardCallback,
    CodeCallback,
    FrameCallback,
    ProblemCallback,
    RejectedCallback,
)
from drivers.problem import Problem


class _Inactive:
    """The base part: a name and a status that never changes; nothing runs."""

    running = False

    def __init__(self, name: str, status: DeviceStatus, problem: Problem, detail: str = "") -> None:
        self.name = name
        self.publisher = StatusPublisher(name)
        self.publisher.publish(status, problem, detail)

    def start(self) -> None:
        pass

    def stop(self, timeout: float = 2.0) -> None:
        pass


class DisabledScanner(_Inactive):
    def __init__(self, status: DeviceStatus, problem: Problem, detail: str = "") -> None:
        super().__init__("scanner", status, problem, detail)

    def on_code(self, callback: CodeCallback) -> None:
        pass

    def on_error(self, callback: RejectedCallback) -> None:
        pass


class DisabledCardReader(_Inactive):
    def __init__(self, status: DeviceStatus, problem: Problem, detail: str = "") -> None:
        super().__init__("idcard", status, problem, detail)

    def on_card(self, callback: CardCallback) -> None:
        pass

    def on_error(self, callback: ProblemCallback) -> None:
        pass

    def arm(self) -> None:
        pass

    def disarm(self) -> None:
        pass


class DisabledCamera(_Inactive):
    frames_decoded = 0

    def __init__(self, status: DeviceStatus, problem: Problem, detail: str = "") -> None:
        super().__init__("camera", status, problem, detail)

    def on_code(self, callback: CodeCallback) -> None:
        pass

    def on_preview(self, callback: FrameCallback) -> None:
        pass

    def on_idle_frame(self, callback: FrameCallback) -> None:
        pass

    def pause(self) -> None:
        pass

    def resume(self) -> None:
        pass
