"""MEMBERS: an enterprise administrator adds a member with a role; the member confirms
with the code sent to their phone, at the kiosk. Who may do this is the core's check
(:meth:`kiosk.accounts.AccountsService.invite_member`), not this page's."""

from __future__ import annotations

from PySide6.QtWidgets import QGridLayout, QLabel, QWidget

from kiosk.flow.views import AccountView, View
from ui.screens.account import CodeStage, FocusKeeper
from ui.screens.base import Page, button, label
from ui.screens.orders import input_edit

ROLES = ("admin", "issuer", "viewer")


class MembersPage(Page):
    def build(self) -> None:
        self.list_head = label("title")
        self.body.addWidget(self.list_head)
        self.table = QWidget()
        self.grid = QGridLayout(self.table)
        self.grid.setHorizontalSpacing(32)
        self.body.addWidget(self.table)
        self.empty = label("hint")
        self.body.addWidget(self.empty)
        self.rows: list[QLabel] = []
        self.add_head = label("title")
        self.member = input_edit()
        self.role_buttons = {role: button(checkable=True) for role in ROLES}
        self.role = "viewer"
        for role, btn in self.role_buttons.items():
            btn.clicked.connect(lambda _=False, r=role: self._role(r))
        self.body.addWidget(self.add_head)
        self.body.addWidget(self.member)
        self.add_row(*self.role_buttons.values())
        self.stage = CodeStage(self)
        self.body.addWidget(self.stage)
        self.body.addStretch(1)
        self.primary.clicked.connect(self._primary)
        self.stage.code.returnPressed.connect(self._primary)
        self._role("viewer")
        self.keeper = FocusKeeper(self)

    def _role(self, role: str) -> None:
        self.session.touch()
        self.role = role
        for r, btn in self.role_buttons.items():
            btn.setChecked(r == role)

    def _primary(self) -> None:
        view = self.shown
        if isinstance(view, AccountView) and view.stage == "code":
            self.session.account.confirm_member(self.stage.take())
        else:
            self.session.account.invite(self.member.text(), self.role)

    def title(self) -> str:
        return self.tr("Enterprise members")

    def help(self) -> str:
        return self.tr("An administrator manages members and sees all invoices; an issuer "
                       "issues and sees the invoices; a viewer sees and reprints but cannot "
                       "issue. The new member must already have an account.")

    def role_name(self, role: str) -> str:
        return {"admin": self.tr("Administrator"), "issuer": self.tr("Issuer"),
                "viewer": self.tr("Viewer")}.get(role, role)

    def texts(self) -> None:
        self.list_head.setText(self.tr("Members"))
        self.empty.setText(self.tr("No members yet: add the first one below."))
        self.add_head.setText(self.tr("Add a member"))
        self.member.setPlaceholderText(self.tr("The member's user name"))
        for role, btn in self.role_buttons.items():
            btn.setText(self.role_name(role))
        self.stage.texts(self)

    def render_view(self, view: View, before: View | None) -> None:
        if not isinstance(view, AccountView):
            return
        if before is None or not isinstance(before, AccountView) or \
                before.members != view.members:
            for lab in self.rows:
                self.grid.removeWidget(lab)
                lab.hide()  # at once: deleteLater waits for the event loop, and the old
                lab.deleteLater()  # rows overlapped the new ones until then
            self.rows = []
            for i, m in enumerate(view.members):
                cells = (m.username, self.role_name(m.role),
                         self.tr("active") if m.confirmed else self.tr("waiting for the code"))
                for j, text in enumerate(cells):
                    lab = label()
                    lab.setText(text)
                    self.grid.addWidget(lab, i, j)
                    self.rows.append(lab)
        self.empty.setVisible(not view.members)
        code = view.stage == "code"
        self.add_head.setVisible(not code)
        self.member.setVisible(not code)
        for btn in self.role_buttons.values():
            btn.setVisible(not code)
        self.stage.setVisible(code)
        if code:
            self.stage.show_sent(self, view)
            self.member.clear()
        self.primary.setText(self.tr("Confirm") if code else self.tr("Add and send the code"))
