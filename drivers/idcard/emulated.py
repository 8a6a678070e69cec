"""An emulated SAM ID-card reader on a pseudo-terminal.

A worker thread reads request frames from the pty master, answers them as a
SAM module does, and keeps the state a real one has: a card in the field, a
card selected, a card already read (find then answers 80 until the card leaves,
unless ``halt_after_read=False`` emulates a module that keeps answering 9F).

Besides resident cards it holds the two other layouts a SAM reads (``J``
residence permit, ``I`` foreigner's card: see :mod:`drivers.idcard.identity`)
and, with :meth:`EmulatedSamReader.place_text_block`, any raw 256-byte text
block (a card type the driver does not decode).

Faults on request: ``garbage`` bytes before every answer, bad checksums,
error statuses for select (81) / read (41), slow answers, and unplugged
(no answer at all). Drivers open :attr:`port_name` like any serial port.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import threading
from dataclasses import dataclass
from pathlib import Path

from drivers.idcard import protocol as p
from drivers.idcard.identity import IdentityCard, build_text_block
from drivers.serialport import PtyPair

log = logging.getLogger("drivers.idcard.emulated")

DEMO_CARDS: dict[str, IdentityCard] = {
    "male": IdentityCard(
        name="张伟", sex="男", nation="汉", birth=dt.date(1990, 3, 7),
        address="北京市东城区景山前街4号", id_number="110101199003071233",
        authority="北京市公安局东城分局", valid_from=dt.date(2016, 5, 20),
        valid_to=dt.date(2036, 5, 20),
    ),
    # Female, X check character, 长期 validity (issued after 46: no expiry).
    "long_term": IdentityCard(
        name="王秀英", sex="女", nation="汉", birth=dt.date(1949, 12, 31),
        address="北京市朝阳区建国路88号院3号楼2单元501室", id_number="11010519491231002X",
        authority="北京市公安局朝阳分局", valid_from=dt.date(2012, 8, 1), valid_to=None,
    ),
    "tibetan": IdentityCard(
        name="次仁多吉", sex="男", nation="藏", birth=dt.date(1985, 6, 15),
        address="西藏自治区拉萨市城关区北京中路12号", id_number="540102198506152010",
        authority="拉萨市公安局城关分局", valid_from=dt.date(2019, 1, 10),
        valid_to=dt.date(2039, 1, 10),
    ),
    # 港澳台居民居住证 (J layout): the 18-digit number starts 810000 for Hong Kong.
    "hk_permit": IdentityCard(
        name="陈大文", sex="男", nation="", birth=dt.date(1988, 8, 8),
        address="广东省深圳市福田区福华三路100号", id_number="810000198808080013",
        authority="深圳市公安局", valid_from=dt.date(2021, 3, 1), valid_to=dt.date(2026, 3, 1),
        card_type="J", pass_number="H12345678", issue_count="01",
    ),
    # 外国人永久居留身份证 (I layout, 2017): a 15-character permit number.
    "foreigner": IdentityCard(
        name="约翰史密斯", sex="男", nation="", birth=dt.date(1975, 4, 12),
        address="", id_number="USA110075041201", authority="1500",
        valid_from=dt.date(2020, 6, 1), valid_to=dt.date(2030, 6, 1), card_type="I",
        english_name="SMITH, JOHN", nationality="USA", version="01",
    ),
}


def demo_photo(card: IdentityCard) -> bytes:
    """1024 deterministic bytes standing in for a card's WLT photo."""
    seed = card.id_number.encode()
    out = b""
    counter = 0
    while len(out) < p.PHOTO_LEN:
        out += hashlib.sha256(seed + counter.to_bytes(4, "big")).digest()
        counter += 1
    return out[:p.PHOTO_LEN]


@dataclass
class SamFaults:
    garbage: bytes = b""  # sent before every answer
    bad_checksum: int = 0  # corrupt the CHK of this many next answers (-1: all)
    select_status: int | None = None  # e.g. 0x81: select fails
    read_status: int | None = None  # e.g. 0x41: read fails
    delay_s: float = 0.0  # wait this long before answering
    unplugged: bool = False  # answer nothing


class EmulatedSamReader:
    """A SAM module speaking the frame protocol on a pty; see the module docstring."""

    def __init__(self, card: IdentityCard | None = None, *, link: Path | None = None,
                 halt_after_read: bool = True) -> None:
        self._pty = PtyPair(link)
        self.port_name = self._pty.port_name
        self.device_path = str(link) if link else self.port_name
        self.halt_after_read = halt_after_read
        self.faults = SamFaults()
        self.requests: list[bytes] = []  # every request frame received, exact bytes
        self._lock = threading.Lock()
        self._card: IdentityCard | None = None
        self._text: bytes | None = None  # the card's text block and photo, as the SAM reads them
        self._photo = b""
        self._selected = False
        self._consumed = False
        self._stop = threading.Event()
        self.answered_event = threading.Event()  # set after each answer (tests wait on it)
        if card is not None:
            self.place_card(card)
        self._thread = threading.Thread(target=self._run, name="emulated-sam", daemon=True)
        self._thread.start()

    # -- the simulator's controls --------------------------------------------

    def place_card(self, card: IdentityCard | str) -> None:
        """Put a card (or a demo card's key) on the reader."""
        if isinstance(card, str):
            card = DEMO_CARDS[card]
        text = build_text_block(card)  # fail now, not in the worker, if it cannot be encoded
        with self._lock:
            self._card = card
            self._text, self._photo = text, card.photo or demo_photo(card)
            self._selected = False
            self._consumed = False

    def place_text_block(self, text: bytes, photo: bytes = bytes(p.PHOTO_LEN)) -> None:
        """Put a card holding exactly ``text`` on the reader (a layout we do not model)."""
        with self._lock:
            self._card = None
            self._text, self._photo = bytes(text), bytes(photo)
            self._selected = False
            self._consumed = False

    def remove_card(self) -> None:
        with self._lock:
            self._card = None
            self._text = None
            self._selected = False
            self._consumed = False

    @property
    def card(self) -> IdentityCard | None:
        return self._card

    def unplug(self) -> None:
        """The module goes silent (cable pulled): no answers until :meth:`replug`."""
        self.faults.unplugged = True

    def replug(self) -> None:
        self.faults.unplugged = False

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=2)
        self._pty.close()

    def __enter__(self) -> EmulatedSamReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- the module ------------------------------------------------------------

    def _run(self) -> None:
        buf = b""
        while not self._stop.is_set():
            chunk = self._pty.read(0.05)
            if not chunk:
                if self._pty.closed:
                    return
                continue
            buf += chunk
            while True:
                try:
                    request, buf = p.decode_request(buf)
                except p.FrameChecksumError as err:
                    buf = err.rest
                    self._answer(p.encode_response(p.SW_CHECKSUM))
                    continue
                if request is None:
                    break
                self.requests.append(p.encode_request(request.cmd, request.para, request.data))
                self._answer(self._handle(request))

    def _handle(self, req: p.Request) -> bytes:
        command = (req.cmd, req.para)
        with self._lock:
            if command == p.FIND_CARD:
                if self._text is not None and not (self._consumed and self.halt_after_read):
                    return p.encode_response(p.SW_CARD_FOUND, b"\x00" * 4)
                return p.encode_response(p.SW_NO_CARD)
            if command == p.SELECT_CARD:
                if self.faults.select_status is not None:
                    return p.encode_response(self.faults.select_status)
                if self._text is None:
                    return p.encode_response(p.SW_SELECT_FAILED)
                self._selected = True
                return p.encode_response(p.SW_OK, b"\x00" * 8)
            if command == p.READ_CARD:
                if self.faults.read_status is not None:
                    return p.encode_response(self.faults.read_status)
                if self._text is None or not self._selected:
                    return p.encode_response(p.SW_READ_FAILED)
                self._consumed = True
                return p.encode_response(p.SW_OK, p.read_answer_data(self._text, self._photo))
            if command in (p.RESET_SAM, p.SAM_STATUS):
                return p.encode_response(p.SW_OK)
            if command == p.SAM_ID:
                return p.encode_response(p.SW_OK, bytes.fromhex("0501000020171203000000000000000a"))
        return p.encode_response(p.SW_BAD_COMMAND)

    def _answer(self, frame: bytes) -> None:
        faults = self.faults
        if faults.delay_s and self._stop.wait(faults.delay_s):
            return
        if faults.unplugged:
            return
        if faults.bad_checksum:
            frame = frame[:-1] + bytes([frame[-1] ^ 0x5A])
            if faults.bad_checksum > 0:
                faults.bad_checksum -= 1
        try:
            self._pty.write(faults.garbage + frame)
        except OSError:
            return
        self.answered_event.set()
