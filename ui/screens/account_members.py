"""MEMBERS: an enterprise administrator adds a member with a role (the member confirms
with the code sent to their phone, at the kiosk), gives a member another role, removes
a member, and resends or cancels a pending invitation. Who may do this, and that the
last administrator stays, is the core's check (:meth:`kiosk.accounts.AccountsService.
invite_member`, ``set_member_role``, ``remove_member``), not this page's. Changing a
role or removing asks first, on this page: the question names the member."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kiosk.flow.views import AccountView, MemberRow, View
from ui.screens.account import CodeStage
from ui.screens.base import Page, button, label
from ui.screens.orders import input_edit
from ui.widgets.text_input import InputKind

ROLES = ("admin", "issuer", "viewer")


class MembersPage(Page):
    def build(self) -> None:
        self.list_head = label("title")
        self.body.addWidget(self.list_head)
        self.table = QWidget()
        self.grid = QGridLayout(self.table)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setHorizontalSpacing(24)
        self.grid.setColumnStretch(0, 1)
        self.body.addWidget(self.table)
        self.empty = label("hint")
        self.body.addWidget(self.empty)
        self.rows: list[QLabel] = []
        # Per member: (first, second) action buttons - change role / remove for an active
        # member, resend the code / cancel for a pending invitation.
        self.row_buttons: dict[str, tuple[QPushButton, QPushButton]] = {}
        self._row_widgets: list[QWidget] = []
        self._build_question()
        self.add_head = label("title")
        self.member = input_edit(InputKind.USERNAME)
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

    def _build_question(self) -> None:
        """The confirmation under the list: what is about to happen to whom, and the answers."""
        self.question = QWidget()
        self.question.setObjectName("card")
        box = QHBoxLayout(self.question)
        box.setContentsMargins(16, 8, 16, 8)
        box.setSpacing(16)
        self.ask = label("big")
        box.addWidget(self.ask, 1)
        self.pick_role = {role: button() for role in ROLES}
        for role, btn in self.pick_role.items():
            btn.clicked.connect(lambda _=False, r=role: self._answer(r))
            box.addWidget(btn)
        self.yes = button("danger")
        self.yes.clicked.connect(lambda: self._answer(None))
        self.keep = button()
        self.keep.clicked.connect(self._keep)
        box.addWidget(self.yes)
        box.addWidget(self.keep)
        self.body.addWidget(self.question)
        self.asking: tuple[str, str] | None = None  # (role | remove | cancel, member)
        self.question.hide()

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

    # -- a member's row: ask, then do ---------------------------------------------------

    def _first(self, row: MemberRow) -> None:
        """Change role (active) / resend the code (pending)."""
        if row.confirmed:
            self._ask("role", row.username)
        else:
            self._keep()
            self.session.account.resend_member_code(row.username)

    def _second(self, row: MemberRow) -> None:
        """Remove (active) / cancel the invitation (pending): both ask first."""
        self._ask("remove" if row.confirmed else "cancel", row.username)

    def _ask(self, what: str, member: str) -> None:
        self.session.touch()
        self.asking = (what, member)
        self._show_question()

    def _answer(self, role: str | None) -> None:
        if self.asking is None:
            return
        what, member = self.asking
        self.asking = None
        self.question.hide()
        if what == "role" and role is not None:
            self.session.account.set_member_role(member, role)
        elif what in ("remove", "cancel"):
            self.session.account.remove_member(member)

    def _keep(self) -> None:
        self.session.touch()
        self.asking = None
        self.question.hide()

    def _current_role(self, member: str) -> str:
        view = self.shown
        rows = view.members if isinstance(view, AccountView) else ()
        return next((m.role for m in rows if m.username == member), "")

    def _show_question(self) -> None:
        if self.asking is None:
            self.question.hide()
            return
        what, member = self.asking
        if what == "role":
            self.ask.setText(self.tr("New role for %1:").replace("%1", member))
        elif what == "remove":
            self.ask.setText(self.tr("Remove %1 from the enterprise? They will no longer see "
                                     "its invoices.").replace("%1", member))
        else:
            self.ask.setText(self.tr("Cancel the invitation of %1?").replace("%1", member))
        current = self._current_role(member)
        for role, btn in self.pick_role.items():
            btn.setVisible(what == "role")
            btn.setEnabled(role != current)
        self.yes.setVisible(what != "role")
        self.yes.setText(self.tr("Remove") if what == "remove"
                         else self.tr("Cancel the invitation"))
        self.question.show()

    def reset_widgets(self) -> None:
        super().reset_widgets()
        self.asking = None
        self.question.hide()

    # -- texts ----------------------------------------------------------------------------

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
        for role, btn in self.pick_role.items():
            btn.setText(self.role_name(role))
        self.keep.setText(self.tr("Keep as it is"))
        self._show_question()
        self.stage.texts(self)

    def render_view(self, view: View, before: View | None) -> None:
        if not isinstance(view, AccountView):
            return
        if before is None or not isinstance(before, AccountView) or \
                before.members != view.members:
            self._rebuild_rows(view.members)
            if self.asking is not None and before is not None:
                self.asking = None  # the list changed under the question: ask again
            self._show_question()
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

    def _rebuild_rows(self, members: tuple[MemberRow, ...]) -> None:
        for widget in self._row_widgets:
            self.grid.removeWidget(widget)
            widget.hide()  # at once: deleteLater waits for the event loop, and the old
            widget.deleteLater()  # rows overlapped the new ones until then
        self.rows, self._row_widgets, self.row_buttons = [], [], {}
        for i, m in enumerate(members):
            cells = (m.username, self.role_name(m.role),
                     self.tr("active") if m.confirmed else self.tr("invited, waiting for the code"))
            # The state under the name (not a column of its own): the two buttons stay
            # whole in large text in the 1280x800 window.
            who = QWidget()
            stack = QVBoxLayout(who)
            stack.setContentsMargins(0, 0, 0, 0)
            stack.setSpacing(0)
            labels = (label(), label(), label("hint" if m.confirmed else "warn"))
            for lab, text in zip(labels, cells, strict=True):
                lab.setText(text)
                self.rows.append(lab)
            stack.addWidget(labels[0])
            stack.addWidget(labels[2])
            self.grid.addWidget(who, i, 0)
            self.grid.addWidget(labels[1], i, 1)
            self._row_widgets += [who, labels[1]]
            first = button()
            second = button("danger")
            first.setText(self.tr("Change role") if m.confirmed else self.tr("Resend the code"))
            second.setText(self.tr("Remove") if m.confirmed else self.tr("Cancel the invitation"))
            first.clicked.connect(lambda _=False, r=m: self._first(r))
            second.clicked.connect(lambda _=False, r=m: self._second(r))
            self.grid.addWidget(first, i, 2)
            self.grid.addWidget(second, i, 3)
            self._row_widgets += [first, second]
            self.row_buttons[m.username] = (first, second)
        for widget in self._row_widgets:
            widget.show()  # now, not on the layout's queued show: a tap may come first
