"""``kiosk red``: red-letter corrections (红冲) from the command line.

    kiosk red file --invoice 26112000000000000001 --reason 01           # full credit
    kiosk red file --invoice 26112000000000000001 --reason 02 --line 2:113.00
    kiosk red status 11010826090000000001 --json
    kiosk red confirm 11010826090000000001      # sandbox demo: acts as the buyer
    kiosk red issue 11010826090000000001 --json --receipt-out red.bin

``file`` files the seller's confirmation form (红字确认单). Reasons, two digits:
01 issued in error, 02 goods returned, 03 service stopped, 04 sales allowance
(1-4 are accepted as the same). A form number is the seller's county code,
YYMM and 10 digits. A status outside 01-09 (providers report 10-13) is shown
with its code and counts as void (``"void": true``). Without
``--line`` the whole remaining amount is credited; each ``--line INDEX:AMOUNT``
credits AMOUNT (price-inclusive, as on the receipt) of line INDEX, numbered
from 1 as ``kiosk lookup`` lists them. A form for a person needs no
confirmation (status 01); a company's waits for the buyer (02) until it is
confirmed (04). ``issue`` issues the red invoice of a form in 01 or 04 exactly
once (an interrupted run is finished by the next, which asks the platform
first); after a FULL credit the order can be invoiced again with ``kiosk issue``.

``--json`` prints ONE object: the form (``form_number``, ``status``,
``original_number``, ``reason``, ``lines``, ``total``), or for ``issue`` the
same object as ``kiosk issue --json``.

Exit codes as ``kiosk issue``: 0 done; 1 refused (the message says why); 2
usage or configuration error; 3 not done yet (platform unreachable, or the
outcome is unknown: run the same command again later, or ``kiosk pending --resolve``).
"""

from __future__ import annotations

import argparse
import json
import re
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from kiosk.cli import EXIT_USAGE, CommandError
from kiosk.commands.issue import EXIT_PENDING, _exit_code, printer_bytes
from kiosk.commands.lookup import issuing_service, unreachable, valid_invoice_number
from kiosk.corrections import partial_lines
from kiosk.issuing import describe, write_atomic
from kiosk.model import Colour, RedLetterForm, RedReason
from kiosk.platform.gateway import PlatformError, PlatformRejected

FORM_NO_RE = re.compile(r"^[0-9A-Za-z]{20}$")
LINE_RE = re.compile(r"^(\d{1,3}):(\d{1,12}(?:\.\d{1,2})?)$")


def register(sub: Any) -> None:
    parser = sub.add_parser("red", help="red-letter corrections: file, status, confirm, issue")
    rsub = parser.add_subparsers(dest="red_command", metavar="ACTION", required=True)
    file_ = rsub.add_parser("file", help="file the seller's red-letter confirmation form")
    file_.add_argument("--invoice", metavar="N", required=True, help="the blue invoice number")
    file_.add_argument("--reason", required=True, metavar="01-04",
                       choices=[r.value for r in RedReason] + [r.value[1] for r in RedReason],
                       help="01 issued in error, 02 goods returned, 03 service stopped, "
                            "04 sales allowance (1-4 are accepted too)")
    file_.add_argument("--line", dest="lines", action="append", metavar="INDEX:AMOUNT",
                       help="credit AMOUNT (price-inclusive) of line INDEX (from 1); repeat. "
                            "Without --line: the full remaining amount")
    file_.add_argument("--json", action="store_true", help="print one JSON object")
    file_.set_defaults(func=file_cmd)
    status = rsub.add_parser("status", help="a form's current status at the platform")
    status.add_argument("form", metavar="FORM", help="the 20-character form number")
    status.add_argument("--json", action="store_true", help="print one JSON object")
    status.set_defaults(func=status_cmd)
    confirm = rsub.add_parser("confirm", help="confirm a form as the buyer (sandbox demo)")
    confirm.add_argument("form", metavar="FORM", help="the 20-character form number")
    confirm.add_argument("--json", action="store_true", help="print one JSON object")
    confirm.set_defaults(func=confirm_cmd)
    issue = rsub.add_parser("issue", help="issue the red invoice of a form in status 01 or 04")
    issue.add_argument("form", metavar="FORM", help="the 20-character form number")
    issue.add_argument("--json", action="store_true", help="print one JSON object")
    issue.add_argument("--receipt-out", metavar="FILE", type=Path,
                       help="write the red invoice's receipt (ESC/POS bytes) here")
    issue.set_defaults(func=issue_cmd)


def form_dict(form: RedLetterForm) -> dict[str, Any]:
    return {
        "form_number": form.form_number, "status": form.status.value,
        "void": form.status.is_void, "allows_red_invoice": form.status.allows_red_invoice,
        "original_number": form.original_number, "reason": form.reason.value,
        "filed_by": form.filed_by, "filed_at": form.filed_at.isoformat(),
        "lines": [{"name": ln.name, "quantity": str(ln.quantity), "amount": str(ln.amount),
                   "tax": str(ln.tax)} for ln in form.lines],
        "total": str(sum((ln.amount + ln.tax for ln in form.lines), Decimal("0.00"))),
        "red_invoice_number": form.red_invoice_number or None,
    }


def _show(ctx: Any, form: RedLetterForm, as_json: bool) -> None:
    data = form_dict(form)
    if as_json:
        ctx.out(json.dumps(data, ensure_ascii=False))
        return
    void = " (void)" if form.status.is_void else ""
    ctx.out(f"form {form.form_number}  status {form.status.value}{void}  original "
            f"{form.original_number}  reason {form.reason.value}  total {data['total']}")
    if form.red_invoice_number:
        ctx.out(f"  red invoice {form.red_invoice_number}")
    elif form.status.allows_red_invoice:
        ctx.out(f"  ready: kiosk red issue {form.form_number}")


def _refused(ctx: Any, err: PlatformError, what: str) -> int:
    code = unreachable(ctx, err)
    if code is not None:
        return code
    if isinstance(err, PlatformRejected) and err.errors:
        first = err.errors[0]
        more = f" (and {len(err.errors) - 1} more)" if len(err.errors) > 1 else ""
        raise CommandError(f"{what}: {first.field + ': ' if first.field else ''}"
                           f"{first.message_en or first.code}{more}") from None
    raise CommandError(f"{what}: {err.message_en}") from None


def _credits(ctx: Any, specs: list[str]) -> dict[int, Decimal] | None:
    """``INDEX:AMOUNT`` (INDEX from 1) -> {0-based index: amount}, or None after a message."""
    out: dict[int, Decimal] = {}
    for spec in specs:
        m = LINE_RE.fullmatch(spec.strip())
        if m is None or int(m.group(1)) < 1:
            ctx.err(f"kiosk: --line {spec!r} must be INDEX:AMOUNT, e.g. 2:113.00 (lines from 1)")
            return None
        index = int(m.group(1)) - 1
        if index in out:
            ctx.err(f"kiosk: --line {m.group(1)} is given twice")
            return None
        try:
            out[index] = Decimal(m.group(2))
        except InvalidOperation:  # the pattern admits only plain decimals; kept for safety
            ctx.err(f"kiosk: --line {spec!r}: not an amount")
            return None
    return out


def file_cmd(args: argparse.Namespace, ctx: Any) -> int:
    number = valid_invoice_number(ctx, args.invoice)
    if number is None:
        return EXIT_USAGE
    credits = _credits(ctx, args.lines) if args.lines else {}
    if credits is None:
        return EXIT_USAGE
    with issuing_service(ctx.config) as service:
        try:
            found = service.corrections.lookup_invoice(number)
            if not found:
                raise CommandError(f"no invoice {number}")
            original = found[0].invoice
            if original.colour is not Colour.BLUE:
                raise CommandError(f"{number} is a red invoice; only a blue one can be credited")
            try:
                lines = partial_lines(original, credits) if credits else None
            except ValueError as err:
                raise CommandError(f"--line: {err}") from None
            form = service.corrections.file_red_form(number, RedReason(args.reason), lines)
        except PlatformError as err:
            return _refused(ctx, err, "form not filed")
    _show(ctx, form, args.json)
    return 0


def _form_number(ctx: Any, text: str) -> str | None:
    text = text.strip()
    if not FORM_NO_RE.fullmatch(text):
        ctx.err("kiosk: FORM must be a 20-character form number")
        return None
    return text


def _form_action(args: argparse.Namespace, ctx: Any, action: str, refusal: str) -> int:
    """Run one service call on a form (``red_form_status``, ``confirm_red_form``), show it."""
    number = _form_number(ctx, args.form)
    if number is None:
        return EXIT_USAGE
    with issuing_service(ctx.config) as service:
        try:
            form = getattr(service.corrections, action)(number)
        except PlatformError as err:
            return _refused(ctx, err, refusal)
    _show(ctx, form, args.json)
    return 0


def status_cmd(args: argparse.Namespace, ctx: Any) -> int:
    return _form_action(args, ctx, "red_form_status", "no status")


def confirm_cmd(args: argparse.Namespace, ctx: Any) -> int:
    return _form_action(args, ctx, "confirm_red_form", "not confirmed")


def issue_cmd(args: argparse.Namespace, ctx: Any) -> int:
    number = _form_number(ctx, args.form)
    if number is None:
        return EXIT_USAGE
    config = ctx.config
    with issuing_service(config) as service:
        outcome = service.corrections.issue_red(number)
        result = describe(outcome)
        code = _exit_code(outcome)
        if code == 0 and not (outcome.xml_path and outcome.pdf_path):
            raise CommandError(f"red invoice {result['invoice_number']} is issued, but its XML/PDF "
                               f"could not be written to {service.documents_dir} (see the log); "
                               "the kiosk writes them at its next start")
        if code == 0 and args.receipt_out is not None:
            assert outcome.invoice is not None
            try:
                ops = service.corrections.reprint(outcome.invoice.number,
                                      paper_width_mm=config.devices.printer.paper_width_mm)
                write_atomic(args.receipt_out, printer_bytes(config, ops))
            except Exception as err:  # the invoice stands; say exactly what did not happen
                raise CommandError(f"red invoice {result['invoice_number']} is issued, but the "
                                   f"receipt was not written: {err}") from None
            result["receipt"] = str(args.receipt_out)
    if args.json:
        ctx.out(json.dumps(result, ensure_ascii=False))
    else:
        ctx.out(f"{result['status']}: {result['message_zh']}")
        if result["invoice_number"]:
            ctx.out(f"  number {result['invoice_number']}  total {result['total']}")
            for key in ("xml", "pdf", "receipt"):
                if result.get(key):
                    ctx.out(f"  {key}: {result[key]}")
    if code == 1:
        first = outcome.errors[0] if outcome.errors else None
        ctx.err(f"kiosk: no red invoice ({outcome.status.value}): "
                f"{first.message_en if first else outcome.message_en}")
    elif code == EXIT_PENDING:
        ctx.err(f"kiosk: not issued yet ({outcome.status.value}): {outcome.message_en}")
    return code
