"""The account screens through the flow: registration, phone-code login, forgotten password,
members, and a viewer refused at "issue" (issue 12 items 1-4)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk import storage
from kiosk.accounts import AccountsService, Action, CodePurpose, Role
from kiosk.audit import AuditTrail
from kiosk.flow.states import Screen
from kiosk.messaging import Messenger
from kiosk.messaging.folder import FolderSms, latest_sms
from kiosk.model import InvoiceRequest
from kiosk.session import Session
from tests.helpers.fake_services import FakeKiosk

STRONG = "violet-harbour-7-lantern"
CREDIT = "91350200776049653A"


class Clock:
    def __init__(self) -> None:
        self.now = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)

    def __call__(self) -> dt.datetime:
        return self.now


class Rig:
    def __init__(self, tmp: Path) -> None:
        self.db = storage.open_database(tmp / "kiosk.db")
        self.clock = Clock()
        self.sms = tmp / "sms"
        self.accounts = AccountsService(self.db, messenger=Messenger(FolderSms(self.sms)),
                                        audit=AuditTrail(self.db), clock=self.clock)
        self.kiosk = FakeKiosk()
        services = self.kiosk.services
        services.accounts = self.accounts
        services.authenticate = self.accounts.authenticate
        services.issue_as = self.issue_as
        self.issued_as: list[str] = []

    def issue_as(self, request: InvoiceRequest, username: str):  # type: ignore[no-untyped-def]
        self.accounts.require(username, Action.ISSUE)  # what IssuingService.issue does first
        self.issued_as.append(username)
        return self.kiosk.issue(request)

    def code(self) -> str:
        msg = latest_sms(self.sms)
        assert msg is not None
        return str(msg["code"])

    def later(self, seconds: int = 61) -> None:
        self.clock.now += dt.timedelta(seconds=seconds)

    def session(self) -> Session:
        s = self.kiosk.session()
        s.identify.begin("login")
        s.identify.accept_terms()
        assert s.screen is Screen.LOGIN
        return s

    def firm(self) -> None:
        a = self.accounts
        a.create_account("acme", STRONG, "enterprise", name="示例科技有限公司", tax_id=CREDIT,
                         phone="13800000001")
        a.create_account("wang", STRONG, "person", name="王五", phone="13800000002",
                         enterprise="acme", role=Role.ADMIN)
        a.create_account("zhao", STRONG, "person", name="赵六", phone="13800000004",
                         enterprise="acme", role=Role.VIEWER)
        a.create_account("solo", STRONG, "person", name="孙七", phone="13800000005")


@pytest.fixture()
def rig(tmp_path: Path) -> Iterator[Rig]:
    r = Rig(tmp_path)
    yield r
    r.db.close()


def notice(s: Session, lang: str = "en") -> str:
    return s.data.notice.get(lang) if s.data.notice else ""


def test_enterprise_registers_at_the_kiosk_and_is_identified(rig: Rig) -> None:
    s = rig.session()
    s.account.open(Screen.REGISTER)
    assert s.screen is Screen.REGISTER and s.view().stage == "form"  # type: ignore[union-attr]
    s.account.register(kind="enterprise", username="acme", password=STRONG, repeat=STRONG,
                       name="示例科技有限公司", tax_id=CREDIT, contact="王五", phone="13800000001")
    view = s.view()
    assert view.stage == "code" and view.sent_to == "138****0001"  # type: ignore[union-attr]
    assert "138****0001" in notice(s) and "13800000001" not in notice(s)
    s.account.confirm_registration("000000" if rig.code() != "000000" else "111111")
    assert s.screen is Screen.REGISTER and "Wrong code" in notice(s)
    s.account.confirm_registration(rig.code())
    assert s.screen is Screen.ORDERS
    assert s.data.identity is not None and s.data.identity.account is not None
    assert s.data.identity.account.username == "acme"


@pytest.mark.parametrize(("field", "value", "words"), [
    ("tax_id", CREDIT[:-1] + "B", "check"),
    ("password", "password123", "too easy"),
    ("phone", "12345", "11-digit"),
])
def test_registration_refusals_are_shown_and_keep_the_form(rig: Rig, field: str, value: str,
                                                           words: str) -> None:
    s = rig.session()
    s.account.open(Screen.REGISTER)
    form = dict(kind="enterprise", username="acme", password=STRONG, repeat=STRONG,
                name="示例科技有限公司", tax_id=CREDIT, contact="王五", phone="13800000001")
    form[field] = value
    if field == "password":
        form["repeat"] = value
    s.account.register(**form)  # type: ignore[arg-type]
    assert s.screen is Screen.REGISTER and s.view().stage == "form"  # type: ignore[union-attr]
    assert words in notice(s).lower() or words in notice(s)
    assert rig.accounts.store.find("acme") is None


def test_expired_registration_code(rig: Rig) -> None:
    s = rig.session()
    s.account.open(Screen.REGISTER)
    s.account.register(kind="person", username="li", password=STRONG, repeat=STRONG,
                       name="李四", phone="13800000003")
    rig.later(300)
    s.account.confirm_registration(rig.code())
    assert s.screen is Screen.REGISTER and "expired" in notice(s) and "过期" in notice(s, "zh")


def test_login_by_phone_code_without_password(rig: Rig) -> None:
    rig.firm()
    s = rig.session()
    s.account.open(Screen.CODE_LOGIN)
    s.account.send_login_code("13800000005")
    assert s.view().stage == "code" and "139" not in notice(s)  # type: ignore[union-attr]
    s.account.login_with_code(rig.code())
    assert s.screen is Screen.ORDERS and s.data.identity.account.username == "solo"  # type: ignore[union-attr]


def test_forgot_password_then_log_in(rig: Rig) -> None:
    rig.firm()
    s = rig.session()
    s.account.open(Screen.FORGOT_PASSWORD)
    s.account.send_reset_code("solo")
    new = "copper-meadow-92-quietly"
    s.account.reset_password(rig.code(), new, new + "x")
    assert s.screen is Screen.FORGOT_PASSWORD and "differ" in notice(s)
    s.account.reset_password(rig.code(), new, new)
    assert s.screen is Screen.LOGIN and "Password changed" in notice(s)
    s.identify.login("solo", new)
    assert s.screen is Screen.ORDERS


def test_admin_adds_a_member_who_confirms_with_a_code(rig: Rig) -> None:
    rig.firm()
    s = rig.session()
    s.identify.login("wang", STRONG)
    s.account.open(Screen.MEMBERS)
    assert s.screen is Screen.MEMBERS
    assert {m.username for m in s.view().members} == {"wang", "zhao"}  # type: ignore[union-attr]
    s.account.invite("solo", "issuer")
    assert s.view().invited == "solo" and "138****0005" in notice(s)  # type: ignore[union-attr]
    s.account.confirm_member(rig.code())
    rows = {m.username: m for m in s.view().members}  # type: ignore[union-attr]
    assert rows["solo"].role == "issuer" and rows["solo"].confirmed
    assert "开票员" in notice(s, "zh")
    assert rig.accounts.allowed("solo", Action.ISSUE)


def test_viewer_cannot_open_members(rig: Rig) -> None:
    rig.firm()
    s = rig.session()
    s.identify.login("zhao", STRONG)
    s.account.open(Screen.MEMBERS)
    assert s.screen is Screen.ORDERS and "viewer" in notice(s)


def _to_review(rig: Rig, s: Session) -> None:
    s.code_scanned(rig.kiosk.qr(rig.kiosk.orders[0]), "scanner")
    s.orders.next()
    s.buyer.next()
    assert s.screen is Screen.REVIEW


def test_viewer_is_refused_at_issue_in_the_flow(rig: Rig) -> None:
    rig.firm()
    s = rig.session()
    s.identify.login("zhao", STRONG)
    _to_review(rig, s)
    s.review.confirm()
    assert s.screen is Screen.REVIEW
    assert "viewer" in notice(s) and "查看员" in notice(s, "zh")
    assert rig.kiosk.requests == [] and rig.issued_as == []


def test_role_taken_away_after_review_is_refused_by_the_service(rig: Rig) -> None:
    rig.firm()
    rig.accounts.members.set_role("acme", "zhao", Role.ISSUER, actor="wang")
    s = rig.session()
    s.identify.login("zhao", STRONG)
    _to_review(rig, s)
    real_require = rig.accounts.require
    calls = iter([True])

    def require_once(username: str, action: Action) -> None:  # the flow's check passes...
        if next(calls, False):
            return
        real_require(username, action)

    rig.accounts.require = require_once  # type: ignore[method-assign]
    rig.accounts.members.set_role("acme", "zhao", Role.VIEWER, actor="wang")  # ...then this
    s.review.confirm()
    assert s.screen is Screen.REVIEW and "viewer" in notice(s)
    assert rig.kiosk.requests == []


def test_issuer_issues_on_behalf_of_the_account(rig: Rig) -> None:
    rig.firm()
    rig.accounts.members.set_role("acme", "zhao", Role.ISSUER, actor="wang")
    s = rig.session()
    s.identify.login("zhao", STRONG)
    _to_review(rig, s)
    s.review.confirm()
    assert s.screen is Screen.RESULT and rig.issued_as == ["zhao"]


def test_codes_are_throttled_on_screen(rig: Rig) -> None:
    rig.firm()
    s = rig.session()
    s.account.open(Screen.CODE_LOGIN)
    s.account.send_login_code("13800000005")
    s.account.start_over()
    s.account.send_login_code("13800000005")
    assert "wait" in notice(s) and s.view().stage == "form"  # type: ignore[union-attr]
    assert rig.accounts.codes.policy.resend_s == 60
    assert CodePurpose.LOGIN.value == "login"


def _members(s: Session) -> dict[str, object]:
    return {m.username: m for m in s.view().members}  # type: ignore[union-attr]


def test_admin_changes_a_role_and_removes_a_member(rig: Rig) -> None:
    rig.firm()
    s = rig.session()
    s.identify.login("wang", STRONG)
    s.account.open(Screen.MEMBERS)
    s.account.set_member_role("zhao", "issuer")
    assert _members(s)["zhao"].role == "issuer"  # type: ignore[attr-defined]
    assert "zhao is now issuer" in notice(s) and "开票员" in notice(s, "zh")
    assert rig.accounts.allowed("zhao", Action.ISSUE)
    s.account.remove_member("zhao")
    assert set(_members(s)) == {"wang"} and "removed" in notice(s)
    assert rig.accounts.membership("zhao") is None
    actions = [r["action"] for r in AuditTrail(rig.db).rows(action="accounts")
               if r["actor"] == "wang"]
    assert actions == ["accounts.role_changed", "accounts.role_removed"]


def test_the_last_admin_is_refused_on_screen(rig: Rig) -> None:
    rig.firm()
    s = rig.session()
    s.identify.login("wang", STRONG)
    s.account.open(Screen.MEMBERS)
    s.account.set_member_role("wang", "viewer")
    assert "last administrator" in notice(s) and "最后一位管理员" in notice(s, "zh")
    s.account.remove_member("wang")
    assert "last administrator" in notice(s)
    assert _members(s)["wang"].role == "admin"  # type: ignore[attr-defined]
    assert s.screen is Screen.MEMBERS


def test_pending_invitation_shown_resent_and_cancelled(rig: Rig) -> None:
    rig.firm()
    s = rig.session()
    s.identify.login("wang", STRONG)
    s.account.open(Screen.MEMBERS)
    s.account.invite("solo", "viewer")
    assert not _members(s)["solo"].confirmed  # type: ignore[attr-defined]
    s.account.start_over()  # the admin leaves the code stage; the invitation stays pending
    rig.later()
    s.account.resend_member_code("solo")
    assert s.view().stage == "code" and s.view().invited == "solo"  # type: ignore[union-attr]
    assert len(list(rig.sms.glob("*.json"))) == 2  # a second code went to the member
    s.account.remove_member("solo")
    assert "solo" not in _members(s) and "cancelled" in notice(s)
    assert s.view().stage == "form"  # type: ignore[union-attr]
    assert rig.accounts.membership("solo") is None


def test_a_viewer_cannot_change_roles_through_the_flow(rig: Rig) -> None:
    rig.firm()
    s = rig.session()
    s.identify.login("wang", STRONG)
    s.account.open(Screen.MEMBERS)
    # wang's role is taken away behind the screen's back (another administrator): the
    # page is still on show, and the core refuses what it asks.
    rig.accounts.members.add("acme", "solo", Role.ADMIN, actor="operator")
    rig.accounts.set_member_role("solo", "wang", Role.VIEWER)
    s.account.set_member_role("zhao", "admin")
    assert "viewer" in notice(s)
    assert rig.accounts.membership("zhao").role is Role.VIEWER  # type: ignore[union-attr]
