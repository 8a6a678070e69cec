"""Attract, terms and identification: the first touches of a walk-in, the privacy
notice, the ID card (after its own consent), an account login.
"""

from __future__ import annotations

from kiosk.flow.base import T_IDCARD_FAILED, T_NO_ACCOUNTS, SessionBase, _text_of, log
from kiosk.flow.states import BuyerDraft, Identity, IdMethod, Screen, Text
from kiosk.masking import mask_name
from kiosk.model import BuyerType


class IdentifyMixin(SessionBase):
    """The attract screen's ways in, the privacy notice, ID card and account login."""

    # --- attract, terms, identification -------------------------------------------

    def begin(self, way: str) -> None:
        """A button on the attract screen: ``type`` (order number), ``idcard``, ``login``,
        ``qr`` (personal code), ``business``. Terms come first; then the chosen way."""
        self.touch()
        self._start()
        after = {"type": Screen.ORDERS, "idcard": Screen.IDCARD_CONSENT, "login": Screen.LOGIN,
                 "qr": Screen.IDENTIFY, "business": Screen.LOGIN}.get(way, Screen.IDENTIFY)
        if self.data.terms_accepted:
            self._go(after, way=way)
        else:
            self.data.pending_after_terms = after
            self._go(Screen.TERMS, way=way)

    def accept_terms(self) -> None:
        """The privacy notice accepted (on TERMS, or the summary on ORDERS)."""
        self.touch()
        self._start()
        self.data.terms_accepted = True
        self._log("terms_accepted", "terms accepted")
        if self.screen is Screen.TERMS:
            nxt = self.data.pending_after_terms or Screen.IDENTIFY
            self.data.pending_after_terms = None
            self._go(nxt)
        elif self.screen is Screen.ORDERS:
            self.orders_continue()

    def show_terms(self) -> None:
        """The full notice from the summary on ORDERS; accepting it comes back to ORDERS."""
        self.touch()
        self.data.pending_after_terms = self.screen
        self._go(Screen.TERMS)

    def choose_identification(self, method: str) -> None:
        self.touch()
        if method == "idcard":
            self._go(Screen.IDCARD_CONSENT)
        elif method == "account":
            self._go(Screen.LOGIN)
        elif method == "qr":
            self._notice(Text("请将个人二维码对准扫码口", "Hold your personal QR code to the scanner"))
        else:  # skip: a walk-in without identification
            self._go(Screen.ORDERS)

    def consent_idcard(self, agreed: bool) -> None:
        """Separate consent before the ID card is read (sensitive personal data)."""
        self.touch()
        self._log("idcard_consent", "ID card consent", agreed=agreed)
        self._go(Screen.IDCARD_READING if agreed else Screen.IDENTIFY)

    def idcard_read(self, name: str, id_number: str) -> None:
        """The reader delivered an identity. Ignored unless the user consented (READING)."""
        if self.screen is not Screen.IDCARD_READING:
            self._log("idcard_ignored", "ID card read without consent ignored")
            return
        self.touch()
        self.data.identity = Identity(IdMethod.IDCARD, name=name, id_number=id_number)
        self.data.buyer = BuyerDraft(type=BuyerType.PERSON, name=name)
        self._load_titles()
        self._log("identified", "identified by ID card", method="idcard", holder=mask_name(name))
        self._go(Screen.ORDERS)

    def idcard_failed(self, message: str = "") -> None:
        """The reader could not read the card: say so, stay on the reading screen."""
        if self.screen is Screen.IDCARD_READING:
            self._log("idcard_failed", "ID card read failed")
            self._notice(T_IDCARD_FAILED)

    def _load_titles(self) -> None:
        identity = self.data.identity
        if identity is not None and self.services.titles_for is not None:
            try:
                self.data.titles = list(self.services.titles_for(identity))
            except Exception:
                log.exception("titles could not be loaded", extra={"event": "session.titles_error"})

    def login(self, user: str, password: str) -> None:
        self.touch()
        if self.services.authenticate is None:
            self._notice(T_NO_ACCOUNTS)
            return
        try:
            account = self.services.authenticate(user, password)
        except Exception as err:
            self.data.login_failures += 1
            self._log("login_failed", "login failed", failures=self.data.login_failures)
            self._notice(_text_of(err, Text("用户名或密码错误", "Wrong user name or password")))
            return
        business = str(getattr(account, "kind", "person")).endswith("business")
        display = str(getattr(account, "display_name", "") or getattr(account, "name", "") or user)
        self.data.identity = Identity(IdMethod.ACCOUNT, name=display, account=account,
                                      business=business)
        self._load_titles()
        self.data.notice = None
        self._log("identified", "identified by account", method="account", business=business,
                  titles=len(self.data.titles))
        self._go(Screen.CATALOGUE if business else Screen.ORDERS)
