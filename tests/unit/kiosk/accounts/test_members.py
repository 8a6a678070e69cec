"""Roles in an enterprise: the permission table, require(), and the audit of every change."""

from __future__ import annotations

import pytest

from kiosk.accounts import (
    AccountError,
    AccountsService,
    Action,
    CodeError,
    MemberError,
    MemberStatus,
    PermissionDenied,
    Role,
)
from kiosk.audit import AuditTrail

from .conftest import STRONG


def credit_code() -> str:
    return "91350200776049653A"


@pytest.fixture()
def firm(service: AccountsService) -> AccountsService:
    service.create_account("acme", STRONG, "enterprise", name="示例科技有限公司",
                           tax_id=credit_code(), phone="13800000001")
    for user, role, phone in (("wang", "admin", "13800000002"), ("li", "issuer", "13800000003"),
                              ("zhao", "viewer", "13800000004")):
        service.create_account(user, STRONG, "person", name=user, phone=phone,
                               enterprise="acme", role=role)
    service.create_account("solo", STRONG, "person", name="独立", phone="13800000005")
    return service


TABLE = [
    # (username, action, allowed)
    ("acme", Action.ISSUE, True),
    ("acme", Action.MANAGE_MEMBERS, True),
    ("wang", Action.ISSUE, True),
    ("wang", Action.MANAGE_MEMBERS, True),
    ("wang", Action.VIEW_ENTERPRISE_INVOICES, True),
    ("li", Action.ISSUE, True),
    ("li", Action.VIEW_ENTERPRISE_INVOICES, True),
    ("li", Action.REPRINT, True),
    ("li", Action.MANAGE_MEMBERS, False),
    ("zhao", Action.ISSUE, False),
    ("zhao", Action.MANAGE_MEMBERS, False),
    ("zhao", Action.VIEW_ENTERPRISE_INVOICES, True),
    ("zhao", Action.REPRINT, True),
    ("solo", Action.ISSUE, True),
    ("solo", Action.REPRINT, True),
    ("solo", Action.VIEW_ENTERPRISE_INVOICES, False),
    ("solo", Action.MANAGE_MEMBERS, False),
    ("nobody", Action.ISSUE, False),
]


@pytest.mark.parametrize(("user", "action", "allowed"), TABLE)
def test_permission_table(firm: AccountsService, user: str, action: Action, allowed: bool) -> None:
    assert firm.allowed(user, action) is allowed
    if not allowed:
        with pytest.raises(PermissionDenied):
            firm.require(user, action)


def test_viewer_refusal_names_the_role_in_both_languages(firm: AccountsService) -> None:
    with pytest.raises(PermissionDenied) as err:
        firm.require("zhao", Action.ISSUE)
    assert err.value.role is Role.VIEWER
    assert "查看员" in err.value.message_zh and "viewer" in err.value.message_en


def test_membership_reports_enterprise_and_role(firm: AccountsService) -> None:
    m = firm.membership("LI")
    assert m is not None and (m.enterprise, m.role, m.active) == ("acme", Role.ISSUER, True)
    assert firm.membership("solo") is None
    assert firm.membership("acme") is not None and firm.membership("acme").role is Role.ADMIN  # type: ignore[union-attr]


def test_disabled_account_may_do_nothing(firm: AccountsService) -> None:
    firm.disable("li")
    assert not firm.allowed("li", Action.ISSUE)


def test_every_role_change_is_in_the_audit_trail(firm: AccountsService, db) -> None:
    firm.members.set_role("acme", "zhao", Role.ISSUER, actor="wang")
    firm.members.remove("acme", "li", actor="wang")
    rows = AuditTrail(db).rows(action="accounts")
    changes = [(r["action"], r["data"]["member"], r["data"]["role"]) for r in rows
               if r["action"].startswith("accounts.role_")]
    assert changes == [
        ("accounts.role_added", "wang", "admin"),
        ("accounts.role_added", "li", "issuer"),
        ("accounts.role_added", "zhao", "viewer"),
        ("accounts.role_changed", "zhao", "issuer"),
        ("accounts.role_removed", "li", None),
    ]
    assert rows[-1]["actor"] == "wang"
    assert AuditTrail(db).verify().ok


def test_member_of_one_enterprise_only(firm: AccountsService) -> None:
    firm.create_account("other", STRONG, "enterprise", name="另一家公司", tax_id=credit_code_2())
    with pytest.raises(MemberError):
        firm.members.add("other", "li", Role.VIEWER, actor="operator")


def credit_code_2() -> str:
    return "91440300708461136T"


def test_admin_invites_member_who_confirms_with_code(firm: AccountsService, inbox) -> None:
    to = firm.invite_member("wang", "solo", Role.VIEWER)
    assert to == "138****0005"
    pending = firm.membership("solo")
    assert pending is not None and pending.status is MemberStatus.PENDING
    assert not firm.allowed("solo", Action.VIEW_ENTERPRISE_INVOICES)  # not before the code
    firm.confirm_member("solo", inbox.last_code())
    assert firm.membership("solo").active  # type: ignore[union-attr]
    assert firm.allowed("solo", Action.VIEW_ENTERPRISE_INVOICES)
    assert not firm.allowed("solo", Action.ISSUE)  # a viewer now


def test_only_an_admin_may_invite(firm: AccountsService) -> None:
    with pytest.raises(PermissionDenied) as err:
        firm.invite_member("li", "solo", Role.ISSUER)
    assert err.value.role is Role.ISSUER


def test_the_last_administrator_is_neither_removed_nor_demoted(firm: AccountsService) -> None:
    # wang is the one administrator member: neither the core nor an admin's call may leave none.
    for change in (lambda: firm.members.remove("acme", "wang", actor="operator"),
                   lambda: firm.members.set_role("acme", "wang", Role.VIEWER, actor="operator"),
                   lambda: firm.remove_member("wang", "wang"),
                   lambda: firm.set_member_role("acme", "wang", Role.ISSUER)):
        with pytest.raises(MemberError) as err:
            change()
        assert "last administrator" in str(err.value) and "最后一位管理员" in err.value.message_zh
    assert firm.membership("wang").role is Role.ADMIN  # type: ignore[union-attr]
    # With a second administrator the first may step down, and then be removed.
    firm.set_member_role("wang", "li", Role.ADMIN)
    firm.set_member_role("li", "wang", Role.VIEWER)
    firm.remove_member("li", "wang")
    assert firm.membership("wang") is None
    with pytest.raises(MemberError):
        firm.remove_member("li", "li")


def test_a_pending_admin_does_not_count_as_the_other_administrator(firm: AccountsService,
                                                                  inbox) -> None:
    firm.invite_member("wang", "solo", Role.ADMIN)
    with pytest.raises(MemberError):
        firm.set_member_role("wang", "wang", Role.VIEWER)
    firm.confirm_member("solo", inbox.last_code())
    firm.set_member_role("wang", "wang", Role.VIEWER)
    assert firm.membership("wang").role is Role.VIEWER  # type: ignore[union-attr]


def test_only_an_admin_changes_roles_or_removes(firm: AccountsService) -> None:
    for user in ("li", "zhao", "solo"):
        with pytest.raises(PermissionDenied):
            firm.set_member_role(user, "zhao", Role.ISSUER)
        with pytest.raises(PermissionDenied):
            firm.remove_member(user, "zhao")
    assert firm.membership("zhao").role is Role.VIEWER  # type: ignore[union-attr]


def test_an_admin_manages_only_the_own_enterprise(firm: AccountsService) -> None:
    firm.create_account("other", STRONG, "enterprise", name="另一家公司", tax_id=credit_code_2())
    firm.create_account("qian", STRONG, "person", name="钱八", phone="13800000006",
                        enterprise="other", role="viewer")
    with pytest.raises(MemberError):
        firm.remove_member("wang", "qian")
    with pytest.raises(MemberError):
        firm.set_member_role("wang", "qian", Role.ADMIN)
    assert firm.membership("qian").enterprise == "other"  # type: ignore[union-attr]


def test_admin_role_change_and_removal_are_audited_with_the_admin(firm: AccountsService,
                                                                  db) -> None:
    firm.set_member_role("wang", "zhao", Role.ISSUER)
    firm.remove_member("wang", "li")
    rows = [r for r in AuditTrail(db).rows(action="accounts") if r["actor"] == "wang"]
    assert [(r["action"], r["data"]["member"], r["data"]["previous"]) for r in rows] == [
        ("accounts.role_changed", "zhao", "viewer"), ("accounts.role_removed", "li", "issuer")]


def test_pending_invitation_resent_or_cancelled(firm: AccountsService, inbox,
                                                 clock) -> None:
    firm.invite_member("wang", "solo", Role.ISSUER)
    with pytest.raises(CodeError):  # a new code at most every 60 s
        firm.resend_member_code("wang", "solo")
    clock.advance(seconds=61)
    assert firm.resend_member_code("wang", "solo") == "138****0005"
    assert inbox.count() == 2
    with pytest.raises(MemberError):  # only a pending invitation is resent
        firm.resend_member_code("wang", "zhao")
    firm.remove_member("wang", "solo")  # cancel the invitation
    assert firm.membership("solo") is None
    with pytest.raises(MemberError):
        firm.confirm_member("solo", inbox.last_code())


def test_inviting_an_active_member_again_is_refused(firm: AccountsService) -> None:
    with pytest.raises(MemberError):
        firm.invite_member("wang", "wang", Role.VIEWER)
    assert firm.membership("wang").active  # type: ignore[union-attr]


def test_inviting_a_name_without_an_account_says_how_to_get_one(firm: AccountsService) -> None:
    """A newcomer read only "没有这个账户。": the member must register as a person first."""
    with pytest.raises(AccountError) as err:
        firm.invite_member("wang", "nobody", "issuer")
    assert "个人身份注册" in err.value.message_zh and "运营人员" in err.value.message_zh
    assert "register as a person" in err.value.message_en
