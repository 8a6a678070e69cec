"""An ESC/POS printer over any transport: status, preflight, printing, status events.

The same class drives a serial, USB, network or in-process emulated printer;
only the :class:`~drivers.printer.transport.Transport` differs. A print job:

1. ask the status (DLE EOT 1, 2, 4); refuse with the matching PrinterError
   unless READY or PAPER_LOW (silence -> PrinterTimeout, status UNKNOWN);
2. publish BUSY, send the job's bytes;
3. ask the status again: paper out or cover open now means the receipt may be
   cut short (PaperOut/CoverOpen says so); silence after a job raises
   PrinterTimeout telling staff to check the printout.

Transport errors stop here and become OFFLINE plus a PrinterOffline.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence

from drivers.base import DeviceStatus, StatusEvent, StatusPublisher
from drivers.printer.errors import PrinterError, PrinterOffline, PrinterTimeout, error_for
from drivers.printer.escpos_render import EscPosRenderer
from drivers.printer.ops import Op
from drivers.printer.status import STATUS_REQUEST, decode_status
from drivers.printer.transport import Transport, TransportError, TransportTimeout

log = logging.getLogger("drivers.printer")


class EscPosPrinter:
    def __init__(self, transport: Transport, *, encoding: str = "GB18030",
                 paper_width_mm: int = 80, status_timeout_s: float = 1.0,
                 qr_mode: str = "native", device: str = "printer") -> None:
        self.transport = transport
        self.renderer = EscPosRenderer(encoding, paper_width_mm, qr_mode)
        self.paper = self.renderer.paper
        self.status_timeout_s = status_timeout_s
        self.publisher = StatusPublisher(device)
        self._io = threading.Lock()

    # -- status ---------------------------------------------------------------------------
    def status(self) -> StatusEvent:
        with self._io:
            return self._query()

    def preflight(self) -> StatusEvent:
        event = self.status()
        log.info("printer preflight %s", event.status.value,
                 extra={"event": "printer.preflight", "status": event.status.value,
                        "usable": event.status.usable})
        return event

    def _query(self) -> StatusEvent:
        try:
            self.transport.open()
            self.transport.discard_input()
            self.transport.write(STATUS_REQUEST)
            answer = self.transport.read(3, self.status_timeout_s)
        except TransportTimeout as err:
            return self._publish(DeviceStatus.UNKNOWN, str(err))
        except TransportError as err:
            return self._publish(DeviceStatus.OFFLINE, str(err))
        status, message = decode_status(answer)
        if status is DeviceStatus.UNKNOWN and not answer:
            message = f"{message} within {self.status_timeout_s:g} s ({self.transport.name})"
        return self._publish(status, message)

    def _publish(self, status: DeviceStatus, message: str) -> StatusEvent:
        self.publisher.publish(status, message)
        return self.publisher.status

    # -- printing -------------------------------------------------------------------------
    def print_ops(self, ops: Sequence[Op]) -> None:
        self.print_raw(self.renderer.render(ops))

    def print_raw(self, data: bytes) -> None:
        with self._io:
            before = self._query()
            refusal = error_for(before)
            if refusal is not None:
                log.warning("print refused: %s", refusal.message,
                            extra={"event": "printer.print.refused", "status": before.status.value})
                raise refusal
            self._publish(DeviceStatus.BUSY, "printing")
            try:
                self.transport.write(data)
            except TransportTimeout as err:
                self._publish(DeviceStatus.UNKNOWN, str(err))
                raise PrinterTimeout(f"{err}; the receipt may be incomplete") from err
            except TransportError as err:
                self._publish(DeviceStatus.OFFLINE, str(err))
                raise PrinterOffline(f"{err}; the receipt was not printed completely") from err
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
        text = "printer stopped answering after the receipt was sent: check the printout"
    else:
        text = f"{problem.message} (the receipt may be incomplete)"
    err = type(problem)(text)
    log.warning(text, extra={"event": "printer.print.after_fault", "status": problem.status.value})
    return err
