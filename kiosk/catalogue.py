"""The goods-and-services catalogue of the business flow, and line arithmetic.

A business account (a seller issuing its own invoices) picks items from here:
search by name (substring, case-insensitive, or the pinyin initials of the
name, e.g. ``cyfw`` for 餐饮服务) or by the 19-digit tax classification code
(a prefix such as ``30704``). Queries are parameterised; ``%`` and ``_`` a
user types are escaped so they match themselves.

Prices are price-inclusive (含税) ``Decimal`` stored as exact TEXT.
:func:`line_for` turns an item plus any of quantity / unit price / amount
into a :class:`kiosk.model.OrderLine`, deriving what is missing:
amount = quantity x price rounded half-up to the fen; a price or quantity
derived from an amount carries up to 13 decimals (the providers' limit).

Demo items: the codes marked *seen* appear with that meaning in public
invoicing-provider code (餐饮服务 3070401000000000000, 住宿服务
3070402000000000000, 车辆停放服务 3040502020200000000); the others follow the
official table's structure as best recalled and must be checked against the
current 商品和服务税收分类编码表 before real use (confidence: medium/low).
Pinyin initials come from the ``pypinyin`` package.
"""

from __future__ import annotations

import logging
import unicodedata
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

import sqlite_utils
from sqlite_utils.migrations import Migrations

from kiosk.model import OrderLine
from kiosk.rules.fields import is_valid_tax_code, tax_code_refusal
from kiosk.rules.tax import CENT, RATE_MARKS, VENDOR_LIMITS, is_known_rate, plain_decimal

log = logging.getLogger("kiosk.catalogue")

MAX_RESULTS = 50
_PLACES = Decimal(1).scaleb(-VENDOR_LIMITS.max_decimals)  # 1E-13

migrations = Migrations("catalogue")


@migrations()
def m001_catalogue(db: sqlite_utils.Database) -> None:
    """Catalogue items; money and rates as exact decimal TEXT."""
    db.execute(
        """
        CREATE TABLE catalogue_items (
            code TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            short_name TEXT NOT NULL,
            tax_code TEXT NOT NULL,
            unit TEXT NOT NULL DEFAULT '',
            spec TEXT NOT NULL DEFAULT '',
            unit_price TEXT NOT NULL,
            rate TEXT NOT NULL,
            rate_mark TEXT NOT NULL DEFAULT '',
            search_text TEXT NOT NULL,
            initials TEXT NOT NULL DEFAULT ''
        )
        """
    )
    db.execute("CREATE INDEX catalogue_items_tax_code ON catalogue_items(tax_code)")


@dataclass(frozen=True)
class CatalogueItem:
    code: str  # the seller's own item code
    name: str
    short_name: str  # 简称 of the tax classification, printed as *简称*name
    tax_code: str  # 19 digits
    unit: str
    spec: str
    unit_price: Decimal  # price-inclusive; 0 = no fixed price (typed each time)
    rate: Decimal  # 0.13, 0.09, 0.06, ...; 0 with rate_mark for 免税 / 不征税
    rate_mark: str = ""


class LineError(ValueError):
    """Quantity / price / amount that cannot make a line; messages for the screen."""

    def __init__(self, message_zh: str, message_en: str) -> None:
        super().__init__(message_en)
        self.message_zh = message_zh
        self.message_en = message_en


def _fold(s: str) -> str:
    return unicodedata.normalize("NFKC", s).casefold()


def pinyin_initials(text: str) -> str:
    """``餐饮服务`` -> ``cyfw``; non-Chinese runs are kept (folded), spaces dropped."""
    # Imported here: pypinyin loads its phrase dictionary at import (~0.13 s), and
    # initials are computed only when an item is stored, not at every kiosk start.
    from pypinyin import Style, lazy_pinyin

    parts = lazy_pinyin(text, style=Style.FIRST_LETTER, errors="default")
    return "".join(_fold(p) for p in parts if not p.isspace()).replace(" ", "")


def _escape_like(s: str) -> str:
    return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def validate_item(item: CatalogueItem) -> None:
    """Raise :class:`ValueError` naming what is wrong with an item."""
    if not item.code.strip() or not item.name.strip() or not item.short_name.strip():
        raise ValueError("code, name and short name are required")
    if not is_valid_tax_code(item.tax_code):
        raise ValueError(f"tax code {item.tax_code!r} is not 19 digits starting 1-6")
    if item.unit_price < 0:
        raise ValueError("unit price must not be negative")
    if item.rate_mark and (item.rate_mark not in RATE_MARKS or item.rate != 0):
        raise ValueError(f"rate mark {item.rate_mark!r} needs rate 0 and one of {RATE_MARKS}")
    if not is_known_rate(item.rate, item.rate_mark):
        raise ValueError(f"unknown rate {item.rate} {item.rate_mark}")
    refusal = tax_code_refusal(item.tax_code, item.short_name)
    if refusal is not None:
        raise ValueError(refusal)


class Catalogue:
    """Catalogue items in the kiosk database."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db

    def add(self, item: CatalogueItem) -> None:
        """Insert or replace one item (validated first)."""
        validate_item(item)
        with self.db.conn:
            self._insert(item)

    def _insert(self, item: CatalogueItem) -> None:
        search = _fold(" ".join((item.name, item.short_name, item.code, item.spec)))
        self.db.execute(
            "INSERT INTO catalogue_items(code, name, short_name, tax_code, unit, spec,"
            " unit_price, rate, rate_mark, search_text, initials)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT(code) DO UPDATE SET"
            " name=excluded.name, short_name=excluded.short_name,"
            " tax_code=excluded.tax_code, unit=excluded.unit, spec=excluded.spec,"
            " unit_price=excluded.unit_price, rate=excluded.rate,"
            " rate_mark=excluded.rate_mark, search_text=excluded.search_text,"
            " initials=excluded.initials",
            [item.code, item.name, item.short_name, item.tax_code, item.unit, item.spec,
             str(item.unit_price), str(item.rate), item.rate_mark, search,
             pinyin_initials(item.name) + " " + pinyin_initials(item.short_name)],
        )

    def replace_all(self, items: list[CatalogueItem]) -> None:
        """Make ``items`` the whole catalogue in one transaction (a pushed catalogue, issue
        16): a reader sees the old catalogue or the new one; a bad item changes nothing."""
        for item in items:
            validate_item(item)
        with self.db.conn:
            self.db.execute("DELETE FROM catalogue_items")
            for item in items:
                self._insert(item)

    def get(self, code: str) -> CatalogueItem | None:
        rows = list(self.db.query(f"SELECT {_COLUMNS} FROM catalogue_items WHERE code = ?",
                                  [code]))
        return _item(rows[0]) if rows else None

    def all(self) -> list[CatalogueItem]:
        return [_item(r) for r in self.db.query(
            f"SELECT {_COLUMNS} FROM catalogue_items ORDER BY tax_code, name")]

    def count(self) -> int:
        return int(self.db.execute("SELECT COUNT(*) FROM catalogue_items").fetchone()[0])

    def search(self, query: str, limit: int = MAX_RESULTS) -> list[CatalogueItem]:
        """Items matching ``query``; an empty query lists everything.

        All digits: a tax classification code prefix (or the item code). Otherwise:
        a case-insensitive substring of name / short name / item code / spec, or
        (ASCII letters only) a substring of the name's pinyin initials.
        """
        q = _fold(query).strip()
        if not q:
            return self.all()[:limit]
        like = "%" + _escape_like(q) + "%"
        if q.isascii() and q.isdigit():
            sql = (f"SELECT {_COLUMNS} FROM catalogue_items WHERE tax_code LIKE ? ESCAPE '\\'"
                   " OR code LIKE ? ESCAPE '\\' ORDER BY tax_code, name LIMIT ?")
            params: list[object] = [_escape_like(q) + "%", like, limit]
        elif q.isascii() and q.isalpha():
            sql = (f"SELECT {_COLUMNS} FROM catalogue_items WHERE search_text LIKE ? ESCAPE '\\'"
                   " OR initials LIKE ? ESCAPE '\\' ORDER BY tax_code, name LIMIT ?")
            params = [like, like, limit]
        else:
            sql = (f"SELECT {_COLUMNS} FROM catalogue_items WHERE search_text LIKE ? ESCAPE '\\'"
                   " ORDER BY tax_code, name LIMIT ?")
            params = [like, limit]
        return [_item(r) for r in self.db.query(sql, params)]


_COLUMNS = "code, name, short_name, tax_code, unit, spec, unit_price, rate, rate_mark"


def _item(row: dict[str, Any]) -> CatalogueItem:
    return CatalogueItem(row["code"], row["name"], row["short_name"], row["tax_code"],
                         row["unit"], row["spec"], Decimal(row["unit_price"]),
                         Decimal(row["rate"]), row["rate_mark"])


def _d(value: Decimal | str | int | None, what_zh: str, what_en: str) -> Decimal | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        d = Decimal(value.strip() if isinstance(value, str) else value)
    except (InvalidOperation, ValueError):
        raise LineError(f"{what_zh}不是有效的数字。", f"The {what_en} is not a number.") from None
    if not d.is_finite() or d <= 0:
        raise LineError(f"{what_zh}必须大于零。", f"The {what_en} must be more than zero.")
    return d


def _places13(d: Decimal) -> Decimal:
    """At most 13 decimals (half up), trailing zeros dropped."""
    return plain_decimal(d.quantize(_PLACES, rounding=ROUND_HALF_UP))


def _money(d: Decimal) -> Decimal:
    return d.quantize(CENT, rounding=ROUND_HALF_UP)


def _price(d: Decimal) -> Decimal:
    """A unit price: two decimals when exact to the fen, else up to 13."""
    p = _places13(d)
    return _money(p) if p == _money(p) else p


def line_for(item: CatalogueItem, quantity: Decimal | str | None = None,
             unit_price: Decimal | str | None = None,
             amount: Decimal | str | None = None) -> OrderLine:
    """A price-inclusive order line for ``item``; derives the missing value.

    - nothing given: quantity 1 at the catalogue price;
    - quantity only / price only: the other from the catalogue (price) or 1 (quantity);
    - amount only: the catalogue price is kept and the quantity derived
      (fuel-style); an item without a price gets quantity 1;
    - two given: the third derived; all three: they must agree within 0.01.

    Raises :class:`LineError` (zh/en messages) for a non-number, zero or negative
    value, an amount with fractions of a fen, more than 13 decimals, or a
    mismatch.
    """
    q = _d(quantity, "数量", "quantity")
    p = _d(unit_price, "单价", "unit price")
    a = _d(amount, "金额", "amount")
    if a is not None and a != _money(a):
        raise LineError("金额最多两位小数（精确到分）。", "An amount has at most two decimals.")
    for value, zh, en in ((q, "数量", "quantity"), (p, "单价", "unit price")):
        if value is not None and -value.as_tuple().exponent > VENDOR_LIMITS.max_decimals:  # type: ignore[operator]
            raise LineError(f"{zh}最多 13 位小数。", f"The {en} has at most 13 decimals.")
    catalogue_price = item.unit_price if item.unit_price > 0 else None

    if q is not None and p is not None and a is not None:
        if abs(q * p - a) > VENDOR_LIMITS.line_amount:
            raise LineError(
                f"数量 × 单价（{_money(q * p)}）与金额 {a} 相差超过 0.01。",
                f"Quantity x unit price ({_money(q * p)}) differs from the amount {a} by more than 0.01.")
    elif q is not None and a is not None:
        p = _price(a / q)
    elif p is not None and a is not None:
        q = _places13(a / p)
    elif a is not None:
        if catalogue_price is not None:
            p, q = catalogue_price, _places13(a / catalogue_price)
        else:
            p, q = a, Decimal(1)
    else:
        q = q if q is not None else Decimal(1)
        p = p if p is not None else catalogue_price
        if p is None:
            raise LineError("该项目没有固定单价，请输入单价或金额。",
                            "This item has no fixed price: enter a unit price or an amount.")
        a = _money(q * p)
    assert q is not None and p is not None and a is not None
    if a <= 0 or q <= 0:
        raise LineError("金额太小，不足一分。", "The amount is less than one fen.")
    return OrderLine(
        name=item.name, short_name=item.short_name, tax_code=item.tax_code,
        quantity=plain_decimal(q), unit_price=p, amount=_money(a), rate=item.rate,
        rate_mark=item.rate_mark, spec=item.spec, unit=item.unit,
    )


def _i(code: str, name: str, short: str, tax_code: str, unit: str, spec: str, price: str,
       rate: str, mark: str = "") -> CatalogueItem:
    return CatalogueItem(code, name, short, tax_code, unit, spec, Decimal(price), Decimal(rate),
                         mark)


DEMO_CATALOGUE: tuple[CatalogueItem, ...] = (
    # 13% goods
    _i("G001", "笔记本电脑", "计算机", "1090511030000000000", "台", "14英寸 16G/512G", "4999.00", "0.13"),
    _i("G002", "激光打印机", "计算机外部设备", "1090512010000000000", "台", "A4 黑白", "1299.00", "0.13"),
    _i("G003", "A4复印纸", "纸制品", "1060101030000000000", "箱", "70g 5包/箱", "129.00", "0.13"),
    _i("G004", "92号车用汽油", "汽油", "1070101010100000000", "升", "92#", "7.89", "0.13"),
    _i("G005", "瓶装饮用水", "水", "1030307020000000000", "箱", "550ml×24", "36.00", "0.13"),
    _i("G006", "电脑维修", "修理修配劳务", "2010200000000000000", "次", "", "0", "0.13"),
    # 9%
    _i("S101", "停车费", "经营租赁", "3040502020200000000", "小时", "", "5.00", "0.09"),  # seen
    _i("S102", "图书", "图书", "1060201010000000000", "本", "", "58.00", "0.09"),
    _i("S103", "市内货物运输", "运输服务", "3010102020100000000", "次", "", "0", "0.09"),
    # 6%
    _i("S201", "餐费", "餐饮服务", "3070401000000000000", "份", "", "0", "0.06"),  # seen
    _i("S202", "住宿费", "住宿服务", "3070402000000000000", "间夜", "标准间", "398.00", "0.06"),  # seen
    _i("S203", "软件开发服务", "信息技术服务", "3040201010000000000", "项", "", "0", "0.06"),
    _i("S204", "技术咨询费", "鉴证咨询服务", "3040603000000000000", "次", "", "0", "0.06"),
    _i("S205", "会议服务费", "会展服务", "3040907000000000000", "次", "", "0", "0.06"),
    # 免税
    _i("E301", "新鲜蔬菜", "蔬菜", "1010112000000000000", "千克", "", "6.80", "0", "免税"),
    _i("E302", "鲜鸡蛋", "鲜蛋", "1010305000000000000", "千克", "", "11.60", "0", "免税"),
)


def seed_demo_catalogue(catalogue: Catalogue) -> int:
    """Add the demo items to an EMPTY catalogue; returns how many were added."""
    if catalogue.count():
        return 0
    for item in DEMO_CATALOGUE:
        catalogue.add(item)
    log.info("demo catalogue seeded", extra={"event": "catalogue.seeded",
                                             "items": len(DEMO_CATALOGUE)})
    return len(DEMO_CATALOGUE)
