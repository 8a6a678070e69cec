"""The sandbox platform over HTTP: a signed JSON API plus unauthenticated invoice downloads.

Routes (JSON bodies; every ``/v1`` and ``/admin`` call is HMAC-signed, see
:mod:`kiosk.platform.signing`; path parts are percent-encoded):

=======  =================================  ==========================================
POST     /v1/invoices                       ``{"request": InvoiceRequest}`` -> ``{"invoice"}``
GET      /v1/requests/<request_id>          ``{"invoice": Invoice | null}``
GET      /v1/orders/<order_no>              ``{"invoice": Invoice | null}``
GET      /v1/invoices/<number>              ``{"invoice": Invoice | null}``
GET      /v1/invoices/<number>/documents    ``{"number", "pdf": base64, "xml": base64}``
GET      /v1/days/<YYYY-MM-DD>/invoices     ``{"invoices": [Invoice, ...]}`` (Beijing day)
GET      /v1/quota                          ``{"remaining": "123.45"}``
POST     /v1/red-forms                      ``{"original_number", "reason", "filed_by", "lines"}``
GET      /v1/red-forms/<n>                  ``{"form": RedLetterForm}``
POST     /v1/red-forms/<n>/<action>         confirm | reject | withdraw -> ``{"form"}``
POST     /v1/red-forms/<n>/red-invoice      ``{"invoice"}``
GET      /v1/health                         ``{"ok", "latency_ms", "message", "quota"}``
GET/POST /admin/faults                      only with ``faults_admin``; POST ``{"clear": true}``
GET      /i/<token>[.pdf|.xml]              no auth: the unguessable token is the secret
=======  =================================  ==========================================

Errors answer ``{"error": PlatformError.to_dict()}`` with 401 (auth), 400,
404, 409 (order invoiced, quota, red-form state), 422 (rejected), 503
(unavailable) or 500. A PlatformTimeout (the ``timeout_after_commit`` fault)
and a crash (:meth:`SandboxServer.kill`) answer nothing: the connection is
dropped, exactly what a client sees when an answer is lost.

Why stdlib ``http.server`` and no framework: a dozen fixed routes, JSON in and
out, and a test-only crash switch that needs the raw sockets; a framework
(Flask, aiohttp, FastAPI) would add a dependency and a server runner without
removing any of this code. ``ThreadingHTTPServer`` gives a thread per request;
the sandbox is thread-safe.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import logging
import re
import time
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import unquote

from kiosk.model import InvoiceLine, InvoiceRequest, RedReason
from kiosk.platform.codec import CodecError, from_data, to_data
from kiosk.platform.downloads import TOKEN_RE, DownloadHandler, DownloadServer
from kiosk.platform.faults import Crashed
from kiosk.platform.gateway import (
    NotFound,
    OrderAlreadyInvoiced,
    PlatformError,
    PlatformRejected,
    PlatformTimeout,
    PlatformUnavailable,
    QuotaExceeded,
    RedFormStateError,
)
from kiosk.platform.sandbox import SandboxPlatform
from kiosk.platform.signing import SignatureError, SqliteNonceStore, Verifier

log = logging.getLogger("kiosk.platform.server")

MAX_BODY = 1 << 20
__all__ = ["TOKEN_RE", "SandboxServer"]
_STATUS: list[tuple[type[PlatformError], int]] = [
    (PlatformRejected, 422),
    (OrderAlreadyInvoiced, 409),
    (QuotaExceeded, 409),
    (RedFormStateError, 409),
    (NotFound, 404),
    (PlatformUnavailable, 503),
]


class _BadRequest(Exception):
    pass


def _arg(data: dict[str, Any], key: str) -> Any:
    if key not in data:
        raise _BadRequest(f"missing '{key}'")
    return data[key]


def _status_of(err: PlatformError) -> int:
    return next((code for cls, code in _STATUS if isinstance(err, cls)), 500)


class SandboxServer(DownloadServer):
    """The signed platform API plus downloads for one SandboxPlatform; ``port=0`` picks a free port."""

    platform: SandboxPlatform

    def __init__(
        self,
        address: tuple[str, int],
        platform: SandboxPlatform,
        keys: Mapping[str, str],
        *,
        faults_admin: bool = False,
        clock: Callable[[], float] | None = None,
        read_deadline_s: float | None = None,
    ) -> None:
        # Nonces live in the platform's database: a replay after a restart is refused too.
        self.nonces = SqliteNonceStore(platform.db_path)
        self.verifier = Verifier(keys, clock=clock or time.time, nonces=self.nonces)
        self.faults_admin = faults_admin
        extra = {} if read_deadline_s is None else {"read_deadline_s": read_deadline_s}
        try:
            super().__init__(address, platform, handler=_Handler, **extra)
        except BaseException:
            self.nonces.close()
            raise

    def server_close(self) -> None:
        super().server_close()
        self.nonces.close()

    def kill(self) -> None:
        """Simulate a crash: open connections are cut and in-flight calls die uncommitted.

        The platform object is dead afterwards (every call raises ``Crashed``), as
        a killed process would be: build a new SandboxPlatform on the same file
        to "restart".
        """
        self.platform.faults.crash()
        self.cut_connections(busy_too=True)
        self.stop()


class _Handler(DownloadHandler):
    server: SandboxServer
    server_version = "KioskSandbox/1"

    def do_GET(self) -> None:  # noqa: N802 - stdlib naming
        if self.path.startswith("/i/"):
            if self.begin_answer():
                self.download()
        else:
            self._api()

    def do_POST(self) -> None:  # noqa: N802
        self._api()

    def _json(self, status: int, obj: Any) -> None:
        self.send_body(status, json.dumps(obj, ensure_ascii=False).encode("utf-8"),
                       "application/json; charset=utf-8")

    def _error(self, status: int, err: dict[str, Any]) -> None:
        self._json(status, {"error": err})

    def _read_body(self) -> bytes:
        length = self.headers.get("Content-Length")
        if length is None:
            return b""
        if not length.isdigit() or int(length) > MAX_BODY:
            raise _BadRequest("body missing a valid Content-Length, or larger than 1 MiB")
        return self.rfile.read(int(length))

    # --- the signed API ---------------------------------------------------------------
    def _api(self) -> None:
        try:
            body = self._read_body()
            if not self.begin_answer():
                return
            self.server.verifier.verify(self.headers, self.command, self.path, body)
            status, result = self._dispatch(body)
            self._json(status, result)
        except SignatureError as err:
            self._error(401, {"type": "PlatformError", "code": err.code,
                              "message_zh": err.message_zh, "message_en": err.message_en})
        except (PlatformTimeout, Crashed):
            self.close_connection = True  # answer nothing: the client sees a lost answer
        except PlatformError as err:
            self._error(_status_of(err), err.to_dict())
        except (_BadRequest, CodecError) as err:
            self._error(400, {"type": "PlatformError", "code": "BAD_REQUEST",
                              "message_zh": "请求格式错误", "message_en": f"bad request: {err}"})
        except TimeoutError:
            raise  # the request's read deadline passed: the handler closes the connection
        except ConnectionError:  # the client left (e.g. its timeout): nobody to answer
            self.close_connection = True
            log.info("client went away", extra={"event": "platform.http.client_gone"})
        except Exception:
            log.exception("sandbox server error", extra={"event": "platform.http.error"})
            self._error(500, {"type": "PlatformError", "code": "INTERNAL",
                              "message_zh": "平台内部错误", "message_en": "internal platform error"})

    def _dispatch(self, body: bytes) -> tuple[int, Any]:
        p = self.server.platform
        path = self.path.split("?", 1)[0]
        parts = [unquote(s) for s in path.strip("/").split("/")]
        method = self.command
        try:
            data = json.loads(body) if body else {}
        except ValueError as err:
            raise _BadRequest(f"the body is not JSON: {err}") from None
        except RecursionError:
            raise _BadRequest("the body is nested too deeply") from None
        if not isinstance(data, dict):
            raise _BadRequest("the body must be a JSON object")
        match method, parts:
            case "POST", ["v1", "invoices"]:
                request = from_data(InvoiceRequest, _arg(data, "request"), "request")
                return 200, {"invoice": to_data(p.issue(request))}
            case "GET", ["v1", "requests", rid]:
                return 200, {"invoice": to_data(p.query_request(rid))}
            case "GET", ["v1", "orders", order_no]:
                return 200, {"invoice": to_data(p.query_order(order_no))}
            case "GET", ["v1", "invoices", number]:
                return 200, {"invoice": to_data(p.get_invoice(number))}
            case "GET", ["v1", "invoices", number, "documents"]:
                docs = p.documents(number)
                return 200, {"number": docs.number, "pdf": base64.b64encode(docs.pdf).decode(),
                             "xml": base64.b64encode(docs.xml).decode()}
            case "GET", ["v1", "days", day, "invoices"]:
                try:
                    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", day):
                        raise ValueError(day)
                    date = dt.date.fromisoformat(day)
                except ValueError:
                    raise _BadRequest("the day must be YYYY-MM-DD") from None
                return 200, {"invoices": [to_data(i) for i in p.list_invoices(date)]}
            case "GET", ["v1", "quota"]:
                return 200, {"remaining": str(p.remaining_quota())}
            case "POST", ["v1", "red-forms"]:
                raw_lines = data.get("lines")
                if raw_lines is not None and not isinstance(raw_lines, list):
                    raise _BadRequest("lines must be a list or null")
                lines = None if raw_lines is None else [
                    from_data(InvoiceLine, ln, f"lines[{i}]") for i, ln in enumerate(raw_lines)]
                try:
                    reason = RedReason(_arg(data, "reason"))
                except ValueError:
                    raise _BadRequest("reason must be 1, 2, 3 or 4") from None
                form = p.file_red_form(str(_arg(data, "original_number")), reason,
                                       str(_arg(data, "filed_by")), lines)
                return 200, {"form": to_data(form)}
            case "GET", ["v1", "red-forms", number]:
                return 200, {"form": to_data(p.query_red_form(number))}
            case "POST", ["v1", "red-forms", number, "red-invoice"]:
                return 200, {"invoice": to_data(p.issue_red_invoice(number))}
            case "POST", ["v1", "red-forms", number, ("confirm" | "reject" | "withdraw") as act]:
                call = {"confirm": p.confirm_red_form, "reject": p.reject_red_form,
                        "withdraw": p.withdraw_red_form}[act]
                return 200, {"form": to_data(call(number))}
            case "GET", ["v1", "health"]:
                h = p.health()
                return 200, {"ok": h.ok, "latency_ms": h.latency_ms, "message": h.message,
                             "quota": None if h.quota is None else str(h.quota)}
            case ("GET" | "POST"), ["admin", "faults"] if self.server.faults_admin:
                if method == "POST":
                    if data.pop("clear", False):
                        p.faults.clear()
                    if data:
                        try:
                            p.faults.set(**data)
                        except (TypeError, ValueError) as err:
                            raise _BadRequest(f"bad fault settings: {err}") from None
                return 200, {"faults": p.faults.to_dict()}
        raise NotFound("没有这个接口", f"no route {method} {path}")
