"""``kiosk invoices``: the invoices an account may see, exactly as its personal centre lists them.

    kiosk invoices --account demo --json
    kiosk invoices --account demo --search 56.00

Visibility is decided in one place (:func:`kiosk.centre.scope.scope_for`): an account
sees the invoices of the orders it asked invoices for, and an enterprise member the
enterprise's as their role allows. Newest first; red invoices name the blue one they
credit. ``--json`` prints ONE object: ``{"account", "invoices": [...]}``.

Exit codes: 0 listed (possibly none); 1 no such account; 2 usage.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from kiosk.accounts import AccountsService
from kiosk.centre.scope import enterprise_membership, scope_for
from kiosk.centre.store import CentreEntry, CentreStore
from kiosk.cli import CommandError
from kiosk.commands.orders import open_kiosk_db
from kiosk.flow.states import Identity, IdMethod

BATCH = 500


def register(sub: Any) -> None:
    parser = sub.add_parser("invoices", help="the invoices an account may see")
    parser.add_argument("--account", metavar="USERNAME", required=True)
    parser.add_argument("--search", metavar="TEXT", default="",
                        help="invoice number, order number, date (YYYY-MM-DD) or amount")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.set_defaults(func=invoices_cmd)


def entry_dict(entry: CentreEntry) -> dict[str, Any]:
    inv = entry.invoice
    return {
        "invoice_number": inv.number, "colour": inv.colour.value, "state": entry.state,
        "kind": inv.kind.value, "medium": inv.medium.value,
        "issued_at": inv.issued_at.isoformat(), "orders": list(inv.order_nos),
        "buyer": inv.buyer.name, "total": str(inv.total),
        "original_number": inv.original_number or None,
        "red_invoices": list(entry.red_numbers),
        "paper_delivery": entry.paper_delivery or None,
    }


def invoices_cmd(args: argparse.Namespace, ctx: Any) -> int:
    db = open_kiosk_db(ctx.config)
    try:
        service = AccountsService(db)
        accounts = service.store
        account = accounts.find(args.account)
        if account is None:
            raise CommandError(f"no account {args.account!r}")
        identity = Identity(IdMethod.ACCOUNT, account.display_name, account=account)
        scope = scope_for(identity, identity_key=accounts.identity_key,
                          membership=enterprise_membership(service))
        store = CentreStore(db)  # type: ignore[arg-type]
        entries: list[CentreEntry] = []
        page = 0
        while True:
            found = store.page(scope, args.search, page, BATCH)
            entries += found.entries
            if not found.has_more:
                break
            page += 1
    finally:
        db.close()
    if args.json:
        ctx.out(json.dumps({"account": account.username,
                            "invoices": [entry_dict(e) for e in entries]}, ensure_ascii=False))
        return 0
    if not entries:
        ctx.out(f"no invoices for {account.username}")
    for e in entries:
        inv = e.invoice
        extra = (f"  credits {inv.original_number}" if inv.original_number
                 else f"  red: {', '.join(e.red_numbers)}" if e.red_numbers else "")
        ctx.out(f"{inv.number}  {inv.issued_at.date().isoformat()}  {inv.total:>10}  "
                f"{e.state}{extra}")
    return 0
