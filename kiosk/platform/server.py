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
import html
import json
import logging
import re
import socket
import threading
from collections.abc import Callable, Mapping
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import unquote

from kiosk.model import InvoiceLine, InvoiceRequest, RedReason
from kiosk.platform.codec import CodecError, from_data, to_data
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
from kiosk.platform.signing import SignatureError, Verifier

log = logging.getLogger("kiosk.platform.server")

MAX_BODY = 1 << 20
TOKEN_RE = re.compile(r"^/i/([A-Za-z0-9_-]{32})(\.pdf|\.xml)?$")
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


class SandboxServer(ThreadingHTTPServer):
    """A ThreadingHTTPServer serving one SandboxPlatform; ``port=0`` picks a free port."""

    daemon_threads = False  # server_close() joins in-flight requests: a clean stop
    block_on_close = True

    def __init__(
        self,
        address: tuple[str, int],
        platform: SandboxPlatform,
        keys: Mapping[str, str],
        *,
        faults_admin: bool = False,
        clock: Callable[[], float] | None = None,
    ) -> None:
        self.platform = platform
        self.verifier = Verifier(keys, clock=clock) if clock else Verifier(keys)
        self.faults_admin = faults_admin
        self._conns: set[socket.socket] = set()
        self._conns_lock = threading.Lock()
        self._thread: threading.Thread | None = None
        super().__init__(address, _Handler)

    @property
    def base_url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self, poll_interval: float = 0.5) -> threading.Thread:
        """Serve in a background thread; ``stop()`` takes up to ``poll_interval`` seconds."""
        self._thread = threading.Thread(target=self.serve_forever, args=(poll_interval,),
                                        name="sandbox-http", daemon=True)
        self._thread.start()
        return self._thread

    def stop(self) -> None:
        """Stop accepting, let in-flight requests finish, close the socket."""
        if self._thread is not None:
            self.shutdown()
            self._thread.join()
            self._thread = None
        self.server_close()

    def kill(self) -> None:
        """Simulate a crash: open connections are cut and in-flight calls die uncommitted.

        The platform object is dead afterwards (every call raises ``Crashed``), as
        a killed process would be: build a new SandboxPlatform on the same file
        to "restart".
        """
        self.platform.faults.crash()
        with self._conns_lock:
            conns = list(self._conns)
        for conn in conns:
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        self.stop()

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Log instead of socketserver's traceback on stderr (a client that left is routine)."""
        log.warning("sandbox server: request failed", exc_info=True,
                    extra={"event": "platform.http.connection_error"})

    def _track(self, conn: socket.socket, add: bool) -> None:
        with self._conns_lock:
            (self._conns.add if add else self._conns.discard)(conn)


class _Handler(BaseHTTPRequestHandler):
    server: SandboxServer
    timeout = 30  # a client that stalls mid-request is cut off
    server_version = "KioskSandbox/1"

    def setup(self) -> None:
        super().setup()
        self.server._track(self.connection, True)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            self.server._track(self.connection, False)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        path = self.path.split("/i/")[0] + ("/i/<token>" if "/i/" in self.path else "")
        log.debug("http %s %s", self.command, path,
                  extra={"event": "platform.http.request", "status": args[1] if len(args) > 1 else ""})

    # --- plumbing ---------------------------------------------------------------------
    def do_GET(self) -> None:  # noqa: N802 - stdlib naming
        if self.path.startswith("/i/"):
            self._download()
        else:
            self._api()

    def do_POST(self) -> None:  # noqa: N802
        self._api()

    def _send(self, status: int, body: bytes, ctype: str, extra: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def _json(self, status: int, obj: Any) -> None:
        self._send(status, json.dumps(obj, ensure_ascii=False).encode("utf-8"),
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

    # --- downloads (no auth) ----------------------------------------------------------
    def _download(self) -> None:
        m = TOKEN_RE.match(self.path.split("?", 1)[0])
        found = None
        try:
            found = self.server.platform.by_token(m.group(1)) if m else None
        except Crashed:
            self.close_connection = True
            return
        except Exception:
            log.exception("sandbox download failed", extra={"event": "platform.http.download_error"})
            self._send(500, "发票文件暂时无法生成 / document not available".encode(),
                       "text/plain; charset=utf-8")
            return
        if m is None or found is None:
            self._send(404, "没有找到这张发票 / no such invoice".encode(), "text/plain; charset=utf-8")
            return
        invoice, docs = found
        suffix = m.group(2)
        if suffix == ".pdf":
            self._send(200, docs.pdf, "application/pdf",
                       {"Content-Disposition": f'inline; filename="{invoice.number}.pdf"'})
        elif suffix == ".xml":
            self._send(200, docs.xml, "application/xml",
                       {"Content-Disposition": f'attachment; filename="{invoice.number}.xml"'})
        else:
            self._send(200, _page(invoice, m.group(1)), "text/html; charset=utf-8",
                       {"Referrer-Policy": "no-referrer"})


def _page(invoice: Any, token: str) -> bytes:
    e = html.escape
    title = e(invoice.kind.invoice_title) + ("（红字）" if invoice.colour.value == "red" else "")
    return f"""<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>发票 {e(invoice.number)}</title></head>
<body style="font-family:sans-serif;max-width:32em;margin:2em auto;padding:0 1em">
<h1 style="font-size:1.3em">{title}</h1>
<p>发票号码 Number: <b>{e(invoice.number)}</b><br>
开票日期 Date: {e(invoice.issued_at.date().isoformat())}<br>
销售方 Seller: {e(invoice.seller.name)}<br>
购买方 Buyer: {e(invoice.buyer.name)}<br>
价税合计 Total: ￥{e(str(invoice.total))}</p>
<p><a href="/i/{token}.pdf">下载 PDF / Download PDF</a></p>
<p><a href="/i/{token}.xml">下载 XML（法定数据文件）/ Download XML</a></p>
</body></html>
""".encode()
