"""The screens before the orders: attract, terms, identification, ID card consent and
reading, account login."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit

from kiosk.flow.states import Screen
from kiosk.flow.views import AttractView, View
from kiosk.flow.words import say
from kiosk.messages import Problem, words
from ui.screens.base import Page, button, label
from ui.widgets.text_input import InputKind, set_input_kind


class AttractPage(Page):
    """Big "scan your receipt" call, and the other ways in."""

    def build(self) -> None:
        self.back.hide()
        self.primary.hide()
        self.body.addStretch(1)
        # Presence (issue 17): a greeting when someone steps up to the resting kiosk.
        self.awake = False
        self.greeting = label("title")
        self.greeting.setObjectName("greeting")
        self.greeting.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.greeting.hide()
        self.body.addWidget(self.greeting)
        # The back office's announcements (issue 16), above the call to scan.
        self.announcement = label("big")
        self.announcement.setObjectName("announcement")
        self.announcement.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.announcement.setWordWrap(True)
        self.announcement.hide()
        self.body.addWidget(self.announcement)
        self.big = label("title")
        self.big.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.sub = label("big")
        self.sub.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.body.addWidget(self.big)
        self.body.addWidget(self.sub)
        # The scanner unplugged or broken: say so, and point at the ways that work.
        self.scanner_down = label("warn")
        self.scanner_down.setObjectName("scanner_down")
        self.scanner_down.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.scanner_down.hide()
        self.body.addWidget(self.scanner_down)
        self.scanner_ok = True
        self.body.addStretch(1)
        self.type_no = button()
        self.camera = button()
        self.idcard = button()
        self.login = button()
        self.business = button()
        self.tutorial = button()
        for b in (self.type_no, self.camera, self.idcard):
            b.setMinimumWidth(300)
        self.add_row(self.type_no, self.camera, self.idcard).insertStretch(0, 1)
        self.add_row(self.login, self.business, self.tutorial).insertStretch(0, 1)
        s = self.session
        self.type_no.clicked.connect(lambda: s.identify.begin("type"))
        self.idcard.clicked.connect(lambda: s.identify.begin("idcard"))
        self.login.clicked.connect(lambda: s.identify.begin("login"))
        self.business.clicked.connect(lambda: s.identify.begin("business"))
        self.body.addStretch(1)

    def set_awake(self, awake: bool) -> None:
        """Someone is in front of the kiosk (presence on): greet them in green above the
        call to scan; no one (off): the page goes back to its resting look."""
        self.awake = awake
        self.greeting.setText(words(Problem.of("voice.screen.attract"), self.lang))
        self.greeting.setVisible(awake)

    def texts(self) -> None:
        self.greeting.setText(words(Problem.of("voice.screen.attract"), self.lang))
        self.big.setText(self.tr("Scan your receipt's QR code to get an invoice"))
        self.sub.setText(self.tr("Hold the QR code on your receipt under the scanner below"))
        self.type_no.setText(self.tr("Type the order number"))
        self.camera.setText(self.tr("Scan with the camera"))
        self.idcard.setText(self.tr("Use my ID card"))
        self.login.setText(self.tr("Log in to my account"))
        self.business.setText(self.tr("Business invoicing"))
        self.tutorial.setText(self.tr("How it works"))

    def render_view(self, view: View, before: View | None) -> None:
        assert isinstance(view, AttractView)
        texts = view.announcements
        self.announcement.setText("\n".join(t.get(self.lang) for t in texts))
        self.announcement.setVisible(bool(texts))
        self.scanner_ok = view.scanner_ok
        self.sub.setVisible(view.scanner_ok)  # "under the scanner below" only if it works
        self.camera.setVisible(view.camera_ok)
        self.scanner_down.setVisible(not view.scanner_ok)
        if not view.scanner_ok:
            way = say("flow.scanner_down_camera" if view.camera_ok else "flow.scanner_down_keypad")
            self.scanner_down.setText(f"{say('flow.scanner_down').get(self.lang)}\n"
                                      f"{way.get(self.lang)}")
        self.type_no.setProperty("role", "" if view.scanner_ok else "primary")
        self.type_no.style().unpolish(self.type_no)
        self.type_no.style().polish(self.type_no)

    def help(self) -> str:
        return self.tr("Scan the QR code printed on your receipt. No receipt code? "
                       "Type the order number instead.")


class TermsPage(Page):
    """The privacy notice: what is collected, why, how long it is kept."""

    def build(self) -> None:
        self.head = label("title")
        self.text = label()
        self.body.addWidget(self.head)
        self.body.addWidget(self.text)
        self.body.addStretch(1)
        self.primary.clicked.connect(self.session.identify.accept_terms)

    def title(self) -> str:
        return self.tr("Terms and privacy")

    def texts(self) -> None:
        self.head.setText(self.tr("Before we start: your data"))
        self.text.setText(self.tr(
            "What we collect: the order numbers you scan, the invoice title you enter (name, "
            "tax ID, optional address, phone, bank account, e-mail) and, only with a separate "
            "consent, the name and number on your ID card.\n\n"
            "Why: to issue the VAT e-invoice you ask for and to deliver it to you.\n\n"
            "How long: the screen forgets everything as soon as you finish or walk away. The "
            "issued invoice is kept by the seller and the tax platform as the law requires "
            "(5 years); the kiosk's logs (6 months) never hold your ID number, phone or e-mail "
            "in full.\n\nThe camera is only used when you choose it, and a notice shows while "
            "it is on."))
        self.primary.setText(self.tr("Accept and continue"))
        self.back.setText(self.tr("Decline"))


class IdentifyPage(Page):
    """How the user identifies: ID card, personal QR, account, or skip."""

    def build(self) -> None:
        self.head = label("title")
        self.body.addWidget(self.head)
        self.idcard, self.qr, self.account, self.skip = button(), button(), button(), button()
        for b, way in ((self.idcard, "idcard"), (self.qr, "qr"), (self.account, "account"),
                       (self.skip, "skip")):
            b.setMinimumWidth(520)
            self.body.addWidget(b, 0, Qt.AlignmentFlag.AlignHCenter)
            b.clicked.connect(lambda _=False, w=way: self.session.identify.choose(w))
        self.body.addStretch(1)
        self.primary.hide()

    def title(self) -> str:
        return self.tr("Identify yourself (optional)")

    def texts(self) -> None:
        self.head.setText(self.tr("Who is the invoice for?"))
        self.idcard.setText(self.tr("ID card on the reader"))
        self.qr.setText(self.tr("My personal QR code"))
        self.account.setText(self.tr("Account and password"))
        self.skip.setText(self.tr("Skip: continue without identifying"))


class IdcardConsentPage(Page):
    """The separate consent before an ID card is read (sensitive personal data)."""

    def build(self) -> None:
        self.head = label("title")
        self.text = label()
        self.body.addWidget(self.head)
        self.body.addWidget(self.text)
        self.body.addStretch(1)
        self.primary.clicked.connect(lambda: self.session.identify.consent_idcard(True))
        self.back.clicked.disconnect()
        self.back.clicked.connect(lambda: self.session.identify.consent_idcard(False))

    def title(self) -> str:
        return self.tr("Consent to read your ID card")

    def texts(self) -> None:
        self.head.setText(self.tr("May we read your ID card?"))
        self.text.setText(self.tr(
            "Your ID card holds sensitive personal data. We read only your name and ID number, "
            "to fill in the invoice title for you. The photo is not used. Nothing is kept on "
            "this kiosk after you finish. You can say no and type your name instead."))
        self.primary.setText(self.tr("I agree: read my card"))
        self.back.setText(self.tr("No, thanks"))


class IdcardReadingPage(Page):
    def build(self) -> None:
        self.head = label("title")
        self.text = label("big")
        self.body.addWidget(self.head)
        self.body.addWidget(self.text)
        self.body.addStretch(1)
        self.primary.hide()

    def title(self) -> str:
        return self.tr("Reading your ID card")

    def texts(self) -> None:
        self.head.setText(self.tr("Place your ID card on the reader"))
        self.text.setText(self.tr("Keep it still until the next screen appears."))


class LoginPage(Page):
    def build(self) -> None:
        self.head = label("title")
        self.user = set_input_kind(QLineEdit(), InputKind.USERNAME)
        self.password = set_input_kind(QLineEdit(), InputKind.PASSWORD)
        for edit in (self.user, self.password):
            edit.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        self.body.addWidget(self.head)
        self.body.addWidget(self.user)
        self.body.addWidget(self.password)
        # The account screens (kiosk.flow.account): a code instead of a password,
        # a forgotten password, a new account.
        self.by_code, self.forgot, self.register = button(), button(), button()
        for btn, screen in ((self.by_code, Screen.CODE_LOGIN),
                            (self.forgot, Screen.FORGOT_PASSWORD),
                            (self.register, Screen.REGISTER)):
            btn.clicked.connect(lambda _=False, s=screen: self.session.account.open(s))
        self.add_row(self.by_code, self.forgot, self.register)
        self.body.addStretch(1)
        self.primary.clicked.connect(self._login)
        self.password.returnPressed.connect(self._login)
        # The keyboard's Enter key moves on to the password, in sight above the keyboard.
        self.user.returnPressed.connect(self.password.setFocus)

    def _login(self) -> None:
        user, password = self.user.text(), self.password.text()
        self.password.clear()
        self.session.identify.login(user, password)

    def title(self) -> str:
        return self.tr("Log in")

    def texts(self) -> None:
        self.head.setText(self.tr("Log in to your account"))
        self.user.setPlaceholderText(self.tr("User name"))
        self.password.setPlaceholderText(self.tr("Password"))
        self.primary.setText(self.tr("Log in"))
        self.by_code.setText(self.tr("Log in with a phone code"))
        self.forgot.setText(self.tr("Forgot password"))
        self.register.setText(self.tr("Register"))
