"""The kiosk's core services, built one way for every caller.

:func:`build_services` makes, over one :class:`~kiosk.storage.Database`: the
issuing gateway (:func:`kiosk.platform.factory.build_gateway`, unless one is
given), the ONE mail outbox, the audit trail, the accounts service (with the
messenger ``[sms]`` selects; its ``require`` is the issuing service's permission
check), and the ONE
:class:`~kiosk.issuing.IssuingService` with its corrections service. The
composition root (:mod:`app.core`) builds them once for the walk-in flow, the
periodic pump and diagnostics; each CLI command builds them once for its run.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kiosk.accounts import AccountsService, CodePolicy
from kiosk.audit import AuditTrail
from kiosk.config import Config
from kiosk.corrections import CorrectionsService
from kiosk.documents.renderer import DocumentRenderer
from kiosk.issuing import IssuingService
from kiosk.mail import MailOutbox, build_mailer
from kiosk.messaging.factory import build_messenger
from kiosk.platform.gateway import IssuingGateway
from kiosk.storage import Database

DOCUMENTS_DIR = "documents"  # under the data folder: <number>.xml / .pdf / .attachment.png


@dataclass
class CoreServices:
    """The services every caller shares; ``close()`` closes the gateway (not the database)."""

    database: Database
    gateway: IssuingGateway
    mail: MailOutbox
    audit: AuditTrail
    issuing: IssuingService
    accounts: AccountsService

    @property
    def corrections(self) -> CorrectionsService:
        return self.issuing.corrections

    def close(self) -> None:
        close = getattr(self.gateway, "close", None)  # the sandbox has one; remote need not
        if callable(close):
            close()


def build_services(config: Config, database: Database, *,
                   gateway: IssuingGateway | None = None,
                   renderer: DocumentRenderer | None = None) -> CoreServices:
    """Build the core services over ``database`` (``gateway`` overrides the configured one;
    ``renderer`` draws PDFs and OFD copies: inline unless the caller gives one)."""
    if gateway is None:
        from kiosk.platform.factory import build_gateway

        gateway = build_gateway(config, renderer=renderer)
    mail = MailOutbox(database, build_mailer(config.mail, config.data_path),
                      sender=config.mail.sender)
    audit = AuditTrail(database)
    acc = config.accounts
    accounts = AccountsService(
        database, messenger=build_messenger(config.sms, config.data_path, mail), audit=audit,
        code_policy=CodePolicy(ttl_s=acc.code_ttl_s, max_tries=acc.code_max_tries,
                               resend_s=acc.code_resend_s, daily_limit=acc.code_daily_limit))
    issuing = IssuingService(database, gateway, seller_tax_id=config.seller.tax_id,
                             documents_dir=Path(config.data_path) / DOCUMENTS_DIR,
                             mailer=mail, audit=audit, renderer=renderer,
                             permissions=accounts.require)
    return CoreServices(database, gateway, mail, audit, issuing, accounts)
