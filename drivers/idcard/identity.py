"""The identity read from a card, and its 256-byte text block (UCS-2 LE, space-padded).

Field byte sizes, in order: name 30, sex 2, nation 4, birth 16, address 70,
ID number 36, authority 30, valid from 16, valid to 16 (or 长期), reserved 36.
Parsing is strict: a block that does not hold a well-formed identity raises
:class:`TextBlockError`, never returns partly wrong data.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from drivers.idcard.nations import nation_code, nation_name

FIELDS: tuple[tuple[str, int], ...] = (
    ("name", 30), ("sex", 2), ("nation", 4), ("birth", 16), ("address", 70),
    ("id_number", 36), ("authority", 30), ("valid_from", 16), ("valid_to", 16),
    ("reserved", 36),
)
TEXT_BLOCK_LEN = sum(size for _, size in FIELDS)  # 256
LONG_TERM = "长期"
_SEX = {"1": "男", "2": "女"}
_SEX_CODE = {v: k for k, v in _SEX.items()}


class TextBlockError(ValueError):
    """The card's text block is malformed (wrong size, bad date, unknown code)."""


def _mask_name(name: str) -> str:
    return name[:1] + "*" * max(len(name) - 1, 1) if name else ""


def _mask_id(number: str) -> str:
    return number[:4] + "*" * max(len(number) - 8, 0) + number[-4:] if len(number) > 8 else "****"


@dataclass(frozen=True)
class IdentityCard:
    """One resident identity card. ``repr`` masks the name and the ID number."""

    name: str
    sex: str  # "男" / "女"
    nation: str  # group name, e.g. "汉"
    birth: dt.date
    address: str
    id_number: str
    authority: str
    valid_from: dt.date
    valid_to: dt.date | None  # None: 长期 (no expiry)
    photo: bytes = field(default=b"", compare=True)  # raw WLT, 1024 bytes

    def __repr__(self) -> str:
        valid_to = self.valid_to.isoformat() if self.valid_to else LONG_TERM
        return (
            f"IdentityCard(name={_mask_name(self.name)!r}, sex={self.sex!r}, "
            f"nation={self.nation!r}, birth=****-**-**, address='***', "
            f"id_number={_mask_id(self.id_number)!r}, authority={self.authority!r}, "
            f"valid_from={self.valid_from.isoformat()}, valid_to={valid_to}, "
            f"photo=<{len(self.photo)} bytes>)"
        )

    __str__ = __repr__


def _date(text: str, what: str) -> dt.date:
    try:
        if len(text) != 8 or not text.isdigit():
            raise ValueError
        return dt.date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError:
        raise TextBlockError(f"{what} is not a YYYYMMDD date") from None


def parse_text_block(text: bytes, photo: bytes = b"") -> IdentityCard:
    """Decode a card's text block (and keep its raw photo) into an :class:`IdentityCard`."""
    if len(text) != TEXT_BLOCK_LEN:
        raise TextBlockError(f"text block is {len(text)} bytes, expected {TEXT_BLOCK_LEN}")
    values: dict[str, str] = {}
    pos = 0
    for name, size in FIELDS:
        chunk = text[pos:pos + size]
        pos += size
        try:
            values[name] = chunk.decode("utf-16-le").rstrip(" \x00")
        except UnicodeDecodeError:
            raise TextBlockError(f"field {name} is not UCS-2 text") from None
    sex = _SEX.get(values["sex"])
    if sex is None:
        raise TextBlockError("sex code is neither 1 nor 2")
    try:
        nation = nation_name(values["nation"])
    except KeyError:
        raise TextBlockError("unknown nation code") from None
    if not values["name"] or len(values["id_number"]) != 18:
        raise TextBlockError("name empty or ID number not 18 characters")
    valid_to_text = values["valid_to"]
    valid_to = None if valid_to_text == LONG_TERM else _date(valid_to_text, "valid-to")
    return IdentityCard(
        name=values["name"], sex=sex, nation=nation, birth=_date(values["birth"], "birth date"),
        address=values["address"], id_number=values["id_number"],
        authority=values["authority"], valid_from=_date(values["valid_from"], "valid-from"),
        valid_to=valid_to, photo=bytes(photo),
    )


def build_text_block(card: IdentityCard) -> bytes:
    """The text block a card holds (the emulator uses it); ValueError for a field too long."""
    values = {
        "name": card.name, "sex": _SEX_CODE[card.sex], "nation": nation_code(card.nation),
        "birth": card.birth.strftime("%Y%m%d"), "address": card.address,
        "id_number": card.id_number, "authority": card.authority,
        "valid_from": card.valid_from.strftime("%Y%m%d"),
        "valid_to": card.valid_to.strftime("%Y%m%d") if card.valid_to else LONG_TERM,
        "reserved": "",
    }
    out = bytearray()
    for name, size in FIELDS:
        raw = values[name].encode("utf-16-le")
        if len(raw) > size:
            raise ValueError(f"{name} does not fit its {size}-byte field")
        out += raw + " ".encode("utf-16-le") * ((size - len(raw)) // 2)
    return bytes(out)
