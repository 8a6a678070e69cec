"""``IdCardDevice``: the app-facing ID reader, a worker thread around :class:`SamReader`.

While armed (a screen waits for a card) the worker polls ``read_card`` and
hands each identity to the ``on_card`` callbacks; while disarmed it only pings
the SAM (11 FF) now and then, so an unplugged reader shows up as OFFLINE even
when nobody is waiting for a card. A port that fails or a reader that stays
silent ends the worker with status OFFLINE; the device manager reopens it.
Read faults (error status, checksum, malformed data) go to ``on_error`` and
the worker keeps polling. Callbacks run on the worker thread.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from drivers.base import DeviceStatus, StatusPublisher
from drivers.idcard.identity import IdentityCard
from drivers.idcard.reader import SamError, SamPortError, SamReader
from drivers.problem import Problem

log = logging.getLogger("drivers.idcard")

NO_ANSWER = Problem.of("idcard.no_answer")
ProblemCallback = Callable[[Problem], None]


class IdCardDevice:
    name = "idcard"

    def __init__(self, url: str, baudrate: int = 115200, *, read_timeout: float = 0.5,
                 health_interval: float = 2.0) -> None:
        self.url = url
        self.baudrate = baudrate
        self.read_timeout = read_timeout
        self.health_interval = health_interval
        self.publisher = StatusPublisher(self.name)
        self._card_callbacks: list[Callable[[IdentityCard], None]] = []
        self._error_callbacks: list[ProblemCallback] = []
        self._armed = threading.Event()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def on_card(self, callback: Callable[[IdentityCard], None]) -> None:
        self._card_callbacks.append(callback)

    def on_error(self, callback: ProblemCallback) -> None:
        """``callback(Problem)`` when a card was there but could not be read."""
        self._error_callbacks.append(callback)

    @property
    def armed(self) -> bool:
        return self._armed.is_set()

    def arm(self) -> None:
        """Start looking for cards (a screen is waiting for one)."""
        self._armed.set()
        self._wake.set()

    def disarm(self) -> None:
        self._armed.clear()

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def status(self) -> DeviceStatus:
        return self.publisher.status.status

    def start(self) -> None:
        if self.running:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="idcard-worker", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 2.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            if self._thread.is_alive():
                log.error("ID card worker did not stop within %.1fs", timeout,
                          extra={"event": "idcard.stop_timeout"})

    # -- worker ------------------------------------------------------------------

    def _run(self) -> None:
        try:
            reader = SamReader(self.url, self.baudrate)
        except SamPortError as err:
            self.publisher.publish(DeviceStatus.OFFLINE, Problem.of("idcard.offline"), str(err))
            return
        try:
            self._serve(reader)
        except Exception as err:  # a bug must surface as a status, not a silent dead thread
            log.exception("ID card worker failed", extra={"event": "idcard.worker_failed"})
            self.publisher.publish(DeviceStatus.ERROR, Problem.of("idcard.program_error"), str(err))
        finally:
            reader.close()

    def _serve(self, reader: SamReader) -> None:
        try:
            if not reader.sam_status(self.read_timeout):
                self.publisher.publish(DeviceStatus.OFFLINE, NO_ANSWER)
                return
        except SamPortError as err:
            self.publisher.publish(DeviceStatus.OFFLINE, Problem.of("idcard.lost"), str(err))
            return
        except SamError as err:
            self.publisher.publish(DeviceStatus.ERROR, Problem.of("idcard.fault"), str(err))
            return
        self.publisher.publish(DeviceStatus.READY)
        while not self._stop.is_set():
            try:
                if self._armed.is_set():
                    card = reader.read_card(self.read_timeout)
                    if card is None and not reader.answered:
                        self.publisher.publish(DeviceStatus.OFFLINE, NO_ANSWER)
                        return
                    if card is not None and not self._stop.is_set():
                        self._emit_card(card)
                else:
                    self._wake.clear()
                    if self._wake.wait(self.health_interval) or self._stop.is_set():
                        continue
                    if not reader.sam_status(self.read_timeout):
                        self.publisher.publish(DeviceStatus.OFFLINE, NO_ANSWER)
                        return
                self.publisher.publish(DeviceStatus.READY)
            except SamPortError as err:
                self.publisher.publish(DeviceStatus.OFFLINE, Problem.of("idcard.lost"), str(err))
                return
            except SamError as err:
                log.warning("ID card read failed: %s", err, extra={"event": "idcard.read_failed"})
                for callback in list(self._error_callbacks):
                    self._call(callback, err.problem)  # the reader's own code and parameters

    def _emit_card(self, card: IdentityCard) -> None:
        for callback in list(self._card_callbacks):
            self._call(callback, card)

    @staticmethod
    def _call(callback: Callable[..., None], arg: object) -> None:
        try:
            callback(arg)
        except Exception:  # a consumer's bug must not kill the worker
            log.exception("ID card callback failed")
