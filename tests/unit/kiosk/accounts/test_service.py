"""AccountsService: registration with a code, phone-code login, forgot password, e-mail codes."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from kiosk.accounts import (
    AccountError,
    AccountKind,
    AccountsService,
    AccountStatus,
    AuthError,
    CodeError,
    CodePurpose,
    WeakPassword,
)
from kiosk.audit import AuditTrail
from kiosk.mail import MailOutbox, SmtpMailer
from kiosk.messaging import Messenger
from kiosk.messaging.email import MailCodeSender
from kiosk.messaging.folder import FolderSms
from tests.helpers.smtp import smtp_server

from .conftest import STRONG, Clock, Inbox

CODE = "91350200776049653A"


def test_enterprise_registers_and_confirms_with_the_sms_code(service: AccountsService,
                                                             inbox: Inbox) -> None:
    sent = service.register_enterprise("acme", STRONG, name="示例科技有限公司", tax_id=CODE.lower(),
                                       contact="王五", phone="138 0000 0001")
    assert sent.masked_to == "138****0001" and sent.account is not None
    assert sent.account.status is AccountStatus.PENDING and sent.account.tax_id == CODE
    with pytest.raises(AuthError) as pending:
        service.authenticate("acme", STRONG)
    assert pending.value.code == "pending"
    account = service.confirm_registration("acme", inbox.last_code())
    assert account.status is AccountStatus.ACTIVE and account.kind is AccountKind.ENTERPRISE
    assert service.authenticate("acme", STRONG).username == "acme"


@pytest.mark.parametrize(("tax_id", "words"), [
    ("", "Enter the unified social credit code"),
    (CODE[:-1] + "B", "check"),
    ("110101199003074514", "18-character unified social credit code"),  # a resident ID
])
def test_enterprise_credit_code_is_checked_as_typed(service: AccountsService, tax_id: str,
                                                    words: str, inbox: Inbox) -> None:
    with pytest.raises(AccountError) as err:
        service.register_enterprise("acme", STRONG, name="示例", tax_id=tax_id, contact="王五",
                                    phone="13800000001")
    assert words.lower() in err.value.message_en.lower()
    assert inbox.count() == 0 and service.store.find("acme") is None


def test_a_doubtful_credit_code_is_refused_without_asking_to_confirm(
        service: AccountsService) -> None:
    """The buyer screen lets a person confirm a code whose check character disagrees;
    registration has no such button, so its words must not ask for it (确认继续)."""
    with pytest.raises(AccountError) as err:
        service.register_enterprise("acme", STRONG, name="示例", tax_id=CODE[:-1] + "B",
                                    contact="王五", phone="13800000001")
    assert "确认" not in err.value.message_zh and "营业执照" in err.value.message_zh
    assert "confirm" not in err.value.message_en and "ask staff" in err.value.message_en


POLICY = [
    ("short", "12345"),
    ("common", "password123"),
    ("keyboard", "qwertyuiop"),
    ("own phone", "13800000002"),
    ("own name", "zhangsan2024"),
]


@pytest.mark.parametrize(("why", "password"), POLICY)
def test_weak_passwords_are_refused(service: AccountsService, why: str, password: str) -> None:
    with pytest.raises(WeakPassword):
        service.register_person("zhangsan", password, name="zhangsan", phone="13800000002")
    assert service.store.find("zhangsan") is None


def test_person_logs_in_with_phone_and_code(service: AccountsService, inbox: Inbox,
                                            clock: Clock) -> None:
    service.register_person("zhang", STRONG, name="张三", phone="13800000002")
    service.confirm_registration("zhang", inbox.last_code())
    clock.advance(seconds=61)
    assert service.request_login_code("13800000002") == "138****0002"
    with pytest.raises(CodeError) as bad:
        service.login_by_code("13800000002", "000000" if inbox.last_code() != "000000" else "1")
    assert bad.value.reason == "wrong"
    assert service.login_by_code("13800000002", inbox.last_code()).username == "zhang"


def test_unregistered_number_gets_the_same_answer_and_no_message(service: AccountsService,
                                                                 inbox: Inbox) -> None:
    assert service.request_login_code("13900000009") == "139****0009"
    assert inbox.count() == 0
    with pytest.raises(CodeError):
        service.request_login_code("13900000009")  # throttled all the same


def test_forgot_password_by_code_then_login(service: AccountsService, inbox: Inbox,
                                            clock: Clock) -> None:
    service.register_person("zhang", STRONG, name="张三", phone="13800000002")
    service.confirm_registration("zhang", inbox.last_code())
    for _ in range(5):  # locked out by wrong passwords
        with pytest.raises(AuthError):
            service.authenticate("zhang", "wrong-password")
    clock.advance(seconds=61)
    service.request_password_reset("zhang")
    new = "copper-meadow-92-quietly"
    with pytest.raises(CodeError):
        service.reset_password("zhang", "12345x", new)
    service.reset_password("zhang", inbox.last_code(), new)
    assert service.authenticate("zhang", new).username == "zhang"  # the lock is lifted too
    with pytest.raises(AccountError):
        service.request_password_reset("zhang", by_email=True)  # no e-mail registered


def test_expired_registration_code_and_a_new_one(service: AccountsService, inbox: Inbox,
                                                 clock: Clock) -> None:
    service.register_person("zhang", STRONG, name="张三", phone="13800000002")
    first = inbox.last_code()
    clock.advance(minutes=5)
    with pytest.raises(CodeError) as err:
        service.confirm_registration("zhang", first)
    assert err.value.reason == "expired"
    clock.advance(seconds=1)
    service.send_code("13800000002", CodePurpose.REGISTER)
    assert service.confirm_registration("zhang", inbox.last_code()).status is AccountStatus.ACTIVE


def test_throttled_registration_leaves_no_account(service: AccountsService, inbox: Inbox,
                                                 clock: Clock) -> None:
    service.request_login_code("13800000002")  # a code was asked for this number just now
    with pytest.raises(CodeError) as err:
        service.register_person("zhang", STRONG, name="张三", phone="13800000002")
    assert err.value.reason == "too_soon"
    assert service.store.find("zhang") is None  # the username is free to try again
    clock.advance(seconds=60)
    service.register_person("zhang", STRONG, name="张三", phone="13800000002")
    assert inbox.count() == 1


def test_code_by_email_through_the_mail_outbox_and_a_real_smtp_server(
        db, clock: Clock, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    with smtp_server() as srv:
        outbox = MailOutbox(db, SmtpMailer(srv.host, srv.port, security="none", timeout_s=10),
                            sender="kiosk@example.com")
        service = AccountsService(db, messenger=Messenger(FolderSms(tmp_path / "sms"),
                                                          MailCodeSender(outbox)),
                                  audit=AuditTrail(db), clock=clock)
        sent = service.register_person("li", STRONG, name="李四", phone="13800000003",
                                       email="li.si@example.com", code_by_email=True)
        assert sent.masked_to == "l***@example.com"
        [mail] = srv.messages
    body = mail.get_body().get_content()  # type: ignore[union-attr]
    code = next(w for w in body.replace("，", " ").split() if w.isdigit() and len(w) == 6)
    assert service.confirm_registration("li", code, by_email=True).status is AccountStatus.ACTIVE
    stored = db.execute("SELECT message FROM mail_outbox").fetchone()[0]
    assert code.encode() not in stored  # the outbox dropped the body after sending
    ours = "\n".join(f"{r.getMessage()} {r.__dict__}" for r in caplog.records
                     if r.name.startswith("kiosk"))  # not the test SMTP server's own log
    assert ours and code not in ours and "li.si@example.com" not in ours


def test_an_unconfirmed_registration_does_not_hold_the_name(service: AccountsService,
                                                           inbox: Inbox, clock: Clock) -> None:
    service.register_person("zhang", STRONG, name="张三", phone="13800000002")
    clock.advance(seconds=61)  # walked away; someone (or the same person) starts again
    service.register_person("zhang", STRONG, name="张三", phone="13800000002")
    assert service.confirm_registration("zhang", inbox.last_code()).status is AccountStatus.ACTIVE
    clock.advance(seconds=61)
    with pytest.raises(AccountError):  # a confirmed account does hold it
        service.register_person("zhang", STRONG, name="张三", phone="13800000009")
