"""The personal centre as one object the session's port is: scopes, the list, one
invoice, its PDF as an image, the change flows, and forgetting a person.

Every read and every action takes the caller's :class:`~kiosk.centre.scope.InvoiceScope`
and checks the invoice against it here, in the core, so a page can never show or act
on an invoice its person may not see.
"""

from __future__ import annotations

import datetime as dt
import logging
import shutil
import subprocess
from collections.abc import Callable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.centre.changes import Change, ChangeError, ChangeService, ChangeWhat, change_from_row
from kiosk.centre.requests import MyRequest, my_requests
from kiosk.centre.scope import InvoiceScope, Membership, scope_for
from kiosk.centre.store import CentreEntry, CentrePage, CentreStore
from kiosk.model import Buyer, Invoice

if TYPE_CHECKING:
    from kiosk.accounts import AccountStore
    from kiosk.flow.states import Identity

log = logging.getLogger("kiosk.centre")

PDF_DPI = 72  # about 600 px across an A5-landscape invoice: readable on the kiosk's screen


class NotYours(ChangeError):
    """The invoice is not in the caller's scope."""

    def __init__(self) -> None:
        super().__init__("centre.not_yours")


def render_pdf_page(pdf: Path, *, dpi: int = PDF_DPI) -> bytes:
    """The first page of ``pdf`` as PNG bytes, drawn by poppler's ``pdftoppm`` (a
    maintained renderer already on the kiosk image; no Python PDF renderer is a
    dependency). Raises OSError when it cannot be drawn."""
    tool = shutil.which("pdftoppm")
    if tool is None:
        raise OSError("pdftoppm (poppler-utils) is not installed")
    done = subprocess.run([tool, "-png", "-singlefile", "-f", "1", "-l", "1", "-r", str(dpi),
                           str(pdf)], capture_output=True, timeout=30, check=False)
    if done.returncode != 0 or not done.stdout.startswith(b"\x89PNG"):
        raise OSError(f"pdftoppm failed ({done.returncode}): {done.stderr[:200]!r}")
    return done.stdout


class Centre:
    """The personal centre's core (Qt-free; blocking calls run on the session's runner)."""

    def __init__(self, store: CentreStore, changes: ChangeService, *,
                 accounts: AccountStore | None = None, membership: Membership | None = None,
                 clock: Callable[[], dt.datetime] | None = None) -> None:
        self.store = store
        self.changes = changes
        self.accounts = accounts
        self.membership = membership
        self.clock = clock or (lambda: dt.datetime.now(dt.UTC))

    # --- who sees what -----------------------------------------------------------------
    def scope(self, identity: Identity | None, order_nos: Sequence[str] = ()) -> InvoiceScope:
        key = self.accounts.identity_key if self.accounts is not None else None
        return scope_for(identity, order_nos, identity_key=key, membership=self.membership)

    def claim(self, scope: InvoiceScope, order_nos: Sequence[str]) -> None:
        """The scope's owners asked invoices for ``order_nos`` (before the request is sent)."""
        self.store.claim(scope.claim_keys, tuple(order_nos), self.clock())

    # --- reading -------------------------------------------------------------------------
    def page(self, scope: InvoiceScope, query: str = "", page: int = 0) -> CentrePage:
        return self.store.page(scope, query, page)

    def entry(self, scope: InvoiceScope, number: str) -> CentreEntry | None:
        return self.store.entry(scope, number)

    def invoice(self, scope: InvoiceScope, number: str) -> Invoice:
        """An invoice of the scope (for reprint and mail); raises :class:`NotYours`."""
        entry = self.entry(scope, number)
        if entry is None:
            raise NotYours()
        return entry.invoice

    def pdf_image(self, scope: InvoiceScope, number: str) -> bytes:
        """The invoice's PDF, first page, as PNG bytes (blocking)."""
        entry = self.entry(scope, number)
        if entry is None:
            raise NotYours()
        if not entry.pdf_path or not Path(entry.pdf_path).is_file():
            raise OSError(f"no PDF for {number} yet")
        return render_pdf_page(Path(entry.pdf_path))

    def open_changes(self, scope: InvoiceScope) -> list[Change]:
        return [change_from_row(r) for r in self.store.change_rows(scope)]

    def requests(self, scope: InvoiceScope) -> list[MyRequest]:
        """"My requests": every change and paper invoice request, newest first."""
        return my_requests(self.store, scope)

    def change(self, scope: InvoiceScope, reference: str) -> Change | None:
        found = self.changes.get(reference)
        if found is None or not self.store.allows(scope, found.original_number):
            return None
        return found

    # --- acting --------------------------------------------------------------------------
    def start_change(self, scope: InvoiceScope, number: str, what: ChangeWhat | str, *,
                     credits: dict[int, Decimal] | None = None,
                     new_buyer: Buyer | None = None) -> Change:
        if not scope.may_change or not self.store.allows(scope, number):
            raise NotYours()
        return self.changes.start(number, what, credits=credits, new_buyer=new_buyer,
                                  owners=scope.owners)

    def advance(self, scope: InvoiceScope, reference: str) -> Change:
        """Move a change on (blocking: the platform is asked)."""
        if self.change(scope, reference) is None:
            raise NotYours()
        change = self.changes.advance(reference)
        if change.blue_number and scope.owners:  # the corrected invoice is theirs too
            stored = self.changes.issuing.outbox.invoice(change.blue_number)
            if stored is not None:
                self.claim(scope, stored.invoice.order_nos)
        return change

    def forget(self, identity: Identity) -> dict[str, int]:
        """Delete the person's account (if any) and remembered titles; their invoices stay
        on record (the legal period), detached from them."""
        from kiosk.flow.states import IdMethod

        scope = self.scope(identity)
        done = {"titles": 0, "claims": 0, "account": 0}
        accounts = self.accounts
        if accounts is not None:
            if identity.method is IdMethod.ACCOUNT and identity.account is not None:
                done["titles"] = accounts.forget_titles(identity.account.id)
                done["account"] = int(accounts.delete_account(identity.account.id))
            elif identity.method is IdMethod.IDCARD and identity.id_number:
                done["titles"] = accounts.forget_identity_titles(identity.id_number)
        for owner in scope.owners[:1]:  # the person's own key, never an enterprise's
            done["claims"] = self.store.detach(owner)
        log.info("person forgotten", extra={"event": "centre.forgotten", **done})
        return done
