"""Members of an enterprise account, their roles, and the one permission check.

An enterprise account (``kind = enterprise``) has members: person accounts
with a role inside it. A member belongs to at most one enterprise.

==========  =====================================================================
role        may
==========  =====================================================================
admin       everything: manage members and roles, issue, see all the invoices
issuer      issue, see the enterprise's invoices, reprint
viewer      see the enterprise's invoices and reprint; NOT issue
==========  =====================================================================

The enterprise account itself (logged in with its own username) acts as its
administrator. A person with no enterprise acts for themself and may issue
and see their own invoices (:data:`PERSONAL`): only the enterprise roles are
restricted.

:func:`MembersService.require` is the single check every entry point calls
(the flow, ``kiosk issue --account``, :class:`~kiosk.issuing.IssuingService`);
hiding a button is never the check. Every change of role (added, confirmed,
changed, removed) is written to the audit trail as ``accounts.role_*``.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

import sqlite_utils

from kiosk.accounts.store import Account, AccountKind, AccountStore, normalise_username

if TYPE_CHECKING:
    from kiosk.audit import AuditTrail

log = logging.getLogger("kiosk.accounts")


class Role(StrEnum):
    ADMIN = "admin"
    ISSUER = "issuer"
    VIEWER = "viewer"


class Action(StrEnum):
    ISSUE = "issue"
    VIEW_ENTERPRISE_INVOICES = "view_enterprise_invoices"
    REPRINT = "reprint"
    MANAGE_MEMBERS = "manage_members"


ROLE_WORDS: dict[Role, tuple[str, str]] = {
    Role.ADMIN: ("管理员", "administrator"),
    Role.ISSUER: ("开票员", "issuer"),
    Role.VIEWER: ("查看员", "viewer"),
}

ACTION_WORDS: dict[Action, tuple[str, str]] = {
    Action.ISSUE: ("开具发票", "issue invoices"),
    Action.VIEW_ENTERPRISE_INVOICES: ("查看企业发票", "see the enterprise's invoices"),
    Action.REPRINT: ("重打凭条", "reprint"),
    Action.MANAGE_MEMBERS: ("管理成员", "manage members"),
}

PERMISSIONS: dict[Role, frozenset[Action]] = {
    Role.ADMIN: frozenset(Action),
    Role.ISSUER: frozenset({Action.ISSUE, Action.VIEW_ENTERPRISE_INVOICES, Action.REPRINT}),
    Role.VIEWER: frozenset({Action.VIEW_ENTERPRISE_INVOICES, Action.REPRINT}),
}
# What an account outside any enterprise may do for itself.
PERSONAL: frozenset[Action] = frozenset({Action.ISSUE, Action.REPRINT})


class MemberStatus(StrEnum):
    PENDING = "pending"  # added by an administrator; the member has not confirmed the code
    ACTIVE = "active"


@dataclass(frozen=True)
class Membership:
    """``username`` is a member of ``enterprise`` (its username) with ``role``."""

    username: str
    enterprise: str
    enterprise_name: str
    role: Role
    status: MemberStatus = MemberStatus.ACTIVE

    @property
    def active(self) -> bool:
        return self.status is MemberStatus.ACTIVE


class PermissionDenied(Exception):  # noqa: N818 - the name the rest of the kiosk uses
    """An account's role does not allow an action; the words name the role."""

    def __init__(self, username: str, action: Action, role: Role | None,
                 message_zh: str, message_en: str) -> None:
        super().__init__(message_en)
        self.username = username
        self.action = action
        self.role = role
        self.message_zh = message_zh
        self.message_en = message_en


class MemberError(ValueError):
    """A membership change was refused (no such account, not an enterprise, ...)."""

    def __init__(self, message_zh: str, message_en: str) -> None:
        super().__init__(message_en)
        self.message_zh = message_zh
        self.message_en = message_en


def denied(username: str, action: Action, role: Role | None) -> PermissionDenied:
    act_zh, act_en = ACTION_WORDS[action]
    if role is None:
        return PermissionDenied(username, action, None,
                                f"该账户不能{act_zh}。", f"This account may not {act_en}.")
    role_zh, role_en = ROLE_WORDS[role]
    return PermissionDenied(
        username, action, role,
        f"您在企业中的角色是“{role_zh}”，不能{act_zh}。请联系企业管理员。",
        f"Your role in the enterprise is {role_en}: a {role_en} may not {act_en}. "
        "Please ask the enterprise's administrator.",
    )


def _now() -> dt.datetime:
    return dt.datetime.now().astimezone()


class MembersService:
    """Memberships in the accounts database and the permission check."""

    def __init__(self, db: sqlite_utils.Database, store: AccountStore, *,
                 audit: AuditTrail | None = None,
                 clock: Callable[[], dt.datetime] = _now) -> None:
        self.db = db
        self.store = store
        self.audit = audit
        self.clock = clock

    # -- reading ------------------------------------------------------------------

    def membership(self, username: str) -> Membership | None:
        """The member's enterprise and role (pending too), or None.

        An enterprise account itself is its own administrator.
        """
        user = normalise_username(username)
        account = self.store.find(user)
        if account is None:
            return None
        if account.is_enterprise:
            return Membership(user, user, account.display_name, Role.ADMIN)
        rows = list(self.db.query(
            "SELECT e.username, e.display_name, m.role, m.status FROM memberships m"
            " JOIN accounts e ON e.id = m.enterprise_id WHERE m.member_id = ?", [account.id]))
        if not rows:
            return None
        r = rows[0]
        return Membership(user, r["username"], r["display_name"], Role(r["role"]),
                          MemberStatus(r["status"]))

    def members(self, enterprise: str) -> list[Membership]:
        ent = self._enterprise(enterprise)
        rows = self.db.query(
            "SELECT a.username, m.role, m.status FROM memberships m"
            " JOIN accounts a ON a.id = m.member_id WHERE m.enterprise_id = ? ORDER BY a.username",
            [ent.id])
        return [Membership(r["username"], ent.username, ent.display_name, Role(r["role"]),
                           MemberStatus(r["status"])) for r in rows]

    def allowed(self, username: str, action: Action) -> bool:
        try:
            self.require(username, action)
        except PermissionDenied:
            return False
        return True

    def require(self, username: str, action: Action) -> None:
        """Return if ``username`` may do ``action``; raise :class:`PermissionDenied` otherwise."""
        user = normalise_username(username)
        account = self.store.find(user)
        if account is None or account.status.value != "active":
            self._refused(user, action, None)
        assert account is not None
        member = self.membership(user)
        if member is None or not member.active:
            # On its own (or not confirmed yet): what a person may do for themself.
            if account.kind is AccountKind.ENTERPRISE or action not in PERSONAL:
                self._refused(user, action, None)
            return
        if action not in PERMISSIONS[member.role]:
            self._refused(user, action, member.role)

    def _refused(self, user: str, action: Action, role: Role | None) -> None:
        log.warning("permission refused", extra={
            "event": "accounts.denied", "username": user[:1] + "***", "action": action.value,
            "role": role.value if role else None})
        raise denied(user, action, role)

    # -- changing -----------------------------------------------------------------

    def add(self, enterprise: str, member: str, role: Role | str, *, actor: str,
            pending: bool = False) -> Membership:
        """Make ``member`` (a person account) a member of ``enterprise`` with ``role``.

        ``pending``: the member confirms with a code before the role counts
        (:meth:`confirm`); an operator's command line adds members directly.
        """
        ent = self._enterprise(enterprise)
        person = self._person(member)
        role = Role(role)
        status = MemberStatus.PENDING if pending else MemberStatus.ACTIVE
        current = self.membership(person.username)
        if current is not None and current.enterprise != ent.username:
            raise MemberError("该账户已是其他企业的成员。",
                              "That account is already a member of another enterprise.")
        with self.db.conn:
            self.db.execute(
                "INSERT INTO memberships(member_id, enterprise_id, role, status, created_at)"
                " VALUES (?, ?, ?, ?, ?) ON CONFLICT(member_id) DO UPDATE SET"
                " role = excluded.role, status = excluded.status",
                [person.id, ent.id, role.value, status.value,
                 self.clock().isoformat(timespec="seconds")])
        self._audit("accounts.role_added" if current is None else "accounts.role_changed",
                    actor, ent, person, role, previous=current.role if current else None,
                    status=status)
        return Membership(person.username, ent.username, ent.display_name, role, status)

    def confirm(self, member: str) -> Membership:
        """The member typed the code: a pending membership becomes active."""
        person = self._person(member)
        current = self.membership(person.username)
        if current is None:
            raise MemberError("没有待确认的企业邀请。", "There is no invitation to confirm.")
        with self.db.conn:
            self.db.execute("UPDATE memberships SET status = 'active' WHERE member_id = ?",
                            [person.id])
        ent = self._enterprise(current.enterprise)
        self._audit("accounts.role_confirmed", person.username, ent, person, current.role,
                    status=MemberStatus.ACTIVE)
        return Membership(person.username, ent.username, ent.display_name, current.role)

    def set_role(self, enterprise: str, member: str, role: Role | str, *, actor: str) -> Membership:
        current = self.membership(member)
        if current is None or current.enterprise != normalise_username(enterprise):
            raise MemberError("该账户不是本企业的成员。",
                              "That account is not a member of this enterprise.")
        role = Role(role)
        if role is not Role.ADMIN:
            self._keep_an_admin(current)
        return self.add(enterprise, member, role, actor=actor,
                        pending=current.status is MemberStatus.PENDING)

    def remove(self, enterprise: str, member: str, *, actor: str) -> None:
        ent = self._enterprise(enterprise)
        person = self._person(member)
        current = self.membership(person.username)
        if current is None or current.enterprise != ent.username:
            raise MemberError("该账户不是本企业的成员。",
                              "That account is not a member of this enterprise.")
        self._keep_an_admin(current)
        with self.db.conn:
            self.db.execute("DELETE FROM memberships WHERE member_id = ?", [person.id])
        self._audit("accounts.role_removed", actor, ent, person, None, previous=current.role,
                    status=current.status)

    def _keep_an_admin(self, current: Membership) -> None:
        """Refuse to remove or demote the enterprise's last active administrator.

        The enterprise's own login also acts as administrator, but it is a shared
        credential kept by whoever registered the enterprise; the members who manage
        the enterprise at the kiosk must not be able to lock each other (and
        themselves) out by taking away the last administrator role.
        """
        if current.role is not Role.ADMIN or not current.active:
            return
        others = [m for m in self.members(current.enterprise)
                  if m.role is Role.ADMIN and m.active and m.username != current.username]
        if not others:
            raise MemberError(
                "不能移除最后一位管理员，也不能更改其角色：请先指定另一位管理员。",
                "The last administrator cannot be removed or given another role: "
                "make another member an administrator first.")

    # -- helpers ------------------------------------------------------------------

    def _enterprise(self, username: str) -> Account:
        ent = self.store.find(username)
        if ent is None or not ent.is_enterprise:
            raise MemberError("没有这个企业账户。", "There is no such enterprise account.")
        return ent

    def _person(self, username: str) -> Account:
        person = self.store.find(username)
        if person is None or person.kind is not AccountKind.PERSON:
            raise MemberError("成员须为已注册的个人账户。",
                              "A member must be a registered person account.")
        return person

    def _audit(self, action: str, actor: str, ent: Account, person: Account, role: Role | None,
               *, previous: Role | None = None, status: MemberStatus | None = None) -> None:
        log.info("role change: %s", action, extra={
            "event": action, "enterprise": ent.username, "member": person.username[:1] + "***",
            "role": role.value if role else None})
        if self.audit is None:
            return
        self.audit.record(action, actor or "kiosk", {
            "enterprise": ent.username, "member": person.username,
            "role": role.value if role else None,
            "previous": previous.value if previous else None,
            "status": status.value if status else None})
