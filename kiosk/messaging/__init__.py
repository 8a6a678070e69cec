"""One messaging port for verification codes: SMS and e-mail.

* :mod:`~kiosk.messaging.port`: :class:`CodeMessage`, the :class:`Messenger`
  that picks the channel by the destination, and :class:`MessagingError`;
* :mod:`~kiosk.messaging.folder`: the default SMS backend, one file a message in
  ``<data_dir>/sms/`` (beside ``maildir/``), read back by the simulator panel;
* :mod:`~kiosk.messaging.aliyun`: a real SMS provider adapter (Aliyun Dysms
  ``SendSms``, RPC signature v1, HMAC-SHA1);
* :mod:`~kiosk.messaging.email`: codes by e-mail through :class:`kiosk.mail.MailOutbox`.
"""

from kiosk.messaging.port import CodeMessage, MessagingError, Messenger, SmsSender

__all__ = ["CodeMessage", "Messenger", "MessagingError", "SmsSender"]
