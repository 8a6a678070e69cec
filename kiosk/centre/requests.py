""""My requests" in the personal centre: every change request and every paper invoice
request of a scope, newest first, each with its state as one of four plain states.

A change request is a row of ``centre_changes`` (:mod:`kiosk.centre.changes`); a paper
invoice request (issue 12 item 7: by post or to collect at the counter) is a row of the
outbox's ``issue_requests`` whose request asked for paper, found through the scope's
claimed orders (or the receipt just scanned) exactly as its invoices are.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from kiosk.centre.changes import Change, ChangeState, change_from_row
from kiosk.centre.scope import InvoiceScope
from kiosk.centre.store import CentreStore
from kiosk.model import Medium, RequestStatus
from kiosk.storage import Database

LIMIT = 20  # the newest requests shown; older ones are found through their invoices


class RequestState(StrEnum):
    OPEN = "open"  # being worked on at the kiosk or the platform
    WAITING = "waiting"  # waiting for the other party (a red-letter form to confirm)
    DONE = "done"
    FAILED = "failed"


CHANGE_STATES: dict[ChangeState, RequestState] = {
    ChangeState.FILING: RequestState.OPEN, ChangeState.READY: RequestState.OPEN,
    ChangeState.RED_ISSUED: RequestState.OPEN, ChangeState.WAITING: RequestState.WAITING,
    ChangeState.DONE: RequestState.DONE, ChangeState.REFUSED: RequestState.FAILED,
}
PAPER_STATES: dict[RequestStatus, RequestState] = {
    RequestStatus.PENDING: RequestState.OPEN, RequestStatus.SENT: RequestState.OPEN,
    RequestStatus.UNKNOWN: RequestState.OPEN, RequestStatus.ISSUED: RequestState.DONE,
    RequestStatus.REJECTED: RequestState.FAILED,
}


@dataclass(frozen=True)
class PaperRequest:
    """A request for a paper invoice: where it goes and what became of it."""

    request_id: str
    status: RequestStatus
    delivery: str  # "counter" or the mailing address
    invoice_number: str = ""  # once issued
    total: str = ""


@dataclass(frozen=True)
class MyRequest:
    """One of the person's requests: a change of an invoice, or a paper invoice."""

    kind: str  # change | paper
    reference: str  # the change's reference, or the request id
    state: RequestState
    created_at: str
    change: Change | None = None
    paper: PaperRequest | None = None

    @property
    def resumable(self) -> bool:
        """A change not finished: "continue" takes the person back to it."""
        return self.change is not None and self.state in (RequestState.OPEN,
                                                           RequestState.WAITING)


def _owned_orders(scope: InvoiceScope) -> tuple[str, list[Any]]:
    """SQL for the order numbers of the scope (claimed by its owners, or just scanned)."""
    parts, args = [], []
    if scope.owners:
        marks = ",".join("?" for _ in scope.owners)
        parts.append(f"SELECT order_no FROM centre_claims WHERE owner IN ({marks})")
        args += list(scope.owners)
    if scope.order_nos:
        marks = ",".join("?" for _ in scope.order_nos)
        parts.append(f"SELECT value FROM json_each(json_array({marks}))")
        args += list(scope.order_nos)
    return " UNION ".join(parts), args


def paper_requests(db: Database, scope: InvoiceScope,
                   limit: int = LIMIT) -> list[tuple[str, PaperRequest]]:
    """The scope's paper invoice requests, newest first, as (created_at, request)."""
    if scope.empty:
        return []
    orders, args = _owned_orders(scope)
    rows = db.execute(
        "SELECT r.request_id, r.request, r.status, r.invoice_number, r.total, r.created_at"
        " FROM issue_requests r WHERE json_extract(r.request, '$.medium') = ?"
        " AND r.request_id IN (SELECT request_id FROM issue_request_orders"
        f" WHERE order_no IN ({orders})) ORDER BY r.created_at DESC LIMIT ?",
        [Medium.PAPER.value, *args, limit]).fetchall()
    found = []
    for request_id, data, status, number, total, created in rows:
        delivery = str(json.loads(data).get("paper_delivery") or "").strip() or "counter"
        found.append((created, PaperRequest(request_id, RequestStatus(status), delivery,
                                            number, total)))
    return found


def my_requests(store: CentreStore, scope: InvoiceScope, limit: int = LIMIT) -> list[MyRequest]:
    """Every change and paper request of the scope (open, waiting, done, failed),
    newest first, at most ``limit``."""
    if scope.empty:
        return []
    changes = [change_from_row(r) for r in store.change_rows(scope, open_only=False)[:limit]]
    found = [MyRequest("change", c.reference, CHANGE_STATES[c.state], c.created_at, change=c)
             for c in changes]
    found += [MyRequest("paper", p.request_id, PAPER_STATES[p.status], created, paper=p)
              for created, p in paper_requests(store.db, scope, limit)]
    found.sort(key=lambda r: _instant(r.created_at), reverse=True)
    return found[:limit]


def _instant(iso: str) -> str:
    """Sort key: ISO times of both tables in UTC (the outbox and the changes may write
    different offsets)."""
    try:
        t = dt.datetime.fromisoformat(iso)
    except ValueError:
        return iso
    if t.tzinfo is None:
        t = t.replace(tzinfo=dt.UTC)
    return t.astimezone(dt.UTC).isoformat()
