"""Tax arithmetic: the rates table, the price-inclusive split, lines and tolerances.

All money is ``Decimal``. The vendor (provider) limits live in one named
object, :data:`VENDOR_LIMITS`, so they can change without a hunt.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from kiosk.model import InvoiceLine, OrderLine
from kiosk.rules.errors import RuleError
from kiosk.rules.fields import item_full_name

__all__ = [
    "CENT",
    "VendorLimits",
    "VENDOR_LIMITS",
    "TaxRate",
    "RATES",
    "RATE_MARKS",
    "rates_in_force",
    "set_rates_in_force",
    "EXEMPT",
    "NOT_TAXABLE",
    "rate_label",
    "is_known_rate",
    "split_tax",
    "plain_decimal",
    "decimal_places",
    "net_unit_price",
    "invoice_lines_from_order_lines",
    "check_invoice_lines",
    "validate_discount_lines",
]

CENT = Decimal("0.01")
EXEMPT = "免税"
NOT_TAXABLE = "不征税"
RATE_MARKS = (EXEMPT, NOT_TAXABLE)


@dataclass(frozen=True)
class VendorLimits:
    """Provider rules *(vendor)*: not from an official text, kept in one place."""

    line_amount: Decimal = Decimal("0.01")  # |unit price x quantity - amount| per line
    line_tax: Decimal = Decimal("0.06")  # |amount x rate - tax| per line
    invoice_tax: Decimal = Decimal("1.27")  # |sum(tax - amount x rate)| per invoice
    max_lines: int = 100  # detail lines per invoice
    max_decimals: int = 13  # unit price and quantity
    name_gbk_bytes: int = 100  # buyer / seller name
    address_phone_gbk_bytes: int = 100  # address + phone together
    bank_account_gbk_bytes: int = 100  # bank + account together
    item_name_gbk_bytes: int = 200  # item name without *简称* (low confidence)


VENDOR_LIMITS = VendorLimits()


@dataclass(frozen=True)
class TaxRate:
    rate: Decimal
    mark: str
    label: str
    use_zh: str
    use_en: str


RATES: tuple[TaxRate, ...] = (
    TaxRate(Decimal("0.13"), "", "13%", "货物、加工修理修配、有形动产租赁", "goods, processing, repair, movable leasing"),
    TaxRate(Decimal("0.09"), "", "9%", "交通运输、邮政、基础电信、建筑、不动产、农产品、水电气、图书",
            "transport, post, basic telecom, construction, real estate, farm products, utilities, books"),
    TaxRate(Decimal("0.06"), "", "6%", "其他服务（含餐饮、信息技术）", "other services incl. catering and IT"),
    TaxRate(Decimal("0"), "", "0%", "出口", "exports"),
    TaxRate(Decimal("0.03"), "", "3%", "小规模纳税人征收率", "small-scale levy rate"),
    TaxRate(Decimal("0.01"), "", "1%", "小规模纳税人减按 1%（2026-2027，不含不动产）",
            "small-scale reduced levy (2026-2027, not real estate)"),
    TaxRate(Decimal("0"), EXEMPT, EXEMPT, "免税", "exempt"),
    TaxRate(Decimal("0"), NOT_TAXABLE, NOT_TAXABLE, "不征税", "not taxable"),
)


def plain_decimal(d: Decimal) -> Decimal:
    """Drop trailing zeros without exponent notation: 100.000 -> 100, 0.50 -> 0.5."""
    n = d.normalize()
    if n.as_tuple().exponent > 0:  # type: ignore[operator]
        n = n.quantize(Decimal(1))
    return n


def rate_label(rate: Decimal, mark: str = "") -> str:
    """What the invoice prints: ``13%``, ``免税``, ``不征税``."""
    if mark:
        if mark not in RATE_MARKS:
            raise ValueError(f"unknown rate mark {mark!r}")
        return mark
    return f"{plain_decimal(rate * 100):f}%"


# The rate table in force: the built-in RATES unless the back office pushed a table
# (kiosk.fleet.policy, issue 16). One tuple swapped whole, so a reader on any thread sees
# the old table or the new one, never a mix.
_in_force: tuple[TaxRate, ...] = RATES


def rates_in_force() -> tuple[TaxRate, ...]:
    return _in_force


def set_rates_in_force(rates: tuple[TaxRate, ...] | None) -> None:
    """Put a pushed rate table in force (the whole table), or the built-in one (None)."""
    global _in_force
    _in_force = RATES if rates is None else tuple(rates)


def is_known_rate(rate: Decimal, mark: str = "") -> bool:
    return any(r.rate == rate and r.mark == mark for r in _in_force)


def _dec(value: object) -> Decimal:
    """Decimal as is; an int or a numeric string converted exactly (a float via its repr)."""
    return value if isinstance(value, Decimal) else Decimal(str(value))


def split_tax(gross: Decimal, rate: Decimal) -> tuple[Decimal, Decimal]:
    """Price-inclusive split: tax = round_half_up(gross / (1 + r) x r, 0.01); net = gross - tax.

    Symmetric for negative amounts (half-up rounds away from zero):
    ``split_tax(Decimal("-113"), Decimal("0.13")) == (Decimal("-100.00"), Decimal("-13.00"))``.
    """
    gross, rate = _dec(gross), _dec(rate)
    if rate < 0:
        raise ValueError("rate must not be negative")
    gross = gross.quantize(CENT, rounding=ROUND_HALF_UP)
    tax = (gross / (1 + rate) * rate).quantize(CENT, rounding=ROUND_HALF_UP)
    return gross - tax, tax


def decimal_places(d: Decimal) -> int:
    exp = d.normalize().as_tuple().exponent
    return max(0, -exp) if isinstance(exp, int) else 0


def net_unit_price(net_amount: Decimal, quantity: Decimal) -> Decimal:
    """Net unit price with at most 13 decimals (half up), trailing zeros dropped."""
    if quantity == 0:
        return Decimal(0)
    q = Decimal(1).scaleb(-VENDOR_LIMITS.max_decimals)
    return plain_decimal((net_amount / quantity).quantize(q, rounding=ROUND_HALF_UP))


def invoice_lines_from_order_lines(lines: Iterable[OrderLine]) -> tuple[InvoiceLine, ...]:
    """Split each price-inclusive order line into net amount and tax (per line)."""
    out = []
    for line in lines:
        rate = Decimal(0) if line.rate_mark else line.rate
        net, tax = split_tax(line.amount, rate)
        out.append(InvoiceLine(
            name=item_full_name(line.short_name, line.name),
            tax_code=line.tax_code,
            quantity=plain_decimal(line.quantity) if line.quantity else Decimal(0),
            unit_price=net_unit_price(net, line.quantity),
            amount=net,
            rate=rate,
            tax=tax,
            rate_mark=line.rate_mark,
            spec=line.spec,
            unit=line.unit,
        ))
    return tuple(out)


def check_invoice_lines(lines: Sequence[InvoiceLine], limits: VendorLimits = VENDOR_LIMITS) -> list[RuleError]:
    """The vendor tolerances on net lines and on the invoice as a whole."""
    errors: list[RuleError] = []
    drift = Decimal(0)
    for i, line in enumerate(lines):
        where = f"lines[{i}]"
        if line.quantity and line.unit_price:
            diff = abs(line.unit_price * line.quantity - line.amount)
            if diff > limits.line_amount:
                errors.append(RuleError(
                    "E_LINE_AMOUNT", f"{where}.amount",
                    f"第 {i + 1} 行：单价×数量与金额相差 {diff:.2f}，超过 {limits.line_amount}。",
                    f"Line {i + 1}: unit price x quantity differs from the amount by {diff:.2f} "
                    f"(more than {limits.line_amount}).",
                ))
        expected = line.amount * line.rate
        if abs(expected - line.tax) > limits.line_tax:
            errors.append(RuleError(
                "E_LINE_TAX", f"{where}.tax",
                f"第 {i + 1} 行：税额 {line.tax} 与 金额×税率 {expected:.2f} 相差超过 {limits.line_tax}。",
                f"Line {i + 1}: tax {line.tax} differs from amount x rate {expected:.2f} "
                f"by more than {limits.line_tax}.",
            ))
        drift += line.tax - expected
    if abs(drift) > limits.invoice_tax:
        errors.append(RuleError(
            "E_INVOICE_TAX", "lines",
            f"各行税额误差合计 {drift:.2f} 超过 {limits.invoice_tax}，请拆分发票。",
            f"Tax rounding across lines adds up to {drift:.2f} (more than {limits.invoice_tax}); "
            "split the invoice.",
        ))
    return errors


def _line_key(line: OrderLine | InvoiceLine) -> tuple[object, ...]:
    short = line.short_name if isinstance(line, OrderLine) else ""
    return (short, line.name, line.tax_code, line.rate, line.rate_mark)


def validate_discount_lines(lines: Sequence[OrderLine | InvoiceLine]) -> list[RuleError]:
    """A discount (negative) line follows directly the line it discounts: same name,
    code and rate, and it may not exceed that line's amount *(vendor)*."""
    errors: list[RuleError] = []
    for i, line in enumerate(lines):
        if line.amount >= 0:
            continue
        where = f"lines[{i}]"
        prev = lines[i - 1] if i > 0 else None
        if prev is None or prev.amount <= 0:
            errors.append(RuleError(
                "E_DISCOUNT_PLACE", where,
                f"第 {i + 1} 行是折扣行，必须紧跟在被折扣的商品行之后。",
                f"Line {i + 1} is a discount line: it must directly follow the line it discounts.",
            ))
            continue
        if _line_key(prev) != _line_key(line):
            errors.append(RuleError(
                "E_DISCOUNT_MATCH", where,
                f"第 {i + 1} 行折扣的名称、税收分类编码和税率必须与第 {i} 行相同。",
                f"Line {i + 1}: a discount must have the same name, tax code and rate as line {i}.",
            ))
        if -line.amount > prev.amount:
            errors.append(RuleError(
                "E_DISCOUNT_EXCEEDS", f"{where}.amount",
                f"第 {i + 1} 行折扣 {-line.amount} 超过被折扣金额 {prev.amount}。",
                f"Line {i + 1}: discount {-line.amount} exceeds the discounted amount {prev.amount}.",
            ))
    return errors
