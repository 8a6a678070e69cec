"""Title QR codes as public generators write them: UTF-8 or GBK bodies, ``|`` joins, CRC over GBK.

Public implementations read (not copied):

- the C# "发票助手二维码生成" generator (cnblogs.com/Ryukaka/p/8288624.html, 2018, also on
  liujiajia.me), which ports the Java CRC of the official 税务发票助手: polynomial ``0x8005``
  over the GBK bytes of ``名称</>税号</>地址电话</>开户行账号</>``, hex after the fields;
- generators that base64 a UTF-8 body (JavaScript mini-program ports) while keeping the CRC over
  GBK, and join address|phone and bank|account with ``|`` (domain.md, "Buyer-title QR codes").

The payloads below are built byte for byte in that shape here (base64 of the body, CRC hex),
so each test names exactly which variant it stands for.
"""

from __future__ import annotations

import base64

import pytest

from kiosk.model import Buyer, BuyerType
from kiosk.titleqr import crc16_umts, make_title_qr, parse_title_qr

FIELDS = ("航信测试企业</>110000999999341</>北京市海淀区路234号|010-88888888"
          "</>中国银行|012345543345654567</>")
WANT = ("航信测试企业", "110000999999341", "北京市海淀区路234号", "010-88888888", "中国银行",
        "012345543345654567")


def _code(body: bytes, crc: int) -> str:
    return "$01" + base64.b64encode(body + f"{crc:04X}".encode()).decode() + "$"


def _fields(result_buyer: Buyer | None) -> tuple[str, ...]:
    assert result_buyer is not None
    b = result_buyer
    return (b.name, b.tax_id, b.address, b.phone, b.bank, b.account)


@pytest.mark.parametrize("encoding", ["utf-8", "gbk"])
def test_pipe_joined_body_with_a_gbk_crc_is_read(encoding: str) -> None:
    """A UTF-8 body (JS generators) or a GBK body (official app), CRC over GBK, ``|`` joins."""
    code = _code(FIELDS.encode(encoding), crc16_umts(FIELDS.encode("gbk")))
    result = parse_title_qr(code)
    assert result.ok, result.reason
    assert _fields(result.buyer) == WANT  # no pipes left in the address or the bank


def test_utf8_body_with_a_gbk_crc_was_the_reported_bad_crc() -> None:
    """The case issue 14 reports: the CRC of the UTF-8 bytes differs, the GBK one is right."""
    assert crc16_umts(FIELDS.encode("utf-8")) != crc16_umts(FIELDS.encode("gbk"))
    assert parse_title_qr(_code(FIELDS.encode(), crc16_umts(FIELDS.encode()))).reason == "bad_crc"


def test_what_fits_neither_body_is_refused_with_a_reason() -> None:
    latin1 = FIELDS.replace("航信测试企业", "Société").encode("latin-1", errors="replace")
    assert not parse_title_qr(_code(latin1 + b"\xff", 0)).ok
    beyond = "甲\u9fa6公司</></></></>"  # a CJK character with no GBK form: no CRC to check
    result = parse_title_qr(_code(beyond.encode(), 0))
    assert (result.ok, result.reason) == (False, "bad_encoding")
    sep = "甲公司\u2028</></></></>"
    result = parse_title_qr(_code(sep.encode("gb18030"), 0))  # a line separator in the name
    assert (result.ok, result.reason) == (False, "control_chars")


@pytest.mark.parametrize("encoding", ["utf-8", "gbk"])
def test_our_generator_writes_what_we_read(encoding: str) -> None:
    buyer = Buyer(BuyerType.COMPANY, *WANT)
    code = make_title_qr(buyer, encoding=encoding, joiner="|")
    raw = base64.b64decode(code[3:-1])
    assert raw[:-4].decode(encoding) == FIELDS
    assert int(raw[-4:], 16) == crc16_umts(FIELDS.encode("gbk"))
    assert parse_title_qr(code).buyer == buyer
