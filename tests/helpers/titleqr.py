"""Generators of buyer-title codes for tests: sample buyers, ``$01`` codes, strategies.

``make_title_qr`` is the module's own generator (re-exported here so tests
import from one place); :func:`buyers` is a Hypothesis strategy of titles that
survive a round trip (fields GBK-encodable, no separator, address not ending
in a digit so the address/phone split is unambiguous).
"""

from __future__ import annotations

from hypothesis import strategies as st

from kiosk.model import Buyer, BuyerType
from kiosk.rules.identifiers import credit_code_check_char
from kiosk.titleqr import make_title_qr

__all__ = ["make_title_qr", "SAMPLE_COMPANY", "SAMPLE_PERSON", "WECHAT_TITLE_URL",
           "ALIPAY_TITLE_URL", "buyers", "credit_codes"]

SAMPLE_COMPANY = Buyer(
    type=BuyerType.COMPANY, name="厦门示例贸易有限公司", tax_id="91350200776049653A",
    address="厦门市思明区湖滨南路100号", phone="0592-5551234",
    bank="中国银行厦门分行", account="410012345678901234",
)
SAMPLE_PERSON = Buyer(type=BuyerType.PERSON, name="张三")
WECHAT_TITLE_URL = "https://mp.weixin.qq.com/bizmall/authinvoice?action=list&s_pappid=d3hkZW1v"
ALIPAY_TITLE_URL = "https://qr.alipay.com/fpx01234abcdEFGH"

_CREDIT_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


@st.composite
def credit_codes(draw: st.DrawFn) -> str:
    """Valid 18-character unified social credit codes (checks hold)."""
    first17 = "91" + draw(st.text("0123456789", min_size=6, max_size=6)) + draw(
        st.text(_CREDIT_ALPHABET, min_size=9, max_size=9))
    return first17 + credit_code_check_char(first17)


def _gbk_ok(s: str) -> bool:
    try:
        s.encode("gbk")
    except UnicodeEncodeError:
        return False
    return True


_hanzi = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5).filter(_gbk_ok)
_name_chars = st.one_of(_hanzi, st.sampled_from("ABCDEFGHIJKLMNOPQRSTUVWXYZ()（）·&-"))
_names = st.text(_name_chars, min_size=1, max_size=40).map(str.strip).filter(bool)
_addresses = st.builds(lambda a, n: f"{a}{n}号", st.text(_hanzi, min_size=2, max_size=20),
                       st.integers(1, 999))
_phones = st.one_of(
    st.from_regex(r"0[1-9][0-9]{1,2}-[2-8][0-9]{6,7}", fullmatch=True),
    st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True),
)
_banks = st.builds(lambda a: f"{a}银行", st.text(_hanzi, min_size=2, max_size=12))
_accounts = st.from_regex(r"[1-9][0-9]{9,21}", fullmatch=True)


@st.composite
def buyers(draw: st.DrawFn) -> Buyer:
    company = draw(st.booleans())
    address = draw(st.one_of(st.just(""), _addresses))
    bank = draw(st.one_of(st.just(""), _banks))
    return Buyer(
        type=BuyerType.COMPANY if company else BuyerType.PERSON,
        name=draw(_names),
        tax_id=draw(credit_codes()) if company else "",
        address=address,
        phone=draw(_phones) if address else "",
        bank=bank,
        account=draw(_accounts) if bank else "",
    )
