"""Order QR codes: compact signed payloads, refused cleanly when foreign, altered or garbage."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
import zxingcpp
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image

from kiosk.cli import main
from kiosk.demo import seed_demo_orders
from kiosk.orderqr import (
    MAX_LENGTH,
    OrderQrError,
    QrProblem,
    looks_like_claim_qr,
    looks_like_order_qr,
    make_claim_qr,
    make_order_qr,
    resolve_order_qr,
    verify_claim_qr,
    verify_order_qr,
)
from kiosk.orders import OrderStore
from tests.helpers.kioskenv import kiosk_db

SECRET = "test-secret"


def test_round_trip_and_format() -> None:
    payload = make_order_qr("2024060100017", Decimal("76"), SECRET)
    head, order_no, amount, sig = payload.split("|")
    assert (head, order_no, amount) == ("KO1", "2024060100017", "76.00")
    assert len(sig) == 22 and len(payload) < 60
    ref = verify_order_qr(payload + "\r\n", SECRET)  # scanners add a terminator
    assert ref.order_no == "2024060100017" and ref.amount == Decimal("76.00")


@pytest.mark.parametrize("payload", [
    "https://weixin.qq.com/q/02abcdEFgh",  # a URL / WeChat title code
    "$01$5YyX5Lqs$MTIz$ABCD$",  # the tax bureau's buyer-title code shape
    "6901234567892",  # a product barcode
    "KO2|A1|1.00|AAAAAAAAAAAAAAAAAAAAAA",  # a future version we do not know
    "x" * 500,
])
def test_foreign_codes(payload: str) -> None:
    with pytest.raises(OrderQrError) as ex:
        verify_order_qr(payload, SECRET)
    assert ex.value.kind is QrProblem.FOREIGN
    assert "订单二维码" in ex.value.message_zh and ex.value.message_en


def test_altered_amount_or_order_or_other_key() -> None:
    good = make_order_qr("A1", "76.00", SECRET)
    _, no, amount, sig = good.split("|")
    for bad in (f"KO1|{no}|7.60|{sig}", f"KO1|A2|{amount}|{sig}", make_order_qr("A1", "76", "other")):
        with pytest.raises(OrderQrError) as ex:
            verify_order_qr(bad, SECRET)
        assert ex.value.kind is QrProblem.ALTERED


@pytest.mark.parametrize("payload", [
    "KO1|A1|76.00",  # missing signature
    "KO1|A1|76.0|AAAAAAAAAAAAAAAAAAAAAA",  # one decimal place
    "KO1|A 1|76.00|AAAAAAAAAAAAAAAAAAAAAA",
    "KO1|A1|76.00|AAAAAAAAAAAAAAAAAAAAAA\x00",
    "KO1|A1\x1b[2J|76.00|AAAAAAAAAAAAAAAAAAAAAA",
    "KO1|" + "A" * (MAX_LENGTH + 1),
    "x" * 2000,
    "https://weixin.qq.com/q/\x00\x1b",
])
def test_malformed(payload: str) -> None:
    with pytest.raises(OrderQrError) as ex:
        verify_order_qr(payload, SECRET)
    assert ex.value.kind is QrProblem.MALFORMED
    assert "\x1b" not in str(ex.value) and "\x00" not in str(ex.value)


@given(st.text(max_size=200))
def test_any_text_is_either_refused_cleanly_or_genuine(text: str) -> None:
    try:
        verify_order_qr(text, SECRET)
    except OrderQrError as err:
        assert err.kind in (QrProblem.FOREIGN, QrProblem.MALFORMED, QrProblem.ALTERED)
    else:  # pragma: no cover - would mean a forged signature
        pytest.fail(f"accepted {text!r}")


def test_make_refuses_bad_input() -> None:
    with pytest.raises(ValueError):
        make_order_qr("A|1", "1.00", SECRET)
    with pytest.raises(ValueError):
        make_order_qr("A1", "1.005", SECRET)
    with pytest.raises(ValueError):
        make_order_qr("A1", "1.00", "")


def test_resolve_checks_store_and_amount(tmp_path: Path) -> None:
    store = OrderStore(kiosk_db(tmp_path / "kiosk.db"))
    seeded = seed_demo_orders(store)
    order = store.get(seeded[0])
    assert order is not None
    assert resolve_order_qr(make_order_qr(order.order_no, order.total, SECRET), SECRET, store) == order
    with pytest.raises(OrderQrError) as ex:
        resolve_order_qr(make_order_qr(order.order_no, order.total + 1, SECRET), SECRET, store)
    assert ex.value.kind is QrProblem.AMOUNT_MISMATCH
    with pytest.raises(OrderQrError) as ex:
        resolve_order_qr(make_order_qr("NOSUCH", "1.00", SECRET), SECRET, store)
    assert ex.value.kind is QrProblem.NOT_FOUND


def test_cli_qr_png_decodes_back(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["orders", "seed-demo"]) == 0
    order_no = capsys.readouterr().out.split(":")[1].split()[0]
    out = tmp_path / "qr.png"
    assert main(["orders", "qr", order_no, "--out", str(out)]) == 0
    decoded = zxingcpp.read_barcodes(Image.open(out))
    assert len(decoded) == 1
    ref = verify_order_qr(decoded[0].text, "demo-order-qr-secret")  # the default config's key
    assert ref.order_no == order_no
    assert main(["orders", "qr", "NOSUCH", "--out", str(tmp_path / "n.png")]) == 1
    assert not (tmp_path / "n.png").exists()


def test_a_claim_slips_code_is_signed_with_the_shops_key() -> None:
    """Any kiosk of the shop (same key) reads the slip's code back to its request id; a
    slip of another shop or an edited one is refused in words, never as "not ours"."""
    rid = "RQ" + "0123456789ABCDEF0123456789ABCD"
    code = make_claim_qr(rid, SECRET)
    assert code.startswith("KC1|") and len(code) <= MAX_LENGTH
    assert looks_like_claim_qr(code + "\r\n") and not looks_like_order_qr(code)
    assert verify_claim_qr(code + "\r\n", SECRET) == rid
    with pytest.raises(OrderQrError) as other_shop:
        verify_claim_qr(make_claim_qr(rid, SECRET + "-other"), SECRET)
    assert other_shop.value.kind is QrProblem.ALTERED
    edited = code.replace(rid, rid[:-1] + "E")
    with pytest.raises(OrderQrError) as err:
        verify_claim_qr(edited, SECRET)
    assert err.value.kind is QrProblem.ALTERED
    for bad in ("KC1|RQ12|x", "KC1|" + rid, "KC1|" + rid + "|\x1b" + "a" * 21):
        with pytest.raises(OrderQrError) as err:
            verify_claim_qr(bad, SECRET)
        assert err.value.kind is QrProblem.MALFORMED
    with pytest.raises(ValueError):
        make_claim_qr("SO2026", SECRET)
