"""Overlays that cover a step and return to it: idle warning, support, tutorial; and
the out-of-service screen."""

from __future__ import annotations

from PySide6.QtCore import Qt

from kiosk.flow.views import IdleView, OutOfServiceView, View
from kiosk.session import Session
from ui.screens.base import Page, label


class IdleWarningPage(Page):
    def build(self) -> None:
        self.body.addStretch(1)
        self.head = label("title")
        self.head.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.count = label("title")
        self.count.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.body.addWidget(self.head)
        self.body.addWidget(self.count)
        self.body.addStretch(1)
        self.primary.clicked.connect(self.session.overlays.resume)
        self.back.clicked.disconnect()
        self.back.clicked.connect(self.session.finish)

    def title(self) -> str:
        return self.tr("Are you still there?")

    def texts(self) -> None:
        self.head.setText(self.tr("Need more time?"))
        self.primary.setText(self.tr("Yes, I need more time"))
        self.back.setText(self.tr("No, start over"))

    def render_view(self, view: View, before: View | None) -> None:
        assert isinstance(view, IdleView)
        self.count.setText(self.tr("Everything you entered is cleared in %1 s")
                           .replace("%1", str(view.seconds_left)))


class SupportPage(Page):
    def __init__(self, session: Session, phone: str = "", text: str = "",
                 text_en: str = "") -> None:
        self.phone_number = phone
        self.support_texts = {"zh_CN": text, "en": text_en or text}  # [ui] support_text(_en)
        super().__init__(session)

    def build(self) -> None:
        self.head = label("title")
        self.phone = label("title")
        self.text = label("big")
        for w in (self.head, self.phone, self.text):
            self.body.addWidget(w)
        self.body.addStretch(1)
        self.primary.clicked.connect(self.session.overlays.resume)
        self.back.hide()

    def title(self) -> str:
        return self.tr("Support")

    def texts(self) -> None:
        self.head.setText(self.tr("Need help? Call us or ask staff nearby"))
        self.phone.setText(self.tr("Phone: %1").replace("%1", self.phone_number))
        self.text.setText(self.support_texts.get(self.lang, ""))
        self.primary.setText(self.tr("Close"))

    def render_view(self, view: View, before: View | None) -> None:
        self.text.setText(self.support_texts.get(self.lang, ""))


class TutorialPage(Page):
    """A short guided tutorial: three steps, one at a time."""

    def build(self) -> None:
        self.step = 0
        self.head = label("title")
        self.text = label("big")
        self.body.addWidget(self.head)
        self.body.addWidget(self.text)
        self.body.addStretch(1)
        self.primary.clicked.connect(self._next)
        self.back.clicked.disconnect()
        self.back.clicked.connect(self.session.overlays.resume)

    def _steps(self) -> list[tuple[str, str]]:
        return [
            (self.tr("1. Scan"), self.tr("Hold the QR code on your receipt under the scanner. "
                                         "Several receipts can go on one invoice.")),
            (self.tr("2. Title"), self.tr("Personal invoices need nothing more. For a company, "
                                          "enter its name and tax ID or scan its title code.")),
            (self.tr("3. Confirm"), self.tr("Check the amounts, tap Confirm, and take your "
                                            "receipt with the download QR code.")),
        ]

    def _next(self) -> None:
        if self.step >= len(self._steps()) - 1:
            self.step = 0
            self.session.overlays.resume()
            return
        self.step += 1
        self.texts()

    def title(self) -> str:
        return self.tr("How it works")

    def texts(self) -> None:
        steps = self._steps()
        self.step = min(self.step, len(steps) - 1)
        self.head.setText(steps[self.step][0])
        self.text.setText(steps[self.step][1])
        last = self.step == len(steps) - 1
        self.primary.setText(self.tr("Got it") if last else self.tr("Next"))
        self.back.setText(self.tr("Close"))

    def render_view(self, view: View, before: View | None) -> None:
        self.texts()


class OutOfServicePage(Page):
    def build(self) -> None:
        self.back.hide()
        self.primary.hide()
        self.header.help.hide()
        self.body.addStretch(1)
        self.head = label("title")
        self.head.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.text = label("big")
        self.text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.body.addWidget(self.head)
        self.body.addWidget(self.text)
        self.body.addStretch(1)

    def title(self) -> str:
        return self.tr("Out of service")

    def texts(self) -> None:
        self.head.setText(self.tr("This kiosk is out of service"))

    def render_view(self, view: View, before: View | None) -> None:
        assert isinstance(view, OutOfServiceView)
        self.text.setText(view.reason.get(self.lang) if view.reason else "")
