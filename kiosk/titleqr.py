"""Buyer-title QR codes: the tax bureau's ``$01...$`` payload, WeChat and Alipay codes.

The tax bureau's convenient-invoicing QR (便捷开票二维码)
----------------------------------------------------------
Sources (public): the State Taxation Administration's 2017 notice on the
发票助手 app and its attachment 3, 《便捷开票二维码应用规范》 (QR version
12/18/25, level M); a blog post that matched the official app's CRC output
(CSDN, "国税总局发票助手二维码生成的CRC计算", 2017); and public generator
code (Java ``TaxQrcodeTool``) that shows the base64 wrapping.

Layout as implemented::

    $ 01 BODY $            BODY = base64( TEXT(FIELDS) CRC )
    FIELDS = 名称 </> 纳税人识别号 </> 地址|电话 </> 开户行|账号 </>
    CRC    = CRC-16 over GBK(FIELDS), written in hex

- ``$`` start, ``01`` version, ``</>`` separator (the spec: "no separator
  between start and version, version and name, CRC and end").
- TEXT is GBK in the spec and the official app, UTF-8 in some public
  generators: both bodies are read (UTF-8 is preferred only when it reads as
  Chinese, because UTF-8 Chinese often also decodes as GBK mojibake; see
  ``_decode_text``). Whatever the body, the CRC is checked over the **GBK
  re-encoding** of the decoded text, as the generators compute it; text with
  no GBK form is refused (``bad_encoding``).
- name <= 100 characters; tax ID 15-20; address+phone <= 100; bank+account
  <= 100. Public generators join address and phone, and bank and account,
  with ``|``: the field is split there. Without a ``|`` it is split back
  heuristically (a trailing phone-like run; a trailing run of digits for the
  account).
- CRC: polynomial x^16+x^15+x^2+1 (0x8005), MSB first, initial 0, no final
  xor (CRC-16/UMTS, check value ``FEE8``), which is what the blog found the
  official app to produce. Some third-party generators use the reflected
  variant (CRC-16/ARC, check ``BB3D``); both are accepted. Hex is read
  case-insensitively and with or without leading zeros (Java's
  ``Integer.toHexString`` drops them).

Confidence: medium on the field order and separator (spec text), medium-low
on the base64 wrapping and CRC details (third-party code and a blog). So the
parser also accepts the *plain* layout the spec text describes (FIELDS and
CRC directly after ``$01``), and rejects everything else with a specific
reason. No exception escapes :func:`parse_title_qr`.

WeChat and Alipay
-----------------
WeChat's "my invoice title" code is an opaque URL that only WeChat's server
API (``card/invoice/scantitle``) turns into a title; Alipay's is a dynamic
code resolved by its API. Offline they are recognised (by host: the known
``weixin.qq.com`` / ``wx.tenpay.com`` / ``w.url.cn`` and ``alipay.com``
families) and explained. A configured :class:`TitleResolver` can resolve
them; none ships with the kiosk.
"""

from __future__ import annotations

import base64
import binascii
import logging
import re
import unicodedata
import urllib.parse
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from kiosk.model import Buyer, BuyerType
from kiosk.rules.identifiers import TaxIdCheck, classify_tax_id

log = logging.getLogger("kiosk.titleqr")

SEPARATOR = "</>"
MAX_NAME = 100
MAX_ADDRESS_PHONE = 100
MAX_BANK_ACCOUNT = 100
MAX_PAYLOAD = 2000  # a QR of version 25 holds at most 1451 characters in this scheme


class TitleQrKind(StrEnum):
    TAX_BUREAU = "tax_bureau"  # the $01...$ convenient-invoicing code
    WECHAT = "wechat"
    ALIPAY = "alipay"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class TitleQrResult:
    """What a scanned code is, and the buyer it carries when it could be read.

    ``ok`` is true only when ``buyer`` is set. ``reason`` is a stable code for
    logs and tests: ``""`` (ok), ``empty``, ``not_a_title_code``,
    ``needs_resolver``, ``resolver_failed``, ``unterminated``,
    ``bad_version``, ``bad_base64``, ``bad_encoding``, ``control_chars``,
    ``missing_fields``, ``missing_name``, ``too_long``, ``bad_crc``,
    ``bad_tax_id``, ``too_large`` (and ``internal_error``, which a test proves unreachable).
    """

    kind: TitleQrKind
    ok: bool
    reason: str
    message_zh: str
    message_en: str
    buyer: Buyer | None = None
    tax_check: TaxIdCheck | None = None  # the buyer tax ID's verdict (may be a warning)


class TitleResolver(Protocol):
    """Turns an online title code (WeChat / Alipay) into a buyer, or ``None``.

    Implementations talk to the wallet provider's API; they must not raise
    (return ``None`` and log instead) and must answer within a few seconds.
    """

    def resolve(self, kind: TitleQrKind, text: str) -> Buyer | None: ...


# -- CRC ---------------------------------------------------------------------------

def crc16_umts(data: bytes) -> int:
    """CRC-16, poly 0x8005, MSB first, init 0, no xor-out (CRC-16/UMTS, BUYPASS).

    Hand-written (a few lines) rather than a dependency: the exact variant
    matters and is documented above; the standard check value is ``0xFEE8``.
    """
    crc = 0
    for byte in data:
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x8005) if crc & 0x8000 else (crc << 1)
            crc &= 0xFFFF
    return crc


def crc16_arc(data: bytes) -> int:
    """The reflected variant (CRC-16/ARC, poly 0xA001 reversed); check value ``0xBB3D``."""
    crc = 0
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = (crc >> 1) ^ 0xA001 if crc & 1 else crc >> 1
    return crc


# -- generation (the simulator and the tests use it) -----------------------------------

def make_title_qr(buyer: Buyer, *, encoding: str = "gbk", plain: bool = False,
                  crc: str | None = None, joiner: str = " ") -> str:
    """The ``$01...$`` text for ``buyer``: the body in ``encoding``, the CRC over GBK.

    Address and phone, and bank and account, are joined by ``joiner`` (public
    generators use ``|``). ``plain`` writes the spec-text layout without
    base64; ``crc`` overrides the CRC hex (tests use it to forge a bad one).
    """
    if any(SEPARATOR in f for f in (buyer.name, buyer.tax_id, buyer.address, buyer.phone,
                                    buyer.bank, buyer.account)):
        raise ValueError(f"a title field may not contain {SEPARATOR!r}")
    addr_phone = joiner.join(p for p in (buyer.address, buyer.phone) if p)
    bank_account = joiner.join(p for p in (buyer.bank, buyer.account) if p)
    fields = SEPARATOR.join((buyer.name, buyer.tax_id, addr_phone, bank_account)) + SEPARATOR
    raw = fields.encode(encoding)
    crc_hex = crc if crc is not None else f"{crc16_umts(fields.encode('gbk')):04x}"
    if plain:
        return f"$01{fields}{crc_hex}$"
    body = base64.b64encode(raw + crc_hex.encode("ascii")).decode("ascii")
    return f"$01{body}$"


# -- parsing ------------------------------------------------------------------------

def _result(kind: TitleQrKind, reason: str, zh: str, en: str) -> TitleQrResult:
    return TitleQrResult(kind, False, reason, zh, en)


def _bad(reason: str, zh: str, en: str) -> TitleQrResult:
    return _result(
        TitleQrKind.TAX_BUREAU, reason,
        f"无法读取这个开票二维码：{zh}请在手机上重新生成，或手动输入抬头。",
        f"This invoicing QR code cannot be read: {en} Please regenerate it on the phone "
        "or enter the title by hand.",
    )


def _has_control(s: str) -> bool:
    """Control, format, surrogate, private-use, unassigned characters or line/paragraph
    separators (U+2028/U+2029): none belong in a title."""
    return any(unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp") for ch in s)


_PHONE_TAIL = re.compile(r"^(.*?)[\s,，;；]*([+(（]?\d[\d\-()（）]{4,}\d)\s*$", re.S)
_ACCOUNT_TAIL = re.compile(r"^(.*?)[\s,，;；]*(\d[\d\- ]{4,}\d)\s*$", re.S)


def split_address_phone(text: str) -> tuple[str, str]:
    """``地址|电话`` at the ``|``; else ``北京市海淀区路234号010-88888888`` -> (address, phone)
    by a trailing phone-like run."""
    if "|" in text:
        address, _, phone = text.rpartition("|")
        return address.strip(), phone.strip()
    m = _PHONE_TAIL.match(text.strip())
    if not m or sum(ch.isdigit() for ch in m.group(2)) < 7:
        return text.strip(), ""
    return m.group(1).strip(), m.group(2).strip()


def split_bank_account(text: str) -> tuple[str, str]:
    """``开户行|账号`` at the ``|``; else ``中国银行012345543345654567`` -> (bank, account)
    by a trailing run of digits."""
    if "|" in text:
        bank, _, account = text.rpartition("|")
        return bank.strip(), account.strip()
    m = _ACCOUNT_TAIL.match(text.strip())
    if not m or sum(ch.isdigit() for ch in m.group(2)) < 6:
        return text.strip(), ""
    return m.group(1).strip(), m.group(2).strip()


def _looks_chinese(text: str) -> bool:
    """Every non-ASCII character is CJK, CJK punctuation or full-width."""
    return all(ch.isascii() or "\u3000" <= ch <= "\u303f" or "\u3400" <= ch <= "\u4dbf"
               or "\u4e00" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef" for ch in text)


def _decode_text(raw: bytes) -> str | None:
    """GBK (read as its superset GB18030), unless the bytes are UTF-8 that reads as Chinese.

    UTF-8 Chinese usually also "decodes" as GBK mojibake, so UTF-8 is tried
    first; but short GBK text can be valid UTF-8 too (``一`` = D2 BB = ``һ``),
    so UTF-8 wins only when every non-ASCII character it gives is CJK.
    """
    try:
        utf8 = raw.decode("utf-8")
    except UnicodeDecodeError:
        utf8 = None
    if utf8 is not None and _looks_chinese(utf8):
        return utf8
    try:
        return raw.decode("gb18030")
    except UnicodeDecodeError:
        return utf8


def _split_crc(raw: bytes) -> tuple[bytes, str] | None:
    """(FIELDS bytes up to and including the last separator, the CRC hex after it)."""
    sep = SEPARATOR.encode("ascii")
    cut = raw.rfind(sep)
    if cut < 0:
        return None
    return raw[: cut + len(sep)], raw[cut + len(sep):].decode("ascii", errors="replace")


def _parse_tax_bureau(text: str) -> TitleQrResult:
    if not text.endswith("$") or len(text) < 5:
        return _bad("unterminated", "内容不完整（缺少结束符 $）。",
                    "it is incomplete (no closing $).")
    if text[1:3] != "01":
        return _bad("bad_version", f"版本“{text[1:3]}”不受支持。",
                    f"version '{text[1:3]}' is not supported.")
    body = text[3:-1]
    if SEPARATOR in body:  # the plain layout of the spec text
        try:
            raw = body.encode("gb18030")
        except UnicodeEncodeError:
            return _bad("bad_encoding", "含有无法识别的字符。", "it holds unreadable characters.")
    else:
        compact = "".join(body.split())
        try:
            raw = base64.b64decode(compact, validate=True)
        except (binascii.Error, ValueError):
            return _bad("bad_base64", "编码已损坏。", "its encoding (base64) is damaged.")
    parts = _split_crc(raw)
    if parts is None:
        return _bad("missing_fields", "缺少必要的字段。", "required fields are missing.")
    fields_raw, crc_hex = parts
    fields_text = _decode_text(fields_raw)
    if fields_text is None:
        return _bad("bad_encoding", "文字编码无法识别。", "its text encoding is not recognised.")
    if _has_control(fields_text) or _has_control(crc_hex):
        return _bad("control_chars", "含有不允许的控制字符。",
                    "it holds control characters, which are not allowed.")
    if not re.fullmatch(r"[0-9A-Fa-f]{1,4}", crc_hex):
        return _bad("bad_crc", "校验码缺失或格式错误。", "its check code is missing or malformed.")
    try:  # the CRC is over the GBK bytes of the text, whatever the body's encoding
        gbk = fields_text.encode("gbk")
    except UnicodeEncodeError:
        return _bad("bad_encoding", "含有GBK以外的字符。",
                    "it holds characters outside GBK, which a title cannot carry.")
    crc = int(crc_hex, 16)
    if crc not in (crc16_umts(gbk), crc16_arc(gbk)):
        return _bad("bad_crc", "校验码不符，内容可能被篡改或扫描有误。",
                    "its check code does not match: it may be altered or misread.")
    fields = fields_text.split(SEPARATOR)
    if len(fields) != 5 or fields[4] != "":
        return _bad("missing_fields", "字段数量不对。", "it does not have the four title fields.")
    name, tax_id, addr_phone, bank_account = (f.strip() for f in fields[:4])
    if not name:
        return _bad("missing_name", "缺少名称。", "the name is missing.")
    if (len(name) > MAX_NAME or len(addr_phone) > MAX_ADDRESS_PHONE
            or len(bank_account) > MAX_BANK_ACCOUNT):
        return _bad("too_long", "字段超过规定长度。", "a field is longer than allowed.")
    tax_id = tax_id.upper()
    check = classify_tax_id(tax_id) if tax_id else None
    if tax_id and (not re.fullmatch(r"[0-9A-Z]{15,20}", tax_id) or check is None
                   or check.severity == "error"):
        return _bad("bad_tax_id", "纳税人识别号格式不对。", "the tax ID is not well formed.")
    address, phone = split_address_phone(addr_phone)
    bank, account = split_bank_account(bank_account)
    buyer = Buyer(type=BuyerType.COMPANY if tax_id else BuyerType.PERSON, name=name,
                  tax_id=tax_id, address=address, phone=phone, bank=bank, account=account)
    return TitleQrResult(TitleQrKind.TAX_BUREAU, True, "", "已读取开票抬头。",
                         "Invoice title read.", buyer=buyer, tax_check=check)


_WECHAT_HOSTS = ("weixin.qq.com", "wx.tenpay.com", "w.url.cn", "wechat.com", "wxpay.wxutil.com")
_ALIPAY_HOSTS = ("alipay.com", "alipay.cn", "alipayobjects.com")


def _host_kind(text: str) -> TitleQrKind | None:
    try:
        url = urllib.parse.urlsplit(text)
    except ValueError:
        return None
    if url.scheme.lower() not in ("http", "https", "alipays", "weixin") or not url.netloc:
        return None
    if url.scheme.lower() == "alipays":
        return TitleQrKind.ALIPAY
    if url.scheme.lower() == "weixin":
        return TitleQrKind.WECHAT
    host = (url.hostname or "").lower()
    for hosts, kind in ((_WECHAT_HOSTS, TitleQrKind.WECHAT), (_ALIPAY_HOSTS, TitleQrKind.ALIPAY)):
        if any(host == h or host.endswith("." + h) for h in hosts):
            return kind
    return None


_NEEDS_RESOLVER = {
    TitleQrKind.WECHAT: (
        "这是微信“我的发票抬头”二维码。它只是一个链接，抬头保存在微信服务器上，本机离线无法读取。"
        "请在微信中打开抬头，手动输入，或改用税务“便捷开票”二维码。",
        "This is a WeChat invoice-title code. It is only a link: the title is kept on WeChat's "
        "servers and this terminal cannot read it offline. Enter the title by hand, or show the "
        "tax bureau's invoicing QR code instead.",
    ),
    TitleQrKind.ALIPAY: (
        "这是支付宝的发票抬头码。它是动态码，需要支付宝服务器解析，本机离线无法读取。"
        "请手动输入抬头，或改用税务“便捷开票”二维码。",
        "This is an Alipay invoice-title code. It is a dynamic code that only Alipay's servers "
        "can resolve; this terminal cannot read it offline. Enter the title by hand, or show the "
        "tax bureau's invoicing QR code instead.",
    ),
}


def parse_title_qr(text: str, resolver: TitleResolver | None = None) -> TitleQrResult:
    """Say what a scanned title code is and read the buyer from it when possible.

    Never raises: anything unexpected becomes a result with a reason and messages.
    """
    try:
        return _parse(text, resolver)
    except Exception:  # the contract is "never raises": a bug here must not reach the screen
        log.exception("title QR parser failed", extra={"event": "titleqr.parser_error"})
        return _bad("internal_error", "内容无法识别。", "its content is not recognised.")


def _parse(text: str, resolver: TitleResolver | None) -> TitleQrResult:
    if not isinstance(text, str):
        return _result(TitleQrKind.UNKNOWN, "empty", "没有读取到内容。", "Nothing was read.")
    text = text.strip().lstrip("\ufeff")
    if not text:
        return _result(TitleQrKind.UNKNOWN, "empty", "没有读取到内容。", "Nothing was read.")
    if len(text) > MAX_PAYLOAD:
        return _result(TitleQrKind.UNKNOWN, "too_large", "二维码内容过长，不是开票抬头码。",
                       "The code is far too long to be an invoice-title code.")
    if text.startswith("$"):
        result = _parse_tax_bureau(text)
        log.info("title QR read", extra={"event": "titleqr.read", "kind": result.kind.value,
                                          "ok": result.ok, "reason": result.reason})
        return result
    kind = _host_kind(text)
    if kind is not None:
        if resolver is not None:
            buyer = resolver.resolve(kind, text)
            if buyer is not None:
                return TitleQrResult(kind, True, "", "已读取开票抬头。", "Invoice title read.",
                                     buyer=buyer,
                                     tax_check=classify_tax_id(buyer.tax_id) if buyer.tax_id else None)
            return _result(kind, "resolver_failed", "暂时无法获取该抬头，请稍后再试或手动输入。",
                           "The title could not be fetched now; try again later or enter it by hand.")
        zh, en = _NEEDS_RESOLVER[kind]
        return _result(kind, "needs_resolver", zh, en)
    return _result(
        TitleQrKind.UNKNOWN, "not_a_title_code",
        "这不是发票抬头二维码。请出示税务“便捷开票”二维码，或手动输入抬头。",
        "This is not an invoice-title code. Show the tax bureau's invoicing QR code, "
        "or enter the title by hand.",
    )
