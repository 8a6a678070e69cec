"""Invoice rules: pure functions with no IO, shared by the kiosk and the sandbox platform.

Split by idea: :mod:`~kiosk.rules.identifiers` (credit codes, resident IDs,
buyer tax IDs), :mod:`~kiosk.rules.words` (amount in words),
:mod:`~kiosk.rules.tax` (rates, split, lines, tolerances, discounts),
:mod:`~kiosk.rules.fields` (GBK limits, phone, e-mail, bank, item names, tax
codes), :mod:`~kiosk.rules.request` (request id, special-invoice eligibility,
``validate_request``). Everything public is re-exported here: import from
``kiosk.rules``.
"""

from kiosk.rules.errors import RuleError
from kiosk.rules.fields import (
    TAX_CODE_CATEGORIES,
    check_gbk,
    gbk_length,
    is_valid_bank_account,
    is_valid_email,
    is_valid_phone,
    is_valid_tax_code,
    item_full_name,
    non_gbk_chars,
)
from kiosk.rules.identifiers import (
    CREDIT_CODE_ALPHABET,
    Severity,
    TaxIdCheck,
    TaxIdKind,
    classify_tax_id,
    credit_code_check_char,
    is_valid_credit_code,
    is_valid_resident_id,
    normalise_tax_id,
    org_code_check_char,
    resident_id_birth_date,
    resident_id_check_char,
)
from kiosk.rules.request import (
    may_receive_special,
    request_id_for,
    special_invoice_refusal,
    validate_buyer,
    validate_request,
)
from kiosk.rules.tax import (
    CENT,
    EXEMPT,
    NOT_TAXABLE,
    RATE_MARKS,
    RATES,
    VENDOR_LIMITS,
    TaxRate,
    VendorLimits,
    check_invoice_lines,
    decimal_places,
    invoice_lines_from_order_lines,
    is_known_rate,
    net_unit_price,
    plain_decimal,
    rate_label,
    split_tax,
    validate_discount_lines,
)
from kiosk.rules.words import amount_in_words

__all__ = [
    "CENT", "CREDIT_CODE_ALPHABET", "EXEMPT", "NOT_TAXABLE", "RATES", "RATE_MARKS",
    "TAX_CODE_CATEGORIES", "VENDOR_LIMITS", "RuleError", "Severity", "TaxIdCheck", "TaxIdKind",
    "TaxRate", "VendorLimits", "amount_in_words", "check_gbk", "check_invoice_lines",
    "classify_tax_id", "credit_code_check_char", "decimal_places", "gbk_length",
    "invoice_lines_from_order_lines", "is_known_rate", "is_valid_bank_account",
    "is_valid_credit_code", "is_valid_email", "is_valid_phone", "is_valid_resident_id",
    "is_valid_tax_code", "item_full_name", "may_receive_special", "net_unit_price",
    "non_gbk_chars", "normalise_tax_id", "org_code_check_char", "plain_decimal", "rate_label",
    "request_id_for", "resident_id_birth_date", "resident_id_check_char",
    "special_invoice_refusal", "split_tax", "validate_buyer", "validate_discount_lines",
    "validate_request",
]
