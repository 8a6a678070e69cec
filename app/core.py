"""The Qt-free half of the composition root: database -> services -> session.

Every dependency is built here and passed into constructors; nothing below
reaches for a module-level singleton. :func:`build_core` builds the database,
demo seed, issuing gateway and service, mail, accounts, catalogue, and the
:class:`~kiosk.session.Session` with its ports (:class:`~kiosk.flow.ports.Services`).
Tests and benchmarks use it with their own runner and printer; :mod:`app.gui`
puts the Qt side on top.

Thread rule: the session and every widget are touched only by the UI thread.
The issuing service and the mail outbox run on pool threads with their OWN
database connection; the UI thread has another.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import sqlite_utils

from drivers.printer.ops import Op
from drivers.printer.worker import PrinterWorker
from kiosk.accounts import AccountStore, seed_demo_accounts
from kiosk.audit import AuditTrail
from kiosk.catalogue import Catalogue, seed_demo_catalogue
from kiosk.config import Config
from kiosk.demo import seed_demo_orders
from kiosk.flow.adapters import PrinterPort
from kiosk.flow.ports import Runner, Services
from kiosk.flow.states import Identity, IdMethod
from kiosk.issuing import IssuingService
from kiosk.mail import MailOutbox, build_mailer
from kiosk.model import Buyer, Invoice
from kiosk.orderqr import looks_like_order_qr, resolve_order_qr
from kiosk.orders import OrderStore
from kiosk.platform.factory import build_gateway
from kiosk.platform.gateway import IssuingGateway
from kiosk.session import Session
from kiosk.storage import DB_FILE, connect, open_database
from kiosk.titleqr import parse_title_qr

log = logging.getLogger("kiosk.app")  # the logger name the logs have always carried

PUMP_INTERVAL_S = 30


@dataclass
class Core:
    """The Qt-free kiosk: services and the session, ready for a UI or a test."""

    config: Config
    db: sqlite_utils.Database  # the UI thread's connection
    worker_db: sqlite_utils.Database  # the pool threads' connection
    gateway: IssuingGateway
    issuing: IssuingService
    mail: MailOutbox
    orders: OrderStore
    accounts: AccountStore
    catalogue: Catalogue
    services: Services
    session: Session
    closers: list[Callable[[], None]] = field(default_factory=list)
    _pump_services: tuple[IssuingService, MailOutbox] | None = None
    pumping: bool = False  # a pump job is on the pool

    def pump(self, *, force: bool = False) -> dict[str, int]:
        """Finish what is pending (blocking; the Qt side runs it on the pool every
        :data:`PUMP_INTERVAL_S`): queued or unknown issue requests (same request id,
        queried first) and queued mail. Its own connection and services, so it never
        shares a connection with a walk-in's issue running at the same time."""
        if self._pump_services is None:
            pump_db = connect(self.config.data_path / DB_FILE)
            self.closers.append(pump_db.conn.close)
            mail = MailOutbox(pump_db, build_mailer(self.config.mail, self.config.data_path),
                              sender=self.config.mail.sender)
            issuing = IssuingService(pump_db, self.gateway, seller_tax_id=self.config.seller.tax_id,
                                     documents_dir=self.config.data_path / "documents",
                                     mailer=mail, audit=AuditTrail(pump_db))
            self._pump_services = (issuing, mail)
        issuing, mail = self._pump_services
        outcomes = issuing.resolve_pending(force=force)
        report = mail.drain(force=force)
        done = {"requests": len(outcomes), "mail_sent": len(report.sent),
                "mail_later": len(report.retry_later)}
        if outcomes or report.sent or report.retry_later:
            log.info("pending work pumped", extra={"event": "app.pumped", **done})
        return done

    def close(self) -> None:
        for close in reversed(self.closers):
            try:
                close()
            except Exception:
                log.exception("close failed", extra={"event": "app.close_error"})
        self.closers.clear()


def serve_downloads(config: Config, gateway: IssuingGateway) -> Callable[[], None] | None:
    """Serve the sandbox's invoice downloads at ``platform.download_base_url``.

    The QR codes on the result screen and the receipt carry that URL; with the
    embedded sandbox nothing else would answer it. Returns the server's stop
    function, or None when not serving (remote platform, switched off, or the
    address is taken, e.g. by a separate ``kiosk sandbox serve``: logged).
    """
    from urllib.parse import urlsplit

    from kiosk.platform.sandbox import SandboxPlatform
    from kiosk.platform.server import SandboxServer

    if not (isinstance(gateway, SandboxPlatform) and config.platform.sandbox.serve_downloads):
        return None
    url = urlsplit(config.platform.download_base_url)
    address = (url.hostname or "127.0.0.1", url.port or 80)
    remote = config.platform.remote
    try:
        server = SandboxServer(address, gateway, {remote.app_key: remote.app_secret})
    except OSError as err:
        log.warning("invoice downloads not served at %s: %s", config.platform.download_base_url,
                    err.strerror, extra={"event": "app.downloads_unavailable"})
        return None
    server.start()
    log.info("serving invoice downloads at %s", config.platform.download_base_url,
             extra={"event": "app.downloads_served"})

    def stop() -> None:
        server.stop()
        server.server_close()

    return stop


def build_core(
    config: Config,
    *,
    runner: Runner | None = None,
    printer: PrinterWorker | None = None,
    receipt_ops: Callable[[Invoice], Sequence[Op]] | None = None,
    gateway: IssuingGateway | None = None,
    warm_up: bool = True,
) -> Core:
    """Build everything but the UI and the devices. ``printer`` is a printer worker
    (``submit_preflight``/``submit_print`` futures); ``gateway`` overrides the configured
    one (tests inject the sandbox with faults)."""
    data = config.data_path
    db = open_database(data / DB_FILE)
    worker_db = connect(data / DB_FILE)
    orders = OrderStore(db)
    accounts = AccountStore(db)
    catalogue = Catalogue(db)
    if config.orders.seed_demo:
        seed_demo_orders(orders)
        seed_demo_accounts(accounts)
        seed_demo_catalogue(catalogue)
    gateway = gateway or build_gateway(config)
    mailer = build_mailer(config.mail, data)
    mail = MailOutbox(worker_db, mailer, sender=config.mail.sender)  # issuing queues here
    # Sending runs on its own connection: a slow SMTP server never shares one with issuing.
    mail_db = connect(data / DB_FILE)
    sender = MailOutbox(mail_db, mailer, sender=config.mail.sender)
    documents_dir = data / "documents"
    issuing = IssuingService(worker_db, gateway, seller_tax_id=config.seller.tax_id,
                             documents_dir=documents_dir, mailer=mail,
                             audit=AuditTrail(worker_db))
    lookup = IssuingService(db, gateway, seller_tax_id=config.seller.tax_id,
                            documents_dir=documents_dir)
    secret = config.orders.qr_secret

    def send_mail(invoice: Invoice, to: str) -> None:
        paths = issuing.documents_for(invoice.number)
        if paths is None:
            docs = gateway.documents(invoice.number)
            pdf, xml = docs.pdf, docs.xml
        else:
            xml, pdf = paths[0].read_bytes(), paths[1].read_bytes()
        entry = sender.enqueue_invoice(invoice, to, pdf=pdf, xml=xml)
        report = sender.drain()
        if entry not in report.sent:
            raise MailNotSent()

    def flush_mail() -> bool:
        report = sender.drain()
        return not report.retry_later and not report.failed

    def titles_for(identity: Identity) -> list[Buyer]:
        if identity.method is IdMethod.ACCOUNT and identity.account is not None:
            return accounts.titles_for(identity.account.id)
        if identity.method is IdMethod.IDCARD and identity.id_number:
            return accounts.titles_for_identity(identity.id_number)
        return []

    def remember_title(identity: Identity, buyer: Buyer) -> None:
        if identity.method is IdMethod.ACCOUNT and identity.account is not None:
            accounts.remember_title(identity.account.id, buyer)
        elif identity.method is IdMethod.IDCARD and identity.id_number:
            accounts.remember_title_for_identity(identity.id_number, buyer)

    def save_attachment(number: str, png: bytes) -> None:
        from kiosk.issuing import write_atomic

        write_atomic(documents_dir / f"{number}.attachment.png", png)

    services = Services(
        resolve_order_code=lambda text: resolve_order_qr(text, secret, orders),
        looks_like_order_code=looks_like_order_qr,
        find_order=orders.get,
        issue=issuing.issue,
        find_invoice_for_order=lookup.find_invoice_for_order,
        printer=PrinterPort(printer, receipt_ops or _receipt_ops(config)) if printer else None,
        send_mail=send_mail,
        flush_mail=flush_mail,
        authenticate=accounts.authenticate,
        titles_for=titles_for,
        remember_title=remember_title,
        parse_title_qr=parse_title_qr,
        catalogue_search=catalogue.search,
        save_attachment=save_attachment,
    )
    session = Session(
        services, runner=runner, idle_timeout_s=config.ui.idle_timeout_s,
        countdown_s=config.ui.idle_countdown_s, drawer=config.seller.drawer,
        seller_tax_id=config.seller.tax_id,
    )
    if warm_up:
        warm_up_imports()
    core = Core(config, db, worker_db, gateway, issuing, mail, orders, accounts, catalogue,
                services, session)
    close_gateway = getattr(gateway, "close", None)
    if close_gateway is not None:
        core.closers.append(close_gateway)
    core.closers.append(db.conn.close)
    core.closers.append(worker_db.conn.close)
    core.closers.append(mail_db.conn.close)
    log.info("kiosk core built", extra={"event": "app.core_built", "data_dir": str(data),
                                        "platform": config.platform.backend})
    return core


def pump_on(core: Core, runner: Runner) -> None:
    """Queue one pump job unless one is still running (a slow platform must not pile up)."""
    if core.pumping:
        return
    core.pumping = True

    def done(_result: object, error: BaseException | None) -> None:
        core.pumping = False
        if error is not None:
            log.error("pump failed", exc_info=error, extra={"event": "app.pump_error"})

    runner.submit("pump", core.pump, done)


def warm_up_imports() -> None:
    """Import what the first issue needs now, at start-up: a first import on a worker
    thread holds the import lock and the GIL long enough to stall the UI (measured in
    bench/bench_ui.py)."""
    import kiosk.documents  # noqa: F401  (PDF, XML and receipt layout: fpdf2, fontTools)


class MailNotSent(Exception):
    message_zh = "邮件暂未发出，终端会稍后重试；也可以扫描二维码下载"
    message_en = "The e-mail has not gone out yet; the kiosk retries later. Scan the QR instead"


def _receipt_ops(config: Config) -> Callable[[Invoice], Sequence[Op]]:
    """The courtesy receipt's printer operations (``kiosk.documents.receipt_ops``)."""
    width = config.devices.printer.paper_width_mm

    def build(invoice: Invoice) -> Sequence[Op]:
        from kiosk.documents import receipt_ops

        return receipt_ops(invoice, paper_width_mm=width,
                           fetch_url=invoice.download_url or config.platform.download_base_url)

    return build
