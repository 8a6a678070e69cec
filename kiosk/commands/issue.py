"""``kiosk issue``: issue an invoice for stored orders, headless, through the configured platform.

    kiosk issue --order 2024060100017 --buyer-name 张三 --email a@b.cn --json
    kiosk issue --order A1 --order A2 --buyer-name 厦门示例贸易有限公司 \\
                --buyer-tax-id 91350200776049653A --kind special --receipt-out slip.bin

The buyer is a company when ``--buyer-tax-id`` is a credit code or an older
taxpayer ID, a person when there is no tax ID or it is an 18-digit resident ID
number. A credit code that fails its check digit is refused unless
``--confirm-tax-id`` says the buyer confirmed it (a few early codes are legal).

Output with ``--json``: ONE JSON object on stdout with ``status``,
``invoice_number``, ``net``, ``tax``, ``total`` (decimal strings), ``xml``,
``pdf``, ``ofd`` (file paths; the OFD is the kiosk's copy in GB/T 33190, marked
as one: ``kiosk.documents.ofd``), ``download_url``, ``request_id``,
``receipt`` and the messages; with a provider that delivers official files
(``backend = "nuonuo"``) also ``official``: the paths of the provider's
downloaded PDF, OFD and XML. Running it again for the same order(s) gives the same invoice: the
run that completes the issue reports ``issued``; every later run reports
``already_invoiced`` with the same ``invoice_number`` (an interrupted run is
finished by the next one: it asks the platform first, and re-sends under the
same request id only if the platform never saw it).

``--account USERNAME`` issues on behalf of a kiosk account: an enterprise
viewer (or a disabled or unknown account) is refused before anything is
recorded, exit 1, the line naming the role (:mod:`kiosk.accounts.members`).

Exit codes: 0 the invoice exists (issued / already_invoiced) with its documents
(with a provider that delivers official files: once they are downloaded); 1 refused
or failed, or issued but the official files are still pending, with ONE line on stderr; 2 usage or configuration error; 3 accepted
but not issued yet (queued while the platform is down, or outcome unknown):
the JSON says so and the kiosk finishes it later (``resolve_pending``).
Nothing is left half-written: documents and the receipt file are written to a
temp file and renamed.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import logging
from pathlib import Path
from typing import Any

from kiosk.accounts import PermissionDenied
from kiosk.cli import CommandError
from kiosk.commands.orders import open_kiosk_db
from kiosk.issuing import IssueOutcome, IssueStatus, IssuingService, describe, write_atomic
from kiosk.model import Buyer, BuyerType, InvoiceKind, InvoiceRequest, OrderLine
from kiosk.orders import ORDER_NO_RE, OrderStore

log = logging.getLogger("kiosk.issuing")

EXIT_PENDING = 3
DOCUMENTS_DIR = "documents"  # under the data folder (the same folder app.core uses)
MAX_ORDERS = 20


def register(sub: Any) -> None:
    p = sub.add_parser("issue", help="issue an e-invoice for stored orders (headless)")
    p.add_argument("--order", dest="orders", action="append", required=True, metavar="ORDER_NO",
                   help="an order number (repeat to merge orders into one invoice)")
    p.add_argument("--buyer-name", required=True, help="invoice title: a company name or a person")
    p.add_argument("--buyer-tax-id", default="", help="credit code / taxpayer ID, or a resident ID")
    p.add_argument("--confirm-tax-id", action="store_true",
                   help="the buyer confirmed a tax ID whose check digit fails")
    p.add_argument("--kind", choices=[k.value for k in InvoiceKind], default="normal")
    p.add_argument("--email", default="", help="also e-mail the PDF and XML to this address")
    p.add_argument("--receipt-out", type=Path, help="write the receipt's ESC/POS bytes here")
    p.add_argument("--account", metavar="USERNAME",
                   help="issue on behalf of this kiosk account (its role must allow issuing)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=issue_cmd)
    pend = sub.add_parser("pending", help="list unfinished issue requests; --resolve finishes them")
    pend.add_argument("--resolve", action="store_true",
                      help="query the platform for each, re-send only what it never saw")
    pend.add_argument("--json", action="store_true", help="one JSON object per request")
    pend.set_defaults(func=pending_cmd)


def service_for(config: Any, db: Any) -> IssuingService:
    """The issuing service as the composition root builds it (:func:`kiosk.services.build_services`)."""
    from kiosk.services import build_services

    return build_services(config, db).issuing


def build_buyer(name: str, tax_id: str, email: str, *, confirmed: bool) -> Buyer:
    """The buyer from the command line; raises CommandError with one clear line."""
    from kiosk.rules import Severity, TaxIdKind, classify_tax_id, is_valid_email, normalise_tax_id

    name = name.strip()
    if not name or any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in name):
        raise CommandError("--buyer-name must be a non-empty name without control characters")
    email = email.strip()
    if email and not is_valid_email(email):
        from kiosk.masking import mask_email  # the error line is logged and seen: no PII

        raise CommandError(f"--email {mask_email(email)!r} is not an e-mail address")
    tax_id = normalise_tax_id(tax_id) if tax_id.strip() else ""
    if not tax_id:
        return Buyer(BuyerType.PERSON, name, email=email)
    check = classify_tax_id(tax_id)
    if check.severity is Severity.ERROR:
        raise CommandError(f"--buyer-tax-id: {check.message_en}")
    if check.severity is Severity.WARNING and not confirmed:
        raise CommandError(f"--buyer-tax-id: {check.message_en} "
                           "(if the buyer confirms it, add --confirm-tax-id)")
    person = check.kind is TaxIdKind.RESIDENT_ID
    return Buyer(BuyerType.PERSON if person else BuyerType.COMPANY, name, tax_id=tax_id,
                 email=email, tax_id_confirmed=confirmed)


def build_request(config: Any, store: OrderStore, order_nos: list[str], buyer: Buyer,
                  kind: InvoiceKind) -> InvoiceRequest:
    from kiosk.rules import request_id_for, validate_request

    wanted = list(dict.fromkeys(o.strip() for o in order_nos))
    if len(wanted) > MAX_ORDERS:
        raise CommandError(f"at most {MAX_ORDERS} orders per invoice")
    lines: list[OrderLine] = []
    for order_no in wanted:
        if not ORDER_NO_RE.fullmatch(order_no):
            raise CommandError(f"--order {order_no!r} is not an order number")
        order = store.get(order_no)
        if order is None:
            raise CommandError(f"no order {order_no} in the database (import it with "
                               "'kiosk orders import')")
        lines.extend(order.lines)
    request = InvoiceRequest(
        request_id=request_id_for(wanted, config.seller.tax_id), order_nos=tuple(wanted),
        buyer=buyer, kind=kind, lines=tuple(lines), drawer=config.seller.drawer,
        remark="订单号 " + "、".join(wanted),
    )
    errors = validate_request(request)
    if errors:
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        raise CommandError(f"{errors[0].field}: {errors[0].message_en}{more}")
    return request


def receipt_bytes(config: Any, outcome: IssueOutcome) -> bytes:
    """The courtesy receipt (A's layout) as ESC/POS bytes for the configured printer."""
    from kiosk.documents.receipt import receipt_ops

    invoice = outcome.invoice
    assert invoice is not None
    ops = receipt_ops(invoice, paper_width_mm=config.devices.printer.paper_width_mm,
                      fetch_url=invoice.download_url)
    return printer_bytes(config, ops)


def printer_bytes(config: Any, ops: Any) -> bytes:
    """Receipt ops as ESC/POS bytes with the configured printer's encoding, paper and QR mode
    (shared by ``kiosk issue``, ``kiosk red issue`` and ``kiosk reprint``)."""
    from drivers.printer.escpos_render import EscPosRenderer
    from kiosk.overrides import effective_config

    printer = effective_config(config).devices.printer  # the encoding a technician calibrated
    return EscPosRenderer(encoding=printer.encoding, paper_width_mm=printer.paper_width_mm,
                          qr_mode=printer.qr_mode).render(ops)


def _setup_logging(config: Any) -> None:
    try:
        from kiosk.logs import setup_logging

        setup_logging(config.data_path, level=config.logging.level,
                      max_bytes=config.logging.max_bytes, backups=config.logging.backups,
                      stderr=False)  # stderr carries only the one-line result
    except OSError:
        pass  # an unwritable log folder must not stop issuing


def _official_files(service: IssuingService, outcome: IssueOutcome) -> dict[str, Any]:
    """``{"official": {"pdf", "ofd", "xml"}}``: the provider's own files, where the gateway
    keeps them (Nuonuo); nothing for a gateway without official files. Not downloadable
    yet: CommandError (exit 1): the invoice stands, and the same command run again
    fetches them (it reports ``already_invoiced`` with the files, exit 0)."""
    official = getattr(service.gateway, "official_files", None)
    if not callable(official) or outcome.invoice is None:
        return {}
    number = outcome.invoice.number
    try:
        files = official(number)
    except Exception as err:  # the invoice stands; the files come later
        log.warning("official documents not downloaded yet", extra={
            "event": "issuing.official_pending", "number": number, "error": str(err)})
        raise CommandError(f"invoice {number} is issued, but the platform's official "
                           "PDF/OFD/XML are not downloaded yet; run the same command again "
                           "to fetch them") from None
    return {"official": {kind: str(path) for kind, path in files.items()}}


def issue_cmd(args: argparse.Namespace, ctx: Any) -> int:
    config = ctx.config
    _setup_logging(config)
    buyer = build_buyer(args.buyer_name, args.buyer_tax_id, args.email,
                        confirmed=args.confirm_tax_id)
    db = open_kiosk_db(config)
    service: IssuingService | None = None
    try:
        request = build_request(config, OrderStore(db), args.orders, buyer,
                                InvoiceKind(args.kind))
        service = service_for(config, db)
        try:
            outcome = service.issue(request, account=args.account)
        except PermissionDenied as err:
            raise CommandError(f"not issued: {err.message_en}") from None
        result = describe(outcome)
        code = _exit_code(outcome)
        if code == 0 and outcome.invoice and not (outcome.xml_path and outcome.pdf_path):
            with service.recorder.busy:  # an earlier run could not fetch them: try now
                xml, pdf = service.recorder.finish(outcome.invoice)
            outcome = dataclasses.replace(outcome, xml_path=xml, pdf_path=pdf)
            result = describe(outcome)
        if code == 0:
            result.update(_official_files(service, outcome))
        if code == 0 and not (outcome.xml_path and outcome.pdf_path):
            raise CommandError(f"invoice {result['invoice_number']} is issued, but the "
                               "platform's XML/PDF are not in "
                               f"{service.documents_dir} yet (see the log); the kiosk fetches "
                               "them at its next start (never a copy of its own)")
        if code == 0:
            result["ofd"] = ofd_beside(outcome)
        if code == 0 and args.receipt_out is not None:
            try:
                write_atomic(args.receipt_out, receipt_bytes(config, outcome))
            except Exception as err:  # the invoice stands; say exactly what did not happen
                raise CommandError(f"invoice {result['invoice_number']} is issued, but the "
                                   f"receipt was not written: {err}") from None
            result["receipt"] = str(args.receipt_out)
        if code == 0 and service.mailer is not None:
            try:
                service.mailer.drain()  # a failure stays queued for the kiosk to retry
            except Exception:
                log.exception("mail drain failed", extra={"event": "mail.drain_failed"})
    finally:
        db.close()
        _close(service)
    if args.json:
        ctx.out(json.dumps(result, ensure_ascii=False))
    else:
        _print_human(ctx, result)
    if code == 1:
        first = outcome.errors[0] if outcome.errors else None
        why = f"{first.field + ': ' if first and first.field else ''}" \
              f"{first.message_en if first else outcome.message_en}"
        ctx.err(f"kiosk: not issued ({outcome.status.value}): {why}")
    elif code == EXIT_PENDING:
        ctx.err(f"kiosk: not issued yet ({outcome.status.value}): {outcome.message_en}")
    return code


def pending_cmd(args: argparse.Namespace, ctx: Any) -> int:
    """``kiosk pending [--resolve]``: what the outbox still holds (exit 3 if anything)."""
    config = ctx.config
    _setup_logging(config)
    db = open_kiosk_db(config)
    service: IssuingService | None = None
    try:
        service = service_for(config, db)
        if args.resolve:
            for outcome in service.resolve_pending(force=True):
                ctx.out(json.dumps(describe(outcome), ensure_ascii=False) if args.json else
                        f"{outcome.request_id}: {outcome.status.value} "
                        f"{outcome.invoice.number if outcome.invoice else ''}".rstrip())
            if service.mailer is not None:
                service.mailer.drain()
        left = service.pending()
        for entry in left:
            row = {"request_id": entry.request_id, "orders": list(entry.order_nos),
                   "status": entry.status.value, "attempts": entry.attempts,
                   "total": entry.total, "last_error": entry.last_error,
                   "next_attempt_at": entry.next_attempt_at.isoformat()}
            ctx.out(json.dumps(row, ensure_ascii=False) if args.json else
                    f"{entry.request_id}  {entry.status.value:<8} orders {','.join(entry.order_nos)}"
                    f"  total {entry.total}  attempts {entry.attempts}  {entry.last_error}")
        reds = service.corrections.pending_red()  # red-letter invoices (kiosk red issue) not finished
        for red in reds:
            row = {"request_id": red.request_id, "form_number": red.form_number,
                   "original_number": red.original_number, "status": red.status.value,
                   "attempts": red.attempts, "last_error": red.last_error}
            ctx.out(json.dumps(row, ensure_ascii=False) if args.json else
                    f"{red.request_id}  {red.status.value:<8} red for form {red.form_number}"
                    f"  attempts {red.attempts}  {red.last_error}")
        if not left and not reds and not args.json:
            ctx.out("nothing pending")
    finally:
        db.close()
        _close(service)
    return EXIT_PENDING if left or reds else 0


def ofd_beside(outcome: IssueOutcome) -> str | None:
    """Write the invoice's OFD copy beside its XML (once); its path, or None after a log line.

    Rendered here, on demand, rather than in the issuing path: embedding the
    font subset costs about a second and a half of CPU per invoice.
    """
    if outcome.invoice is None or outcome.xml_path is None:
        return None
    path = outcome.xml_path.with_suffix(".ofd")
    if not path.is_file():
        try:
            from kiosk.documents.ofd import invoice_to_ofd

            write_atomic(path, invoice_to_ofd(outcome.invoice))
        except Exception:  # the invoice and its XML/PDF stand; the OFD is a convenience copy
            log.exception("could not write the OFD copy", extra={
                "event": "issuing.ofd_unwritten", "number": outcome.invoice.number})
            return None
    return str(path)


def _exit_code(outcome: IssueOutcome) -> int:
    if outcome.status in (IssueStatus.ISSUED, IssueStatus.ALREADY_INVOICED) and outcome.invoice:
        return 0
    if outcome.status in (IssueStatus.QUEUED, IssueStatus.UNKNOWN):
        return EXIT_PENDING
    return 1


def _close(service: IssuingService | None) -> None:
    close = getattr(getattr(service, "gateway", None), "close", None)
    if callable(close):
        close()


def _print_human(ctx: Any, result: dict[str, Any]) -> None:
    ctx.out(f"{result['status']}: {result['message_zh']}")
    if result["invoice_number"]:
        ctx.out(f"  number {result['invoice_number']}  net {result['net']}  tax {result['tax']}"
                f"  total {result['total']}")
        for key in ("xml", "pdf", "ofd", "receipt", "download_url"):
            if result.get(key):
                ctx.out(f"  {key}: {result[key]}")
