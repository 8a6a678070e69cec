"""``kiosk lookup`` and ``kiosk reprint``: find an invoice with its red/blue state, print its slip again.

    kiosk lookup --order 2024060100017 --json
    kiosk lookup --invoice 26112000000000000001
    kiosk reprint --invoice 26112000000000000001 --receipt-out slip.bin

``lookup`` reads the kiosk's own record first and asks the platform only for
what the kiosk does not hold. Each invoice carries its ``state``: ``issued``
(blue, nothing credited), ``partly_credited``, ``credited`` (fully red-lettered:
the order may be invoiced again) or ``red``; a blue one lists its lines
numbered from 1 (the numbers ``kiosk red file --line`` takes), the red invoices
against it and the forms filed here. ``--json`` prints ONE object:
``{"query", "invoices": [...]}``.

``reprint`` writes the courtesy receipt's ESC/POS bytes for the configured
printer (encoding, paper width, QR mode), atomically.

Exit codes as ``kiosk issue``: 0 found / written; 1 no such invoice; 2 usage
or configuration error; 3 the kiosk holds nothing and the platform cannot be
asked now (unknown).
"""

from __future__ import annotations

import argparse
import contextlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from kiosk.cli import EXIT_USAGE, CommandError
from kiosk.commands.issue import (
    EXIT_PENDING,
    _close,
    _setup_logging,
    printer_bytes,
    service_for,
)
from kiosk.commands.orders import open_kiosk_db
from kiosk.corrections import INVOICE_NO_RE, LookupEntry
from kiosk.issuing import IssuingService, write_atomic
from kiosk.orders import ORDER_NO_RE
from kiosk.platform.gateway import PlatformError, PlatformTimeout, PlatformUnavailable


def register(sub: Any) -> None:
    look = sub.add_parser("lookup", help="find invoices by invoice or order number (red/blue state)")
    which = look.add_mutually_exclusive_group(required=True)
    which.add_argument("--invoice", metavar="N", help="a 20-digit invoice number")
    which.add_argument("--order", metavar="O", help="an order number")
    look.add_argument("--json", action="store_true", help="print one JSON object")
    look.set_defaults(func=lookup_cmd)
    rep = sub.add_parser("reprint", help="write an invoice's courtesy receipt (ESC/POS) again")
    rep.add_argument("--invoice", metavar="N", required=True, help="a 20-digit invoice number")
    rep.add_argument("--receipt-out", metavar="FILE", type=Path, required=True,
                     help="write the receipt's ESC/POS bytes here")
    rep.set_defaults(func=reprint_cmd)


@contextlib.contextmanager
def issuing_service(config: Any) -> Iterator[IssuingService]:
    """The kiosk's issuing service on its database and configured gateway; closed after."""
    _setup_logging(config)
    db = open_kiosk_db(config)
    service: IssuingService | None = None
    try:
        service = service_for(config, db)
        yield service
    finally:
        db.close()
        _close(service)


def valid_invoice_number(ctx: Any, number: str, flag: str = "--invoice") -> str | None:
    """The number stripped, or None after a usage message."""
    number = number.strip()
    if not INVOICE_NO_RE.fullmatch(number):
        ctx.err(f"kiosk: {flag} must be a 20-digit invoice number")
        return None
    return number


def unreachable(ctx: Any, err: PlatformError) -> int | None:
    """Exit 3 for 'the platform cannot tell now'; None for any other error."""
    if isinstance(err, PlatformUnavailable | PlatformTimeout):
        ctx.err(f"kiosk: the platform cannot be asked now: {err.message_en}")
        return EXIT_PENDING
    return None


def lookup_cmd(args: argparse.Namespace, ctx: Any) -> int:
    if args.invoice is not None:
        query = valid_invoice_number(ctx, args.invoice)
        if query is None:
            return EXIT_USAGE
    else:
        query = args.order.strip()
        if not ORDER_NO_RE.fullmatch(query):
            ctx.err("kiosk: --order is not an order number")
            return EXIT_USAGE
    with issuing_service(ctx.config) as service:
        try:
            found = (service.corrections.lookup_invoice(query) if args.invoice is not None
                     else service.corrections.lookup_order(query))
        except PlatformError as err:
            code = unreachable(ctx, err)
            if code is None:
                raise CommandError(f"lookup failed: {err.message_en}") from None
            return code
    if args.json:
        ctx.out(json.dumps({"query": query, "invoices": [entry_dict(e) for e in found]},
                           ensure_ascii=False))
    else:
        for entry in found:
            print_entry(ctx, entry)
    if not found:
        what = "invoice" if args.invoice is not None else "invoice for order"
        ctx.err(f"kiosk: no {what} {query}")
        return 1
    return 0


def entry_dict(entry: LookupEntry) -> dict[str, Any]:
    """A lookup entry as JSON-ready data, with its lines numbered from 1."""
    data = entry.to_dict()
    data["lines"] = [{"line": i, "name": ln.name, "quantity": str(ln.quantity),
                      "amount": str(ln.amount), "tax": str(ln.tax),
                      "gross": str(ln.amount + ln.tax)}
                     for i, ln in enumerate(entry.invoice.lines, start=1)]
    return data


def print_entry(ctx: Any, entry: LookupEntry) -> None:
    inv = entry.invoice
    ctx.out(f"{inv.number}  {inv.colour.value:<4}  {entry.state.value:<15}  total {inv.total}"
            f"  orders {','.join(inv.order_nos)}  {inv.issued_at:%Y-%m-%d %H:%M}"
            f"{'  (platform only)' if entry.source == 'platform' else ''}")
    if inv.original_number:
        ctx.out(f"  corrects {inv.original_number} (form {inv.red_form_number})")
    for i, ln in enumerate(inv.lines, start=1):
        ctx.out(f"  line {i}: {ln.name}  quantity {ln.quantity}  gross {ln.amount + ln.tax}")
    for number in entry.red_numbers:
        ctx.out(f"  red invoice {number}")
    for form in entry.forms:
        ctx.out(f"  form {form.form_number}  status {form.status.value}"
                f"{'  red ' + form.red_invoice_number if form.red_invoice_number else ''}")


def reprint_cmd(args: argparse.Namespace, ctx: Any) -> int:
    number = valid_invoice_number(ctx, args.invoice)
    if number is None:
        return EXIT_USAGE
    config = ctx.config
    with issuing_service(config) as service:
        try:
            ops = service.corrections.reprint(number, paper_width_mm=config.devices.printer.paper_width_mm)
        except KeyError:
            ctx.err(f"kiosk: no invoice {number}")
            return 1
        except PlatformError as err:
            code = unreachable(ctx, err)
            if code is None:
                raise CommandError(f"reprint failed: {err.message_en}") from None
            return code
    try:
        write_atomic(args.receipt_out, printer_bytes(config, ops))
    except OSError as err:
        raise CommandError(f"the receipt was not written: {err}") from None
    ctx.out(f"receipt of {number} written to {args.receipt_out}")
    return 0
