"""Masking: personal data never leaves in the clear; business data stays readable."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.masking import (
    mask_address,
    mask_email,
    mask_id_number,
    mask_name,
    mask_phone,
    mask_tax_id,
    mask_text,
)


@pytest.mark.parametrize(
    ("fn", "value", "expected"),
    [
        (mask_id_number, "11010519491231002X", "1101**********002X"),
        (mask_phone, "13812345678", "138****5678"),
        (mask_phone, "138-1234-5678", "138-****-5678"),
        (mask_email, "zhang.san@example.com", "z***@example.com"),
        (mask_name, "张三", "张*"),
        (mask_name, "欧阳娜娜", "欧***"),
        (mask_tax_id, "11010519491231002X", "1101**********002X"),
        (mask_tax_id, "91350200776049653A", "91350200776049653A"),
        (mask_address, "北京市海淀区中关村大街1号院2号楼301", "北京市海淀区****"),
        (mask_address, "福建省厦门市思明区软件园二期 1 号", "福建省厦门市思明区****"),
        (mask_address, "上海市浦东新区世纪大道100号", "上海市浦东新区****"),
        (mask_address, "Software Park phase II, Xiamen", "****, Xiamen"),
        (mask_address, "中关村大街1号院2号楼301室", "中关村大街****"),
        (mask_address, "海淀区", "海****"),
        (mask_address, "", ""),
    ],
)
def test_mask_table(fn, value: str, expected: str) -> None:
    assert fn(value) == expected


def test_mask_text_finds_personal_data_in_free_text() -> None:
    text = "buyer 11010519491231002X tel 13812345678 mail li@example.cn order KO1-20240601 total 113.00"
    masked = mask_text(text)
    assert "11010519491231002X" not in masked and "1101**********002X" in masked
    assert "13812345678" not in masked and "138****5678" in masked
    assert "li@example.cn" not in masked
    assert "KO1-20240601" in masked and "113.00" in masked


@given(st.from_regex(r"[1-6]\d{5}(19|20)\d{2}(0[1-9]|1[0-2])(0[1-9]|1\d|2[0-8])\d{3}[0-9X]", fullmatch=True),
       st.text(alphabet=st.characters(blacklist_categories=("Nd", "Lu", "Ll")), max_size=10))
def test_any_id_number_in_text_is_masked(number: str, around: str) -> None:
    assert number not in mask_text(around + number + around)
