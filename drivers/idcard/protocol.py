"""The SAM frame codec of second-generation ID card readers (GA 467), as pure functions.

Request:  ``AA AA AA 96 69 | LEN(2, BE) | CMD | PARA | DATA | CHK``
Response: ``AA AA AA 96 69 | LEN(2, BE) | SW1 SW2 SW3 | DATA | CHK``

LEN counts the bytes after itself, CHK included; CHK is the XOR of every byte
after the preamble (LEN included), CHK excluded. Decoders resynchronise on the
preamble, so line noise before a frame is skipped; a stray header (preamble
and LEN, then nothing) is given up as soon as a new preamble shows inside what
it claims: when it is still incomplete, or when it completes with a wrong CHK
(see :func:`split_frame`).

Status words (SW3) as three public SAM reader implementations list them
(新中新 Synjones ``SynjonesIDCardRetCode``, 华旭 ``HxReaderInternal``, the
``SDT_*`` JNI wrapper's comment table), plus 0x34 from domain.md, which only
says it is an authentication fault.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import reduce

PREAMBLE = bytes.fromhex("AAAAAA9669")
HEADER_LEN = len(PREAMBLE) + 2
# The longest legal frame is the read answer (LEN 1288); anything far above is
# noise that happened to contain a preamble, and is skipped.
MAX_LEN = 0x0600

# Commands (CMD, PARA)
FIND_CARD = (0x20, 0x01)
SELECT_CARD = (0x20, 0x02)
READ_CARD = (0x30, 0x01)
RESET_SAM = (0x10, 0xFF)
SAM_STATUS = (0x11, 0xFF)
SAM_ID = (0x12, 0xFF)

# SW3 status codes
SW_OK = 0x90
SW_CARD_FOUND = 0x9F
SW_NO_CARD = 0x80
SW_SELECT_FAILED = 0x81
SW_READ_FAILED = 0x41
SW_CHECKSUM = 0x10
SW_LENGTH = 0x11
SW_BAD_COMMAND = 0x21
SW_RANDOM_FAILED = 0x47
SW_NO_CONTENT = 0x91

SW3_MEANING: dict[int, str] = {
    0x90: "操作成功 (ok)",
    0x91: "居民身份证中此项无内容 (this item has no content on the card)",
    0x9F: "寻卡成功 (card found)",
    0x80: "寻卡失败 (no card found)",
    0x81: "选卡失败 (select card failed)",
    0x41: "读卡失败 (read card failed)",
    0x10: "接收业务终端数据的校验和错 (checksum error in the request)",
    0x11: "接收业务终端数据的长度错 (length error in the request)",
    0x21: "接收业务终端的命令错误 (bad command)",
    0x23: "越权操作 (operation not permitted)",
    0x24: "无法识别的错误 (unrecognised error)",
    0x31: "卡认证机具失败 (card failed to authenticate the reader)",
    0x32: "机具认证卡失败 (reader failed to authenticate the card)",
    0x33: "信息验证错误 (information verification error)",
    0x34: "认证失败 (authentication failed: see the module's manual)",
    0x37: "指纹信息验证错误 (fingerprint data verification error)",
    0x3F: "信息长度错误 (information length error)",
    0x40: "无法识别的卡类型 (unknown card type)",
    0x47: "取随机数失败 (random-number fetch failed)",
    0x60: "自检失败 (SAM self-test failed)",
    0x66: "SAM 未经授权 (SAM not authorised)",
}

# The read answer's data: text length, photo length, text, photo.
TEXT_LEN = 256
PHOTO_LEN = 1024


def sw3_meaning(sw3: int) -> str:
    return SW3_MEANING.get(sw3, f"未知状态 (unknown status {sw3:02X})")


def checksum(body: bytes) -> int:
    """XOR of ``body`` (every byte after the preamble, CHK excluded)."""
    return reduce(lambda a, b: a ^ b, body, 0)


def _frame(payload: bytes) -> bytes:
    body = (len(payload) + 1).to_bytes(2, "big") + payload
    return PREAMBLE + body + bytes([checksum(body)])


def encode_request(cmd: int, para: int, data: bytes = b"") -> bytes:
    """A request frame: ``encode_request(0x20, 0x01)`` is ``AA AA AA 96 69 00 03 20 01 22``."""
    return _frame(bytes([cmd, para]) + data)


def encode_response(sw3: int, data: bytes = b"", sw1: int = 0x00, sw2: int = 0x00) -> bytes:
    """A response frame (what the reader, or the emulator, sends)."""
    return _frame(bytes([sw1, sw2, sw3]) + data)


@dataclass(frozen=True)
class Request:
    cmd: int
    para: int
    data: bytes = b""


@dataclass(frozen=True)
class Response:
    sw1: int
    sw2: int
    sw3: int
    data: bytes = b""

    @property
    def meaning(self) -> str:
        return sw3_meaning(self.sw3)


class FrameChecksumError(ValueError):
    """A complete frame arrived whose CHK does not match; ``rest`` follows it."""

    def __init__(self, rest: bytes, expected: int, got: int) -> None:
        super().__init__(f"frame checksum mismatch: computed {expected:02X}, frame says {got:02X}")
        self.rest = rest


def split_frame(buf: bytes, min_payload: int = 0) -> tuple[bytes | None, bytes]:
    """Find the first complete frame in ``buf``: ``(payload, rest)``.

    Bytes before a preamble are dropped. When no complete frame is there yet,
    the payload is ``None`` and ``rest`` keeps what may still become one (from
    the preamble on, or a tail that may be the start of one). A header whose
    LEN is impossible is treated as noise: the search continues after it.

    A header whose frame is not complete yet but has a new preamble after it
    is a stray (a header with nothing after it): decoding resumes at the new
    preamble. So does a complete frame with a wrong CHK that holds a new
    preamble. A complete frame with a wrong CHK and no new preamble raises
    :class:`FrameChecksumError`. (A real frame's data could hold the five
    preamble bytes by chance; it is then lost like a frame hit by noise, and
    the caller's retry asks again.)
    """
    while True:
        start = buf.find(PREAMBLE)
        if start < 0:
            # Keep a tail that could be the start of a split preamble.
            keep = 0
            for k in range(min(len(PREAMBLE) - 1, len(buf)), 0, -1):
                if buf.endswith(PREAMBLE[:k]):
                    keep = k
                    break
            return None, buf[len(buf) - keep:] if keep else b""
        buf = buf[start:]
        if len(buf) < HEADER_LEN:
            return None, buf
        length = int.from_bytes(buf[5:7], "big")
        if length < min_payload + 1 or length > MAX_LEN:
            buf = buf[1:]  # not a real header: resynchronise past it
            continue
        end = HEADER_LEN + length
        # A new preamble starting inside the claimed frame (it may run past its end)?
        inner = buf.find(PREAMBLE, len(PREAMBLE), end + len(PREAMBLE) - 1)
        if len(buf) < end:
            if inner >= 0:
                buf = buf[inner:]  # a stray header: the real frame starts there
                continue
            return None, buf
        body = buf[5:end - 1]
        chk = buf[end - 1]
        rest = buf[end:]
        expected = checksum(body)
        if expected != chk:
            if inner >= 0:
                buf = buf[inner:]
                continue
            raise FrameChecksumError(rest, expected, chk)
        return body[2:], rest


def decode_response(buf: bytes) -> tuple[Response | None, bytes]:
    """Decode the first response frame in ``buf``: ``(response | None, rest)``."""
    payload, rest = split_frame(buf, min_payload=3)
    if payload is None:
        return None, rest
    return Response(payload[0], payload[1], payload[2], payload[3:]), rest


def decode_request(buf: bytes) -> tuple[Request | None, bytes]:
    """Decode the first request frame in ``buf``: ``(request | None, rest)``."""
    payload, rest = split_frame(buf, min_payload=2)
    if payload is None:
        return None, rest
    return Request(payload[0], payload[1], payload[2:]), rest


def read_answer_data(text: bytes, photo: bytes) -> bytes:
    """The data of a 30 01 answer: lengths (BE), text block, photo."""
    return len(text).to_bytes(2, "big") + len(photo).to_bytes(2, "big") + text + photo


def split_read_answer(data: bytes) -> tuple[bytes, bytes]:
    """``(text, photo)`` from a 30 01 answer's data; ValueError when the lengths do not add up."""
    if len(data) < 4:
        raise ValueError(f"read answer too short ({len(data)} bytes)")
    text_len = int.from_bytes(data[0:2], "big")
    photo_len = int.from_bytes(data[2:4], "big")
    if len(data) != 4 + text_len + photo_len:
        raise ValueError(
            f"read answer lengths say {text_len}+{photo_len} bytes, frame holds {len(data) - 4}"
        )
    return data[4:4 + text_len], data[4 + text_len:]
