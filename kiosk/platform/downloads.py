"""Invoice downloads for phones, and the HTTP plumbing the sandbox server builds on.

:class:`DownloadServer` answers ``GET /i/<token>`` (a small page),
``/i/<token>.pdf`` and ``/i/<token>.xml`` and NOTHING else: every other path
and method is a 404, there is no listing and no issuing. It is what
``kiosk run`` opens on ``platform.download_base_url`` for the QR codes; the
embedded sandbox's signed API stays in-process and is never on the network
(issue 15: the public port used to answer the whole API to anyone holding the
shipped demo key pair). :class:`~kiosk.platform.server.SandboxServer` (``kiosk
sandbox serve``) extends it with the signed API.

Both share two limits that keep one bad client from holding the server:

- a request's line, headers and body must all arrive within
  ``read_deadline_s`` in total (a socket timeout alone restarts at every byte,
  so a client trickling a byte every two seconds would never time out);
- :meth:`DownloadServer.stop` cuts connections that are still reading a
  request at once, and lets only requests already being answered finish.

Why stdlib ``http.server``: see :mod:`kiosk.platform.server`.
"""

from __future__ import annotations

import html
import io
import logging
import re
import socket
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Protocol
from urllib.parse import urlsplit

from kiosk.config import Config
from kiosk.model import Invoice
from kiosk.platform.faults import Crashed
from kiosk.platform.gateway import InvoiceDocuments, IssuingGateway

log = logging.getLogger("kiosk.platform.downloads")

TOKEN_RE = re.compile(r"^/i/([A-Za-z0-9_-]{32})(\.pdf|\.xml|\.ofd)?$")
READ_DEADLINE_S = 20.0  # a whole request (line, headers, body) must arrive within this
IDLE_TIMEOUT_S = 30.0  # a kept-alive connection with no new request is closed after this


class TokenLookup(Protocol):
    """What downloads need of a platform: the invoice and documents behind a token."""

    def by_token(self, token: str) -> tuple[Invoice, InvoiceDocuments] | None: ...

    def ofd_copy(self, invoice: Invoice) -> bytes:
        """The invoice's OFD copy (GB/T 33190), marked as a copy (issue 14 item 6)."""
        ...


class _DeadlineReader(io.RawIOBase):
    """A socket reader that gives up once the request's deadline has passed.

    Each ``recv`` gets only the time left, so the total, not the gap between
    bytes, is bounded. ``deadline`` is moved on by the handler for each request.
    """

    def __init__(self, sock: socket.socket) -> None:
        self._sock = sock
        self.deadline = time.monotonic() + IDLE_TIMEOUT_S

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError("request not received within its deadline")
        self._sock.settimeout(left)
        return self._sock.recv_into(buffer)


class DownloadServer(ThreadingHTTPServer):
    """Serves invoice downloads of ``platform`` and nothing else; ``port=0`` picks a free port."""

    daemon_threads = False  # server_close() joins in-flight requests: a clean stop
    block_on_close = True

    def __init__(
        self,
        address: tuple[str, int],
        platform: TokenLookup,
        *,
        read_deadline_s: float = READ_DEADLINE_S,
        handler: type[BaseHTTPRequestHandler] | None = None,
    ) -> None:
        self.platform = platform
        self.read_deadline_s = read_deadline_s
        self._conns: dict[socket.socket, bool] = {}  # connection -> busy answering
        self._conns_lock = threading.Lock()
        self._closing = False
        self._thread: threading.Thread | None = None
        super().__init__(address, handler or DownloadHandler)

    @property
    def base_url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self, poll_interval: float = 0.5) -> threading.Thread:
        """Serve in a background thread; ``stop()`` takes up to ``poll_interval`` seconds."""
        self._thread = threading.Thread(target=self.serve_forever, args=(poll_interval,),
                                        name="kiosk-http", daemon=True)
        self._thread.start()
        return self._thread

    def stop(self) -> None:
        """Stop accepting, cut connections still reading a request, let answers finish."""
        if self._thread is not None:
            self.shutdown()
            self._thread.join()
            self._thread = None
        self.cut_connections(busy_too=False)
        self.server_close()

    def cut_connections(self, *, busy_too: bool) -> int:
        """Shut down open connections (idle or reading; all with ``busy_too``); how many."""
        with self._conns_lock:
            self._closing = True
            conns = [c for c, busy in self._conns.items() if busy_too or not busy]
        for conn in conns:
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        if conns:
            log.info("cut %d open connection(s) at stop", len(conns),
                     extra={"event": "platform.http.connections_cut", "count": len(conns)})
        return len(conns)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Log instead of socketserver's traceback on stderr (a client that left is routine)."""
        log.warning("http server: request failed", exc_info=True,
                    extra={"event": "platform.http.connection_error"})

    # --- connection bookkeeping (handlers call these) ------------------------------------
    def track(self, conn: socket.socket, add: bool) -> None:
        with self._conns_lock:
            if not add:
                self._conns.pop(conn, None)
                return
            self._conns[conn] = False
            closing = self._closing
        if closing:  # accepted just before stop(): cut it like the others
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def mark_busy(self, conn: socket.socket, busy: bool) -> bool:
        """Mark a connection as answering (True) or reading again; False when stopping."""
        with self._conns_lock:
            if busy and self._closing:
                return False
            if conn in self._conns:
                self._conns[conn] = busy
            return True


class DownloadHandler(BaseHTTPRequestHandler):
    """Downloads only: ``GET /i/<token>[.pdf|.xml]``; anything else is a 404."""

    server: DownloadServer
    server_version = "KioskDownloads/1"
    protocol_version = "HTTP/1.0"

    def setup(self) -> None:
        super().setup()
        self._reader = _DeadlineReader(self.connection)
        self.rfile = io.BufferedReader(self._reader)
        self.server.track(self.connection, True)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            self.server.track(self.connection, False)

    def handle_one_request(self) -> None:
        self._reader.deadline = time.monotonic() + self.server.read_deadline_s
        try:
            super().handle_one_request()
        except TimeoutError:
            self.close_connection = True
            log.info("client too slow: connection closed",
                     extra={"event": "platform.http.read_deadline"})
        finally:
            self.server.mark_busy(self.connection, False)

    def begin_answer(self) -> bool:
        """The request is read: answer it, unless the server is stopping (then drop it)."""
        if self.server.mark_busy(self.connection, True):
            self.connection.settimeout(IDLE_TIMEOUT_S)  # writing the answer: a per-send limit
            return True
        self.close_connection = True
        return False

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        # A request line that did not parse has no path yet (send_error logs before it is set:
        # fuzzing, issue 15): log what there is instead of failing inside the error answer.
        raw = getattr(self, "path", "") or ""
        path = raw.split("/i/")[0] + ("/i/<token>" if "/i/" in raw else "")
        log.debug("http %s %s", self.command, path,
                  extra={"event": "platform.http.request", "status": args[1] if len(args) > 1 else ""})

    def do_GET(self) -> None:  # noqa: N802 - stdlib naming
        if not self.begin_answer():
            return
        if self.path.startswith("/i/"):
            self.download()
        else:
            self.not_found()

    def do_POST(self) -> None:  # noqa: N802
        if self.begin_answer():
            self.not_found()

    def not_found(self) -> None:
        self.close_connection = True  # the body (if any) is not read: do not reuse the stream
        self.send_text(404, "没有找到这张发票 / no such invoice")

    def send_text(self, status: int, text: str) -> None:
        self.send_body(status, text.encode("utf-8"), "text/plain; charset=utf-8")

    def send_body(self, status: int, body: bytes, ctype: str,
                  extra: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def download(self) -> None:
        m = TOKEN_RE.match(self.path.split("?", 1)[0])
        found = None
        try:
            found = self.server.platform.by_token(m.group(1)) if m else None
        except Crashed:
            self.close_connection = True
            return
        except Exception:
            log.exception("download failed", extra={"event": "platform.http.download_error"})
            self.send_text(500, "发票文件暂时无法生成 / document not available")
            return
        if m is None or found is None:
            self.not_found()
            return
        invoice, docs = found
        suffix = m.group(2)
        if suffix == ".pdf":
            self.send_body(200, docs.pdf, "application/pdf",
                           {"Content-Disposition": f'inline; filename="{invoice.number}.pdf"'})
        elif suffix == ".xml":
            self.send_body(200, docs.xml, "application/xml",
                           {"Content-Disposition": f'attachment; filename="{invoice.number}.xml"'})
        elif suffix == ".ofd":
            try:
                ofd = self.server.platform.ofd_copy(invoice)
            except Exception:
                log.exception("OFD copy failed", extra={"event": "platform.http.ofd_error"})
                self.send_text(500, "发票文件暂时无法生成 / document not available")
                return
            self.send_body(200, ofd, "application/ofd",
                           {"Content-Disposition": f'attachment; filename="{invoice.number}.ofd"'})
        else:
            self.send_body(200, download_page(invoice, m.group(1)), "text/html; charset=utf-8",
                           {"Referrer-Policy": "no-referrer"})


def download_page(invoice: Invoice, token: str) -> bytes:
    """The small HTML page behind a receipt's QR code: what it is, and two links."""
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
<p><a href="/i/{token}.ofd">下载 OFD（版式副本）/ Download OFD (copy)</a></p>
</body></html>
""".encode()


def start_download_server(config: Config, gateway: IssuingGateway) -> DownloadServer | None:
    """Start serving the embedded sandbox's downloads at ``platform.download_base_url``.

    None when not serving: a remote platform (it serves its own), switched off
    (``platform.sandbox.serve_downloads``), or the address is taken (e.g. by a
    separate ``kiosk sandbox serve``: logged).
    """
    from kiosk.platform.sandbox import SandboxPlatform

    if not (isinstance(gateway, SandboxPlatform) and config.platform.sandbox.serve_downloads):
        return None
    url = urlsplit(config.platform.download_base_url)
    address = (url.hostname or "127.0.0.1", url.port or 80)
    try:
        server = DownloadServer(address, gateway)
    except OSError as err:
        log.warning("invoice downloads not served at %s: %s", config.platform.download_base_url,
                    err.strerror, extra={"event": "app.downloads_unavailable"})
        return None
    server.start()
    log.info("serving invoice downloads at %s", config.platform.download_base_url,
             extra={"event": "app.downloads_served"})
    return server


def serve_downloads(config: Config, gateway: IssuingGateway) -> Callable[[], None] | None:
    """:func:`start_download_server`, returning the server's stop function (None: not serving)."""
    server = start_download_server(config, gateway)
    return None if server is None else server.stop
