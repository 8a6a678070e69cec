"""A full ID card read (find, select, read: 1,295-byte answer) over a pty vs the wire limit.

At 115200 baud 8N1 each byte takes 10 bits, so the read answer alone needs
1295 * 10 / 115200 s = 112.4 ms on a real UART, plus the two short exchanges
before it. A pty does not throttle to the baud rate, so the measured time is
the driver's and the emulator's own cost; the ratio to the wire time shows how
much of a real read the software adds (a small ratio: the wire dominates).
"""

from __future__ import annotations

from bench.runner import Runner
from drivers.idcard import SamReader
from drivers.idcard import protocol as p
from drivers.idcard.emulated import DEMO_CARDS, EmulatedSamReader

BAUD = 115200
BITS_PER_BYTE = 10  # start + 8 data + stop
READ_ANSWER = 1295  # 5 preamble + 2 LEN + 3 SW + 4 lengths + 256 text + 1024 photo + 1 CHK
# Bytes on the wire both ways for find, select and read.
EXCHANGES = [
    len(p.encode_request(*p.FIND_CARD)) + len(p.encode_response(p.SW_CARD_FOUND, b"\0" * 4)),
    len(p.encode_request(*p.SELECT_CARD)) + len(p.encode_response(p.SW_OK, b"\0" * 8)),
    len(p.encode_request(*p.READ_CARD)) + READ_ANSWER,
]


def wire_ms(nbytes: int) -> float:
    return nbytes * BITS_PER_BYTE / BAUD * 1e3


def run(r: Runner) -> None:
    # Cards in turn: the driver will not return the card it just read again
    # unless it saw the field empty, and a swap here is faster than its poll.
    cards = list(DEMO_CARDS.values())
    turn = [0]
    with EmulatedSamReader() as emu, SamReader(emu.port_name, BAUD, poll_interval=0.001) as reader:

        def full_read() -> None:
            turn[0] += 1
            emu.place_card(cards[turn[0] % len(cards)])
            if reader.read_card(timeout=2.0) is None:
                raise RuntimeError("card not read")

        answer = p.encode_response(p.SW_OK, p.read_answer_data(b"\0" * 256, b"\0" * 1024))
        assert len(answer) == READ_ANSWER

        def decode_only() -> None:
            p.decode_response(answer)

        medians = r.compare("ID card: full read over a pty vs decoding the 1,295-byte answer",
                            {"full read over pty": full_read, "decode answer only": decode_only},
                            rounds=30, baseline="full read over pty")
    measured = medians["full read over pty"]
    answer_ms = wire_ms(READ_ANSWER)
    all_ms = wire_ms(sum(EXCHANGES))
    r.table(
        "ID card read at 115200 baud: wire limit vs measured over a pty (pty is not throttled)",
        ["what", "bytes", "ms", "measured / limit"],
        [
            ["wire: read answer only", READ_ANSWER, f"{answer_ms:.1f}", f"{measured / answer_ms:.3f}"],
            ["wire: find+select+read, both ways", sum(EXCHANGES), f"{all_ms:.1f}",
             f"{measured / all_ms:.3f}"],
            ["measured: full read over pty", sum(EXCHANGES), f"{measured:.2f}", "-"],
        ],
    )
