"""Real-time status (DLE EOT n) requests and their decoding to a DeviceStatus.

The driver sends ``10 04 01`` (printer status), ``10 04 02`` (offline cause)
and ``10 04 04`` (paper roll sensor) in one write and waits for three bytes.
Every status byte has bits 1 and 4 set and bits 0 and 7 clear (``b & 0x93 ==
0x12``); a byte that fails this is not a status answer.

- n=1: bit 3 (0x08) offline.
- n=2: bit 2 (0x04) cover open, bit 3 (0x08) feed button, bit 5 (0x20)
  printing stopped at paper end, bit 6 (0x40) error.
- n=4: bits 2/3 (0x0C) paper near end, bits 5/6 (0x60) paper out.

Silence is not "paper OK" (python-escpos's ``paper_status()`` says 2 = paper
adequate when nothing came back, so it is not used): no answer is UNKNOWN,
which is not usable.
"""

from __future__ import annotations

from drivers.base import DeviceStatus
from drivers.problem import Problem

STATUS_REQUEST = b"\x10\x04\x01\x10\x04\x02\x10\x04\x04"

ONLINE_OFFLINE = 0x08
CAUSE_COVER_OPEN = 0x04
CAUSE_PAPER_END = 0x20
CAUSE_ERROR = 0x40
PAPER_NEAR_END = 0x0C
PAPER_OUT = 0x60
FIXED_MASK, FIXED_BITS = 0x93, 0x12

NO_ANSWER = "printer did not answer"


Decoded = tuple[DeviceStatus, Problem | None, str]  # status, problem, technical detail


def decode_status(answer: bytes) -> Decoded:
    """Map the answers to STATUS_REQUEST (n=1, 2, 4 in order) to a status, problem and detail."""
    if not answer:
        return DeviceStatus.UNKNOWN, Problem.of("printer.unknown"), NO_ANSWER
    if len(answer) < 3:
        return (DeviceStatus.UNKNOWN, Problem.of("printer.bad_answer"),
                f"printer answered only {len(answer)} of 3 status bytes")
    printer, cause, paper = answer[0], answer[1], answer[2]
    if any(b & FIXED_MASK != FIXED_BITS for b in (printer, cause, paper)):
        return (DeviceStatus.UNKNOWN, Problem.of("printer.bad_answer"),
                f"printer sent an unexpected status answer {answer[:3].hex(' ')}")
    if cause & CAUSE_COVER_OPEN:
        return DeviceStatus.COVER_OPEN, Problem.of("printer.cover_open"), "printer cover is open"
    if paper & PAPER_OUT == PAPER_OUT or cause & CAUSE_PAPER_END:
        return DeviceStatus.PAPER_OUT, Problem.of("printer.paper_out"), "printer is out of paper"
    if cause & CAUSE_ERROR:
        return DeviceStatus.ERROR, Problem.of("printer.fault"), "printer reports an error"
    if printer & ONLINE_OFFLINE:
        return DeviceStatus.OFFLINE, Problem.of("printer.offline"), "printer is offline"
    if paper & PAPER_NEAR_END:
        return (DeviceStatus.PAPER_LOW, Problem.of("printer.paper_low"),
                "printer paper is running low")
    return DeviceStatus.READY, None, ""


def encode_status(*, offline: bool = False, cover_open: bool = False, paper: str = "ok",
                  error: bool = False) -> dict[int, int]:
    """The byte a printer in this state answers to DLE EOT n, for n = 1..4 (the emulator's side)."""
    paper_out = paper == "out"
    offline = offline or cover_open or paper_out or error
    printer = FIXED_BITS | (ONLINE_OFFLINE if offline else 0)
    cause = FIXED_BITS | (CAUSE_COVER_OPEN if cover_open else 0) \
        | (CAUSE_PAPER_END if paper_out else 0) | (CAUSE_ERROR if error else 0)
    error_cause = FIXED_BITS
    roll = FIXED_BITS | (PAPER_NEAR_END if paper in ("near_end", "out") else 0) \
        | (PAPER_OUT if paper_out else 0)
    return {1: printer, 2: cause, 3: error_cause, 4: roll}
