"""What the session machine needs from outside, as small ports the composition root fills.

The machine never does IO itself: it asks a :class:`Runner` to execute blocking
work (issuing, printing, mail) and is called back with the result. In the app
the runner is a ``QThreadPool`` whose results come back to the UI thread by a
queued signal (:class:`ui.runner.QtRunner`); in tests :class:`InlineRunner` runs
the work at once or :class:`ManualRunner` holds it until the test releases it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from kiosk.model import Buyer, Invoice, InvoiceRequest, Order

Done = Callable[[Any, BaseException | None], None]


class Runner(Protocol):
    def submit(self, name: str, work: Callable[[], Any], done: Done) -> None:
        """Run ``work`` off the caller's thread; call ``done(result, error)`` on the caller's."""


class InlineRunner:
    """Runs work immediately on the calling thread (pure tests, scripts)."""

    def submit(self, name: str, work: Callable[[], Any], done: Done) -> None:
        try:
            result = work()
        except Exception as err:  # the machine turns it into a screen
            done(None, err)
            return
        done(result, None)


class ManualRunner:
    """Holds submitted work until :meth:`run_next` (tests of the in-between states)."""

    def __init__(self) -> None:
        self.pending: list[tuple[str, Callable[[], Any], Done]] = []

    def submit(self, name: str, work: Callable[[], Any], done: Done) -> None:
        self.pending.append((name, work, done))

    def run_next(self) -> str:
        name, work, done = self.pending.pop(0)
        InlineRunner().submit(name, work, done)
        return name

    def run_all(self) -> list[str]:
        names = []
        while self.pending:
            names.append(self.run_next())
        return names


class ReceiptPrinter(Protocol):
    """The printer as the flow sees it. Each call blocks (it runs on the runner's thread):
    it checks the printer's preflight, prints, and raises an error carrying
    ``message_zh``/``message_en`` when the printer is not good or fails mid-print."""

    def print_invoice(self, invoice: Invoice) -> None: ...

    def print_claim(self, request: InvoiceRequest, message_zh: str) -> None: ...


@dataclass
class Services:
    """The flow's ports. Optional ones are ``None`` when the piece is not configured."""

    # A scanned order code -> the stored Order; raises an error with message_zh/message_en.
    resolve_order_code: Callable[[str], Order]
    # Is this text an order code at all (else: a title QR, a personal QR, ...)?
    looks_like_order_code: Callable[[str], bool]
    # A typed order number -> the stored Order, or None.
    find_order: Callable[[str], Order | None]
    # Blocking: issue one request -> the issuing service's outcome (status + messages).
    issue: Callable[[InvoiceRequest], Any]
    # The invoice already issued for an order, if any (already-invoiced detection).
    find_invoice_for_order: Callable[[str], Invoice | None]
    printer: ReceiptPrinter | None = None
    # Blocking: e-mail the invoice's PDF/XML to an address (raises if it was not sent).
    send_mail: Callable[[Invoice, str], None] | None = None
    # Blocking: send the mail the issuing service queued; True when it all went out.
    flush_mail: Callable[[], bool] | None = None
    # Accounts: (user, password) -> account (raises with message_zh/en on failure).
    authenticate: Callable[[str, str], Any] | None = None
    # Remembered titles of an identified user (a kiosk.flow.states.Identity).
    titles_for: Callable[[Any], Sequence[Buyer]] | None = None
    remember_title: Callable[[Any, Buyer], None] | None = None
    # A scanned buyer-title code -> the partner's TitleQrResult, or None if not a title code.
    parse_title_qr: Callable[[str], Any] | None = None
    # Keep a voucher photo (PNG) with an issued invoice's documents.
    save_attachment: Callable[[str, bytes], None] | None = None
    # The business catalogue: search text -> items.
    catalogue_search: Callable[[str], Sequence[Any]] | None = None
