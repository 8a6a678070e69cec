"""The account screens: registration, phone-code login, forgotten password, members.

Each screen has two stages in :class:`~kiosk.flow.states.AccountDraft`: the form,
then the code sent to the phone (or e-mail). The work (scrypt, sending an SMS)
goes to the :class:`~kiosk.flow.ports.Runner`, so the screen never freezes; a
result that comes back after a wipe is dropped. Every rule is the core's
(:class:`kiosk.accounts.AccountsService`): the password policy, the code
throttling, and who may manage members; the flow only carries the words of
a refusal to the screen. Phone numbers and addresses are shown masked.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from kiosk.accounts import Account, Action, PermissionDenied, Role
from kiosk.accounts.members import ROLE_WORDS
from kiosk.flow.core import FlowCore, intent, log
from kiosk.flow.ports import IssuePorts, Runner
from kiosk.flow.states import AccountDraft, Screen
from kiosk.flow.transitions import Intent
from kiosk.flow.words import say, text_of


class AccountStep:
    """Intents of the REGISTER, CODE_LOGIN, FORGOT_PASSWORD and MEMBERS screens."""

    def __init__(self, core: FlowCore, ports: IssuePorts, runner: Runner, *,
                 identified: Callable[[Account], None]) -> None:
        self.core = core
        self.ports = ports
        self.runner = runner
        self._identified = identified

    @property
    def draft(self) -> AccountDraft:
        return self.core.data.account_draft

    # -- opening the screens ------------------------------------------------------------

    @intent(Intent.ACCOUNT_OPEN)
    def open(self, screen: Screen) -> None:
        """From LOGIN: register / phone code / forgot password; from ORDERS: members."""
        core = self.core
        core.touch()
        core.start()
        core.data.account_draft = AccountDraft()
        core.data.notice = None
        if screen is Screen.MEMBERS:
            accounts = self.ports.accounts
            identity = core.data.identity
            account = identity.account if identity is not None else None
            if accounts is None or account is None:
                core.notice(say("flow.account.no_service"))
                return
            try:
                accounts.require(account.username, Action.MANAGE_MEMBERS)
            except PermissionDenied as err:
                core.notice(text_of(err, None))
                return
            self._load_members()
        core.go(screen)

    def _load_members(self) -> None:
        accounts, admin = self.ports.accounts, self._username()
        member = accounts.membership(admin) if accounts and admin else None
        if accounts is None or member is None:
            return
        self.draft.members = tuple((m.username, m.role.value, m.active)
                                   for m in accounts.members.members(member.enterprise))

    # -- registration -------------------------------------------------------------------

    @intent(Intent.ACCOUNT_SUBMIT)
    def register(self, *, kind: str, username: str, password: str, repeat: str, name: str,
                 phone: str, email: str = "", tax_id: str = "", contact: str = "",
                 by_email: bool = False) -> None:
        """The registration form: a pending account and a code to confirm it."""
        core = self.core
        core.touch()
        if core.screen is not Screen.REGISTER:
            return
        if password != repeat:
            core.notice(say("flow.account.passwords_differ"))
            return
        accounts = self.ports.accounts
        if accounts is None:
            core.notice(say("flow.account.no_service"))
            return
        if kind == "enterprise":
            def work() -> Any:
                return accounts.register_enterprise(
                    username, password, name=name, tax_id=tax_id, contact=contact, phone=phone,
                    email=email, code_by_email=by_email)
        else:
            def work() -> Any:
                return accounts.register_person(username, password, name=name, phone=phone,
                                                email=email, code_by_email=by_email)

        def sent(result: Any) -> None:
            d = self.draft
            d.stage, d.kind, d.by_email = "code", kind, by_email
            d.username = result.account.username if result.account else username
            d.sent_to = result.masked_to
            core.notice(say("flow.account.code_sent", to=result.masked_to))

        core.log("account_register", "registration submitted", kind=kind)
        self._run("account.register", work, sent)

    @intent(Intent.ACCOUNT_SUBMIT)
    def confirm_registration(self, code: str) -> None:
        core = self.core
        core.touch()
        accounts = self.ports.accounts
        d = self.draft
        if core.screen is not Screen.REGISTER or d.stage != "code" or accounts is None:
            return
        if not code.strip():
            core.notice(say("flow.account.code_missing"))
            return
        username, by_email = d.username, d.by_email

        def done(account: Account) -> None:
            core.log("account_registered", "registration confirmed", kind=account.kind.value)
            self._identified(account)
            core.notice(say("flow.account.registered"))

        self._run("account.confirm", lambda: accounts.confirm_registration(
            username, code, by_email=by_email), done)

    # -- login by phone and code -----------------------------------------------------

    @intent(Intent.ACCOUNT_SUBMIT)
    def send_login_code(self, phone: str) -> None:
        core = self.core
        core.touch()
        accounts = self.ports.accounts
        if core.screen is not Screen.CODE_LOGIN or accounts is None:
            return

        def sent(masked: str) -> None:
            d = self.draft
            d.stage, d.phone, d.sent_to = "code", phone, masked
            core.notice(say("flow.account.login_code_sent", to=masked))

        self._run("account.login_code", lambda: accounts.request_login_code(phone), sent)

    @intent(Intent.ACCOUNT_SUBMIT)
    def login_with_code(self, code: str) -> None:
        core = self.core
        core.touch()
        accounts = self.ports.accounts
        d = self.draft
        if core.screen is not Screen.CODE_LOGIN or d.stage != "code" or accounts is None:
            return
        if not code.strip():
            core.notice(say("flow.account.code_missing"))
            return
        phone = d.phone

        def done(account: Account) -> None:
            core.log("identified_by_code", "identified by phone code", method="code")
            self._identified(account)

        self._run("account.login", lambda: accounts.login_by_code(phone, code), done)

    # -- forgotten password ----------------------------------------------------------

    @intent(Intent.ACCOUNT_SUBMIT)
    def send_reset_code(self, username: str, by_email: bool = False) -> None:
        core = self.core
        core.touch()
        accounts = self.ports.accounts
        if core.screen is not Screen.FORGOT_PASSWORD or accounts is None:
            return

        def sent(masked: str) -> None:
            d = self.draft
            d.stage, d.username, d.by_email, d.sent_to = "code", username, by_email, masked
            core.notice(say("flow.account.code_sent", to=masked))

        self._run("account.reset_code",
                  lambda: accounts.request_password_reset(username, by_email=by_email), sent)

    @intent(Intent.ACCOUNT_SUBMIT)
    def reset_password(self, code: str, password: str, repeat: str) -> None:
        core = self.core
        core.touch()
        accounts = self.ports.accounts
        d = self.draft
        if core.screen is not Screen.FORGOT_PASSWORD or d.stage != "code" or accounts is None:
            return
        if password != repeat:
            core.notice(say("flow.account.passwords_differ"))
            return
        username, by_email = d.username, d.by_email

        def done(_: Any) -> None:
            core.log("password_reset", "password reset by code")
            core.data.account_draft = AccountDraft()
            core.go(Screen.LOGIN)
            core.notice(say("flow.account.password_changed"))

        self._run("account.reset", lambda: accounts.reset_password(
            username, code, password, by_email=by_email), done)

    # -- members -------------------------------------------------------------------------

    @intent(Intent.ACCOUNT_SUBMIT)
    def invite(self, member: str, role: str) -> None:
        """An administrator adds a member; the code goes to the member's phone."""
        core = self.core
        core.touch()
        accounts = self.ports.accounts
        admin = self._username()
        if core.screen is not Screen.MEMBERS or accounts is None or admin is None:
            return

        def sent(masked: str) -> None:
            self._load_members()
            d = self.draft
            d.stage, d.member, d.sent_to = "code", member.strip(), masked
            core.notice(say("flow.account.member_invited", member=member.strip(), to=masked))

        self._run("account.invite", lambda: accounts.invite_member(admin, member, Role(role)),
                  sent)

    @intent(Intent.ACCOUNT_SUBMIT)
    def confirm_member(self, code: str) -> None:
        """The new member, at the kiosk beside the administrator, types the code."""
        core = self.core
        core.touch()
        accounts = self.ports.accounts
        d = self.draft
        if core.screen is not Screen.MEMBERS or d.stage != "code" or accounts is None:
            return
        member = d.member

        def done(membership: Any) -> None:
            role_zh, role_en = ROLE_WORDS[membership.role]
            core.data.account_draft = AccountDraft()
            self._load_members()
            # The role in each language's words; the tone (good news) from the catalogue.
            core.notice(replace(say("flow.account.member_confirmed", member=member,
                                    role=role_zh),
                                en=say("flow.account.member_confirmed", member=member,
                                       role=role_en).en))

        self._run("account.confirm_member", lambda: accounts.confirm_member(member, code), done)

    @intent(Intent.ACCOUNT_SUBMIT)
    def set_member_role(self, member: str, role: str) -> None:
        """An administrator gives a member another role (the page asked to confirm)."""
        core = self.core
        core.touch()
        accounts = self.ports.accounts
        admin = self._username()
        if core.screen is not Screen.MEMBERS or accounts is None or admin is None:
            return

        def done(membership: Any) -> None:
            role_zh, role_en = ROLE_WORDS[membership.role]
            self._load_members()
            core.notice(replace(say("flow.account.member_role_changed", member=member,
                                    role=role_zh),
                                en=say("flow.account.member_role_changed", member=member,
                                       role=role_en).en))

        self._run("account.member_role",
                  lambda: accounts.set_member_role(admin, member, Role(role)), done)

    @intent(Intent.ACCOUNT_SUBMIT)
    def remove_member(self, member: str) -> None:
        """An administrator removes a member, or cancels a pending invitation."""
        core = self.core
        core.touch()
        accounts = self.ports.accounts
        admin = self._username()
        if core.screen is not Screen.MEMBERS or accounts is None or admin is None:
            return

        def work() -> bool:
            current = accounts.membership(member)
            accounts.remove_member(admin, member)
            return current is not None and not current.active

        def done(pending: bool) -> None:
            if self.draft.member == member:  # the code stage of a cancelled invitation
                core.data.account_draft = AccountDraft()
            self._load_members()
            core.notice(say("flow.account.invitation_cancelled" if pending
                            else "flow.account.member_removed", member=member))

        self._run("account.member_remove", work, done)

    @intent(Intent.ACCOUNT_SUBMIT)
    def resend_member_code(self, member: str) -> None:
        """A new code for a pending invitation; the page shows the code stage for it."""
        core = self.core
        core.touch()
        accounts = self.ports.accounts
        admin = self._username()
        if core.screen is not Screen.MEMBERS or accounts is None or admin is None:
            return

        def sent(masked: str) -> None:
            d = self.draft
            d.stage, d.member, d.sent_to = "code", member, masked
            core.notice(say("flow.account.member_invited", member=member, to=masked))

        self._run("account.member_resend",
                  lambda: accounts.resend_member_code(admin, member), sent)

    @intent(Intent.ACCOUNT_SUBMIT)
    def start_over(self) -> None:
        """"Change the details": back to the form of the same screen."""
        self.core.touch()
        # The members list stays on show (it is the enterprise's, not the form's).
        self.core.data.account_draft = AccountDraft(kind=self.draft.kind,
                                                    members=self.draft.members)
        self.core.notice(None)

    # -- shared ----------------------------------------------------------------------

    def _username(self) -> str | None:
        identity = self.core.data.identity
        return identity.account.username if identity and identity.account else None

    def _run(self, name: str, work: Callable[[], Any], ok: Callable[[Any], None]) -> None:
        """Run ``work`` on the runner; on return (same session, same screen) ``ok(result)``,
        or the refusal's words as the notice."""
        core = self.core
        session_id, screen = core.data.session_id, core.screen
        core.data.notice = None

        def done(result: Any, error: BaseException | None) -> None:
            with core.acting(Intent.ACCOUNT_SUBMIT):
                if core.data.session_id != session_id or core.screen is not screen:
                    return  # wiped or moved on meanwhile
                core.touch()
                if error is not None:
                    words = text_of(error, None)
                    if words is None:
                        log.error("account step failed", exc_info=error, extra={
                            "event": "session.account_error", "session": session_id,
                            "step": name})
                        words = say("flow.account.code_failed")
                    core.notice(words)
                    return
                ok(result)
                core.changed()

        self.runner.submit(name, work, done)
