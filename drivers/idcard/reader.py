"""``SamReader``: reads identity cards from a SAM module over a serial port.

One :meth:`SamReader.read_card` call polls find (20 01) until a card is in the
field, then select (20 02) and read (30 01), and returns the identity, or
``None`` when the timeout passes first. Every wait on the port is bounded by
the time left, so the call never runs past its timeout by more than one short
port read.

A card is returned once per visit to the field. Most SAM modules enforce this
themselves (after a read, find answers 80 until the card leaves and comes
back); some answer 9F again while the card stays. The driver therefore also
remembers a digest of the last card it returned and will not return the same
card again until a find has answered 80 ("no card") in between; a card that
really left and came back is returned again. The digest is kept in memory
only, never logged.

Faults become :class:`SamError` subclasses with a clear message and a
:class:`~drivers.problem.Problem` (``err.problem``, words in
``kiosk.messages.devices``): an error status (the SW3 meaning), a frame whose
checksum stays wrong after retries, a malformed text block, a card of a type
this reader does not decode (:class:`SamCardTypeError`: "use another way to
identify"), or a port that vanished. Line noise and stray frame headers are
skipped by resynchronising on the preamble (:func:`protocol.split_frame`).
"""

from __future__ import annotations

import hashlib
import logging
import termios
import threading
import time

import serial

from drivers.idcard import protocol as p
from drivers.idcard.identity import (
    IdentityCard,
    TextBlockError,
    UnsupportedCardType,
    parse_text_block,
)
from drivers.problem import Problem
from drivers.serialport import open_port

log = logging.getLogger("drivers.idcard")

_READ_SLICE_S = 0.05  # longest single port read: keeps deadlines tight


class SamError(Exception):
    """The reader failed; ``str(err)`` says what happened, ``problem`` is its catalogue code."""

    code = "idcard.read_failed"

    def __init__(self, message: str, sw3: int | None = None,
                 problem: Problem | None = None) -> None:
        super().__init__(message)
        self.sw3 = sw3
        self.problem = problem or Problem.of(self.code)


class SamStatusError(SamError):
    """The SAM answered with an error status (``sw3`` and its meaning)."""

    def __init__(self, message: str, sw3: int | None = None,
                 problem: Problem | None = None) -> None:
        status = f"{sw3:02X}" if sw3 is not None else "?"
        meaning = p.sw3_meaning(sw3) if sw3 is not None else ""
        super().__init__(message, sw3,
                         problem or Problem.of("idcard.status", status=status, meaning=meaning))


class SamChecksumError(SamError):
    """Answers kept arriving with a wrong checksum."""

    code = "idcard.checksum"


class SamDataError(SamError):
    """The card's data is malformed."""

    code = "idcard.data_malformed"


class SamCardTypeError(SamDataError):
    """A card of a type this reader does not decode: the holder must identify another way."""

    code = "idcard.card_type_unsupported"

    def __init__(self, mark: str) -> None:
        super().__init__(
            f"card type not supported here, please use another way to identify "
            f"(此类证件本机不支持，请使用其他方式识别; type mark {mark!r})",
            problem=Problem.of(self.code, mark=mark))
        self.mark = mark


class SamPortError(SamError):
    """The serial port cannot be opened or went away."""

    code = "idcard.port"


class SamReader:
    """A SAM ID-card reader on ``url`` (device path, pty path or pyserial URL)."""

    def __init__(self, url: str, baudrate: int = 115200, *, poll_interval: float = 0.05,
                 checksum_retries: int = 2) -> None:
        try:
            self._ser = open_port(url, baudrate, timeout=_READ_SLICE_S)
        except serial.SerialException as err:
            raise SamPortError(f"ID card reader port unavailable: {err}") from err
        self.url = url
        self.poll_interval = poll_interval
        self.checksum_retries = checksum_retries
        self._buf = b""
        self._last_digest: bytes | None = None
        self._closing = threading.Event()
        self.answered = False  # did the reader answer anything during the last call?
        self.checksum_errors = 0  # frames dropped for a bad checksum (since opening)

    # -- public -------------------------------------------------------------

    def read_card(self, timeout: float) -> IdentityCard | None:
        """Poll until a (new) card is read, or return ``None`` when ``timeout`` passes."""
        deadline = time.monotonic() + timeout
        self.answered = False
        while not self._closing.is_set():
            found = self._command(p.FIND_CARD, deadline)
            if found is None:
                return None
            if found.sw3 == p.SW_NO_CARD:
                self._last_digest = None  # the field was seen empty
                if not self._pause(deadline):
                    return None
                continue
            if found.sw3 != p.SW_CARD_FOUND:
                raise SamStatusError(f"find card: {found.meaning}", found.sw3)
            selected = self._command(p.SELECT_CARD, deadline)
            if selected is None:
                return None
            if selected.sw3 != p.SW_OK:
                raise SamStatusError(f"select card: {selected.meaning}", selected.sw3)
            answer = self._command(p.READ_CARD, deadline)
            if answer is None:
                return None
            if answer.sw3 != p.SW_OK:
                raise SamStatusError(f"read card: {answer.meaning}", answer.sw3)
            try:
                text, photo = p.split_read_answer(answer.data)
                card = parse_text_block(text, photo)
            except UnsupportedCardType as err:
                raise SamCardTypeError(err.mark) from err
            except (ValueError, TextBlockError) as err:
                raise SamDataError(f"card data malformed: {err}") from err
            digest = hashlib.sha256(text + photo).digest()
            if digest == self._last_digest:
                # Same card, never seen leaving the field: not a new presentation.
                if not self._pause(deadline):
                    return None
                continue
            self._last_digest = digest
            log.info("card read", extra={"event": "idcard.read"})
            return card
        return None

    def sam_status(self, timeout: float = 0.5) -> bool:
        """Ask the SAM for its status (11 FF): True when it answers OK, False when silent."""
        answer = self._command(p.SAM_STATUS, time.monotonic() + timeout)
        if answer is None:
            return False
        if answer.sw3 != p.SW_OK:
            raise SamStatusError(f"SAM status: {answer.meaning}", answer.sw3)
        return True

    def close(self) -> None:
        self._closing.set()
        try:
            self._ser.close()
        except (OSError, serial.SerialException):
            pass

    def __enter__(self) -> SamReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- internals ----------------------------------------------------------

    def _pause(self, deadline: float) -> bool:
        """Wait one poll interval (bounded by the deadline); False when time is up."""
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return False
        self._closing.wait(min(self.poll_interval, remaining))
        return time.monotonic() < deadline

    def _command(self, command: tuple[int, int], deadline: float) -> p.Response | None:
        """Send a request and wait for its answer; None when the deadline passes."""
        request = p.encode_request(*command)
        attempts = 0
        while True:
            try:
                # A late answer to an earlier, timed-out request must not pass
                # for the answer to this one.
                self._ser.reset_input_buffer()
                self._buf = b""
                # Even a stuck write (flow control) may not outlast the deadline.
                write_s = max(0.01, min(1.0, deadline - time.monotonic()))
                if self._ser.write_timeout != write_s:
                    self._ser.write_timeout = write_s
                self._ser.write(request)
                return self._receive(deadline)
            except p.FrameChecksumError as err:
                self.checksum_errors += 1
                attempts += 1
                log.warning("ID reader frame checksum error (%s)", err,
                            extra={"event": "idcard.checksum_error"})
                if attempts > self.checksum_retries:
                    raise SamChecksumError(
                        f"answers to {command[0]:02X} {command[1]:02X} keep failing their "
                        f"checksum ({attempts} attempts)", p.SW_CHECKSUM) from err
                if time.monotonic() >= deadline:
                    return None
            except (serial.SerialException, OSError, termios.error) as err:
                raise SamPortError(f"ID card reader port failed: {err}") from err

    def _receive(self, deadline: float) -> p.Response | None:
        while True:
            response, self._buf = p.decode_response(self._buf)
            if response is not None:
                self.answered = True
                return response
            remaining = deadline - time.monotonic()
            if remaining <= 0 or self._closing.is_set():
                return None
            slice_s = min(_READ_SLICE_S, remaining)
            if self._ser.timeout != slice_s:
                self._ser.timeout = slice_s
            self._buf += self._ser.read(max(1, self._ser.in_waiting))
