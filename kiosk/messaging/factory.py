"""The messenger ``[sms]`` selects, with e-mail through the kiosk's mail outbox."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.messaging.email import MailCodeSender
from kiosk.messaging.folder import SMS_DIR, FolderSms
from kiosk.messaging.port import Messenger, SmsSender

if TYPE_CHECKING:
    from kiosk.config import SmsConfig
    from kiosk.mail import MailOutbox


def build_messenger(sms: SmsConfig, data_path: Path, mail: MailOutbox | None) -> Messenger:
    sender: SmsSender
    if sms.backend == "aliyun":
        from kiosk.messaging.aliyun import AliyunSms

        sender = AliyunSms(endpoint=sms.endpoint, access_key_id=sms.access_key_id,
                           access_key_secret=sms.access_key_secret, sign_name=sms.sign_name,
                           template_code=sms.template_code, region_id=sms.region_id,
                           timeout_s=sms.timeout_s)
    else:
        sender = FolderSms(Path(data_path) / SMS_DIR)
    return Messenger(sender, MailCodeSender(mail) if mail is not None else None)
