"""The identity read from a card, and its 256-byte text block (UCS-2 LE, space-padded).

Three layouts share the SAM's read answer; bytes 248-249 (one UCS-2
character) tell them apart. Field byte sizes, in order:

- resident identity card (居民身份证, type blank): name 30, sex 2, nation 4,
  birth 16, address 70, ID number 36, authority 30, valid from 16, valid to 16
  (or 长期), reserved 36;
- ``J`` Hong Kong/Macao/Taiwan residence permit (港澳台居民居住证): name 30,
  sex 2, reserved 4, birth 16, address 70, ID number 36, authority 30, valid
  from 16, valid to 16, pass number 18, issue count 4, reserved 6, type 2,
  reserved 6;
- ``I`` foreigner's permanent residence card (外国人永久居留身份证, 2017): English
  name 120, sex 2, permit number 30, nationality code 6, Chinese name 30, valid
  from 16, valid to 16, birth 16, card version 4, authority code 8, type 2,
  reserved 6.

The J and I tables are those of a public reader implementation
(``Johann356/readinfo``, ``PCSCGetData.h``: ``t_idcardinfor``, ``t_idforeigner``).
Any other type mark (the 2023 foreigner's card, ``Y``, among them) raises
:class:`UnsupportedCardType`: the kiosk asks for another way to identify.
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
PERMIT_FIELDS: tuple[tuple[str, int], ...] = (  # J: HK/Macao/Taiwan residence permit
    ("name", 30), ("sex", 2), ("reserved1", 4), ("birth", 16), ("address", 70),
    ("id_number", 36), ("authority", 30), ("valid_from", 16), ("valid_to", 16),
    ("pass_number", 18), ("issue_count", 4), ("reserved2", 6), ("type", 2), ("reserved3", 6),
)
FOREIGNER_FIELDS: tuple[tuple[str, int], ...] = (  # I: foreigner's permanent residence card
    ("english_name", 120), ("sex", 2), ("id_number", 30), ("nationality", 6),
    ("name", 30), ("valid_from", 16), ("valid_to", 16), ("birth", 16), ("version", 4),
    ("authority", 8), ("type", 2), ("reserved", 6),
)
TEXT_BLOCK_LEN = sum(size for _, size in FIELDS)  # 256
TYPE_OFFSET = 248  # the card-type mark, one UCS-2 character
RESIDENT, PERMIT, FOREIGNER = "", "J", "I"
assert sum(s for _, s in PERMIT_FIELDS) == sum(s for _, s in FOREIGNER_FIELDS) == TEXT_BLOCK_LEN
LONG_TERM = "长期"
_SEX = {"1": "男", "2": "女"}
_SEX_CODE = {v: k for k, v in _SEX.items()}


class TextBlockError(ValueError):
    """The card's text block is malformed (wrong size, bad date, unknown code)."""


class UnsupportedCardType(TextBlockError):
    """The block is another kind of card, whose layout this reader does not decode."""

    def __init__(self, mark: str) -> None:
        super().__init__(f"card type {mark!r} is not supported")
        self.mark = mark


def card_type(text: bytes) -> str:
    """The type mark at byte 248: ``""`` resident card, ``"J"``, ``"I"``, or another."""
    try:
        return text[TYPE_OFFSET:TYPE_OFFSET + 2].decode("utf-16-le").strip(" \x00")
    except UnicodeDecodeError:
        return "?"


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
    card_type: str = RESIDENT  # "" resident card, "J" residence permit, "I" foreigner's card
    english_name: str = ""  # I
    nationality: str = ""  # I: three-letter country code
    pass_number: str = ""  # J: the travel permit's number
    issue_count: str = ""  # J
    version: str = ""  # I: card version

    def __repr__(self) -> str:
        valid_to = self.valid_to.isoformat() if self.valid_to else LONG_TERM
        kind = f"card_type={self.card_type!r}, " if self.card_type else ""
        return (
            f"IdentityCard({kind}name={_mask_name(self.name)!r}, sex={self.sex!r}, "
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


def _split(text: bytes, fields: tuple[tuple[str, int], ...]) -> dict[str, str]:
    values: dict[str, str] = {}
    pos = 0
    for name, size in fields:
        chunk = text[pos:pos + size]
        pos += size
        try:
            values[name] = chunk.decode("utf-16-le").rstrip(" \x00")
        except UnicodeDecodeError:
            raise TextBlockError(f"field {name} is not UCS-2 text") from None
    return values


def _valid_to(text: str) -> dt.date | None:
    return None if text == LONG_TERM else _date(text, "valid-to")


def parse_text_block(text: bytes, photo: bytes = b"") -> IdentityCard:
    """Decode a card's text block (and keep its raw photo) into an :class:`IdentityCard`.

    Raises :class:`UnsupportedCardType` for a card type without a known layout,
    :class:`TextBlockError` for a malformed block.
    """
    if len(text) != TEXT_BLOCK_LEN:
        raise TextBlockError(f"text block is {len(text)} bytes, expected {TEXT_BLOCK_LEN}")
    mark = card_type(text)
    if mark == PERMIT:
        return _parse_permit(_split(text, PERMIT_FIELDS), photo)
    if mark == FOREIGNER:
        return _parse_foreigner(_split(text, FOREIGNER_FIELDS), photo)
    if mark != RESIDENT:
        raise UnsupportedCardType(mark)
    values = _split(text, FIELDS)
    sex = _SEX.get(values["sex"])
    if sex is None:
        raise TextBlockError("sex code is neither 1 nor 2")
    try:
        nation = nation_name(values["nation"])
    except KeyError:
        raise TextBlockError("unknown nation code") from None
    if not values["name"] or len(values["id_number"]) != 18:
        raise TextBlockError("name empty or ID number not 18 characters")
    return IdentityCard(
        name=values["name"], sex=sex, nation=nation, birth=_date(values["birth"], "birth date"),
        address=values["address"], id_number=values["id_number"],
        authority=values["authority"], valid_from=_date(values["valid_from"], "valid-from"),
        valid_to=_valid_to(values["valid_to"]), photo=bytes(photo),
    )


def _parse_permit(values: dict[str, str], photo: bytes) -> IdentityCard:
    sex = _SEX.get(values["sex"])
    if sex is None:
        raise TextBlockError("sex code is neither 1 nor 2")
    if not values["name"] or len(values["id_number"]) != 18:
        raise TextBlockError("name empty or ID number not 18 characters")
    return IdentityCard(
        name=values["name"], sex=sex, nation="", birth=_date(values["birth"], "birth date"),
        address=values["address"], id_number=values["id_number"],
        authority=values["authority"], valid_from=_date(values["valid_from"], "valid-from"),
        valid_to=_valid_to(values["valid_to"]), photo=bytes(photo), card_type=PERMIT,
        pass_number=values["pass_number"], issue_count=values["issue_count"],
    )


def _parse_foreigner(values: dict[str, str], photo: bytes) -> IdentityCard:
    sex = _SEX.get(values["sex"])
    if sex is None:
        raise TextBlockError("sex code is neither 1 nor 2")
    name = values["name"] or values["english_name"]
    if not name or len(values["id_number"]) != 15:
        raise TextBlockError("name empty or permit number not 15 characters")
    return IdentityCard(
        name=name, sex=sex, nation="", birth=_date(values["birth"], "birth date"),
        address="", id_number=values["id_number"], authority=values["authority"],
        valid_from=_date(values["valid_from"], "valid-from"),
        valid_to=_valid_to(values["valid_to"]), photo=bytes(photo), card_type=FOREIGNER,
        english_name=values["english_name"], nationality=values["nationality"],
        version=values["version"],
    )


def _pack(fields: tuple[tuple[str, int], ...], values: dict[str, str]) -> bytes:
    out = bytearray()
    for name, size in fields:
        raw = values.get(name, "").encode("utf-16-le")
        if len(raw) > size:
            raise ValueError(f"{name} does not fit its {size}-byte field")
        out += raw + " ".encode("utf-16-le") * ((size - len(raw)) // 2)
    return bytes(out)


def build_text_block(card: IdentityCard) -> bytes:
    """The text block a card holds (the emulator uses it); ValueError for a field too long."""
    common = {
        "name": card.name, "sex": _SEX_CODE[card.sex], "birth": card.birth.strftime("%Y%m%d"),
        "address": card.address, "id_number": card.id_number, "authority": card.authority,
        "valid_from": card.valid_from.strftime("%Y%m%d"),
        "valid_to": card.valid_to.strftime("%Y%m%d") if card.valid_to else LONG_TERM,
        "type": card.card_type,
    }
    if card.card_type == PERMIT:
        return _pack(PERMIT_FIELDS, {**common, "pass_number": card.pass_number,
                                     "issue_count": card.issue_count})
    if card.card_type == FOREIGNER:
        return _pack(FOREIGNER_FIELDS, {**common, "english_name": card.english_name,
                                        "nationality": card.nationality,
                                        "version": card.version})
    if card.card_type != RESIDENT:
        raise ValueError(f"no layout for card type {card.card_type!r}")
    return _pack(FIELDS, {**common, "nation": nation_code(card.nation), "type": ""})
