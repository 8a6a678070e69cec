"""The Nuonuo signature against the provider's published vector, and its helpers."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.platform.nuonuo_sign import new_nonce, new_senid, path_segments, sign, verify


def test_published_vector() -> None:
    assert sign("secret", "app", "a" * 32, "12345678", "1700000000",
                '{"name":"中文"}') == "4BzcKzrcoqxPis0W/W3X2ae0uIo="


def test_path_segments_are_reversed() -> None:
    assert path_segments("https://sdk.nuonuo.com/open/v1/services") == ("services", "v1", "open")
    assert path_segments("http://127.0.0.1:9/x/open/v1/services/") == ("services", "v1", "open")
    with pytest.raises(ValueError):
        path_segments("https://sdk.nuonuo.com/services")


@given(st.text(max_size=200), st.text(min_size=1, max_size=20))
def test_verify_accepts_exactly_its_own_signature(body: str, secret: str) -> None:
    args = ("app", "b" * 32, "87654321", "1700000001", body)
    good = sign(secret, *args)
    assert verify(secret, *args, good)
    assert not verify(secret + "x", *args, good)
    assert not verify(secret, "app", "b" * 32, "87654321", "1700000001", body + " ", good)


def test_senid_and_nonce_shapes() -> None:
    assert re.fullmatch(r"[A-Za-z0-9]{32}", new_senid())
    assert all(re.fullmatch(r"[1-9]\d{7}", new_nonce()) for _ in range(50))
    assert new_senid() != new_senid()
