"""Roles in an enterprise: the permission table, require(), and the audit of every change."""

from __future__ import annotations

import pytest

from kiosk.accounts import (
    AccountsService,
    Action,
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
