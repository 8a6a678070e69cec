"""The messaging port: what a verification code message is and where it goes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from kiosk.masking import mask_email, mask_phone

PURPOSE_WORDS: dict[str, tuple[str, str]] = {
    "register": ("注册账户", "registering your account"),
    "login": ("登录", "logging in"),
    "reset": ("重置密码", "resetting your password"),
    "member": ("加入企业", "joining the enterprise"),
}


class MessagingError(Exception):
    """A message could not be handed over; ``permanent`` when retrying cannot help."""

    def __init__(self, message: str, *, permanent: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent


@dataclass(frozen=True)
class CodeMessage:
    """A verification code for ``to`` (a mobile number or an e-mail address)."""

    to: str
    code: str
    purpose: str  # kiosk.accounts.codes.CodePurpose value
    minutes: int = 5

    @property
    def is_email(self) -> bool:
        return "@" in self.to

    @property
    def masked_to(self) -> str:
        return mask_email(self.to) if self.is_email else mask_phone(self.to)

    def text_zh(self) -> str:
        what = PURPOSE_WORDS.get(self.purpose, ("验证", "verification"))[0]
        return (f"您正在{what}，验证码 {self.code}，{self.minutes} 分钟内有效。"
                "请勿告诉他人。")

    def text_en(self) -> str:
        what = PURPOSE_WORDS.get(self.purpose, ("验证", "verification"))[1]
        return (f"Your code for {what} is {self.code}, valid for {self.minutes} minutes. "
                "Do not tell it to anyone.")


class SmsSender(Protocol):
    """An SMS backend: deliver one code message or raise :class:`MessagingError`."""

    def send(self, message: CodeMessage) -> None: ...


class EmailSender(Protocol):
    def send(self, message: CodeMessage) -> None: ...


class Messenger:
    """Sends a code by SMS or e-mail, chosen by the destination (``@`` = e-mail)."""

    def __init__(self, sms: SmsSender, email: EmailSender | None = None) -> None:
        self.sms = sms
        self.email = email

    def send(self, message: CodeMessage) -> None:
        if message.is_email:
            if self.email is None:
                raise MessagingError("e-mail is not set up on this kiosk", permanent=True)
            self.email.send(message)
        else:
            self.sms.send(message)
