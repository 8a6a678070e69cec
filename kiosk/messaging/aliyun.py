"""SMS through Aliyun Dysms ``SendSms`` (API version 2017-05-25), RPC signature v1.

Conventions followed (Alibaba Cloud "RPC API signature", SignatureVersion 1.0):

* common parameters ``AccessKeyId``, ``Action=SendSms``, ``Format=JSON``,
  ``RegionId``, ``SignatureMethod=HMAC-SHA1``, ``SignatureNonce`` (unique per
  request), ``SignatureVersion=1.0``, ``Timestamp`` (UTC, ``YYYY-MM-DDThh:mm:ssZ``),
  ``Version=2017-05-25``; the API's ``PhoneNumbers``, ``SignName``,
  ``TemplateCode`` and ``TemplateParam`` (JSON: ``{"code": "123456"}``);
* every name and value percent-encoded (RFC 3986: unreserved ``A-Za-z0-9-_.~``
  kept, space as ``%20``, ``*`` as ``%2A``), sorted by name, joined with ``&`` and
  ``=`` into the canonical query; ``StringToSign = METHOD & %2F & encode(query)``;
* ``Signature = base64(HMAC-SHA1(AccessKeySecret + "&", StringToSign))``, sent as
  one more form field; the request is an HTTP POST of the form body;
* the answer is JSON; ``"Code": "OK"`` is success, anything else a refusal
  (``isv.BUSINESS_LIMIT_CONTROL``, ``isv.MOBILE_NUMBER_ILLEGAL``...).

Written with the standard library: the provider's SDK pulls in a large
dependency tree for one signed POST. ``tests/unit/kiosk/messaging`` checks the
signature strictly with a local HTTP server that recomputes it.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import logging
import secrets
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping

from kiosk.messaging.port import CodeMessage, MessagingError

log = logging.getLogger("kiosk.messaging")

API_VERSION = "2017-05-25"


def percent_encode(value: str) -> str:
    """RFC 3986 encoding as the RPC signature wants it."""
    return urllib.parse.quote(value, safe="-_.~")


def canonical_query(params: Mapping[str, str]) -> str:
    return "&".join(f"{percent_encode(k)}={percent_encode(params[k])}" for k in sorted(params))


def string_to_sign(method: str, params: Mapping[str, str]) -> str:
    return f"{method}&{percent_encode('/')}&{percent_encode(canonical_query(params))}"


def sign(secret: str, method: str, params: Mapping[str, str]) -> str:
    digest = hmac.new((secret + "&").encode(), string_to_sign(method, params).encode(),
                      hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


class AliyunSms:
    """Send code messages through ``SendSms`` at ``endpoint``."""

    def __init__(self, *, endpoint: str, access_key_id: str, access_key_secret: str,
                 sign_name: str, template_code: str, region_id: str = "cn-hangzhou",
                 timeout_s: float = 10.0,
                 clock: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC)) -> None:
        self.endpoint = endpoint
        self.access_key_id = access_key_id
        self.access_key_secret = access_key_secret
        self.sign_name = sign_name
        self.template_code = template_code
        self.region_id = region_id
        self.timeout_s = timeout_s
        self.clock = clock

    def params(self, message: CodeMessage) -> dict[str, str]:
        """The signed form fields for one message."""
        params = {
            "AccessKeyId": self.access_key_id,
            "Action": "SendSms",
            "Format": "JSON",
            "PhoneNumbers": message.to,
            "RegionId": self.region_id,
            "SignName": self.sign_name,
            "SignatureMethod": "HMAC-SHA1",
            "SignatureNonce": secrets.token_hex(16),
            "SignatureVersion": "1.0",
            "TemplateCode": self.template_code,
            "TemplateParam": json.dumps({"code": message.code}, separators=(",", ":")),
            "Timestamp": self.clock().astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "Version": API_VERSION,
        }
        params["Signature"] = sign(self.access_key_secret, "POST", params)
        return params

    def send(self, message: CodeMessage) -> None:
        body = urllib.parse.urlencode(self.params(message), quote_via=urllib.parse.quote).encode()
        request = urllib.request.Request(
            self.endpoint, data=body, method="POST",
            headers={"Content-Type": "application/x-www-form-urlencoded"})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout_s) as response:
                raw = response.read()
        except urllib.error.HTTPError as err:
            raw = err.read()
            if not raw:
                raise MessagingError(f"SMS gateway HTTP {err.code}",
                                     permanent=400 <= err.code < 500) from err
        except (OSError, urllib.error.URLError) as err:
            raise MessagingError(f"SMS gateway unreachable: {err}") from err
        try:
            answer = json.loads(raw)
        except ValueError as err:
            raise MessagingError("SMS gateway answered something that is not JSON") from err
        code = str(answer.get("Code", ""))
        if code != "OK":
            log.warning("SMS refused for %s: %s", message.masked_to, code, extra={
                "event": "messaging.sms_refused", "to": message.masked_to, "code": code})
            raise MessagingError(f"SMS gateway refused: {code} {answer.get('Message', '')}",
                                 permanent=code != "isv.BUSINESS_LIMIT_CONTROL")
        log.info("SMS sent to %s", message.masked_to, extra={
            "event": "messaging.sms_sent", "to": message.masked_to,
            "biz_id": str(answer.get("BizId", ""))})
