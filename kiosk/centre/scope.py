"""Who sees which invoices: an :class:`InvoiceScope` built from the session's identity.

Invoices are linked to people through the orders they claimed when they asked for
the invoice (``centre_claims``: owner key -> order number): every invoice naming
such an order is theirs, blue, red and the corrected blue alike. Owner keys:

- ``account:<id>`` for an account login;
- ``identity:<salted hash of the ID number>`` for an ID-card identity (the same
  key the remembered titles use; the raw number is never stored);
- ``enterprise:<id>`` for the invoices of an enterprise, seen by its members as
  their role allows (wired in :func:`scope_for` once roles exist).

A person identified by nothing sees only the invoices of the receipt just scanned
(``order_nos``). Building a scope is the ONE place visibility is decided.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kiosk.accounts import Action

if TYPE_CHECKING:
    from kiosk.accounts import AccountsService
    from kiosk.flow.states import Identity


@dataclass(frozen=True)
class InvoiceScope:
    """The invoices one person may see: those of ``owners``' claimed orders, plus those of
    ``order_nos`` (the receipt just scanned). ``may_change``: may ask for corrections."""

    owners: tuple[str, ...] = ()
    order_nos: tuple[str, ...] = ()
    may_change: bool = True

    @property
    def empty(self) -> bool:
        return not self.owners and not self.order_nos

    @property
    def claim_keys(self) -> tuple[str, ...]:
        """The keys a new request is claimed under (the first owner is the person)."""
        return self.owners


def account_key(account_id: int) -> str:
    return f"account:{account_id}"


def identity_owner(key: str) -> str:
    return f"identity:{key}"


def enterprise_key(enterprise_id: int) -> str:
    return f"enterprise:{enterprise_id}"


# (account id) -> (enterprise id, may see the enterprise's invoices) or None.
Membership = Callable[[int], "tuple[int, bool] | None"]


def enterprise_membership(accounts: AccountsService) -> Membership:
    """The scope's membership rule from the accounts' roles (issue 12 item 4): an account
    that is an active member of an enterprise (an enterprise account is its own
    administrator) sees the enterprise's invoices when its role may."""

    def member(account_id: int) -> tuple[int, bool] | None:
        account = accounts.store.get(account_id)
        if account is None:
            return None
        found = accounts.membership(account.username)
        if found is None or not found.active:
            return None
        enterprise = accounts.store.find(found.enterprise)
        if enterprise is None:
            return None
        return enterprise.id, accounts.allowed(account.username,
                                               Action.VIEW_ENTERPRISE_INVOICES)

    return member


def scope_for(identity: Identity | None, order_nos: Sequence[str] = (), *,
              identity_key: Callable[[str], str] | None = None,
              membership: Membership | None = None) -> InvoiceScope:
    """The scope of a session: its identity (account, ID card) or, for nobody, the scanned
    receipt. ``identity_key`` salts and hashes an ID number; ``membership`` gives an
    account's enterprise and whether its role may see the enterprise's invoices."""
    from kiosk.flow.states import IdMethod

    scanned = tuple(order_nos)
    if identity is None:
        return InvoiceScope(order_nos=scanned, may_change=bool(scanned))
    owners: list[str] = []
    if identity.method is IdMethod.ACCOUNT and identity.account is not None:
        owners.append(account_key(identity.account.id))
        member = membership(identity.account.id) if membership is not None else None
        if member is not None and member[1]:
            owners.append(enterprise_key(member[0]))
    elif identity.method is IdMethod.IDCARD and identity.id_number and identity_key is not None:
        owners.append(identity_owner(identity_key(identity.id_number)))
    return InvoiceScope(owners=tuple(owners), order_nos=scanned)
