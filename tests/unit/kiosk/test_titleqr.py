"""Title QR codes: the $01 payload round trip, clean rejections, WeChat/Alipay, fuzzing."""

from __future__ import annotations

import base64

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.model import Buyer, BuyerType
from kiosk.titleqr import (
    TitleQrKind,
    TitleQrResult,
    crc16_arc,
    crc16_umts,
    make_title_qr,
    parse_title_qr,
    split_address_phone,
    split_bank_account,
)
from tests.helpers.titleqr import (
    ALIPAY_TITLE_URL,
    SAMPLE_COMPANY,
    SAMPLE_PERSON,
    WECHAT_TITLE_URL,
    buyers,
)


def _wrap(raw: bytes) -> str:
    return "$01" + base64.b64encode(raw).decode() + "$"


def test_crc_variants_match_their_standard_check_values() -> None:
    assert crc16_umts(b"123456789") == 0xFEE8  # CRC-16/UMTS (BUYPASS)
    assert crc16_arc(b"123456789") == 0xBB3D  # CRC-16/ARC


def test_sample_company_round_trip() -> None:
    text = make_title_qr(SAMPLE_COMPANY)
    assert text.startswith("$01") and text.endswith("$")
    result = parse_title_qr(text)
    assert result.ok and result.kind is TitleQrKind.TAX_BUREAU and result.reason == ""
    assert result.buyer == SAMPLE_COMPANY
    assert result.tax_check is not None and result.tax_check.ok


def test_layout_is_gbk_fields_then_crc_hex_inside_base64() -> None:
    raw = base64.b64decode(make_title_qr(SAMPLE_COMPANY)[3:-1])
    fields = "厦门示例贸易有限公司</>91350200776049653A</>厦门市思明区湖滨南路100号 0592-5551234" \
             "</>中国银行厦门分行 410012345678901234</>".encode("gbk")
    assert raw == fields + f"{crc16_umts(fields):04x}".encode()


def test_java_style_fields_without_space_and_short_crc_hex() -> None:
    """Address and phone glued; CRC as Integer.toHexString (no leading zeros, upper case)."""
    for name in ("航信测试企业", "公司A", "公司B", "公司C", "公司D"):
        fields = (f"{name}</>110000999999341</>北京市海淀区路234号010-88888888"
                  "</>中国银行012345543345654567</>").encode("gbk")
        result = parse_title_qr(_wrap(fields + f"{crc16_umts(fields):X}".encode()))
        assert result.ok, result.reason
        b = result.buyer
        assert b is not None
        assert (b.name, b.tax_id, b.address, b.phone, b.bank, b.account) == (
            name, "110000999999341", "北京市海淀区路234号", "010-88888888", "中国银行",
            "012345543345654567")
        assert result.tax_check is not None and result.tax_check.needs_confirmation  # 15 chars


def test_reflected_crc_and_utf8_bodies_are_accepted() -> None:
    text = "云南联云集团有限责任公司</>91530000MA6N3U1J91</></></>"
    fields = text.encode()  # a UTF-8 body; its CRC over the GBK bytes, as generators do
    result = parse_title_qr(_wrap(fields + f"{crc16_arc(text.encode('gbk')):x}".encode()))
    assert result.ok and result.buyer is not None
    assert result.buyer.name == "云南联云集团有限责任公司"


def test_plain_layout_of_the_spec_text() -> None:
    assert parse_title_qr(make_title_qr(SAMPLE_COMPANY, plain=True)).buyer == SAMPLE_COMPANY


def test_person_title_without_tax_id() -> None:
    result = parse_title_qr(make_title_qr(SAMPLE_PERSON))
    assert result.ok and result.buyer == SAMPLE_PERSON and result.tax_check is None
    assert result.buyer.type is BuyerType.PERSON


def _gbk_fields(*fields: str) -> bytes:
    return ("</>".join(fields) + "</>").encode("gbk")


def _with_crc(raw: bytes) -> str:
    return _wrap(raw + f"{crc16_umts(raw):04x}".encode())


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("$01abc", "unterminated"),
        ("$02" + make_title_qr(SAMPLE_COMPANY)[3:], "bad_version"),
        ("$01!!!notbase64!!!$", "bad_base64"),
        ("$01QUJD$", "missing_fields"),  # "ABC": no separator at all
        (make_title_qr(SAMPLE_COMPANY, crc="0000"), "bad_crc"),
        (make_title_qr(SAMPLE_COMPANY, crc="zz"), "bad_crc"),
        (make_title_qr(SAMPLE_COMPANY, crc=""), "bad_crc"),
        (make_title_qr(SAMPLE_COMPANY, crc="12345"), "bad_crc"),
        (_with_crc(_gbk_fields("甲公司", "91350200776049653A", "")), "missing_fields"),
        (_with_crc(_gbk_fields("甲公司", "91350200776049653A", "a", "b", "c")), "missing_fields"),
        (_with_crc(_gbk_fields("", "91350200776049653A", "", "")), "missing_name"),
        (_with_crc(_gbk_fields("甲\x1b[2J公司", "91350200776049653A", "", "")), "control_chars"),
        (_with_crc(_gbk_fields("甲公司\x00", "", "", "")), "control_chars"),
        (_with_crc(_gbk_fields("甲" * 101, "", "", "")), "too_long"),
        (_with_crc(_gbk_fields("甲公司", "9135-0200", "", "")), "bad_tax_id"),
        (_with_crc(_gbk_fields("甲公司", "91350200776049653I", "", "")), "bad_tax_id"),
        (_with_crc(b"\xff\xfe\xfd</></></></>"), "bad_encoding"),
        ("$", "unterminated"),
    ],
)
def test_malformed_payloads_are_rejected_with_a_reason(text: str, reason: str) -> None:
    result = parse_title_qr(text)
    assert (result.ok, result.kind, result.reason) == (False, TitleQrKind.TAX_BUREAU, reason)
    assert result.buyer is None and result.message_zh and result.message_en


def test_make_title_qr_refuses_the_separator_in_a_field() -> None:
    with pytest.raises(ValueError):
        make_title_qr(Buyer(type=BuyerType.PERSON, name="a</>b"))


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        (WECHAT_TITLE_URL, TitleQrKind.WECHAT),
        ("https://w.url.cn/s/AbCdEf1", TitleQrKind.WECHAT),
        ("HTTPS://WX.TENPAY.COM/f2f?t=AbC", TitleQrKind.WECHAT),
        (ALIPAY_TITLE_URL, TitleQrKind.ALIPAY),
        ("alipays://platformapi/startapp?appId=20000000", TitleQrKind.ALIPAY),
    ],
)
def test_wallet_codes_are_recognised_and_explained(text: str, kind: TitleQrKind) -> None:
    result = parse_title_qr(text)
    assert (result.ok, result.kind, result.reason) == (False, kind, "needs_resolver")
    assert ("微信" if kind is TitleQrKind.WECHAT else "支付宝") in result.message_zh
    assert "offline" in result.message_en


@pytest.mark.parametrize("text", ["https://evil.example/weixin.qq.com", "https://weixin.qq.com.evil.cn/",
                                  "hello", "ORD-2024-0001", "http://", "\x00\x01\x02"])
def test_other_codes_are_unknown(text: str) -> None:
    result = parse_title_qr(text)
    assert result.kind is TitleQrKind.UNKNOWN and not result.ok and result.reason == "not_a_title_code"


def test_empty_and_oversized_input() -> None:
    assert parse_title_qr("   ").reason == "empty"
    assert parse_title_qr("x" * 5000).reason == "too_large"


class _Resolver:
    def __init__(self, buyer: Buyer | None) -> None:
        self.buyer = buyer
        self.calls: list[tuple[TitleQrKind, str]] = []

    def resolve(self, kind: TitleQrKind, text: str) -> Buyer | None:
        self.calls.append((kind, text))
        return self.buyer


def test_a_configured_resolver_resolves_wallet_codes() -> None:
    resolver = _Resolver(SAMPLE_COMPANY)
    result = parse_title_qr(WECHAT_TITLE_URL, resolver)
    assert result.ok and result.buyer == SAMPLE_COMPANY and result.kind is TitleQrKind.WECHAT
    assert resolver.calls == [(TitleQrKind.WECHAT, WECHAT_TITLE_URL)]
    failed = parse_title_qr(ALIPAY_TITLE_URL, _Resolver(None))
    assert not failed.ok and failed.reason == "resolver_failed"


def test_split_helpers() -> None:
    assert split_address_phone("北京市海淀区路234号010-88888888") == ("北京市海淀区路234号", "010-88888888")
    assert split_address_phone("上海市(021)12345678") == ("上海市", "(021)12345678")
    assert split_address_phone("只有地址") == ("只有地址", "")
    assert split_address_phone("大街1 010-62345678") == ("大街1", "010-62345678")
    assert split_bank_account("中国银行 0123 4567 8901") == ("中国银行", "0123 4567 8901")
    assert split_bank_account("工商银行") == ("工商银行", "")


@settings(max_examples=100, deadline=None)
@given(buyer=buyers(), plain=st.booleans())
def test_generated_titles_round_trip(buyer: Buyer, plain: bool) -> None:
    result = parse_title_qr(make_title_qr(buyer, plain=plain))
    assert result.ok, (result.reason, buyer)
    assert result.buyer == buyer


def _never_crashes(result: TitleQrResult) -> None:
    assert result.reason != "internal_error"
    assert result.ok == (result.buyer is not None)
    assert result.message_zh and result.message_en


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_fuzz_random_text_never_raises(text: str) -> None:
    _never_crashes(parse_title_qr(text))


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300), st.sampled_from(["", "$01", "$0"]))
def test_fuzz_random_payloads_never_raise(data: bytes, prefix: str) -> None:
    _never_crashes(parse_title_qr(prefix + base64.b64encode(data).decode() + "$"))
    _never_crashes(parse_title_qr(prefix + data.decode("latin-1") + "$"))


@settings(max_examples=100, deadline=None)
@given(buyer=buyers(), pos=st.integers(min_value=3), flip=st.integers(1, 255))
def test_fuzz_corrupted_codes_are_rejected_or_still_consistent(buyer: Buyer, pos: int,
                                                               flip: int) -> None:
    text = make_title_qr(buyer)
    raw = bytearray(base64.b64decode(text[3:-1]))
    i = pos % len(raw)
    raw[i] ^= flip
    result = parse_title_qr(_wrap(bytes(raw)))
    _never_crashes(result)
    if result.ok:  # a flip the CRC cannot see must at least give a well-formed buyer
        assert result.buyer is not None and result.buyer.name
