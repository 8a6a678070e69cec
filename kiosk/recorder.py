"""The invoice recorder: what blue issuing and red-letter corrections share.

An invoice the platform returned (blue or red) is recorded the same way by
both services: stored in the outbox together with marking its request ISSUED
and its audit row, in ONE transaction (no invoice without its audit row, no
ISSUED request without its invoice); then its XML and PDF are written
atomically and wanted mail is queued (:meth:`InvoiceRecorder.finish`), each
retried by ``resolve_pending`` if it fails. :class:`kiosk.issuing.IssuingService`
and :class:`kiosk.corrections.CorrectionsService` are composed over one recorder.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import logging
import os
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from kiosk.documents.renderer import DocumentRenderer, InlineRenderer
from kiosk.model import Colour, Invoice, InvoiceRequest, RequestStatus
from kiosk.outbox import Outbox, StoredInvoice
from kiosk.platform.gateway import InvoiceDocuments, IssuingGateway

if TYPE_CHECKING:
    from kiosk.audit import AuditTrail
    from kiosk.mail import MailOutbox

log = logging.getLogger("kiosk.issuing")


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that the file is either absent, old or complete."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)  # the rename itself survives a power cut
    finally:
        os.close(dir_fd)


def now_utc() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class IssuingLock:
    """One request (blue or red) moves at a time, across threads AND processes.

    A re-entrant thread lock plus, while held, ``flock`` on ``<kiosk.db>-issuing-lock``:
    two ``kiosk issue`` for one order (or the kiosk and a CLI run) used to race, and
    the loser found the invoice stored but its documents not yet written and exited 1
    (issue 15 item 5). Now the second waits and then finds the finished invoice. The
    kernel releases the lock of a killed holder. ``db_path=None`` (an in-memory
    database): the thread lock only.
    """

    def __init__(self, db_path: Path | None) -> None:
        self._path = None if db_path is None else db_path.with_name(db_path.name + "-issuing-lock")
        self._thread = threading.RLock()
        self._depth = 0
        self._fd = -1

    def __enter__(self) -> IssuingLock:
        self._thread.acquire()
        try:
            if self._depth == 0 and self._path is not None:
                fd = os.open(self._path, os.O_RDWR | os.O_CREAT, 0o600)
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX)  # waits for another process's request
                except BaseException:
                    os.close(fd)
                    raise
                self._fd = fd
            self._depth += 1
        except BaseException:
            self._thread.release()
            raise
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 tb: TracebackType | None) -> None:
        self._depth -= 1
        if self._depth == 0 and self._fd >= 0:
            fd, self._fd = self._fd, -1
            os.close(fd)  # releases the flock
        self._thread.release()


def _db_path(outbox: Outbox) -> Path | None:
    path = getattr(outbox.db, "path", None)
    if isinstance(path, Path):
        return path
    for row in outbox.db.conn.execute("PRAGMA database_list"):
        if row[1] == "main" and row[2]:
            return Path(row[2])
    return None


class InvoiceRecorder:
    """Stores issued invoices, writes their documents, queues their mail."""

    def __init__(
        self,
        outbox: Outbox,
        gateway: IssuingGateway,
        *,
        documents_dir: Path,
        mailer: MailOutbox | None = None,
        audit: AuditTrail | None = None,
        clock: Callable[[], dt.datetime] = now_utc,
        renderer: DocumentRenderer | None = None,
    ) -> None:
        self.outbox = outbox
        self.renderer: DocumentRenderer = renderer or InlineRenderer()
        self.gateway = gateway
        self.documents_dir = Path(documents_dir)
        self.mailer = mailer
        self.audit = audit
        self.clock = clock
        # One request (blue or red) moves through its state machine at a time: held by
        # IssuingService and CorrectionsService around each issue/resolve, across the
        # platform call (the database's write lock is held only around each write),
        # and across processes sharing the database (IssuingLock).
        self.busy = IssuingLock(_db_path(outbox))

    def store(self, invoice: Invoice, *, mail_to: str, request_id: str = "",
              red_request_id: str = "") -> bool:
        """Store the invoice (and mark its blue or red request ISSUED) in one transaction;
        False if known."""
        now = self.clock()
        with self.outbox.tx() as conn:
            new = self.outbox.store_invoice(conn, invoice, now, mail_wanted=bool(mail_to))
            if red_request_id:
                self.outbox.set_red_status(red_request_id, RequestStatus.ISSUED, now,
                                           invoice_number=invoice.number, error="", conn=conn)
            if request_id:
                self.outbox.mark_issued(conn, request_id, invoice.number, now)
            if new and self.audit is not None and self.audit.db.conn is conn:
                self._audit(invoice)  # joins this transaction: no invoice without its audit row
        if new and self.audit is not None and self.audit.db.conn is not self.outbox.db.conn:
            self._audit(invoice)
        return new

    def _audit(self, invoice: Invoice) -> None:
        assert self.audit is not None
        data: dict[str, Any] = {
            "number": invoice.number, "request_id": invoice.request_id,
            "orders": list(invoice.order_nos), "kind": invoice.kind.value,
            "net": invoice.total_net, "tax": invoice.total_tax, "total": invoice.total}
        if invoice.colour is Colour.RED:
            data.update(original_number=invoice.original_number,
                        red_form_number=invoice.red_form_number)
        self.audit.record("invoice.red_issued" if invoice.colour is Colour.RED
                          else "invoice.issued", "kiosk", data)

    def finish(self, invoice: Invoice) -> tuple[Path | None, Path | None]:
        """Write missing documents and queue wanted mail; failures are retried later."""
        stored = self.outbox.invoice(invoice.number)
        if stored is None:
            return None, None
        xml_path, pdf_path = self.documents_dir / f"{invoice.number}.xml", \
            self.documents_dir / f"{invoice.number}.pdf"
        ofd_path = xml_path.with_suffix(".ofd")
        docs: InvoiceDocuments | None = None
        if not (stored.xml_path and xml_path.is_file() and pdf_path.is_file()):
            docs = self._documents(invoice)
            if docs is None:
                return None, None
            try:
                if docs.ofd:  # the provider's official OFD takes the place of our copy
                    write_atomic(ofd_path, docs.ofd)
                write_atomic(xml_path, docs.xml)
                write_atomic(pdf_path, docs.pdf)
            except OSError as err:  # the invoice stands; resolve_pending writes them later
                log.error("could not write the invoice documents", extra={
                    "event": "issuing.documents_unwritten", "number": invoice.number,
                    "error": str(err)})
                return None, None
            self.outbox.set_documents(invoice.number, str(xml_path), str(pdf_path))
        if stored.mail_state == "wanted" and self.mailer is not None:
            request = self._request_of(invoice)
            to = request.buyer.email if request is not None else invoice.buyer.email
            if to:
                xml, pdf = (docs.xml, docs.pdf) if docs else (xml_path.read_bytes(),
                                                              pdf_path.read_bytes())
                # The provider's OFD (written above) when it gave one, else our marked copy
                # (issue 14 item 6).
                ofd = docs.ofd if docs and docs.ofd else _ofd_copy(self.renderer, invoice,
                                                                   ofd_path)
                try:
                    self.mailer.enqueue_invoice(invoice, to, pdf=pdf, xml=xml, ofd=ofd)
                    self.outbox.set_mail_state(invoice.number, "queued")
                except Exception:  # mail never undoes issuing; resolve_pending tries again
                    log.exception("could not queue the invoice e-mail", extra={
                        "event": "issuing.mail_queue_failed", "number": invoice.number})
        return xml_path, pdf_path

    def with_documents(self, stored: StoredInvoice) -> StoredInvoice:
        """``stored`` after writing its documents if a kill (or a full disk) left them
        missing: the next run reports the invoice with its files (issue 15 item 5)."""
        if stored.xml_path and stored.pdf_path:
            return stored
        self.finish(stored.invoice)
        return self.stored(stored.invoice.number)

    def finish_all(self) -> None:
        """Documents and mail for every stored invoice still missing them."""
        for stored in self.outbox.invoices_needing_work():
            self.finish(stored.invoice)

    def documents_for(self, number: str) -> tuple[Path, Path] | None:
        """(xml, pdf) paths of a stored invoice once written, else None."""
        stored = self.outbox.invoice(number)
        if stored is None or not stored.xml_path or not stored.pdf_path:
            return None
        return Path(stored.xml_path), Path(stored.pdf_path)

    def stored(self, number: str) -> StoredInvoice:
        """A stored invoice that must be there (it was stored by this recorder)."""
        found = self.outbox.invoice(number)
        assert found is not None, number
        return found

    def _documents(self, invoice: Invoice) -> InvoiceDocuments | None:
        """The platform's official files (XML, PDF, and its OFD when it supplies one), or
        None while they cannot be fetched.

        Never a local substitute: what the kiosk renders itself is unsigned, so it is
        neither stored nor e-mailed as the invoice. The receipt (QR to the platform's
        download) goes out at once; the files are fetched and the wanted e-mail sent
        by ``resolve_pending`` once the platform delivers them.
        """
        try:
            docs = self.gateway.documents(invoice.number)
        except Exception as err:  # noqa: BLE001 - any failure: try again later
            log.warning("platform documents not available yet; fetched again later", extra={
                "event": "issuing.documents_pending", "number": invoice.number,
                "error": str(err)})
            return None
        return docs

    def _request_of(self, invoice: Invoice) -> InvoiceRequest | None:
        entry = self.outbox.get(invoice.request_id) if invoice.request_id else None
        return entry.request if entry else None


# --- the OFD copy beside the XML/PDF, for mail (issue 14 item 6) -----------------------

def _ofd_copy(renderer: DocumentRenderer, invoice: Invoice, path: Path) -> bytes | None:
    """The invoice's OFD copy (kiosk.documents.ofd), written at ``path`` once; None on failure."""
    try:
        if path.is_file():
            return path.read_bytes()
        data = renderer.ofd(invoice)
        write_atomic(path, data)
        return data
    except Exception:  # the OFD is a convenience copy: mail goes out with the XML and PDF
        log.exception("could not make the OFD copy", extra={
            "event": "issuing.ofd_unwritten", "number": invoice.number})
        return None
