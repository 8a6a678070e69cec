"""The embedded sandbox issuing platform: real number format, quota, validation, red letters.

:class:`SandboxPlatform` implements :class:`~kiosk.platform.gateway.IssuingGateway`
on its own SQLite file (``kiosk.storage.connect`` + the ``sandbox`` migration
set). It behaves the way the tax platform does where the kiosk can tell:

- 20-digit numbers: yy + region + channel + a 15-digit per-year sequence with
  no gaps and no reuse, allocated in the transaction that records the invoice;
- ``issue`` is idempotent on the request id; an order is invoiced once;
- a monthly quota (sum of blue totals minus red) it refuses to exceed;
- the validation a real platform does (``kiosk.rules.validate_request``), as
  coded :class:`~kiosk.platform.gateway.Rejection` items;
- red-letter forms with statuses 01-09, the 72-hour expiry and form numbers
  shaped as real ones (county + YYMM + 10 digits), kept by a composed
  :class:`~kiosk.platform.sandbox_red.RedLetterDesk`;
- XML and PDF per invoice (``kiosk.documents``), generated on first request and
  kept; an unguessable token per invoice gives ``download_url``.

Thread-safe: the HTTP server is threaded, so connections come from a small
pool (one connection is never used by two threads at once) and every write is
a ``BEGIN IMMEDIATE`` transaction, which serialises writers in SQLite itself.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import queue
import secrets
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import sqlite_utils

from kiosk import storage
from kiosk.documents.renderer import DocumentRenderer, InlineRenderer
from kiosk.model import (
    Colour,
    Invoice,
    InvoiceLine,
    InvoiceRequest,
    RedLetterForm,
    RedReason,
    Seller,
)
from kiosk.platform.codec import from_data, to_data
from kiosk.platform.faults import Faults
from kiosk.platform.gateway import (
    InvoiceDocuments,
    NotFound,
    OrderAlreadyInvoiced,
    PlatformHealth,
    PlatformRejected,
    QuotaExceeded,
    request_problems,
)
from kiosk.platform.sandbox_red import RedLetterDesk
from kiosk.platform.sandbox_schema import sandbox as sandbox_migrations

log = logging.getLogger("kiosk.platform")

PLATFORM_TZ = dt.timezone(dt.timedelta(hours=8), "CST")  # the platform keeps Beijing time


def now() -> dt.datetime:
    """The platform's clock: aware Beijing time."""
    return dt.datetime.now(PLATFORM_TZ)


SANDBOX_WATERMARK = "样票 SANDBOX"
OFD_CACHE_SIZE = 16


class SandboxPlatform:
    """An issuing platform inside the project, on its own SQLite file.

    Red-letter forms and invoices are the job of its :class:`RedLetterDesk`
    (``self.red``), a separate object given this platform as its invoice book
    (:class:`~kiosk.platform.sandbox_red.InvoiceBook`: clock, transactions,
    numbering, recording); the gateway's red-letter methods delegate to it.
    """

    def __init__(
        self,
        db_path: str | Path,
        seller: Seller,
        *,
        monthly_quota: Decimal,
        region_code: str = "11",
        channel: str = "2",
        clock: Callable[[], dt.datetime] = now,
        download_base_url: str = "http://127.0.0.1:8470",
        renderer: DocumentRenderer | None = None,
    ) -> None:
        if not (len(region_code) == 2 and region_code.isdigit()):
            raise ValueError(f"region_code must be 2 digits, got {region_code!r}")
        if not (len(channel) == 1 and channel.isdigit()):
            raise ValueError(f"channel must be 1 digit, got {channel!r}")
        self.db_path = Path(db_path)
        self.seller = seller
        self.monthly_quota = Decimal(monthly_quota)
        self.region_code = region_code
        self.channel = channel
        self.clock = clock
        self.download_base_url = download_base_url.rstrip("/")
        # Where its PDFs are drawn: the kiosk's GUI process passes a child-process renderer.
        self.renderer: DocumentRenderer = renderer or InlineRenderer()
        self._ofd_cache: dict[str, bytes] = {}
        self._ofd_lock = threading.Lock()
        self.faults = Faults()
        self._pool: queue.SimpleQueue[sqlite_utils.Database] = queue.SimpleQueue()
        # The first connection sets WAL mode on a fresh file: under the same lock as the
        # migrations, or a process starting beside another one meets "database is locked"
        # (seen in CI under load with 5 processes starting together).
        with storage.migration_lock(self.db_path), self._db() as db:
            storage.migrate(db, [sandbox_migrations])
        self.red = RedLetterDesk(self)

    # --- red letters: the gateway's methods, done by the desk ---------------------
    def file_red_form(self, original_number: str, reason: RedReason, filed_by: str,
                      lines: Sequence[InvoiceLine] | None = None) -> RedLetterForm:
        return self.red.file_red_form(original_number, reason, filed_by, lines)

    def confirm_red_form(self, form_number: str) -> RedLetterForm:
        return self.red.confirm_red_form(form_number)

    def reject_red_form(self, form_number: str) -> RedLetterForm:
        return self.red.reject_red_form(form_number)

    def confirm_newest_red_form(self) -> RedLetterForm | None:
        """Sandbox demo: act as the other party on the newest form waiting for it."""
        return self.red.confirm_newest_waiting()

    def withdraw_red_form(self, form_number: str) -> RedLetterForm:
        return self.red.withdraw_red_form(form_number)

    def query_red_form(self, form_number: str) -> RedLetterForm:
        return self.red.query_red_form(form_number)

    def issue_red_invoice(self, form_number: str) -> Invoice:
        return self.red.issue_red_invoice(form_number)

    # --- connections and transactions ------------------------------------------
    @contextlib.contextmanager
    def _db(self) -> Iterator[sqlite_utils.Database]:
        try:
            db = self._pool.get_nowait()
        except queue.Empty:
            db = storage.connect(self.db_path)
        try:
            yield db
        finally:
            self._pool.put(db)

    @contextlib.contextmanager
    def transaction(self, op: str) -> Iterator[sqlite3.Connection]:
        """A write transaction; ``faults.before_commit`` runs just before COMMIT."""
        with self._db() as db:
            conn = db.conn
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
                self.faults.before_commit(op)
            except BaseException:
                conn.rollback()
                raise
            conn.commit()

    def close(self) -> None:
        while True:
            try:
                self._pool.get_nowait().conn.close()
            except queue.Empty:
                return

    # --- time and numbers ------------------------------------------------------
    def now(self) -> dt.datetime:
        """The platform's clock, as aware Beijing time."""
        t = self.clock()
        if t.tzinfo is None:
            raise ValueError("the sandbox clock must return an aware datetime")
        return t.astimezone(PLATFORM_TZ)

    def next_seq(self, conn: sqlite3.Connection, name: str) -> int:
        row = conn.execute(
            "INSERT INTO sequences(name, last) VALUES (?, 1) "
            "ON CONFLICT(name) DO UPDATE SET last = last + 1 RETURNING last",
            [name],
        ).fetchone()
        return int(row[0])

    def _allocate_number(self, conn: sqlite3.Connection, kind: str, at: dt.datetime) -> str:
        """yy + region + channel + 15-digit sequence, per year; inside the caller's transaction."""
        seq = self.next_seq(conn, f"{kind}:{at.year}")
        if seq >= 10**15:
            raise OverflowError("the year's number sequence is exhausted")
        return f"{at.year % 100:02d}{self.region_code}{self.channel}{seq:015d}"

    # --- reading ----------------------------------------------------------------
    @staticmethod
    def _invoice_from_row(row: Any) -> Invoice | None:
        return None if row is None else from_data(Invoice, json.loads(row[0]))

    def invoice_where(self, conn: sqlite3.Connection, where: str, args: list[Any]) -> Invoice | None:
        row = conn.execute(f"SELECT data FROM invoices WHERE {where}", args).fetchone()
        return self._invoice_from_row(row)

    def _read(self, where: str, args: list[Any]) -> Invoice | None:
        with self._db() as db:
            return self.invoice_where(db.conn, where, args)

    def query_request(self, request_id: str) -> Invoice | None:
        self.faults.before_call("query_request")
        return self._read("request_id = ?", [request_id])

    def query_order(self, order_no: str) -> Invoice | None:
        self.faults.before_call("query_order")
        return self._read(
            "number = (SELECT invoice_number FROM invoice_orders WHERE order_no = ? AND active = 1)",
            [order_no],
        )

    def get_invoice(self, number: str) -> Invoice | None:
        self.faults.before_call("get_invoice")
        return self._read("number = ?", [number])

    def list_invoices(self, day: dt.date) -> list[Invoice]:
        self.faults.before_call("list_invoices")
        # issued_at is ISO 8601 in platform (Beijing) time, so a day is a range of strings.
        start, end = day.isoformat(), (day + dt.timedelta(days=1)).isoformat()
        with self._db() as db:
            rows = db.conn.execute(
                "SELECT data FROM invoices WHERE issued_at >= ? AND issued_at < ? ORDER BY number",
                [start, end]).fetchall()
        return [from_data(Invoice, json.loads(r[0])) for r in rows]

    def _used(self, conn: sqlite3.Connection, month: str) -> Decimal:
        row = conn.execute("SELECT used FROM quota_usage WHERE month = ?", [month]).fetchone()
        return Decimal(row[0]) if row else Decimal("0.00")

    def _add_usage(self, conn: sqlite3.Connection, month: str, amount: Decimal) -> None:
        used = self._used(conn, month) + amount
        conn.execute(
            "INSERT INTO quota_usage(month, used) VALUES (?, ?) "
            "ON CONFLICT(month) DO UPDATE SET used = excluded.used",
            [month, str(used)],
        )

    def remaining_quota(self) -> Decimal:
        self.faults.before_call("remaining_quota")
        with self._db() as db:
            return self.monthly_quota - self._used(db.conn, self.now().strftime("%Y-%m"))

    # --- issuing ----------------------------------------------------------------
    def issue(self, request: InvoiceRequest) -> Invoice:
        self.faults.before_call("issue")
        existing = self._read("request_id = ?", [request.request_id])
        if existing is not None:
            return existing  # idempotent: the same request id is the same invoice
        problems = request_problems(request, self.now().date())
        if problems:
            log.info("sandbox rejected request", extra={
                "event": "platform.sandbox.rejected", "codes": [p.code for p in problems]})
            raise PlatformRejected(problems)
        from kiosk.rules import invoice_lines_from_order_lines

        lines = tuple(invoice_lines_from_order_lines(request.lines))
        with self.transaction("issue") as conn:
            again = self.invoice_where(conn, "request_id = ?", [request.request_id])
            if again is not None:
                return again  # a concurrent call with the same id won the race
            for order_no in request.order_nos:
                row = conn.execute(
                    "SELECT invoice_number FROM invoice_orders WHERE order_no = ? AND active = 1",
                    [order_no],
                ).fetchone()
                if row:
                    raise OrderAlreadyInvoiced(row[0], order_no)
            at = self.now()
            month = at.strftime("%Y-%m")
            total = sum((ln.amount + ln.tax for ln in lines), Decimal("0.00"))
            remaining = self.monthly_quota - self._used(conn, month)
            if total > remaining:
                raise QuotaExceeded(remaining, total)
            invoice = self.record(
                conn, at, lines, request_id=request.request_id, order_nos=request.order_nos,
                buyer=request.buyer, kind=request.kind, colour=Colour.BLUE,
                remark=request.remark, drawer=request.drawer, medium=request.medium,
            )
            conn.executemany(
                "INSERT INTO invoice_orders(order_no, invoice_number) VALUES (?, ?)",
                [(o, invoice.number) for o in request.order_nos],
            )
        log.info("sandbox issued invoice", extra={
            "event": "platform.sandbox.issued", "number": invoice.number, "total": str(total)})
        self.faults.after_commit("issue")
        return invoice

    def record(self, conn: sqlite3.Connection, at: dt.datetime, lines: tuple[InvoiceLine, ...],
               **fields: Any) -> Invoice:
        """Allocate the number and token and insert the invoice (inside the caller's tx)."""
        number = self._allocate_number(conn, "invoice", at)
        token = secrets.token_urlsafe(24)
        invoice = Invoice(
            number=number, issued_at=at, seller=self.seller, lines=lines,
            download_url=f"{self.download_base_url}/i/{token}", **fields,
        )
        conn.execute(
            "INSERT INTO invoices(number, request_id, colour, kind, issued_at, month, total,"
            " original_number, red_form_number, token, data)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [number, invoice.request_id, invoice.colour.value, invoice.kind.value,
             at.isoformat(), at.strftime("%Y-%m"), str(invoice.total),
             invoice.original_number or None, invoice.red_form_number or None, token,
             json.dumps(to_data(invoice), ensure_ascii=False)],
        )
        self._add_usage(conn, at.strftime("%Y-%m"), invoice.total)
        return invoice

    # --- documents ----------------------------------------------------------------
    def documents(self, number: str) -> InvoiceDocuments:
        self.faults.before_call("documents")
        return self._documents(number)

    def _documents(self, number: str) -> InvoiceDocuments:
        with self._db() as db:
            row = db.conn.execute("SELECT xml, pdf FROM documents WHERE number = ?",
                                  [number]).fetchone()
            if row:
                return InvoiceDocuments(number, pdf=bytes(row[1]), xml=bytes(row[0]))
            invoice = self.invoice_where(db.conn, "number = ?", [number])
        if invoice is None:
            raise NotFound(f"发票{number}不存在", f"no invoice {number}")
        from kiosk.documents.xml import invoice_to_xml

        # A sandbox invoice is not a legal invoice: its PDF says so across the page.
        xml, pdf = invoice_to_xml(invoice), self.renderer.pdf(invoice, watermark=SANDBOX_WATERMARK)
        with self._db() as db, db.conn:  # first writer wins; both wrote the same content
            db.conn.execute("INSERT OR IGNORE INTO documents(number, xml, pdf) VALUES (?, ?, ?)",
                            [number, xml, pdf])
        return InvoiceDocuments(number, pdf=pdf, xml=xml)

    def ofd_copy(self, invoice: Invoice) -> bytes:
        """The OFD copy of a sandbox invoice, watermarked like its PDF; drawn once per
        process and kept (a few recent ones: each is a font subset, ~1 s to draw)."""
        with self._ofd_lock:
            cached = self._ofd_cache.get(invoice.number)
        if cached is not None:
            return cached
        data = self.renderer.ofd(invoice, watermark=SANDBOX_WATERMARK)
        with self._ofd_lock:
            self._ofd_cache[invoice.number] = data
            while len(self._ofd_cache) > OFD_CACHE_SIZE:
                self._ofd_cache.pop(next(iter(self._ofd_cache)))
        return data

    def by_token(self, token: str) -> tuple[Invoice, InvoiceDocuments] | None:
        """The invoice and its documents behind a download token (the token is the secret)."""
        self.faults.before_call("download")
        with self._db() as db:
            row = db.conn.execute("SELECT data, number FROM invoices WHERE token = ?",
                                  [token]).fetchone()
        if row is None:
            return None
        invoice = self._invoice_from_row(row)
        assert invoice is not None
        return invoice, self._documents(row[1])

    # --- health -------------------------------------------------------------------
    def health(self) -> PlatformHealth:
        t0 = time.perf_counter()
        try:
            self.faults.before_call("health")
            with self._db() as db:
                used = self._used(db.conn, self.now().strftime("%Y-%m"))
        except Exception as err:  # health never raises: it reports
            return PlatformHealth(False, (time.perf_counter() - t0) * 1000, str(err), None,
                                  self.now())
        return PlatformHealth(True, (time.perf_counter() - t0) * 1000, "sandbox ok",
                              self.monthly_quota - used, self.now())
