"""The composition root: config -> logging -> database -> services -> devices -> session -> UI.

Every dependency is built here and passed into constructors; nothing below
reaches for a module-level singleton. Two halves:

- :func:`build_core` (Qt-free): the database, demo seed, issuing gateway and
  service, mail, accounts, catalogue, and the :class:`~kiosk.session.Session`
  with its ports (:class:`~kiosk.flow.ports.Services`). Tests and benchmarks use it
  with their own runner and printer.
- :func:`build_gui`: the Qt side: a :class:`ui.runner.QtRunner` (blocking work on a
  thread pool, results back on the UI thread by queued signals), the devices'
  callbacks marshalled to the UI thread, languages, the main window.

Thread rule: the session and every widget are touched only by the UI thread.
The issuing service and the mail outbox run on pool threads with their OWN
database connection; the UI thread has another.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import sqlite_utils

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
from kiosk.overrides import effective_config
from kiosk.platform.factory import build_gateway
from kiosk.platform.gateway import IssuingGateway
from kiosk.session import Session
from kiosk.storage import DB_FILE, connect, open_database
from kiosk.titleqr import parse_title_qr

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

    from ui.main_window import MainWindow

log = logging.getLogger("kiosk.app")

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
    _pump: Any = None
    pumping: bool = False  # a pump job is on the pool

    def pump(self, *, force: bool = False) -> dict[str, int]:
        """Finish what is pending (blocking; the Qt side runs it on the pool every
        :data:`PUMP_INTERVAL_S`): queued or unknown issue requests (same request id,
        queried first) and queued mail. Its own connection and services, so it never
        shares a connection with a walk-in's issue running at the same time."""
        if self._pump is None:
            pump_db = connect(self.config.data_path / DB_FILE)
            self.closers.append(pump_db.conn.close)
            mail = MailOutbox(pump_db, build_mailer(self.config.mail, self.config.data_path),
                              sender=self.config.mail.sender)
            issuing = IssuingService(pump_db, self.gateway, seller_tax_id=self.config.seller.tax_id,
                                     documents_dir=self.config.data_path / "documents",
                                     mailer=mail, audit=AuditTrail(pump_db))
            self._pump = (issuing, mail)
        issuing, mail = self._pump
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
    printer: Any = None,
    receipt_ops: Callable[[Invoice], Sequence[Any]] | None = None,
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
        _warm_up()
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


def _pump(core: Core, runner: Any) -> None:
    """Queue one pump job unless one is still running (a slow platform must not pile up)."""
    if core.pumping:
        return
    core.pumping = True

    def done(_result: Any, error: BaseException | None) -> None:
        core.pumping = False
        if error is not None:
            log.error("pump failed", exc_info=error, extra={"event": "app.pump_error"})

    runner.submit("pump", core.pump, done)


def _warm_up() -> None:
    """Import what the first issue needs now, at start-up: a first import on a worker
    thread holds the import lock and the GIL long enough to stall the UI (measured in
    bench/bench_ui.py)."""
    import kiosk.documents  # noqa: F401  (PDF, XML and receipt layout: fpdf2, fontTools)


class MailNotSent(Exception):
    message_zh = "邮件暂未发出，终端会稍后重试；也可以扫描二维码下载"
    message_en = "The e-mail has not gone out yet; the kiosk retries later. Scan the QR instead"


def _receipt_ops(config: Config) -> Callable[[Invoice], Sequence[Any]]:
    """The courtesy receipt's printer operations (``kiosk.documents.receipt_ops``)."""
    width = config.devices.printer.paper_width_mm

    def build(invoice: Invoice) -> Sequence[Any]:
        from kiosk.documents import receipt_ops

        return receipt_ops(invoice, paper_width_mm=width,
                           fetch_url=invoice.download_url or config.platform.download_base_url)

    return build


# --- the Qt side ------------------------------------------------------------------------


@dataclass
class Gui:
    core: Core
    app: QApplication
    window: MainWindow
    runner: Any
    devices: Any = None
    bridge: Any = None
    simulator: Any = None
    systemd: Any = None
    control: Any = None
    diagnostics: Any = None
    closed: bool = False

    def close(self) -> None:
        if self.closed:
            return
        self.closed = True
        self.window.allow_close = True
        self.window.close()
        if self.simulator is not None:
            self.simulator.close()
        # An issue in flight completes (it is exactly-once safe either way); then the
        # window goes for good, so no stale widget sees a later style or language event.
        self.runner.wait(30000)
        if self.devices is not None:
            self.devices.stop()  # before the window goes: no device callback into it after
        from PySide6.QtCore import QCoreApplication, QEvent

        self.window.deleteLater()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        self.core.close()


def build_gui(
    config: Config,
    app: QApplication,
    *,
    lang: str | None = None,
    large_text: bool | None = None,
    kiosk_mode: bool | None = None,
    devices: Any = None,
    start_devices: bool = True,
    gateway: IssuingGateway | None = None,
    keyboard: bool = True,
    downloads: bool = False,
) -> Gui:
    """Build the devices, the core with a Qt runner, and the main window over them.

    ``devices`` is a :class:`drivers.manager.DeviceManager` (built from
    ``config.devices`` when not given). ``downloads`` serves the sandbox's invoice
    downloads in-process (``kiosk run`` asks for it; tests stay off the network). Device callbacks arrive on device threads
    and reach the session through queued signals (:class:`ui.devices.DeviceBridge`).
    """
    from PySide6.QtCore import QTimer

    from drivers.manager import DeviceManager
    from ui import theme
    from ui.devices import DeviceBridge
    from ui.i18n import Languages
    from ui.main_window import MainWindow
    from ui.runner import QtRunner

    runner = QtRunner(parent=app)
    config = effective_config(config)
    large = config.ui.large_text if large_text is None else large_text
    theme.apply(app, large)
    if devices is None:
        devices = DeviceManager(config.devices)
    core = build_core(config, runner=runner, printer=devices.printer_worker, gateway=gateway,
                      warm_up=False)
    if downloads:
        stop_downloads = serve_downloads(config, core.gateway)
        if stop_downloads is not None:
            core.closers.append(stop_downloads)
    languages = Languages(app)
    languages.set(lang or config.ui.language)
    window = MainWindow(
        core.session, languages,
        kiosk_mode=config.ui.kiosk_mode if kiosk_mode is None else kiosk_mode,
        large_text=large, support_phone=config.ui.support_phone,
        support_text=config.ui.support_text, keyboard=keyboard,
    )
    bridge = DeviceBridge(core.session, devices, window)
    bridge.preview.connect(window.show_preview)
    pump = QTimer(window)
    pump.setInterval(PUMP_INTERVAL_S * 1000)
    pump.timeout.connect(lambda: _pump(core, runner))
    pump.start()
    QTimer.singleShot(0, lambda: _pump(core, runner))  # at start-up: finish what a restart left
    # After the first frame, not before it: nobody can reach "confirm" within 0.3 s.
    QTimer.singleShot(0, _warm_up)
    if start_devices:
        devices.start()
    log.info("kiosk window built", extra={"event": "app.gui_built", "lang": languages.current,
                                          "large_text": large})
    return Gui(core, app, window, runner, devices=devices, bridge=bridge)
