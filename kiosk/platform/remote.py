"""The remote issuing platform: the gateway interface over signed HTTP JSON.

:class:`RemoteGateway` speaks the API of :mod:`kiosk.platform.server`. Every
call has a timeout. What may be retried is decided by whether the request can
have arrived:

- connecting failed (refused, unreachable, connect timeout): nothing was sent,
  so any call may be retried; after the last try -> :class:`PlatformUnavailable`;
- sent, then no answer (read timeout, connection dropped, garbled reply): for
  queries and health, retry; for ``issue``, the red-letter calls and
  ``issue_red_invoice`` NEVER (the outcome is unknown) -> :class:`PlatformTimeout`,
  and the caller must query before doing anything else;
- a coded error from the server comes back as the same exception class with
  the same code (``error_from_payload``).

Stdlib ``http.client`` rather than urllib/requests because the connect step and
the send step must be told apart (``conn.connect()`` first, then the request);
urllib folds both into one URLError, and requests/urllib3 are not installed.
One connection per call (no keep-alive): a pooled connection the server closed
while idle fails only after sending, which would make a harmless reconnect look
like an unknown outcome.
"""

from __future__ import annotations

import base64
import datetime as dt
import http.client
import json
import logging
import time
from collections.abc import Sequence
from decimal import Decimal
from typing import Any
from urllib.parse import quote, urlsplit

from kiosk.model import Invoice, InvoiceLine, InvoiceRequest, RedLetterForm, RedReason
from kiosk.platform.answers import (
    BadAnswer,
    checked,
    clean_message,
    decimal_from,
    error_from_answer,
)
from kiosk.platform.codec import CodecError, from_data, to_data
from kiosk.platform.gateway import (
    InvoiceDocuments,
    PlatformError,
    PlatformHealth,
    PlatformTimeout,
    PlatformUnavailable,
)
from kiosk.platform.signing import sign_headers

log = logging.getLogger("kiosk.platform.remote")


class _NotSent(Exception):
    """The connection could not be made: the request never left."""


class _NoAnswer(Exception):
    """The request may have arrived, and no usable answer came back."""


class RemoteGateway:
    """IssuingGateway over HTTP (``kiosk sandbox serve`` or a compatible platform)."""

    def __init__(
        self,
        base_url: str,
        app_key: str,
        app_secret: str,
        timeout_s: float = 10.0,
        retries: int = 2,
        *,
        backoff_s: float = 0.2,
    ) -> None:
        parts = urlsplit(base_url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"platform base_url must be an http(s) URL, got {base_url!r}")
        self.base_url = base_url.rstrip("/")
        self._https = parts.scheme == "https"
        self._host = parts.hostname
        self._port = parts.port or (443 if self._https else 80)
        self._prefix = parts.path.rstrip("/")
        self.app_key = app_key
        self._secret = app_secret
        self.timeout_s = timeout_s
        self.retries = retries
        self.backoff_s = backoff_s

    def __repr__(self) -> str:  # never shows the secret
        return f"RemoteGateway({self.base_url!r}, app_key={self.app_key!r})"

    # --- transport ----------------------------------------------------------------
    def _once(self, method: str, path: str, body: bytes) -> tuple[int, bytes]:
        cls = http.client.HTTPSConnection if self._https else http.client.HTTPConnection
        conn = cls(self._host, self._port, timeout=self.timeout_s)
        try:
            try:
                conn.connect()
            except OSError as err:
                raise _NotSent(err) from err
            full = self._prefix + path
            headers = sign_headers(self.app_key, self._secret, method, full, body)
            headers["Content-Type"] = "application/json"
            headers["Accept"] = "application/json"
            try:
                conn.request(method, full, body=body or None, headers=headers)
                resp = conn.getresponse()
                return resp.status, resp.read()
            except (OSError, http.client.HTTPException) as err:
                raise _NoAnswer(err) from err
        finally:
            conn.close()

    def _call(self, method: str, path: str, payload: Any = None, *, safe: bool) -> Any:
        """One API call with the retry policy above; returns the decoded JSON answer."""
        body = b"" if payload is None else json.dumps(payload, ensure_ascii=False).encode("utf-8")
        op = f"{method} /v1/{path.split('/')[2]}"  # no ids in the log
        last: PlatformError | None = None
        for attempt in range(self.retries + 1):
            if attempt:
                time.sleep(self.backoff_s * 2 ** (attempt - 1))  # back off between tries
            try:
                status, raw = self._once(method, path, body)
            except _NotSent as err:
                last = PlatformUnavailable(
                    "无法连接开票平台，请稍后再试",
                    f"cannot connect to the platform ({err.__cause__ or err})")
                log.warning("platform connect failed", extra={
                    "event": "platform.remote.unavailable", "op": op, "attempt": attempt + 1})
                continue
            except _NoAnswer as err:
                last = PlatformTimeout(
                    "开票平台未应答，结果未知", f"no answer from the platform ({err.__cause__ or err})")
                log.warning("platform did not answer", extra={
                    "event": "platform.remote.no_answer", "op": op, "attempt": attempt + 1,
                    "will_retry": safe})
                if safe:
                    continue
                raise last from None
            answer = self._decode(status, raw, safe)
            if isinstance(answer, PlatformError):
                if safe and isinstance(answer, PlatformUnavailable):
                    last = answer
                    continue
                raise answer
            return answer
        assert last is not None
        raise last

    @staticmethod
    def _decode(status: int, raw: bytes, safe: bool) -> Any:
        """The JSON answer, or the PlatformError it carries (returned, not raised)."""
        try:
            data = json.loads(raw)
        except (ValueError, RecursionError):  # RecursionError: JSON nested too deeply
            data = None
        if status == 200 and isinstance(data, dict):
            return data
        err_body = data.get("error") if isinstance(data, dict) else None
        if isinstance(err_body, dict):
            err = error_from_answer(err_body)  # texts cleaned (issue 15: answers pass the rule)
            if err.code == "INTERNAL" and not safe:  # it broke mid-way: the outcome is unknown
                return PlatformTimeout(err.message_zh, err.message_en, code="INTERNAL")
            return err
        # Not our JSON (a proxy page, a garbled reply): unknown for unsafe calls.
        if status >= 500 or status == 200:
            if safe:
                return PlatformUnavailable(message_en=f"platform answered HTTP {status} without JSON")
            return PlatformTimeout(message_en=f"platform answered HTTP {status} without JSON; "
                                   "the outcome is unknown")
        return PlatformError(message_en=f"unexpected HTTP {status} from the platform",
                             code=f"HTTP_{status}")

    @staticmethod
    def _part(s: str) -> str:
        return quote(s, safe="")

    @staticmethod
    def _invoice(data: Any) -> Invoice | None:
        """The invoice in an answer, checked by :mod:`kiosk.platform.answers`; BadAnswer if not."""
        try:
            return None if data is None else checked(from_data(Invoice, data, "invoice"), "invoice")
        except (CodecError, ArithmeticError, TypeError, RecursionError) as err:
            raise BadAnswer(message_en=f"unreadable invoice from the platform: "
                            f"{clean_message(err)}") from None

    @staticmethod
    def _form(data: Any) -> RedLetterForm:
        try:
            return checked(from_data(RedLetterForm, data, "form"), "form")
        except (CodecError, ArithmeticError, TypeError, RecursionError) as err:
            raise BadAnswer(message_en=f"unreadable form from the platform: "
                            f"{clean_message(err)}") from None

    @staticmethod
    def _key(answer: Any, key: str) -> Any:
        """``answer[key]``, or BadAnswer when the answer lacks it."""
        if not isinstance(answer, dict) or key not in answer:
            raise BadAnswer(message_en=f"the platform's answer has no {key!r}")
        return answer[key]

    # --- the gateway --------------------------------------------------------------
    def issue(self, request: InvoiceRequest) -> Invoice:
        answer = self._call("POST", "/v1/invoices", {"request": to_data(request)}, safe=False)
        invoice = self._invoice(self._key(answer, "invoice"))
        if invoice is None:
            raise BadAnswer(message_en="the platform answered an issue without an invoice")
        return invoice

    def query_request(self, request_id: str) -> Invoice | None:
        answer = self._call("GET", f"/v1/requests/{self._part(request_id)}", safe=True)
        return self._invoice(answer.get("invoice"))

    def query_order(self, order_no: str) -> Invoice | None:
        answer = self._call("GET", f"/v1/orders/{self._part(order_no)}", safe=True)
        return self._invoice(answer.get("invoice"))

    def get_invoice(self, number: str) -> Invoice | None:
        answer = self._call("GET", f"/v1/invoices/{self._part(number)}", safe=True)
        return self._invoice(answer.get("invoice"))

    def list_invoices(self, day: dt.date) -> list[Invoice]:
        answer = self._call("GET", f"/v1/days/{day.isoformat()}/invoices", safe=True)
        items = answer.get("invoices")
        if not isinstance(items, list):
            raise PlatformError(message_en="the platform's day listing is not a list",
                                code="BAD_ANSWER")
        out = [self._invoice(item) for item in items]
        return [inv for inv in out if inv is not None]

    def remaining_quota(self) -> Decimal:
        return decimal_from(self._key(self._call("GET", "/v1/quota", safe=True), "remaining"),
                            "remaining")

    def file_red_form(
        self,
        original_number: str,
        reason: RedReason,
        filed_by: str,
        lines: Sequence[InvoiceLine] | None = None,
    ) -> RedLetterForm:
        payload = {
            "original_number": original_number,
            "reason": RedReason(reason).value,
            "filed_by": filed_by,
            "lines": None if lines is None else [to_data(ln) for ln in lines],
        }
        return self._form(self._key(self._call("POST", "/v1/red-forms", payload, safe=False),
                                    "form"))

    def _form_action(self, form_number: str, action: str) -> RedLetterForm:
        path = f"/v1/red-forms/{self._part(form_number)}/{action}"
        return self._form(self._key(self._call("POST", path, {}, safe=False), "form"))

    def confirm_red_form(self, form_number: str) -> RedLetterForm:
        return self._form_action(form_number, "confirm")

    def reject_red_form(self, form_number: str) -> RedLetterForm:
        return self._form_action(form_number, "reject")

    def withdraw_red_form(self, form_number: str) -> RedLetterForm:
        return self._form_action(form_number, "withdraw")

    def query_red_form(self, form_number: str) -> RedLetterForm:
        path = f"/v1/red-forms/{self._part(form_number)}"
        return self._form(self._key(self._call("GET", path, safe=True), "form"))

    def issue_red_invoice(self, form_number: str) -> Invoice:
        path = f"/v1/red-forms/{self._part(form_number)}/red-invoice"
        invoice = self._invoice(self._key(self._call("POST", path, {}, safe=False), "invoice"))
        if invoice is None:
            raise BadAnswer(message_en="the platform answered a red issue without an invoice")
        return invoice

    def documents(self, number: str) -> InvoiceDocuments:
        answer = self._call("GET", f"/v1/invoices/{self._part(number)}/documents", safe=True)
        if self._key(answer, "number") != number:
            raise BadAnswer(message_en="the platform sent the documents of another invoice")
        try:
            pdf = base64.b64decode(self._key(answer, "pdf"), validate=True)
            xml = base64.b64decode(self._key(answer, "xml"), validate=True)
        except (ValueError, TypeError):  # binascii.Error is a ValueError
            raise BadAnswer(message_en="the platform's documents are not base64") from None
        return InvoiceDocuments(number, pdf=pdf, xml=xml)

    def health(self) -> PlatformHealth:
        t0 = time.perf_counter()
        checked_at = dt.datetime.now(dt.UTC)
        try:
            answer = self._call("GET", "/v1/health", safe=True)
        except PlatformError as err:
            return PlatformHealth(False, (time.perf_counter() - t0) * 1000, err.message_en, None,
                                  checked_at)
        quota = answer.get("quota")
        try:
            remaining = None if quota is None else decimal_from(quota, "quota")
        except BadAnswer as err:
            return PlatformHealth(False, (time.perf_counter() - t0) * 1000, err.message_en, None,
                                  checked_at)
        return PlatformHealth(
            answer.get("ok") is True, (time.perf_counter() - t0) * 1000,
            clean_message(answer.get("message", "")), remaining, checked_at)
