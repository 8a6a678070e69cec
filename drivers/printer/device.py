"""An ESC/POS printer over any transport: status, printing, paper, encoding, status events.

The same class drives a serial, USB, network or in-process emulated printer;
only the :class:`~drivers.printer.transport.Transport` differs. A print job
asks the printer's status ONCE in the usual case:

1. if the last answer is older than ``status_max_age_s`` or did not say the
   printer works (the worker's idle poll keeps it fresh in the kiosk), ask the
   status (DLE EOT 1, 2, 4) first and refuse with the matching PrinterError
   unless READY or PAPER_LOW (silence -> PrinterTimeout, status UNKNOWN);
2. publish BUSY, send the job's bytes;
3. ask the status: paper out or cover open now means the receipt may be cut
   short (``printer.cut_short``); silence after a job raises PrinterTimeout
   telling staff to check the printout.

Transport errors stop here and become OFFLINE plus a PrinterOffline. The
paper and the encoding are the printer's (``paper``, ``encoding``);
:meth:`EscPosPrinter.reconfigure` changes them between jobs.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Sequence

from drivers.base import DeviceStatus, StatusEvent, StatusPublisher
from drivers.printer.errors import PrinterError, PrinterOffline, PrinterTimeout, error_for
from drivers.printer.escpos_render import EscPosRenderer
from drivers.printer.ops import Op
from drivers.printer.paper import Paper
from drivers.printer.status import STATUS_REQUEST, decode_status
from drivers.printer.transport import Transport, TransportError, TransportTimeout
from drivers.problem import Problem

log = logging.getLogger("drivers.printer")

STATUS_MAX_AGE_S = 5.0  # the worker polls an idle printer every 2 s


class EscPosPrinter:
    def __init__(self, transport: Transport, *, encoding: str = "GB18030",
                 paper_width_mm: int = 80, status_timeout_s: float = 1.0,
                 qr_mode: str = "native", device: str = "printer",
                 status_max_age_s: float = STATUS_MAX_AGE_S) -> None:
        self.transport = transport
        self._renderer = EscPosRenderer(encoding, paper_width_mm, qr_mode)
        self.status_timeout_s = status_timeout_s
        self.status_max_age_s = status_max_age_s
        self.name = device
        self.publisher = StatusPublisher(device)
        self._io = threading.Lock()
        self._asked_at: float | None = None  # monotonic time of the last status answer
        self.status_queries = 0  # how many times the printer was asked (tests, diagnostics)

    # -- paper and encoding -----------------------------------------------------------------
    @property
    def paper(self) -> Paper:
        return self._renderer.paper

    @property
    def encoding(self) -> str:
        return self._renderer.encoder.profile.name

    @property
    def renderer(self) -> EscPosRenderer:
        return self._renderer

    def reconfigure(self, *, encoding: str | None = None,
                    paper_width_mm: int | None = None) -> None:
        """Use another encoding and/or paper from the next job on (waits for a job in hand).

        Raises ValueError for an unknown encoding or width; the printer is unchanged then."""
        with self._io:
            old = self._renderer
            self._renderer = EscPosRenderer(encoding or self.encoding,
                                            paper_width_mm or old.paper.width_mm, old.qr_mode)
        log.info("printer reconfigured: %s, %d mm", self.encoding, self.paper.width_mm,
                 extra={"event": "printer.reconfigured", "encoding": self.encoding,
                        "paper_width_mm": self.paper.width_mm})

    # -- status ---------------------------------------------------------------------------
    def status(self) -> StatusEvent:
        with self._io:
            return self._query()

    def preflight(self) -> StatusEvent:
        event = self.status()
        log.info("printer preflight %s", event.status.value,
                 extra={"event": "printer.preflight", "status": event.status.value,
                        "usable": event.status.works})
        return event

    def _query(self) -> StatusEvent:
        self.status_queries += 1
        try:
            self.transport.open()
            self.transport.discard_input()
            self.transport.write(STATUS_REQUEST)
            answer = self.transport.read(3, self.status_timeout_s)
        except TransportTimeout as err:
            return self._publish(DeviceStatus.UNKNOWN, Problem.of("printer.unknown"), str(err))
        except TransportError as err:
            return self._publish(DeviceStatus.OFFLINE, Problem.of("printer.offline"), str(err))
        status, problem, detail = decode_status(answer)
        if status is DeviceStatus.UNKNOWN and not answer:
            detail = f"{detail} within {self.status_timeout_s:g} s ({self.transport.name})"
        else:
            self._asked_at = time.monotonic()
        return self._publish(status, problem, detail)

    def _publish(self, status: DeviceStatus, problem: Problem | None = None,
                 detail: str = "") -> StatusEvent:
        if status in (DeviceStatus.UNKNOWN, DeviceStatus.OFFLINE):
            self._asked_at = None
        return self.publisher.publish(status, problem, detail)

    def _known_to_work(self) -> bool:
        """The last answer said the printer works and is recent: no need to ask before a job."""
        asked = self._asked_at
        return (asked is not None and self.publisher.status.status.works
                and time.monotonic() - asked <= self.status_max_age_s)

    # -- printing -------------------------------------------------------------------------
    def print_ops(self, ops: Sequence[Op]) -> None:
        self.print_raw(self._renderer.render(ops))

    def print_raw(self, data: bytes) -> None:
        with self._io:
            if not self._known_to_work():
                before = self._query()
                refusal = error_for(before)
                if refusal is not None:
                    log.warning("print refused: %s", refusal.message,
                                extra={"event": "printer.print.refused",
                                       "status": before.status.value})
                    raise refusal
            self._publish(DeviceStatus.BUSY)
            try:
                self.transport.write(data)
            except TransportTimeout as err:
                self._publish(DeviceStatus.UNKNOWN, Problem.of("printer.unknown"), str(err))
                raise PrinterTimeout(Problem.of("printer.silent_after_job"),
                                     f"{err}; the receipt may be incomplete") from err
            except TransportError as err:
                self._publish(DeviceStatus.OFFLINE, Problem.of("printer.offline"), str(err))
                raise PrinterOffline(Problem.of("printer.offline"),
                                     f"{err}; the receipt was not printed completely") from err
            after = self._query()
            problem = error_for(after)
            if problem is not None:
                raise _after_job(problem)
            log.info("printed %d bytes", len(data),
                     extra={"event": "printer.print.done", "bytes": len(data)})

    def close(self) -> None:
        with self._io:
            self.transport.close()


def _after_job(problem: PrinterError) -> PrinterError:
    if isinstance(problem, PrinterTimeout):
        err: PrinterError = PrinterTimeout(
            Problem.of("printer.silent_after_job"),
            "printer stopped answering after the receipt was sent: check the printout")
    else:
        # A real printer (and the emulator) keeps the rest of the job and prints it once
        # paper is loaded and the cover closed: held, not lost.
        err = type(problem)(Problem.of("printer.cut_short", status=problem.status.value),
                            f"{problem.detail} (the rest of the receipt is held)", held=True)
    log.warning(err.message, extra={"event": "printer.print.after_fault",
                                    "status": problem.status.value})
    return err
