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

from drivers.printer.ops import Op
from drivers.printer.worker import PrinterWorker
from kiosk.accounts import Account, AccountKind, AccountStore, seed_demo_accounts
from kiosk.catalogue import Catalogue, seed_demo_catalogue
from kiosk.centre.changes import ChangeService
from kiosk.centre.scope import enterprise_membership
from kiosk.centre.service import Centre
from kiosk.centre.store import CentreStore
from kiosk.claims import ClaimDesk
from kiosk.config import Config
from kiosk.corrections import CorrectionsService
from kiosk.dbcheck import backup_if_due
from kiosk.demo import seed_demo_orders, seed_demo_titles
from kiosk.documents.renderer import DocumentRenderer
from kiosk.flow.adapters import PrinterPort
from kiosk.flow.issue import PLATFORM_CAUSE
from kiosk.flow.ports import Runner, Services
from kiosk.flow.states import Identity, IdMethod, Screen
from kiosk.issuing import IssueStatus, IssuingService
from kiosk.mail import MailOutbox
from kiosk.messages import Problem, ProblemError, Text, text_for
from kiosk.model import Buyer, BuyerType, Invoice
from kiosk.orderqr import (
    looks_like_claim_qr,
    looks_like_order_qr,
    make_claim_qr,
    resolve_order_qr,
    verify_claim_qr,
)
from kiosk.orders import OrderStore
from kiosk.outcomes import IssueOutcome
from kiosk.platform.gateway import IssuingGateway
from kiosk.recorder import write_atomic
from kiosk.services import CoreServices, build_services
from kiosk.session import Session
from kiosk.storage import DB_FILE, Database, open_database
from kiosk.titleqr import parse_title_qr

log = logging.getLogger("kiosk.app")  # the logger name the logs have always carried

PUMP_INTERVAL_S = 30


@dataclass
class Core:
    """The Qt-free kiosk: one database, one set of services, the session."""

    config: Config
    db: Database  # the one Database (a connection per thread, one write lock)
    core_services: CoreServices
    orders: OrderStore
    accounts: AccountStore
    catalogue: Catalogue
    services: Services
    session: Session
    centre: Centre
    closers: list[Callable[[], None]] = field(default_factory=list)
    pumping: bool = False  # a pump job is on the pool
    # More work for the pump's pool thread (the fleet's daily report); each may block.
    pump_jobs: list[Callable[[], object]] = field(default_factory=list)
    settled: list[IssueOutcome] = field(default_factory=list)  # the last pump's outcomes
    platform_reason: Text | None = None  # the last pump found issuing stopped for the operator

    @property
    def gateway(self) -> IssuingGateway:
        return self.core_services.gateway

    @property
    def issuing(self) -> IssuingService:
        return self.core_services.issuing

    @property
    def corrections(self) -> CorrectionsService:
        return self.core_services.corrections

    @property
    def mail(self) -> MailOutbox:
        return self.core_services.mail

    def pump(self, *, force: bool = False, check_platform: bool = False) -> dict[str, int]:
        """Finish what is pending (blocking; the Qt side runs it on the pool every
        :data:`PUMP_INTERVAL_S`): queued or unknown issue requests (same request id,
        queried first) and queued mail, through the same issuing service and mail outbox
        the walk-in flow uses (one request moves at a time; each thread has its own
        connection). ``check_platform`` (the kiosk is out of service for the platform):
        ask ``gateway.health()`` too; ``platform_back`` says it is ok again."""
        outcomes = self.issuing.resolve_pending(force=force)
        self.settled = outcomes  # pump_on hands them to the session on the UI thread
        lapsed = [o for o in outcomes if o.status is IssueStatus.OUT_OF_SERVICE]
        # read on the UI thread by pump_on's callback, after this job has finished
        self.platform_reason = Text(lapsed[0].message_zh, lapsed[0].message_en) if lapsed \
            else None
        back = 0
        if check_platform:
            health = self.gateway.health()  # never raises
            back = int(health.ok)
            log.info("platform health while out of service", extra={
                "event": "app.platform_health", "ok": health.ok, "health": health.message})
        report = self.mail.drain(force=force)
        storage = self.config.storage
        try:  # the daily backup (issue 15): cheap when not due, never blocks issuing
            backup = backup_if_due(self.config.data_path / DB_FILE,
                                   self.config.data_path / storage.backup_dir, storage.backup_keep)
        except Exception:
            log.exception("daily backup failed", extra={"event": "app.backup_failed"})
            backup = None
        for job in self.pump_jobs:
            try:
                job()
            except Exception:  # the next pump tries again; issuing is not affected
                log.exception("pump job failed", extra={"event": "app.pump_job_failed"})
        done = {"requests": len(outcomes), "mail_sent": len(report.sent),
                "mail_later": len(report.retry_later), "backup": int(backup is not None),
                "platform_back": back, "platform_lapsed": len(lapsed)}
        if outcomes or report.sent or report.retry_later or backup is not None:
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
    """Serve the sandbox's invoice downloads (and nothing else): see kiosk.platform.downloads."""
    from kiosk.platform.downloads import serve_downloads as serve

    return serve(config, gateway)


def build_core(
    config: Config,
    *,
    runner: Runner | None = None,
    printer: PrinterWorker | None = None,
    receipt_ops: Callable[[Invoice], Sequence[Op]] | None = None,
    gateway: IssuingGateway | None = None,
    warm_up: bool = True,
    renderer: DocumentRenderer | None = None,
) -> Core:
    """Build everything but the UI and the devices. ``printer`` is a printer worker
    (``submit_preflight``/``submit_print`` futures); ``gateway`` overrides the configured
    one (tests inject the sandbox with faults)."""
    data = config.data_path
    db = open_database(data / DB_FILE)
    orders = OrderStore(db)
    catalogue = Catalogue(db)
    core_services = build_services(config, db, gateway=gateway, renderer=renderer)
    issuing, mail, gateway = core_services.issuing, core_services.mail, core_services.gateway
    accounts = core_services.accounts.store
    if config.orders.seed_demo:
        seed_demo_orders(orders)
        seed_demo_accounts(accounts)
        seed_demo_titles(accounts)
        seed_demo_catalogue(catalogue)
    documents_dir = issuing.documents_dir
    secret = config.orders.qr_secret
    claims = ClaimDesk(issuing)  # claim slips scanned here, "e-mail me when it is issued"

    def send_mail(invoice: Invoice, to: str) -> None:
        paths = issuing.documents_for(invoice.number)
        if paths is None:
            docs = gateway.documents(invoice.number)
            pdf, xml, ofd = docs.pdf, docs.xml, docs.ofd
        else:
            xml, pdf = paths[0].read_bytes(), paths[1].read_bytes()
            ofd_path = paths[0].with_suffix(".ofd")  # the provider's OFD, or our marked copy
            ofd = ofd_path.read_bytes() if ofd_path.is_file() else None
        entry = mail.enqueue_invoice(invoice, to, pdf=pdf, xml=xml, ofd=ofd)
        report = mail.drain()
        if entry not in report.sent:
            raise MailNotSent()

    def flush_mail() -> bool:
        report = mail.drain()
        return not report.retry_later and not report.failed

    def titles_for(identity: Identity) -> list[Buyer]:
        if identity.method is IdMethod.ACCOUNT and identity.account is not None:
            own = accounts.titles_for(identity.account.id)
            firm = enterprise_title(identity.account)
            if firm is None:
                return own
            return [firm, *(t for t in own if t.tax_id != firm.tax_id)]
        if identity.method is IdMethod.IDCARD and identity.id_number:
            return accounts.titles_for_identity(identity.id_number)
        return []

    def enterprise_title(account: Account) -> Buyer | None:
        """The title of the enterprise an account issues for: its own (an enterprise) or
        its enterprise's (an active member); a member issues for the firm, first."""
        firm: Account | None = account if account.kind is AccountKind.ENTERPRISE else None
        if firm is None:
            membership = core_services.accounts.membership(account.username)
            if membership is not None and membership.active:
                firm = accounts.find(membership.enterprise)
        if firm is None or not firm.tax_id:
            return None
        return Buyer(BuyerType.COMPANY, firm.display_name, firm.tax_id)

    def remember_title(identity: Identity, buyer: Buyer) -> None:
        if identity.method is IdMethod.ACCOUNT and identity.account is not None:
            accounts.remember_title(identity.account.id, buyer)
        elif identity.method is IdMethod.IDCARD and identity.id_number:
            accounts.remember_title_for_identity(identity.id_number, buyer)

    centre = Centre(CentreStore(db),
                    ChangeService(CentreStore(db), issuing, find_order=orders.get,
                                  seller_tax_id=config.seller.tax_id),
                    accounts=accounts,
                    membership=enterprise_membership(core_services.accounts))

    def save_attachment(number: str, png: bytes) -> None:
        write_atomic(documents_dir / f"{number}.attachment.png", png)

    services = Services(
        resolve_order_code=lambda text: resolve_order_qr(text, secret, orders),
        looks_like_order_code=looks_like_order_qr,
        find_order=orders.get,
        issue=issuing.issue,
        find_invoice_for_order=issuing.find_invoice_for_order,
        # The receipt reads its paper (columns) from the printer itself.
        printer=(PrinterPort(printer, receipt_ops,
                             fetch_base_url=config.platform.download_base_url,
                             claim_qr=lambda request_id: make_claim_qr(request_id, secret))
                 if printer else None),
        send_mail=send_mail,
        flush_mail=flush_mail,
        authenticate=accounts.authenticate,
        titles_for=titles_for,
        remember_title=remember_title,
        parse_title_qr=parse_title_qr,
        catalogue_search=catalogue.search,
        save_attachment=save_attachment,
        looks_like_claim_code=looks_like_claim_qr,
        resolve_claim_code=lambda text: verify_claim_qr(text, secret),
        claim=claims.claim,
        mail_when_issued=claims.mail_when_issued,
        claim_code=lambda request_id: make_claim_qr(request_id, secret),
        centre=centre,
        issue_as=lambda request, username: issuing.issue(request, account=username),
        accounts=core_services.accounts,
    )
    session = Session(
        services, runner=runner, idle_timeout_s=config.ui.idle_timeout_s,
        countdown_s=config.ui.idle_countdown_s, drawer=config.seller.drawer,
        seller_tax_id=config.seller.tax_id,
    )
    if warm_up:
        warm_up_imports()
    core = Core(config, db, core_services, orders, accounts, catalogue, services, session,
                centre)
    core.closers.append(core_services.close)
    core.closers.append(db.close)
    log.info("kiosk core built", extra={"event": "app.core_built", "data_dir": str(data),
                                        "platform": config.platform.backend})
    return core


def pump_on(core: Core, runner: Runner, *, force: bool = False) -> None:
    """Queue one pump job unless one is still running (a slow platform must not pile up).
    What it settled goes to the session on the runner's (UI) thread: a person still on
    the queued screen sees the result (``force``: retry queued requests not yet due).

    While the kiosk is out of service because the platform cannot issue until the
    operator acts (``out_of_service_cause == "platform"``), the job also asks the
    gateway's health; when it is ok the kiosk is back in service (on the UI thread,
    only if nothing else put it out of service meanwhile). A queued request the job
    could not issue for that reason puts a resting kiosk (attract screen) out of service.
    """
    if core.pumping:
        return
    core.pumping = True
    session = core.session
    check = session.screen is Screen.OUT_OF_SERVICE and \
        session.out_of_service_cause == PLATFORM_CAUSE

    def done(result: object, error: BaseException | None) -> None:
        core.pumping = False
        if error is not None:
            log.error("pump failed", exc_info=error, extra={"event": "app.pump_error"})
        settled, core.settled = core.settled, []
        if settled:  # a person may be waiting on the queued screen for one of them
            session.settled(settled)
        if error is not None:
            return
        reason = core.platform_reason
        if reason is not None and session.screen is Screen.ATTRACT:  # nobody mid-way
            log.error("issuing stopped until the operator acts: out of service", extra={
                "event": "app.platform_out_of_service"})
            session.out_of_service(reason, PLATFORM_CAUSE)
            return
        back = isinstance(result, dict) and bool(result.get("platform_back"))
        if back and session.screen is Screen.OUT_OF_SERVICE and \
                session.out_of_service_cause == PLATFORM_CAUSE:
            log.info("the platform can issue again: back in service", extra={
                "event": "app.platform_back"})
            session.back_in_service()

    runner.submit("pump", lambda: core.pump(force=force, check_platform=check), done)


def warm_up_imports() -> None:
    """Import what the first issue needs now, at start-up: a first import on a worker
    thread holds the import lock and the GIL long enough to stall the UI (measured in
    bench/bench_ui.py)."""
    import kiosk.documents.pdf  # noqa: F401  (fpdf2, fontTools: the inline renderer's)
    import kiosk.documents.receipt  # noqa: F401
    import kiosk.documents.xml  # noqa: F401


class MailNotSent(ProblemError):
    """The e-mail did not go out now (it stays queued). ``.problem`` is ``mail.not_sent``;
    ``message_zh``/``message_en`` are its words (for callers that still read them)."""

    def __init__(self) -> None:
        super().__init__(Problem.of("mail.not_sent"))
        words = text_for(self.problem)
        self.message_zh = words.zh
        self.message_en = words.en
