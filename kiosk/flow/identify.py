"""Attract, terms and identification: the first touches of a walk-in, the privacy
notice, the ID card (after its own consent), an account login.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from kiosk.flow.core import FlowCore, intent, log
from kiosk.flow.ports import AccountPorts
from kiosk.flow.states import BuyerDraft, Identity, IdMethod, Screen
from kiosk.flow.transitions import Intent
from kiosk.flow.words import say, text_of
from kiosk.masking import mask_name
from kiosk.messages import Problem, text_for
from kiosk.model import BuyerType

if TYPE_CHECKING:
    from kiosk.accounts import Account

# Reader problems whose own words help the person more than "place the card again".
PERSON_FACING_CARD_PROBLEMS = frozenset({"idcard.card_type_unsupported"})

WAYS: dict[str, Screen] = {"type": Screen.ORDERS, "idcard": Screen.IDCARD_CONSENT,
                           "login": Screen.LOGIN, "qr": Screen.IDENTIFY,
                           "business": Screen.LOGIN}


class IdentifyStep:
    """The attract screen's ways in, the privacy notice, ID card and account login."""

    def __init__(self, core: FlowCore, ports: AccountPorts,
                 settle_offer: Callable[[], None]) -> None:
        self.core = core
        self.ports = ports
        self._settle_offer = settle_offer  # a title code that waited for the notice

    @intent(Intent.BEGIN)
    def begin(self, way: str) -> None:
        """A button on the attract screen: ``type`` (order number), ``idcard``, ``login``,
        ``qr`` (personal code), ``business``. Terms come first; then the chosen way."""
        core = self.core
        core.touch()
        core.start()
        after = WAYS.get(way, Screen.IDENTIFY)
        if core.data.terms_accepted:
            core.go(after, way=way)
        else:
            core.data.pending_after_terms = after
            core.go(Screen.TERMS, way=way)

    @intent(Intent.ACCEPT_TERMS)
    def accept_terms(self) -> None:
        """The privacy notice accepted on TERMS: on to the way or screen chosen before it."""
        core = self.core
        core.touch()
        core.start()
        core.data.terms_accepted = True
        core.log("terms_accepted", "terms accepted")
        if core.screen is Screen.TERMS:
            nxt = core.data.pending_after_terms or Screen.IDENTIFY
            core.data.pending_after_terms = core.data.terms_from = None
            self._settle_offer()
            core.go(nxt)

    @intent(Intent.SHOW_TERMS)
    def show_terms(self) -> None:
        """The full notice from its summary (beside the result's e-mail field); accepting
        it, or going back, returns there."""
        self.core.touch()
        self.core.data.pending_after_terms = self.core.data.terms_from = self.core.screen
        self.core.go(Screen.TERMS)

    @intent(Intent.CHOOSE)
    def choose(self, method: str) -> None:
        """On IDENTIFY: ``idcard``, ``account``, ``qr`` (a hint: scan it) or skip."""
        core = self.core
        core.touch()
        if method == "idcard":
            core.go(Screen.IDCARD_CONSENT)
        elif method == "account":
            core.go(Screen.LOGIN)
        elif method == "qr":
            core.notice(say("flow.personal_qr_hint"))
        else:  # skip: a walk-in without identification
            core.go(Screen.ORDERS)

    @intent(Intent.CONSENT_IDCARD)
    def consent_idcard(self, agreed: bool) -> None:
        """Separate consent before the ID card is read (sensitive personal data)."""
        self.core.touch()
        self.core.log("idcard_consent", "ID card consent", agreed=agreed)
        self.core.go(Screen.IDCARD_READING if agreed else Screen.IDENTIFY)

    @intent(Intent.IDCARD_READ)
    def idcard_read(self, name: str, id_number: str) -> None:
        """The reader delivered an identity. Ignored unless the user consented (READING)."""
        core = self.core
        if core.screen is not Screen.IDCARD_READING:
            core.log("idcard_ignored", "ID card read without consent ignored")
            return
        core.touch()
        core.data.identity = Identity(IdMethod.IDCARD, name=name, id_number=id_number)
        core.data.buyer = BuyerDraft(type=BuyerType.PERSON, name=name)
        self._load_titles()
        core.log("identified", "identified by ID card", method="idcard", holder=mask_name(name))
        core.go(Screen.ORDERS)

    def idcard_failed(self, problem: Problem | str = "") -> None:
        """The reader could not read the card: say so, stay on the reading screen. A card
        the reader cannot decode at all (another kind of permit) is told as such: lifting
        and placing it again would not help."""
        if self.core.screen is Screen.IDCARD_READING:
            code = problem.code if isinstance(problem, Problem) else ""
            self.core.log("idcard_failed", "ID card read failed", problem=code)
            if code in PERSON_FACING_CARD_PROBLEMS:
                assert isinstance(problem, Problem)
                self.core.notice(text_for(problem))
            else:
                self.core.notice(say("flow.idcard_failed"))

    def _load_titles(self) -> None:
        identity = self.core.data.identity
        titles_for = self.ports.titles_for
        if identity is not None and titles_for is not None:
            try:
                self.core.data.titles = list(titles_for(identity))
            except Exception:
                log.exception("titles could not be loaded", extra={"event": "session.titles_error"})

    @intent(Intent.LOGIN)
    def login(self, user: str, password: str) -> None:
        core = self.core
        core.touch()
        authenticate = self.ports.authenticate
        if authenticate is None:
            core.notice(say("flow.no_accounts"))
            return
        try:
            account = authenticate(user, password)
        except Exception as err:
            core.data.login_failures += 1
            core.log("login_failed", "login failed", failures=core.data.login_failures)
            core.notice(text_of(err, say("flow.login_failed")))
            return
        self.account_identified(account)

    def account_identified(self, account: Account) -> None:
        """An account proved itself (password, phone code, a confirmed registration):
        identify the session as it and go on (a business account: the catalogue).
        Runs under the caller's intent."""
        core = self.core
        business = account.is_business
        display = account.display_name or account.username
        role = ""
        accounts = getattr(self.ports, "accounts", None)
        if accounts is not None:
            member = accounts.membership(account.username)
            role = member.role.value if member is not None and member.active else ""
        core.data.identity = Identity(IdMethod.ACCOUNT, name=display, account=account,
                                      business=business, role=role)
        self._load_titles()
        core.data.notice = None
        core.log("identified", "identified by account", method="account", business=business,
                 titles=len(core.data.titles))
        core.go(Screen.CATALOGUE if business else Screen.ORDERS)
