"""AccountsService: registration, code login, password reset, members and the permission check.

What the flow (:mod:`kiosk.flow.account`) and the command line
(``kiosk accounts``) use; composed of the :class:`AccountStore`, the
:class:`MembersService`, the :class:`VerificationCodes` and a
:class:`~kiosk.messaging.Messenger`. Every refusal carries zh/en words for
the screen; phone numbers and e-mail addresses reach the log masked only.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import sqlite_utils

from kiosk.accounts.codes import CodeError, CodePolicy, CodePurpose, VerificationCodes
from kiosk.accounts.members import Action, MemberError, Membership, MembersService, Role
from kiosk.accounts.passwords import check_password
from kiosk.accounts.store import (
    Account,
    AccountError,
    AccountKind,
    AccountStatus,
    AccountStore,
    AuthError,
    inactive_error,
    mask_username,
    normalise_username,
)
from kiosk.masking import mask_email, mask_phone
from kiosk.messaging.port import CodeMessage, MessagingError, Messenger

if TYPE_CHECKING:
    from kiosk.audit import AuditTrail

log = logging.getLogger("kiosk.accounts")

MOBILE_RE = re.compile(r"1[3-9]\d{9}")


def normalise_mobile(phone: str) -> str:
    """The 11 digits of a mainland mobile number ("+86 138-0013-8000" too), or ""."""
    digits = "".join(ch for ch in unicodedata.normalize("NFKC", phone or "") if ch.isdigit())
    if len(digits) == 13 and digits.startswith("86"):
        digits = digits[2:]
    return digits if MOBILE_RE.fullmatch(digits) else ""


def masked(destination: str) -> str:
    return mask_email(destination) if "@" in destination else mask_phone(destination)


@dataclass(frozen=True)
class CodeSent:
    """A code went to ``masked_to`` (what the screen may show)."""

    masked_to: str
    account: Account | None = None


def _local_now() -> dt.datetime:
    return dt.datetime.now().astimezone()


class AccountsService:
    def __init__(self, db: sqlite_utils.Database, *, messenger: Messenger | None = None,
                 audit: AuditTrail | None = None, code_policy: CodePolicy | None = None,
                 clock: Callable[[], dt.datetime] = _local_now) -> None:
        self.db = db
        self.store = AccountStore(db, clock=clock)
        self.members = MembersService(db, self.store, audit=audit, clock=clock)
        self.codes = VerificationCodes(db, policy=code_policy, clock=clock)
        self.messenger = messenger
        self.audit = audit
        self.clock = clock

    # -- roles ----------------------------------------------------------------------

    def membership(self, username: str) -> Membership | None:
        return self.members.membership(username)

    def require(self, username: str, action: Action) -> None:
        """Raise :class:`~kiosk.accounts.members.PermissionDenied` unless allowed."""
        self.members.require(username, action)

    def allowed(self, username: str, action: Action) -> bool:
        return self.members.allowed(username, action)

    # -- codes ----------------------------------------------------------------------

    def send_code(self, destination: str, purpose: CodePurpose) -> str:
        """Issue a code and send it; the masked destination. CodeError / MessagingError."""
        if self.messenger is None:
            raise MessagingError("no messaging is set up on this kiosk", permanent=True)
        code = self.codes.issue(destination, purpose)
        message = CodeMessage(destination, code, purpose.value,
                              minutes=max(1, self.codes.policy.ttl_s // 60))
        self.messenger.send(message)
        log.info("code sent to %s", message.masked_to, extra={
            "event": "accounts.code_sent", "to": message.masked_to, "purpose": purpose.value})
        return message.masked_to

    # -- registration ---------------------------------------------------------------

    def register_person(self, username: str, password: str, *, name: str, phone: str,
                        email: str = "", code_by_email: bool = False) -> CodeSent:
        """A pending person account and a code to its phone (or e-mail)."""
        mobile = self._mobile(phone)
        email = self._email(email, required=code_by_email)
        check_password(password, [username, name, mobile, email])
        self._drop_unconfirmed(username, mobile)
        account = self.store.create(username, password, AccountKind.PERSON, name, phone=mobile,
                                    email=email, status=AccountStatus.PENDING)
        return self._registration_code(account, email if code_by_email else mobile)

    def register_enterprise(self, username: str, password: str, *, name: str, tax_id: str,
                            contact: str, phone: str, email: str = "",
                            code_by_email: bool = False) -> CodeSent:
        """A pending enterprise account (credit code checked) and a code to confirm it."""
        name = name.strip()
        contact = contact.strip()
        if not name or not contact:
            raise AccountError("请填写企业名称和联系人。",
                               "Enter the enterprise's name and the contact person.")
        code = self._credit_code(tax_id)
        mobile = self._mobile(phone)
        email = self._email(email, required=code_by_email)
        check_password(password, [username, name, contact, mobile, email, code])
        self._drop_unconfirmed(username, mobile)
        account = self.store.create(username, password, AccountKind.ENTERPRISE, name,
                                    phone=mobile, email=email, tax_id=code, contact=contact,
                                    status=AccountStatus.PENDING)
        self._audit("accounts.enterprise_registered", account.username,
                    {"enterprise": account.username, "tax_id": code})
        return self._registration_code(account, email if code_by_email else mobile)

    def _drop_unconfirmed(self, username: str, mobile: str) -> None:
        """A registration never confirmed (walked away, session wiped) does not hold the
        username or the number: registering again replaces it. It could not log in."""
        with self.db.conn:
            self.db.execute(
                "DELETE FROM accounts WHERE status = 'pending' AND (username = ? OR phone = ?)"
                " AND id NOT IN (SELECT member_id FROM memberships)"
                " AND id NOT IN (SELECT enterprise_id FROM memberships)",
                [normalise_username(username), mobile])

    def _registration_code(self, account: Account, destination: str) -> CodeSent:
        try:
            return CodeSent(self.send_code(destination, CodePurpose.REGISTER), account)
        except BaseException:  # no code, no account: the person can simply try again
            with self.db.conn:
                self.db.execute("DELETE FROM accounts WHERE id = ? AND status = 'pending'",
                                [account.id])
            raise

    def confirm_registration(self, username: str, code: str, *, by_email: bool = False) -> Account:
        account = self._find(username)
        if account.status is not AccountStatus.PENDING:
            raise AccountError("该账户已验证，可直接登录。",
                               "That account is verified already: log in.")
        self.codes.check(account.email if by_email else account.phone,
                         CodePurpose.REGISTER, code)
        self.store.set_status(account.id, AccountStatus.ACTIVE)
        log.info("account verified", extra={"event": "accounts.verified",
                                             "username": mask_username(account.username)})
        return self._find(username)

    # -- login ----------------------------------------------------------------------

    def authenticate(self, username: str, password: str) -> Account:
        return self.store.authenticate(username, password)

    def request_login_code(self, phone: str) -> str:
        """Send a login code if an active account has this number; the masked number.

        The answer is the same whether the number is registered or not (no
        enumeration at a public screen); an unknown number spends its throttle too.
        """
        mobile = self._mobile(phone)
        account = self.store.find_by_phone(mobile)
        if account is None or account.status is not AccountStatus.ACTIVE:
            self.codes.issue(mobile, CodePurpose.LOGIN)  # counted, never sent
            log.info("login code for an unregistered number %s", mask_phone(mobile),
                     extra={"event": "accounts.code_unknown_number", "to": mask_phone(mobile)})
            return mask_phone(mobile)
        return self.send_code(mobile, CodePurpose.LOGIN)

    def login_by_code(self, phone: str, code: str) -> Account:
        mobile = self._mobile(phone)
        self.codes.check(mobile, CodePurpose.LOGIN, code)
        account = self.store.find_by_phone(mobile)
        if account is None:  # a code for an unknown number is never sent, so never typed
            raise CodeError("no_code", "没有有效的验证码，请重新获取。",
                            "There is no valid code: ask for a new one.")
        if account.status is not AccountStatus.ACTIVE:
            raise inactive_error(account)
        log.info("login by phone code", extra={"event": "accounts.login", "outcome": "ok",
                                               "username": mask_username(account.username),
                                               "method": "code"})
        return account

    # -- forgotten password ---------------------------------------------------------

    def request_password_reset(self, username: str, *, by_email: bool = False) -> str:
        """Send a reset code to the account's registered phone (or e-mail)."""
        account = self.store.find(username)
        destination = (account.email if by_email else account.phone) if account else ""
        if account is None or not destination:
            raise AccountError(
                "找不到该账户登记的" + ("邮箱。" if by_email else "手机号。"),
                "No registered " + ("e-mail address" if by_email else "mobile number")
                + " for that account.")
        return self.send_code(destination, CodePurpose.RESET)

    def reset_password(self, username: str, code: str, new_password: str, *,
                       by_email: bool = False) -> Account:
        account = self._find(username)
        check_password(new_password, [account.username, account.display_name, account.phone,
                                      account.email])
        self.codes.check(account.email if by_email else account.phone, CodePurpose.RESET, code)
        self.store.set_password(account.id, new_password)
        with self.db.conn:
            self.db.execute("DELETE FROM login_throttle WHERE username = ?", [account.username])
        self._audit("accounts.password_reset", account.username, {"by": "code"})
        return account

    # -- members ------------------------------------------------------------------------

    def invite_member(self, admin: str, member: str, role: Role | str) -> str:
        """An administrator adds ``member`` (pending); a code goes to the member's phone."""
        self.require(admin, Action.MANAGE_MEMBERS)
        ent = self.membership(admin)
        assert ent is not None  # require() passed: admin of an enterprise
        person = self.store.find(member)
        if person is None:  # say how the member gets an account, not only that there is none
            raise AccountError(
                "没有这个账户：成员须先在本机以个人身份注册（或由运营人员创建账户），再添加。",
                "There is no such account: the member must first register as a person at "
                "this kiosk (or the operator creates the account), then add them here.")
        current = self.membership(person.username)
        if current is not None and current.active and current.enterprise == ent.enterprise:
            # Inviting again would make an active member pending (and could take the
            # last administrator's role away past the check in set_role).
            raise MemberError("该账户已是本企业的成员：请更改其角色。",
                              "That account is already a member: change its role instead.")
        destination = person.phone or person.email
        if not destination:
            raise AccountError("该成员没有登记手机号或邮箱，无法发送验证码。",
                               "That member has no mobile number or e-mail for the code.")
        self.members.add(ent.enterprise, person.username, role, actor=normalise_username(admin),
                         pending=True)
        return self.send_code(destination, CodePurpose.MEMBER)

    def confirm_member(self, member: str, code: str) -> Membership:
        person = self._find(member)
        self.codes.check(person.phone or person.email, CodePurpose.MEMBER, code)
        return self.members.confirm(person.username)

    def set_member_role(self, admin: str, member: str, role: Role | str) -> Membership:
        """An administrator gives a member of the same enterprise another role."""
        enterprise = self._managed(admin)
        return self.members.set_role(enterprise, member, role, actor=normalise_username(admin))

    def remove_member(self, admin: str, member: str) -> None:
        """An administrator removes a member (or cancels a pending invitation)."""
        enterprise = self._managed(admin)
        self.members.remove(enterprise, member, actor=normalise_username(admin))

    def resend_member_code(self, admin: str, member: str) -> str:
        """A new code for a pending invitation (the code throttling applies)."""
        enterprise = self._managed(admin)
        current = self.membership(member)
        if current is None or current.enterprise != enterprise or current.active:
            raise MemberError("没有待确认的企业邀请。", "There is no invitation to confirm.")
        person = self._find(member)
        destination = person.phone or person.email
        if not destination:
            raise AccountError("该成员没有登记手机号或邮箱，无法发送验证码。",
                               "That member has no mobile number or e-mail for the code.")
        return self.send_code(destination, CodePurpose.MEMBER)

    def _managed(self, admin: str) -> str:
        """The enterprise ``admin`` may manage (the one permission check), or refuse."""
        self.require(admin, Action.MANAGE_MEMBERS)
        ent = self.membership(admin)
        assert ent is not None  # require() passed: admin of an enterprise
        return ent.enterprise

    # -- operators (kiosk accounts ...) -------------------------------------------------

    def create_account(self, username: str, password: str, kind: AccountKind | str, *,
                       name: str = "", tax_id: str = "", phone: str = "", email: str = "",
                       enterprise: str = "", role: Role | str | None = None,
                       actor: str = "operator") -> Account:
        """An active account made by an operator (policy applied; no code needed)."""
        kind = AccountKind(kind)
        mobile = self._mobile(phone) if phone.strip() else ""
        email = self._email(email, required=False)
        code = self._credit_code(tax_id) if kind is AccountKind.ENTERPRISE else ""
        if tax_id.strip() and kind is not AccountKind.ENTERPRISE:
            raise AccountError("只有企业账户有统一社会信用代码。",
                               "Only an enterprise account has a tax ID.")
        if enterprise and kind is not AccountKind.PERSON:
            raise AccountError("只有个人账户可以成为企业成员。",
                               "Only a person account can be a member of an enterprise.")
        if enterprise and self.store.find(enterprise) is None:
            raise AccountError("没有这个企业账户。", "There is no such enterprise account.")
        check_password(password, [username, name, mobile, email])
        account = self.store.create(username, password, kind, name or username, phone=mobile,
                                    email=email, tax_id=code)
        self._audit("accounts.created", actor, {"username": account.username,
                                                "kind": kind.value})
        if enterprise:
            self.members.add(enterprise, account.username, role or Role.VIEWER, actor=actor)
        return account

    def disable(self, username: str, *, actor: str = "operator") -> Account:
        account = self._find(username)
        self.store.set_status(account.id, AccountStatus.DISABLED)
        self._audit("accounts.disabled", actor, {"username": account.username})
        return self._find(username)

    def set_password(self, username: str, password: str, *, actor: str = "operator") -> Account:
        account = self._find(username)
        check_password(password, [account.username, account.display_name, account.phone,
                                  account.email])
        self.store.set_password(account.id, password)
        with self.db.conn:
            self.db.execute("DELETE FROM login_throttle WHERE username = ?", [account.username])
        self._audit("accounts.password_reset", actor, {"username": account.username,
                                                       "by": "operator"})
        return account

    def accounts(self) -> list[tuple[Account, Membership | None]]:
        return [(a, self.membership(a.username)) for a in self.store.all()]

    # -- helpers ----------------------------------------------------------------------

    def _find(self, username: str) -> Account:
        account = self.store.find(username)
        if account is None:
            raise AccountError("没有这个账户。", "There is no such account.")
        return account

    @staticmethod
    def _mobile(phone: str) -> str:
        mobile = normalise_mobile(phone)
        if not mobile:
            raise AccountError("请输入 11 位手机号码（1 开头）。",
                               "Enter an 11-digit mobile number (starting with 1).")
        return mobile

    @staticmethod
    def _email(email: str, *, required: bool) -> str:
        from kiosk.rules import is_valid_email

        email = unicodedata.normalize("NFKC", email or "").strip()
        if not email and not required:
            return ""
        if not is_valid_email(email):
            raise AccountError("邮箱地址格式不正确。", "That is not an e-mail address.")
        return email

    @staticmethod
    def _credit_code(tax_id: str) -> str:
        from kiosk.rules import TaxIdKind, classify_tax_id, normalise_tax_id
        from kiosk.rules.identifiers import registration_words

        code = normalise_tax_id(tax_id)
        check = classify_tax_id(code)
        if not code:
            raise AccountError("请输入统一社会信用代码。", "Enter the unified social credit code.")
        if check.kind is not TaxIdKind.CREDIT_CODE or not check.ok:
            zh, en = registration_words(check)
            zh = zh or "统一社会信用代码不正确。"
            en = en or "That is not a valid unified social credit code."
            if check.kind is not TaxIdKind.CREDIT_CODE and check.ok:
                zh, en = ("请输入 18 位统一社会信用代码。",
                          "Enter the 18-character unified social credit code.")
            raise AccountError(zh, en)
        return code

    def _audit(self, action: str, actor: str, data: dict[str, object]) -> None:
        if self.audit is not None:
            self.audit.record(action, actor or "kiosk", dict(data))


__all__ = ["AccountsService", "AuthError", "CodeSent", "normalise_mobile"]
