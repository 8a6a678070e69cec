"""Line framing for serial scanners, as a pure class.

A scanner sends ``prefix + code + suffix`` (suffix usually CR LF, some send CR
or LF only, or any configured string). :class:`LineFramer` turns a byte stream
into codes and rejections: a line longer than ``max_length`` bytes, bytes that
are not UTF-8, control characters inside a code, or a missing prefix are
reported with a reason and dropped; the stream carries on with the next line.

Why not pyserial's ``LineReader``/``Packetizer``: they have no length cap (a
scanner stuck without a terminator would grow the buffer for ever), no prefix
and no per-line error reporting.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from drivers.problem import Problem

MAX_LINE = 4096
_STRAY = "\r\n"  # CR/LF left over when the suffix setting is only one of them


@dataclass(frozen=True)
class Rejected:
    """A line that was dropped: ``reason`` is a short key, ``problem`` its catalogue code."""

    reason: str  # "too_long", "not_utf8", "control_chars", "missing_prefix"
    raw: bytes  # at most the first 64 bytes
    detail: str = ""  # technical detail (English)

    @property
    def problem(self) -> Problem:
        return Problem.of(f"scanner.{self.reason}")

    @property
    def message(self) -> str:
        """The code and detail as one log line (words: :mod:`kiosk.messages`)."""
        return f"{self.problem}: {self.detail}" if self.detail else str(self.problem)


Item = str | Rejected


# The categories kiosk.rules.text refuses (drivers may not import kiosk): control, format,
# surrogate, private use, unassigned, line/paragraph separator. Fuzzing found an
# unassigned code point (U+D7FC) passing when only Cc/Cf were refused (issue 15).
_REFUSED = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})


def _controls(text: str) -> bool:
    return any(unicodedata.category(ch) in _REFUSED for ch in text)


class LineFramer:
    """Feed bytes, get codes (``str``) and :class:`Rejected` items, in arrival order."""

    def __init__(self, prefix: str = "", suffix: str = "\r\n", max_length: int = MAX_LINE,
                 encoding: str = "utf-8") -> None:
        if not suffix:
            raise ValueError("a scanner suffix (line terminator) is needed")
        self.prefix = prefix.encode(encoding)
        self.suffix = suffix.encode(encoding)
        self.max_length = max_length
        self.encoding = encoding
        self._buf = bytearray()
        self._overflow = False  # dropping the rest of an over-long line

    def feed(self, data: bytes) -> list[Item]:
        out: list[Item] = []
        self._buf += data
        while True:
            end = self._buf.find(self.suffix)
            if end < 0:
                if len(self._buf) > self.max_length + len(self.suffix):
                    if not self._overflow:
                        out.append(self._too_long(bytes(self._buf[:64])))
                    self._overflow = True
                    # Keep a tail that may hold the start of the suffix.
                    del self._buf[:len(self._buf) - (len(self.suffix) - 1)]
                return out
            line = bytes(self._buf[:end])
            del self._buf[:end + len(self.suffix)]
            if self._overflow:
                self._overflow = False  # the end of the over-long line: already reported
                continue
            item = self._line(line)
            if item is not None:
                out.append(item)

    def _too_long(self, head: bytes) -> Rejected:
        return Rejected("too_long", head, f"over {self.max_length} bytes, dropped")

    def _line(self, line: bytes) -> Item | None:
        line = line.strip(_STRAY.encode())  # CR/LF left over by a one-character suffix
        if not line:
            return None  # an empty line: nothing was scanned
        if len(line) > self.max_length:
            return self._too_long(line[:64])
        if self.prefix:
            if not line.startswith(self.prefix):
                return Rejected("missing_prefix", line[:64], "missing prefix, dropped")
            line = line[len(self.prefix):]
        try:
            text = line.decode(self.encoding)
        except UnicodeDecodeError:
            return Rejected("not_utf8", line[:64], "not UTF-8, dropped")
        if not text or _controls(text):
            return Rejected("control_chars", line[:64], "control characters, dropped")
        return text
