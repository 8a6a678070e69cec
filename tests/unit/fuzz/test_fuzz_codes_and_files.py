"""Fuzz the code and file parsers (issue 15 item 10): receipt QR, title QR, config, orders
import, invoice XML, the PDF's text and the ESC/POS receipt.

Each parser either returns its result or raises its own typed error (OrderQrError,
ConfigError, InvoiceXmlError, an import report with errors); the title-QR parser,
which never raises, must not fall back to its "internal_error" answer either.
"""

from __future__ import annotations

import dataclasses
import json
import tomllib
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from drivers.printer.escpos_render import EscPosRenderer
from drivers.printer.parse import parse_all
from kiosk.config import ConfigError, config_from_dict, load_config
from kiosk.documents.pdf import invoice_to_pdf
from kiosk.documents.receipt import receipt_ops
from kiosk.documents.xml import InvoiceXmlError, invoice_to_xml, parse_invoice_xml
from kiosk.model import Buyer, BuyerType
from kiosk.orderqr import OrderQrError, make_order_qr, verify_order_qr
from kiosk.orders import OrderStore
from kiosk.titleqr import make_title_qr, parse_title_qr
from tests.helpers.invoices import sample_invoice
from tests.helpers.kioskenv import REPO, kiosk_db

FUZZ = settings(deadline=None,  # max_examples: the profile's (tests/conftest.py)
               suppress_health_check=[HealthCheck.function_scoped_fixture])
SECRET = "fuzz-secret-0123456789abcdef"


def _mutate(text: str, ops: list[tuple[int, str]]) -> str:
    for pos, piece in ops:
        at = pos % (len(text) + 1)
        text = text[:at] + piece + text[at + 1:]
    return text


edits = st.lists(st.tuples(st.integers(0, 10_000), st.text(max_size=3)), min_size=1, max_size=4)


@FUZZ
@given(edits)
def test_receipt_qr_mutations_are_refused_with_order_qr_error(ops: list[tuple[int, str]]) -> None:
    genuine = make_order_qr("2024060100017", "38.00", SECRET)
    text = _mutate(genuine, ops)
    try:
        ref = verify_order_qr(text, SECRET)
    except OrderQrError:
        return
    assert text.strip(" \r\n\t") == genuine and ref.order_no == "2024060100017"


@FUZZ
@given(edits, st.sampled_from(["gbk", "utf-8"]), st.booleans())
def test_title_qr_mutations_never_hit_the_internal_error(ops: list[tuple[int, str]],
                                                         encoding: str, plain: bool) -> None:
    buyer = Buyer(BuyerType.COMPANY, "厦门示例贸易有限公司", "91350200776049653A")
    result = parse_title_qr(_mutate(make_title_qr(buyer, encoding=encoding, plain=plain), ops))
    assert result.reason != "internal_error"
    if result.ok:
        assert result.buyer is not None and result.buyer.name.isprintable()


SHIPPED = tomllib.loads((REPO / "kiosk.toml").read_text(encoding="utf-8"))
toml_values = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=12),
                        st.lists(st.integers(), max_size=3), st.dictionaries(st.text(max_size=5),
                                                                              st.integers(),
                                                                              max_size=2))


def _config_keys() -> list[tuple[str, str]]:
    return [(section, key) for section, body in SHIPPED.items() if isinstance(body, dict)
            for key in body]


@FUZZ
@given(st.lists(st.tuples(st.sampled_from(_config_keys()), toml_values), min_size=1, max_size=3),
       st.dictionaries(st.text(max_size=8), toml_values, max_size=2))
def test_config_values_give_a_config_or_config_error(changes: list[tuple[tuple[str, str], Any]],
                                                     extra: dict[str, Any]) -> None:
    data = json.loads(json.dumps(SHIPPED))
    for (section, key), value in changes:
        if value is None:
            data[section].pop(key, None)
        else:
            data[section][key] = value
    data.update(extra)
    try:
        config_from_dict(data, base_dir=REPO)
    except ConfigError as err:
        assert str(err).isprintable() or "\n" not in str(err).strip()


SHIPPED_TEXT = (REPO / "kiosk.toml").read_bytes()


@FUZZ
@given(st.lists(st.tuples(st.integers(0, len(SHIPPED_TEXT)), st.binary(max_size=6)), min_size=1,
                max_size=5))
def test_config_files_with_damaged_bytes_give_a_config_or_config_error(
        tmp_path_factory: pytest.TempPathFactory, ops: list[tuple[int, bytes]]) -> None:
    data = SHIPPED_TEXT
    for pos, piece in ops:
        data = data[:pos] + piece + data[pos + 1:]
    path = tmp_path_factory.mktemp("config") / "kiosk.toml"
    path.write_bytes(data)
    try:
        load_config(path)
    except ConfigError:
        pass


GOOD_ORDER = {"order_no": "F1", "paid_at": "2024-06-01T12:30:00+08:00",
              "lines": [{"name": "工作日午餐套餐", "short_name": "餐饮服务",
                         "tax_code": "3070401000000000000", "quantity": "1",
                         "unit_price": "38.00", "amount": "38.00", "rate": "0.06"}]}
json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=20)),
    lambda inner: st.one_of(st.lists(inner, max_size=3),
                            st.dictionaries(st.text(max_size=8), inner, max_size=3)),
    max_leaves=12)
ORDER_KEYS = ["order_no", "paid_at", "lines", "name", "short_name", "tax_code", "quantity",
              "unit_price", "amount", "rate", "buyer", "remark"]


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> OrderStore:
    return OrderStore(kiosk_db(tmp_path_factory.mktemp("fuzz") / "kiosk.db"))


@FUZZ
@given(st.lists(st.tuples(st.sampled_from(ORDER_KEYS), json_values), max_size=3),
       st.booleans(), json_values)
def test_orders_import_gives_a_report_never_an_exception(store: OrderStore,
                                                          changes: list[tuple[str, Any]],
                                                          in_line: bool, whole: Any) -> None:
    order = json.loads(json.dumps(GOOD_ORDER))
    for key, value in changes:
        (order["lines"][0] if in_line and isinstance(order.get("lines"), list)
         and order["lines"] else order)[key] = value
    for data in ([order], whole):
        report = store.import_orders(data, source="fuzz")
        assert report.refused or all(store.get(no) is not None for no in report.imported)


XML = invoice_to_xml(sample_invoice(2))


@FUZZ
@given(st.lists(st.tuples(st.integers(0, len(XML)), st.binary(max_size=4)), min_size=1,
                max_size=4))
@example([(30, b"")])  # encoding="TF-8": the parser's LookupError escaped
def test_invoice_xml_mutations_parse_or_raise_invoice_xml_error(
        ops: list[tuple[int, bytes]]) -> None:
    data = XML
    for pos, piece in ops:
        data = data[:pos] + piece + data[pos + 1:]
    try:
        parsed = parse_invoice_xml(data)
    except InvoiceXmlError:
        return
    assert isinstance(parsed["number"], str)


def _with_texts(name: str, item: str, number: str) -> Any:
    inv = sample_invoice(1)
    return dataclasses.replace(inv, number=number or "1", buyer=dataclasses.replace(
        inv.buyer, name=name), lines=(dataclasses.replace(inv.lines[0], name=item),),
        remark=item)


@FUZZ
@given(st.text(max_size=40), st.text(max_size=60), st.text(max_size=30))
def test_any_text_in_an_invoice_makes_an_xml_or_invoice_xml_error(name: str, item: str,
                                                                  number: str) -> None:
    try:
        parse_invoice_xml(invoice_to_xml(_with_texts(name, item, number)))
    except InvoiceXmlError:
        pass  # e.g. text XML 1.0 cannot carry (NUL), or a number without region digits


# A PDF costs about a second on CI: a handful of examples (100 in the long profile),
# the hostile ones explicit.
@settings(max_examples=max(3, settings.default.max_examples // 50), deadline=None)
@given(st.text(max_size=40), st.text(max_size=60), st.text(max_size=30))
@example("厦门\x1b@示例\u202e", "餐饮\x00\u2028服务", "26١١٢000000000000001")
def test_any_text_in_an_invoice_makes_a_pdf(name: str, item: str, number: str) -> None:
    assert invoice_to_pdf(_with_texts(name, item, number)).startswith(b"%PDF")


@FUZZ
@given(st.text(max_size=40), st.text(max_size=40), st.sampled_from([58, 80]),
       st.sampled_from(["GB18030", "GBK", "UTF-8"]))
def test_receipt_ops_carry_no_control_byte_from_text(name: str, item: str, paper: int,
                                                     encoding: str) -> None:
    inv = sample_invoice(1)
    inv = dataclasses.replace(inv, buyer=dataclasses.replace(inv.buyer, name=name),
                              lines=(dataclasses.replace(inv.lines[0], name=item),))
    ops = receipt_ops(inv, fetch_url="https://example.invalid/i/x", paper_width_mm=paper)
    tokens = parse_all(EscPosRenderer(encoding=encoding, paper_width_mm=paper).render(ops))
    for token in tokens:
        if token.kind == "text":
            assert all(b >= 0x20 and b != 0x7F for b in token.data)


def test_the_fuzzed_files_exist() -> None:
    assert Path(REPO / "kiosk.toml").is_file() and XML.startswith(b"<?xml")
