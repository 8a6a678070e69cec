"""E-mail delivery of issued invoices: the message, two transports, a durable outbox.

- :func:`build_invoice_message` makes an ``email.message.EmailMessage`` with a
  readable Chinese body (number, seller, amount, how to verify) and the PDF and
  XML attached.
- Transports (:class:`Mailer`): :class:`SmtpMailer` (``smtplib``: STARTTLS,
  implicit TLS or plain, optional login, a timeout) and :class:`MaildirMailer`
  (the embedded default: each message becomes a file under
  ``<data_dir>/maildir``, via ``mailbox.Maildir``). :func:`build_mailer` picks
  one from ``[mail]``.
- :class:`MailOutbox`: every message is first stored in the ``mail_outbox``
  table, then sent. A failed send stays queued with a growing back-off and is
  retried by :meth:`MailOutbox.drain`; mail never blocks or undoes issuing.
"""

from __future__ import annotations

import datetime as dt
import logging
import mailbox
import smtplib
import ssl
from collections.abc import Callable
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import formatdate, make_msgid
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import sqlite_utils
from sqlite_utils.migrations import Migrations

from kiosk.masking import mask_email
from kiosk.rules import is_valid_email

if TYPE_CHECKING:
    from kiosk.config import MailConfig
    from kiosk.model import Invoice

log = logging.getLogger("kiosk.mail")

migrations = Migrations("mail")


@migrations()
def m001_mail_outbox(db: sqlite_utils.Database) -> None:
    db.execute(
        """
        CREATE TABLE mail_outbox (
            id INTEGER PRIMARY KEY,
            invoice_number TEXT NOT NULL DEFAULT '',
            recipient TEXT NOT NULL,
            subject TEXT NOT NULL,
            message BLOB NOT NULL,
            status TEXT NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0,
            last_error TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL,
            next_attempt_at TEXT NOT NULL,
            sent_at TEXT
        )
        """
    )
    db.execute("CREATE INDEX mail_outbox_status ON mail_outbox(status, next_attempt_at)")


VERIFY_SITE = "https://inv-veri.chinatax.gov.cn"  # 国家税务总局全国增值税发票查验平台
BACKOFF_FIRST_S = 60
BACKOFF_MAX_S = 3600


class MailError(Exception):
    """A send failed. ``permanent`` means retrying the same message cannot help."""

    def __init__(self, message: str, *, permanent: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent


class Mailer(Protocol):
    """A transport: deliver one message or raise :class:`MailError`."""

    def send(self, message: EmailMessage) -> None: ...


# --- the message -----------------------------------------------------------------


def build_invoice_message(
    invoice: Invoice,
    *,
    to: str,
    sender: str,
    pdf: bytes,
    xml: bytes,
    ofd: bytes | None = None,
) -> EmailMessage:
    """The e-mail for one issued invoice: Chinese body, PDF and XML (and the OFD copy) attached."""
    msg = EmailMessage(policy=policy.SMTP)
    msg["Subject"] = f"电子发票 {invoice.number}（{invoice.seller.name}）"
    msg["From"] = sender
    msg["To"] = to
    msg["Date"] = formatdate(localtime=True)
    msg["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or "kiosk.invalid")
    issued = invoice.issued_at.strftime("%Y年%m月%d日 %H:%M")
    lines = [
        f"尊敬的{invoice.buyer.name}：",
        "",
        f"您的{invoice.kind.invoice_title}已开具，详情如下：",
        "",
        f"  发票号码：{invoice.number}",
        f"  开票日期：{issued}",
        f"  销售方：{invoice.seller.name}（{invoice.seller.tax_id}）",
        f"  购买方：{invoice.buyer.name}",
        f"  金额：￥{invoice.total_net}",
        f"  税额：￥{invoice.total_tax}",
        f"  价税合计：￥{invoice.total}",
        "",
        "附件中的 XML 文件是发票的法定数据文件，PDF 文件是其版式文件，请妥善保存。",
        f"如需查验真伪，请访问国家税务总局全国增值税发票查验平台 {VERIFY_SITE}，"
        "输入发票号码、开票日期和价税合计进行查验。",
    ]
    if invoice.download_url:
        lines.append(f"也可以通过以下链接下载发票：{invoice.download_url}")
    lines += ["", "此邮件由自助开票终端自动发送，请勿直接回复。", ""]
    msg.set_content("\n".join(lines), subtype="plain", charset="utf-8")
    msg.add_attachment(pdf, maintype="application", subtype="pdf", filename=f"{invoice.number}.pdf")
    msg.add_attachment(xml, maintype="application", subtype="xml", filename=f"{invoice.number}.xml")
    if ofd is not None:  # the OFD copy (kiosk.documents.ofd), issue 14 item 6
        msg.add_attachment(ofd, maintype="application", subtype="ofd",
                           filename=f"{invoice.number}.ofd")
    return msg


# --- transports --------------------------------------------------------------------


class SmtpMailer:
    """Send through an SMTP server. ``security``: "none", "starttls" or "tls" (implicit)."""

    def __init__(
        self,
        host: str,
        port: int,
        *,
        security: str = "starttls",
        username: str = "",
        password: str = "",
        timeout_s: float = 20.0,
        ssl_context: ssl.SSLContext | None = None,
    ) -> None:
        if security not in ("none", "starttls", "tls"):
            raise ValueError(f"unknown SMTP security {security!r}")
        self.host, self.port, self.security = host, port, security
        self.username, self.password, self.timeout_s = username, password, timeout_s
        self.ssl_context = ssl_context

    def _context(self) -> ssl.SSLContext:
        return self.ssl_context or ssl.create_default_context()

    def send(self, message: EmailMessage) -> None:
        try:
            if self.security == "tls":
                client: smtplib.SMTP = smtplib.SMTP_SSL(
                    self.host, self.port, timeout=self.timeout_s, context=self._context()
                )
            else:
                client = smtplib.SMTP(self.host, self.port, timeout=self.timeout_s)
            with client:
                if self.security == "starttls":
                    client.starttls(context=self._context())
                if self.username:
                    client.login(self.username, self.password)
                client.send_message(message)
        except smtplib.SMTPRecipientsRefused as err:
            raise MailError(f"recipient refused: {_codes(err.recipients)}", permanent=True) from err
        except smtplib.SMTPResponseException as err:
            permanent = 500 <= err.smtp_code < 600 and not isinstance(
                err, smtplib.SMTPAuthenticationError)
            raise MailError(f"SMTP {err.smtp_code}: {_text(err.smtp_error)}",
                            permanent=permanent) from err
        except (smtplib.SMTPException, OSError) as err:  # refused, reset, timeout, TLS
            raise MailError(f"{type(err).__name__}: {err}") from err


def _codes(recipients: dict[str, tuple[int, bytes]]) -> str:
    return ", ".join(f"{code} {_text(reply)}" for code, reply in recipients.values())


def _text(value: bytes | str) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)


class MaildirMailer:
    """Deliver into a Maildir folder (``new/``); ``mailbox`` writes tmp/ then renames."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    def send(self, message: EmailMessage) -> None:
        try:
            box = mailbox.Maildir(self.path, create=True)
            box.add(message)
        except OSError as err:
            raise MailError(f"maildir {self.path}: {err}") from err


def build_mailer(mail_config: MailConfig, data_path: Path) -> Mailer:
    """The transport ``[mail]`` selects; maildir lives in ``<data_path>/maildir``."""
    if mail_config.backend == "smtp":
        return SmtpMailer(
            mail_config.host, mail_config.port, security=mail_config.security,
            username=mail_config.username, password=mail_config.password,
            timeout_s=mail_config.timeout_s,
        )
    return MaildirMailer(Path(data_path) / "maildir")


# --- the outbox -------------------------------------------------------------------


@dataclass(frozen=True)
class MailEntry:
    id: int
    invoice_number: str
    recipient: str
    subject: str
    status: str  # queued | sent | failed (permanent)
    attempts: int
    last_error: str
    next_attempt_at: dt.datetime


@dataclass
class DrainReport:
    sent: list[int] = field(default_factory=list)
    retry_later: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)


def _iso(t: dt.datetime) -> str:
    return t.astimezone(dt.UTC).isoformat(timespec="microseconds")


class MailOutbox:
    """Durable queue of outgoing mail in the kiosk database."""

    def __init__(
        self,
        db: sqlite_utils.Database,
        mailer: Mailer,
        *,
        sender: str = "kiosk@example.invalid",
        clock: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
    ) -> None:
        self.db, self.mailer, self.sender, self.clock = db, mailer, sender, clock

    def enqueue(self, message: EmailMessage, *, invoice_number: str = "") -> int:
        """Store a message for sending; returns its id. Sending happens in :meth:`drain`."""
        now = _iso(self.clock())
        with self.db.conn:  # holds the database's write lock
            cur = self.db.execute(
                "INSERT INTO mail_outbox(invoice_number, recipient, subject, message, status, "
                "created_at, next_attempt_at) VALUES (?, ?, ?, ?, 'queued', ?, ?)",
                [invoice_number, str(message["To"]), str(message["Subject"]),
                 message.as_bytes(policy=policy.SMTP), now, now],
            )
        entry_id = int(cur.lastrowid or 0)
        log.info("mail queued", extra={"event": "mail.queued", "mail_id": entry_id,
                                       "invoice_number": invoice_number,
                                       "recipient": mask_email(str(message["To"]))})
        return entry_id

    def enqueue_invoice(self, invoice: Invoice, to: str, *, pdf: bytes, xml: bytes,
                        ofd: bytes | None = None) -> int:
        if not is_valid_email(to):
            raise ValueError(f"not an e-mail address: {mask_email(to)}")
        msg = build_invoice_message(invoice, to=to, sender=self.sender, pdf=pdf, xml=xml, ofd=ofd)
        return self.enqueue(msg, invoice_number=invoice.number)

    def drain(self, *, force: bool = False) -> DrainReport:
        """Try every queued message that is due (all queued ones with ``force``)."""
        now = self.clock()
        where = "status = 'queued'" + ("" if force else " AND next_attempt_at <= ?")
        params: list[Any] = [] if force else [_iso(now)]
        rows = list(self.db.query(f"SELECT id FROM mail_outbox WHERE {where} ORDER BY id", params))
        report = DrainReport()
        for row in rows:
            outcome = self._attempt(int(row["id"]))
            getattr(report, outcome).append(int(row["id"]))
        return report

    def _attempt(self, entry_id: int) -> str:
        row = next(iter(self.db.query("SELECT * FROM mail_outbox WHERE id = ?", [entry_id])))
        message = BytesParser(policy=policy.default).parsebytes(row["message"])
        attempts = int(row["attempts"]) + 1
        try:
            self.mailer.send(message)
        except MailError as err:
            status = "failed" if err.permanent else "queued"
            delay = min(BACKOFF_FIRST_S * 2 ** (attempts - 1), BACKOFF_MAX_S)
            with self.db.conn:  # holds the database's write lock
                self.db.execute(
                    "UPDATE mail_outbox SET status = ?, attempts = ?, last_error = ?, "
                    "next_attempt_at = ? WHERE id = ?",
                    [status, attempts, str(err)[:500],
                     _iso(self.clock() + dt.timedelta(seconds=delay)), entry_id],
                )
            log.warning("mail not sent", extra={
                "event": "mail.failed" if err.permanent else "mail.retry_later",
                "mail_id": entry_id, "attempts": attempts, "error": str(err)[:200]})
            return "failed" if err.permanent else "retry_later"
        with self.db.conn:  # holds the database's write lock
            self.db.execute(
                "UPDATE mail_outbox SET status = 'sent', attempts = ?, last_error = '', "
                "sent_at = ? WHERE id = ?", [attempts, _iso(self.clock()), entry_id],
            )
        log.info("mail sent", extra={"event": "mail.sent", "mail_id": entry_id,
                                     "attempts": attempts})
        return "sent"

    def discard(self, entry_id: int, reason: str) -> None:
        """Drop a message's body (a verification code must not be kept) and stop retrying it."""
        with self.db.conn:  # holds the database's write lock
            self.db.execute(
                "UPDATE mail_outbox SET message = X'', last_error = CASE status WHEN 'queued'"
                " THEN ? ELSE last_error END, status = CASE status WHEN 'queued' THEN 'failed'"
                " ELSE status END WHERE id = ?", [reason[:500], entry_id])

    def entries(self, status: str | None = None) -> list[MailEntry]:
        sql = "SELECT * FROM mail_outbox" + (" WHERE status = ?" if status else "") + " ORDER BY id"
        return [
            MailEntry(
                id=r["id"], invoice_number=r["invoice_number"], recipient=r["recipient"],
                subject=r["subject"], status=r["status"], attempts=r["attempts"],
                last_error=r["last_error"],
                next_attempt_at=dt.datetime.fromisoformat(r["next_attempt_at"]),
            )
            for r in self.db.query(sql, [status] if status else [])
        ]

    def pending(self) -> list[MailEntry]:
        return self.entries("queued")
