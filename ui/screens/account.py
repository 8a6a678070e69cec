"""The account screens: REGISTER (person or enterprise), CODE_LOGIN, FORGOT_PASSWORD.

Each has a form stage and a code stage (:class:`kiosk.flow.views.AccountView`);
the page shows one or the other and sends intents to ``session.account``. Every
rule (password policy, credit code, throttling) is the core's; the page only
shows its words. Passwords and codes are cleared from the fields as soon as
they are sent.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from kiosk.flow.checks import tax_id_verdict
from kiosk.flow.views import AccountView, View
from kiosk.messages import Text
from kiosk.rules.identifiers import Severity, classify_tax_id, registration_words
from ui.screens.base import Page, button, label
from ui.screens.orders import input_edit
from ui.widgets.text_input import InputKind

# What each registration field holds: the keyboard it gets (issue 11, defect 3).
REGISTER_KINDS = {"username": InputKind.USERNAME, "password": InputKind.PASSWORD,
                  "repeat": InputKind.PASSWORD, "name": InputKind.TEXT,
                  "tax_id": InputKind.CODE, "contact": InputKind.TEXT,
                  "phone": InputKind.PHONE, "email": InputKind.EMAIL}


def password_edit() -> QLineEdit:
    edit = input_edit(InputKind.PASSWORD)  # hidden, Latin letters as tapped
    edit.setMaxLength(64)
    return edit


def code_edit() -> QLineEdit:
    edit = input_edit(InputKind.DIGITS)
    edit.setMaxLength(6)
    edit.setInputMask("")
    return edit


class CodeStage(QWidget):
    """The code stage shared by the account pages: where it went, the code, change details."""

    def __init__(self, page: Page) -> None:
        super().__init__()
        self.box = box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(16)
        self.sent = label("big")
        self.prompt = label()
        self.code = code_edit()
        self.change = button()
        self.change.clicked.connect(page.session.account.start_over)
        box.addWidget(self.sent)
        box.addWidget(self.prompt)
        box.addWidget(self.code)
        box.addWidget(self.change)

    def texts(self, page: Page) -> None:
        # self.tr: the strings live in this class's translation context.
        self.prompt.setText(self.tr("Type the 6-digit code from the message"))
        self.code.setPlaceholderText(self.tr("Verification code"))
        self.change.setText(self.tr("Change the details"))

    def show_sent(self, page: Page, view: AccountView) -> None:
        self.sent.setText(self.tr("Code sent to %1").replace("%1", view.sent_to))

    def take(self) -> str:
        code = self.code.text()
        self.code.clear()
        return code


class RegisterPage(Page):
    """Register a person (name, mobile) or an enterprise (name, credit code, contact, mobile)."""

    def build(self) -> None:
        self.person = button(checkable=True)
        self.enterprise = button(checkable=True)
        self.person.clicked.connect(lambda: self._kind("person"))
        self.enterprise.clicked.connect(lambda: self._kind("enterprise"))
        self.kind = "person"
        self.form = QWidget()
        grid = QFormLayout(self.form)
        grid.setVerticalSpacing(12)
        self.labels: dict[str, QLabel] = {}
        self.edits: dict[str, QLineEdit] = {}
        for key in ("username", "password", "repeat", "name", "tax_id", "contact", "phone",
                    "email"):
            edit = password_edit() if key in ("password", "repeat") \
                else input_edit(REGISTER_KINDS[key])
            lab = label()
            grid.addRow(lab, edit)
            self.labels[key], self.edits[key] = lab, edit
        self.edits["tax_id"].setMaxLength(18)
        # The credit code is checked as it is typed, in the buyer screen's words (issue 12),
        # right under the field, across the form's whole width (in the field column alone
        # the wrapped words got too little height in large text and overlapped the field).
        self.tax_id_check = label("hint")
        self.tax_id_check.setWordWrap(True)
        self.tax_id_check.hide()
        grid.insertRow(list(self.edits).index("contact"), self.tax_id_check)
        self.edits["tax_id"].textChanged.connect(lambda _t: self._check_tax_id())
        self.edits["phone"].setMaxLength(20)
        self.by_email = button(checkable=True)
        grid.addRow(label(), self.by_email)
        self.add_row(self.person, self.enterprise)
        self.body.addWidget(self.form)
        self.stage = CodeStage(self)
        self.body.addWidget(self.stage)
        self.body.addStretch(1)
        self.primary.clicked.connect(self._primary)
        self.stage.code.returnPressed.connect(self._primary)
        self._show_kind()

    def _kind(self, kind: str) -> None:
        self.session.touch()
        self.kind = kind
        self._show_kind()

    def reset_widgets(self) -> None:
        """The next person starts as a person, with the code going by SMS."""
        super().reset_widgets()
        self.kind = "person"
        self.by_email.setChecked(False)
        self._show_kind()

    def _check_tax_id(self) -> None:
        check = classify_tax_id(self.edits["tax_id"].text()) if self.edits["tax_id"].text(
        ).strip() and self.kind == "enterprise" else None
        verdict, role = tax_id_verdict(check)
        if check is not None and check.severity is Severity.WARNING:
            # Registration takes only a code that passes: no "confirm and go on" here.
            verdict, role = Text(*registration_words(check)), "error"
        self.tax_id_check.setVisible(verdict is not None)
        if verdict is None:
            return
        self.tax_id_check.setText(verdict.get(self.lang))
        if self.tax_id_check.property("role") != role:
            self.tax_id_check.setProperty("role", role)
            self.tax_id_check.style().unpolish(self.tax_id_check)
            self.tax_id_check.style().polish(self.tax_id_check)
        self.tax_id_check.updateGeometry()  # its font and wrapped height change with the text

    def _show_kind(self) -> None:
        company = self.kind == "enterprise"
        self.person.setChecked(not company)
        self.enterprise.setChecked(company)
        for key in ("tax_id", "contact"):
            self.labels[key].setVisible(company)
            self.edits[key].setVisible(company)
        self.labels["name"].setText(self.tr("Enterprise name") if company else self.tr("Your name"))
        self._check_tax_id()

    def _primary(self) -> None:
        view = self.shown
        if isinstance(view, AccountView) and view.stage == "code":
            self.session.account.confirm_registration(self.stage.take())
            return
        e = {k: v.text() for k, v in self.edits.items()}
        self.edits["password"].clear()
        self.edits["repeat"].clear()
        self.session.account.register(
            kind=self.kind, username=e["username"], password=e["password"],
            repeat=e["repeat"], name=e["name"], phone=e["phone"], email=e["email"],
            tax_id=e["tax_id"] if self.kind == "enterprise" else "",
            contact=e["contact"] if self.kind == "enterprise" else "",
            by_email=self.by_email.isChecked())

    def title(self) -> str:
        return self.tr("Register")

    def help(self) -> str:
        return self.tr("A password needs at least 8 characters and must not be easy to guess. "
                       "We send a 6-digit code to your mobile (or e-mail) to confirm it is yours.")

    def texts(self) -> None:
        self.person.setText(self.tr("Person"))
        self.enterprise.setText(self.tr("Enterprise"))
        words = {"username": self.tr("User name"), "password": self.tr("Password"),
                 "repeat": self.tr("Password again"), "tax_id": self.tr("Unified social credit code"),
                 "contact": self.tr("Contact person"), "phone": self.tr("Mobile number"),
                 "email": self.tr("E-mail (optional)")}
        for key, text in words.items():
            self.labels[key].setText(text)
        self.by_email.setText(self.tr("Send the code by e-mail instead"))
        self.stage.texts(self)
        self._show_kind()

    def render_view(self, view: View, before: View | None) -> None:
        if not isinstance(view, AccountView):
            return
        code = view.stage == "code"
        self.form.setVisible(not code)
        self.person.setVisible(not code)
        self.enterprise.setVisible(not code)
        self.stage.setVisible(code)
        if code:
            self.stage.show_sent(self, view)
        if before is None or not isinstance(before, AccountView) or before.stage != view.stage:
            self.primary.setText(self.tr("Confirm") if code else self.tr("Send code"))


class CodeLoginPage(Page):
    """Log in with the mobile number and a code: no password."""

    def build(self) -> None:
        self.head = label("title")
        self.phone = input_edit(InputKind.PHONE)
        self.phone.setMaxLength(20)
        self.body.addWidget(self.head)
        self.body.addWidget(self.phone)
        self.stage = CodeStage(self)
        self.body.addWidget(self.stage)
        self.body.addStretch(1)
        # "Send code" is the footer's primary action at the form stage: a button under
        # the field went behind the docked keyboard while the number was typed.
        self.primary.clicked.connect(self._primary)
        self.phone.returnPressed.connect(self._primary)
        self.stage.code.returnPressed.connect(self._primary)

    def _primary(self) -> None:
        view = self.shown
        if isinstance(view, AccountView) and view.stage == "code":
            self.session.account.login_with_code(self.stage.take())
        else:
            self.session.account.send_login_code(self.phone.text())

    def title(self) -> str:
        return self.tr("Log in with a code")

    def texts(self) -> None:
        self.head.setText(self.tr("Your registered mobile number"))
        self.phone.setPlaceholderText(self.tr("Mobile number"))
        self.stage.texts(self)

    def render_view(self, view: View, before: View | None) -> None:
        if not isinstance(view, AccountView):
            return
        code = view.stage == "code"
        for w in (self.head, self.phone):
            w.setVisible(not code)
        self.stage.setVisible(code)
        if code:
            self.stage.show_sent(self, view)
        if before is None or not isinstance(before, AccountView) or before.stage != view.stage:
            self.primary.setText(self.tr("Log in") if code else self.tr("Send code"))


class ForgotPasswordPage(Page):
    """A code to the registered mobile (or e-mail), then a new password."""

    def build(self) -> None:
        self.head = label("title")
        self.user = input_edit(InputKind.USERNAME)
        self.by_email = button(checkable=True)
        self.body.addWidget(self.head)
        self.body.addWidget(self.user)
        self.add_row(self.by_email)
        self.stage = CodeStage(self)
        self.password = password_edit()
        self.repeat = password_edit()
        self.stage.box.addWidget(self.password)
        self.stage.box.addWidget(self.repeat)
        self.body.addWidget(self.stage)
        self.body.addStretch(1)
        # "Send code" is the footer's primary action at the form stage (see CodeLoginPage).
        self.primary.clicked.connect(self._primary)
        self.user.returnPressed.connect(self._primary)

    def _primary(self) -> None:
        view = self.shown
        if isinstance(view, AccountView) and view.stage == "code":
            self._reset()
        else:
            self.session.account.send_reset_code(self.user.text(), self.by_email.isChecked())

    def _reset(self) -> None:
        password, repeat = self.password.text(), self.repeat.text()
        self.password.clear()
        self.repeat.clear()
        self.session.account.reset_password(self.stage.take(), password, repeat)

    def title(self) -> str:
        return self.tr("Forgot password")

    def texts(self) -> None:
        self.head.setText(self.tr("Your user name"))
        self.user.setPlaceholderText(self.tr("User name"))
        self.by_email.setText(self.tr("Send the code to my e-mail"))
        self.password.setPlaceholderText(self.tr("New password"))
        self.repeat.setPlaceholderText(self.tr("New password again"))
        self.stage.texts(self)

    def render_view(self, view: View, before: View | None) -> None:
        if not isinstance(view, AccountView):
            return
        code = view.stage == "code"
        for w in (self.head, self.user, self.by_email):
            w.setVisible(not code)
        self.stage.setVisible(code)
        if code:
            self.stage.show_sent(self, view)
        if before is None or not isinstance(before, AccountView) or before.stage != view.stage:
            self.primary.setText(self.tr("Set the new password") if code
                                 else self.tr("Send code"))

