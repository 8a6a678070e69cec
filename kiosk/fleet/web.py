"""The back-office page: every kiosk, the day's invoices, search, audit, update history.

Server-rendered HTML from the standard library's ``ThreadingHTTPServer``: a
handful of read-only pages need no web framework, and this keeps the central
service at two engines (NATS, PostgreSQL). Each request opens its own
read-only PostgreSQL connection; every value is HTML-escaped and every query
is parameterised, so nothing a kiosk sends reaches the page as markup or the
database as SQL.

Pages: ``/`` (kiosks, the day's invoices or a search by invoice/order number
with ``?q=``, the day with ``?day=YYYY-MM-DD``, update history) and
``/kiosk/<id>`` (its status and recent audit entries).
"""

from __future__ import annotations

import datetime as dt
import html
import logging
import threading
from collections.abc import Iterable, Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import psycopg

from kiosk.config import FleetConfig
from kiosk.fleet.store import CentralStore, Reconciliation, dumps

log = logging.getLogger("kiosk.fleet.web")

SILENT_AFTER_S = 120  # a kiosk not heard from for this long is shown as silent

_STYLE = """body{font-family:sans-serif;margin:1.5em;color:#222}table{border-collapse:collapse;
margin-bottom:1.5em}td,th{border:1px solid #ccc;padding:.3em .6em;text-align:left}
th{background:#eee}.bad{color:#b00;font-weight:bold}.ok{color:#070}"""


def _e(value: Any) -> str:
    return html.escape("" if value is None else str(value))


def _table(cls: str, headers: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    head = "".join(f"<th>{_e(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return f'<table class="{cls}"><tr>{head}</tr>{body}</table>'


def _page(title: str, body: str) -> bytes:
    return (f'<!doctype html><html lang="zh"><head><meta charset="utf-8"><title>{_e(title)}'
            f"</title><style>{_STYLE}</style></head><body><h1>{_e(title)}</h1>{body}"
            "</body></html>").encode()


def _kiosk_state(row: dict[str, Any], now: dt.datetime) -> str:
    last = row.get("last_contact")
    if last is None:
        return "never seen"
    if (now - last).total_seconds() > SILENT_AFTER_S:
        return "silent"
    return str(row.get("state") or "up")


def render_index(store: CentralStore, day: dt.date, q: str) -> bytes:
    now = dt.datetime.now(dt.UTC)
    kiosks = _table("kiosks", ["kiosk", "state", "last contact", "records", "backlog",
                               "audit verified", "chain"], (
        [f'<a href="/kiosk/{_e(k["kiosk_id"])}">{_e(k["kiosk_id"])}</a>',
         _e(_kiosk_state(k, now)),
         _e(k["last_contact"].isoformat(timespec="seconds") if k["last_contact"] else "-"),
         _e(k["records"]), _e(k["status"].get("backlog", "")), _e(k["audit_verified_seq"]),
         '<span class="ok">OK</span>' if k["chain_ok"]
         else f'<span class="bad">BROKEN: {_e(k["chain_error"])}</span>']
        for k in store.kiosks()))
    invoices = store.invoices(day=day, search=q)
    inv = _table("invoices", ["invoice", "colour", "kind", "kiosk", "issued", "orders", "total"], (
        [_e(i["number"]), _e(i["colour"]), _e(i["kind"]), _e(i["kiosk_id"]),
         _e(i["issued_at"]), _e(", ".join(i["order_nos"])), _e(i["total"])] for i in invoices))
    total = sum((i["total"] for i in invoices), start=0)
    updates = _table("updates", ["at", "key", "revision", "kiosk", "event", "detail"], (
        [_e(u["at"].isoformat(timespec="seconds")), _e(u["key"]), _e(u["revision"]),
         _e(u["kiosk_id"]), _e(u["event"]), _e(u["detail"])] for u in store.updates()))
    what = f"search: {_e(q)}" if q else f"invoices of {day.isoformat()}"
    recon = _reconciliation(store.reconciliation(day))
    form = ('<form method="get" action="/"><input name="q" placeholder="invoice or order number"'
            f' value="{_e(q)}"> <input name="day" type="date" value="{day.isoformat()}">'
            ' <button type="submit">search</button></form>')
    body = (f"<h2>kiosks</h2>{kiosks}<h2>{what}</h2>{form}"
            f'<p class="summary">{len(invoices)} invoices, total {_e(total)}</p>{inv}'
            f"<h2>reconciliation with the platform, {day.isoformat()}</h2>{recon}"
            f"<h2>update history</h2>{updates}")
    return _page("自助开票终端 · back office", body)


def _numbers(numbers: Sequence[str]) -> str:
    return ", ".join(_e(n) for n in numbers) if numbers else "none"


def _reconciliation(r: Reconciliation) -> str:
    if not r.reported:
        return ('<p class="recon">no daily report for this day yet (kiosks send it after '
                "midnight, Beijing time)</p>")
    verdict = ('<span class="ok">OK</span>' if r.ok
               else '<span class="bad">DIFFERENCES</span>')
    rows = [["reports from", _numbers(r.reported)],
            ["kiosks whose own report found differences", _numbers(r.kiosk_differences)],
            ["on the platform, never received from a kiosk", _numbers(r.not_received)],
            ["received from a kiosk, not on the platform", _numbers(r.not_on_platform)],
            ["issued that day, no report yet", _numbers(r.no_report)]]
    return f'<p class="recon">{verdict}</p>' + _table("recon", ["", ""], rows)


def render_kiosk(store: CentralStore, kiosk_id: str) -> bytes | None:
    rows = [k for k in store.kiosks() if k["kiosk_id"] == kiosk_id]
    if not rows:
        return None
    k = rows[0]
    audit = _table("audit", ["seq", "ts", "action", "actor", "data"], (
        [_e(a["audit_seq"]), _e(a["ts"]), _e(a["action"]), _e(a["actor"]), _e(a["data"])]
        for a in store.audit(kiosk_id)))
    events = _table("events", ["time", "level", "event", "message"], (
        [_e(v["ts"].isoformat(timespec="seconds")), _e(v["level"]), _e(v["event"]),
         _e(v["message"])] for v in store.log_events(kiosk_id)))
    body = (f'<p><a href="/">all kiosks</a></p><h2>status</h2><pre>{_e(dumps(k["status"]))}'
            f'</pre><p>records {_e(k["records"])}, audit verified through seq '
            f'{_e(k["audit_verified_seq"])}, chain {"OK" if k["chain_ok"] else "BROKEN"}'
            f' {_e(k["chain_error"])}</p><h2>recent audit entries</h2>{audit}'
            f"<h2>recent log events</h2>{events}")
    return _page(f"kiosk {kiosk_id}", body)


class BackOffice:
    """The page's HTTP server in a thread; ``url`` once started."""

    def __init__(self, fleet: FleetConfig) -> None:
        self.fleet = fleet
        c = fleet.central
        database_url = c.database_url

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                log.debug(format, *args)

            def do_GET(self) -> None:  # noqa: N802 - http.server's name
                parts = urlsplit(self.path)
                query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
                try:
                    store = CentralStore(database_url, migrate_schema=False)
                except psycopg.Error as err:
                    self._send(503, _page("back office", f"<p>database unreachable: {_e(err)}</p>"))
                    return
                try:
                    if parts.path == "/":
                        try:
                            day = dt.date.fromisoformat(query.get("day") or dt.date.today().isoformat())
                        except ValueError:
                            self._send(400, _page("back office", "<p>bad day (YYYY-MM-DD)</p>"))
                            return
                        self._send(200, render_index(store, day, query.get("q", "").strip()))
                    elif parts.path.startswith("/kiosk/"):
                        page = render_kiosk(store, unquote(parts.path[len("/kiosk/"):]))
                        self._send(404 if page is None else 200,
                                   page or _page("back office", "<p>no such kiosk</p>"))
                    elif parts.path == "/healthz":
                        self._send(200, b"ok", "text/plain")
                    else:
                        self._send(404, _page("back office", "<p>not found</p>"))
                finally:
                    store.close()

            def _send(self, code: int, body: bytes, ctype: str = "text/html; charset=utf-8") -> None:
                self.send_response(code)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.httpd = ThreadingHTTPServer((c.http_host, c.http_port), Handler)
        self.httpd.daemon_threads = True
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> None:
        self._thread = threading.Thread(target=self.httpd.serve_forever, name="back-office",
                                        daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
