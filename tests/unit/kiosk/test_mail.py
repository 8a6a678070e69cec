"""Invoice e-mail: the message, SMTP against a real local aiosmtpd server, maildir, the outbox."""

from __future__ import annotations

import datetime as dt
from email.message import EmailMessage
from pathlib import Path

import pytest

from kiosk.config import MailConfig
from kiosk.mail import (
    MaildirMailer,
    MailError,
    MailOutbox,
    SmtpMailer,
    build_invoice_message,
    build_mailer,
)
from tests.helpers.invoices import sample_invoice
from tests.helpers.kioskenv import kiosk_db
from tests.helpers.platform import MutableClock
from tests.helpers.smtp import free_port, self_signed_cert, smtp_server

PDF = b"%PDF-1.7\n% fake but binary \xff\xfe\n%%EOF\n"
XML = b"<EInvoice><Header><EIid>26112000000135114086</EIid></Header></EInvoice>"


def _message(to: str = "buyer@example.com") -> EmailMessage:
    return build_invoice_message(sample_invoice(), to=to, sender="kiosk@example.com",
                                 pdf=PDF, xml=XML)


def _check_received(msg: EmailMessage) -> None:
    invoice = sample_invoice()
    assert msg["Subject"] == f"电子发票 {invoice.number}（{invoice.seller.name}）"
    body = msg.get_body(preferencelist=("plain",))
    assert body is not None
    text = body.get_content()
    assert invoice.number in text and invoice.seller.name in text
    assert f"￥{invoice.total}" in text and "查验" in text
    attachments = {a.get_filename(): a for a in msg.iter_attachments()}
    assert set(attachments) == {f"{invoice.number}.pdf", f"{invoice.number}.xml"}
    assert attachments[f"{invoice.number}.pdf"].get_content_type() == "application/pdf"
    assert attachments[f"{invoice.number}.pdf"].get_content() == PDF
    assert attachments[f"{invoice.number}.xml"].get_content() == XML


def test_plain_smtp_delivers_message_with_attachments() -> None:
    with smtp_server() as srv:
        SmtpMailer(srv.host, srv.port, security="none", timeout_s=5).send(_message())
        assert srv.handler.received.wait(5)
    [msg] = srv.messages
    _check_received(msg)
    assert srv.handler.envelopes == [("kiosk@example.com", ["buyer@example.com"])]


def test_starttls_with_login(tmp_path: Path) -> None:
    cert = self_signed_cert(tmp_path)
    with smtp_server(tls="starttls", cert=cert, auth=("kiosk", "s3cret")) as srv:
        mailer = SmtpMailer("localhost", srv.port, security="starttls", username="kiosk",
                            password="s3cret", timeout_s=5, ssl_context=cert.client_context())
        mailer.send(_message())
        wrong = SmtpMailer("localhost", srv.port, security="starttls", username="kiosk",
                           password="nope", timeout_s=5, ssl_context=cert.client_context())
        with pytest.raises(MailError) as ex:
            wrong.send(_message())
        assert not ex.value.permanent  # a fixable configuration problem: keep the mail
    _check_received(srv.messages[0])
    assert len(srv.messages) == 1


def test_implicit_tls_and_untrusted_certificate(tmp_path: Path) -> None:
    cert = self_signed_cert(tmp_path)
    with smtp_server(tls="implicit", cert=cert) as srv:
        SmtpMailer("localhost", srv.port, security="tls", timeout_s=5,
                   ssl_context=cert.client_context()).send(_message())
        with pytest.raises(MailError):  # the system store does not trust our test cert
            SmtpMailer("localhost", srv.port, security="tls", timeout_s=5).send(_message())
    assert len(srv.messages) == 1


def test_maildir_writes_one_file_per_message(tmp_path: Path) -> None:
    mailer = build_mailer(MailConfig(backend="maildir"), tmp_path)
    assert isinstance(mailer, MaildirMailer)
    mailer.send(_message())
    [path] = (tmp_path / "maildir" / "new").iterdir()
    from email import policy
    from email.parser import BytesParser

    _check_received(BytesParser(policy=policy.default).parsebytes(path.read_bytes()))  # type: ignore[arg-type]


def test_build_mailer_smtp_from_config(tmp_path: Path) -> None:
    cfg = MailConfig(backend="smtp", host="mail.example.com", port=465, security="tls",
                     username="u", password="p", timeout_s=3)
    mailer = build_mailer(cfg, tmp_path)
    assert isinstance(mailer, SmtpMailer)
    assert (mailer.host, mailer.port, mailer.security, mailer.timeout_s) == \
        ("mail.example.com", 465, "tls", 3)


def test_outbox_refused_server_queues_then_drains(tmp_path: Path) -> None:
    clock = MutableClock(dt.datetime(2026, 3, 10, 10, 0, tzinfo=dt.UTC))
    db = kiosk_db(tmp_path / "kiosk.db")
    port = free_port()  # nothing listens here yet: connection refused
    outbox = MailOutbox(db, SmtpMailer("127.0.0.1", port, security="none", timeout_s=3),
                        sender="kiosk@example.com", clock=clock)
    entry_id = outbox.enqueue_invoice(sample_invoice(), "buyer@example.com", pdf=PDF, xml=XML)
    report = outbox.drain()
    assert report.retry_later == [entry_id] and report.sent == []
    [pending] = outbox.pending()
    assert pending.attempts == 1 and "Refused" in pending.last_error
    assert outbox.drain().retry_later == []  # backing off: not due yet
    clock.advance(minutes=2)
    from aiosmtpd.controller import Controller

    from tests.helpers.smtp import _Handler

    handler = _Handler()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        assert outbox.drain().sent == [entry_id]
    finally:
        controller.stop()
    _check_received(handler.messages[0])
    assert outbox.pending() == [] and outbox.entries("sent")[0].attempts == 2


def test_outbox_permanent_refusal_is_not_retried(tmp_path: Path) -> None:
    db = kiosk_db(tmp_path / "kiosk.db")
    with smtp_server() as srv:
        srv.handler.refuse_rcpt.add("gone@example.com")
        outbox = MailOutbox(db, SmtpMailer(srv.host, srv.port, security="none", timeout_s=5))
        entry_id = outbox.enqueue_invoice(sample_invoice(), "gone@example.com", pdf=PDF, xml=XML)
        assert outbox.drain(force=True).failed == [entry_id]
        assert outbox.drain(force=True).failed == []
    [failed] = outbox.entries("failed")
    assert "550" in failed.last_error and srv.messages == []


def test_enqueue_refuses_a_bad_address(tmp_path: Path) -> None:
    outbox = MailOutbox(kiosk_db(tmp_path / "kiosk.db"), MaildirMailer(tmp_path / "m"))
    with pytest.raises(ValueError):
        outbox.enqueue_invoice(sample_invoice(), "not an address\r\nBcc: x@y.z", pdf=PDF, xml=XML)
    assert outbox.entries() == []
