"""The scanner interface every scanner backend offers (serial, keyboard wedge)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from drivers.base import StatusPublisher
from drivers.scanner.framing import Rejected

CodeCallback = Callable[[str], None]
ErrorCallback = Callable[[Rejected], None]


class Scanner(Protocol):
    name: str
    publisher: StatusPublisher

    def on_code(self, callback: CodeCallback) -> None: ...

    def on_error(self, callback: ErrorCallback) -> None: ...

    def start(self) -> None: ...

    def stop(self, timeout: float = 2.0) -> None: ...

    @property
    def running(self) -> bool: ...
