"""Codes by e-mail through the kiosk's one mail path (:class:`kiosk.mail.MailOutbox`)."""

from __future__ import annotations

from email.message import EmailMessage

from kiosk.mail import MailOutbox
from kiosk.messaging.port import CodeMessage, MessagingError


class MailCodeSender:
    """Queue the code message in the mail outbox and send it at once.

    The outbox keeps the message only until it is tried: then its body (with the
    code) is discarded. A code is useless after five minutes, so a failure is
    reported now rather than retried later.
    """

    def __init__(self, outbox: MailOutbox) -> None:
        self.outbox = outbox

    def send(self, message: CodeMessage) -> None:
        mail = EmailMessage()
        mail["From"] = self.outbox.sender
        mail["To"] = message.to
        mail["Subject"] = "验证码 Verification code"
        mail.set_content(f"{message.text_zh()}\n\n{message.text_en()}\n")
        entry = self.outbox.enqueue(mail)
        try:
            report = self.outbox.drain()
        finally:
            self.outbox.discard(entry, "verification code: not retried")
        if entry not in report.sent:
            raise MessagingError(f"the code e-mail to {message.masked_to} was not sent")
