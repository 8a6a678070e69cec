"""The one device contract: a base every device has, plus capability protocols.

Every device (:class:`Device`) has a ``name``, a status ``publisher``
(:class:`~drivers.base.StatusPublisher`: a :class:`~drivers.base.DeviceStatus`
plus a :class:`~drivers.problem.Problem`, pushed to listeners), ``start`` /
``stop`` and ``running``. What else it can do is a capability, each a
Protocol a consumer asks for by name, never by ``getattr``:

- :class:`Scanning`: codes (``on_code``) and unreadable input (``on_error``);
- :class:`CardReading`: identity cards while armed (``arm``/``disarm``);
- :class:`Frames`: decoded codes plus preview frames (numpy arrays), ``pause``/
  ``resume``;
- printing: :class:`drivers.printer.interface.Printer` (paper, encoding,
  ``reconfigure``), driven through a :class:`~drivers.printer.PrinterWorker`.

A device that is off or cannot be built is one of :mod:`drivers.disabled`'s
per-capability stand-ins, which keep the contract and publish DISABLED or
ERROR with the problem.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol, runtime_checkable

import numpy as np
import numpy.typing as npt

from drivers.base import StatusPublisher
from drivers.problem import Problem

if TYPE_CHECKING:  # the device packages import this module: no import cycle at run time
    from drivers.idcard.identity import IdentityCard
    from drivers.scanner.framing import Rejected

Frame = npt.NDArray[np.uint8]  # a BGR (or grey) camera frame that owns its pixels

CodeCallback = Callable[[str], None]
RejectedCallback = Callable[["Rejected"], None]
CardCallback = Callable[["IdentityCard"], None]
ProblemCallback = Callable[[Problem], None]
FrameCallback = Callable[[Frame], None]


@runtime_checkable
class Device(Protocol):
    """The base: a name, a status publisher, a worker that starts and stops."""

    name: str
    publisher: StatusPublisher

    @property
    def running(self) -> bool: ...

    def start(self) -> None: ...

    def stop(self, timeout: float = 2.0) -> None: ...


@runtime_checkable
class Scanning(Device, Protocol):
    """A code scanner (serial, keyboard wedge, emulated)."""

    def on_code(self, callback: CodeCallback) -> None: ...

    def on_error(self, callback: RejectedCallback) -> None: ...


@runtime_checkable
class CardReading(Device, Protocol):
    """An ID card reader: looks for cards only while armed."""

    def on_card(self, callback: CardCallback) -> None: ...

    def on_error(self, callback: ProblemCallback) -> None: ...

    def arm(self) -> None: ...

    def disarm(self) -> None: ...


@runtime_checkable
class Frames(Device, Protocol):
    """A camera: decoded codes and preview frames while active; paused when nobody looks."""

    frames_decoded: int

    def on_code(self, callback: CodeCallback) -> None: ...

    def on_preview(self, callback: FrameCallback) -> None: ...

    def on_idle_frame(self, callback: FrameCallback) -> None:
        """Frames read while paused (nobody scanning): for a presence sensor, never decoded."""

    def pause(self) -> None: ...

    def resume(self) -> None: ...
