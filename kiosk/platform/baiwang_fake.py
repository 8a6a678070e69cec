"""A strict fake of the Baiwang open platform (百望云), backed by the sandbox platform.

The tests start it on loopback (``tests/helpers/fake_baiwang.py``). It speaks
what :mod:`kiosk.platform.baiwang` speaks and is as strict as the provider:

- ``POST /router/rest`` checks the common query parameters (``method``,
  ``version``, ``appKey``, ``format=json``, ``timestamp`` in milliseconds within
  10 minutes, ``type=sync``, ``requestId``, ``token`` for business calls) and the
  ``sign`` EXACTLY (``100003``), the JSON body and its ``taxNo``;
- ``baiwang.oauth.token``: ``grant_type=password``, ``client_id`` = appKey, and
  in the body ``client_secret``, ``username`` and ``password`` = SHA-256(password
  + salt); counts every token call; an unknown or expired token answers
  ``100002``;
- ``baiwang.output.invoice.issue``: checks the data (money as decimal strings,
  never numbers; ``serialNo`` <= 32; ``invoiceTypeCode`` 01/02; 19-digit
  ``goodsCode``; totals consistent), answers ``流水号重复`` for a serialNo it has
  issued, and issues through the backing sandbox (numbers, quota, rules);
- ``baiwang.output.invoice.query`` by ``serialNo``: the issued invoice with its
  ``pdfUrl`` / ``ofdUrl`` / ``xmlUrl``, or an empty list;
- ``GET /i/<token>.pdf|.ofd|.xml``: the documents.

Faults a test scripts: :meth:`FakeBaiwang.lose_next` (process, then drop the
connection), :meth:`FakeBaiwang.answer_next` (an error answer, processed or not),
:meth:`FakeBaiwang.delay_next` (answer late), :meth:`FakeBaiwang.lapse_operator_session`,
:meth:`FakeBaiwang.hold_documents`.
Sandbox faults still apply (``PlatformUnavailable`` answers HTTP 503).
"""

from __future__ import annotations

import json
import logging
import re
import secrets
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from kiosk.model import Buyer, BuyerType, InvoiceKind, InvoiceRequest, OrderLine
from kiosk.platform.baiwang_client import ROUTER, TOKEN_METHOD
from kiosk.platform.baiwang_sign import password_digest, verify
from kiosk.platform.gateway import (
    PlatformError,
    PlatformTimeout,
    PlatformUnavailable,
    QuotaExceeded,
)
from kiosk.platform.nuonuo_fake import official_document
from kiosk.platform.nuonuo_mapping import PLATFORM_TZ
from kiosk.platform.sandbox import SandboxPlatform

log = logging.getLogger("kiosk.platform.baiwang_fake")

MAX_BODY = 1 << 20
_DOC = re.compile(r"^/i/([A-Za-z0-9_-]{32})\.(pdf|ofd|xml)$")
_MONEY = ("goodsQuantity", "goodsPrice", "goodsTotalPrice", "goodsTotalTax", "goodsTaxRate")
_COMMON = ("method", "version", "appKey", "format", "timestamp", "type", "requestId", "token")
SESSION_LAPSED = "开票员电子税务局登录已失效，请重新登录并完成人脸认证"
Reply = tuple[bool, Any, dict[str, str]]  # success, response, errorResponse


def _error(code: str, message: str, sub_message: str = "") -> Reply:
    return False, None, {"code": code, "message": message, "subCode": code,
                         "subMessage": sub_message or message}


@dataclass
class _Injected:
    method: str
    kind: str  # "error" | "lose" | "delay"
    code: str = ""
    sub_message: str = ""
    process: bool = False
    seconds: float = 0.0


@dataclass
class FakeState:
    """What the fake has seen (tests read it)."""

    token_calls: list[float] = field(default_factory=list)
    calls: Counter[str] = field(default_factory=Counter)
    issues: list[tuple[str, str]] = field(default_factory=list)  # (serialNo, "ok" | code)
    bad_signatures: int = 0


class FakeBaiwang(ThreadingHTTPServer):
    """A Baiwang open platform on ``address`` (port 0 = any free port) over one sandbox."""

    daemon_threads = True
    block_on_close = False

    def __init__(self, address: tuple[str, int], platform: SandboxPlatform, app_key: str,
                 app_secret: str, username: str, password: str, salt: str, tax_number: str, *,
                 token_ttl_s: int = 7200, clock: Callable[[], float] = time.time) -> None:
        self.platform = platform
        self.app_key = app_key
        self.app_secret = app_secret
        self.username = username
        self.password_digest = password_digest(password, salt)
        self.tax_number = tax_number
        self.token_ttl_s = token_ttl_s
        self.clock = clock
        self.state = FakeState()
        self._lock = threading.Lock()
        self._tokens: dict[str, float] = {}
        self._serials: dict[str, str] = {}  # serialNo -> invoice number
        self._injected: list[_Injected] = []
        self._lapsed = False
        self._documents_held = False
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()
        self.delaying = threading.Event()  # set while a delayed answer is held back
        super().__init__(address, _Handler)
        platform.download_base_url = self.base_url

    @property
    def base_url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self, poll_interval: float = 0.05) -> None:
        self._thread = threading.Thread(target=self.serve_forever, args=(poll_interval,),
                                        name="fake-baiwang", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stopping.set()
        if self._thread is not None:
            self.shutdown()
            self._thread.join()
            self._thread = None
        self.server_close()

    def handle_error(self, request: Any, client_address: Any) -> None:
        log.warning("fake baiwang: request failed", exc_info=True)

    # --- scripting --------------------------------------------------------------------
    def answer_next(self, method: str, code: str, sub_message: str = "", *,
                    process: bool = False) -> None:
        """Answer the next ``method`` call with an error (after processing it, if ``process``)."""
        with self._lock:
            self._injected.append(_Injected(method, "error", code, sub_message, process))

    def lose_next(self, method: str, *, process: bool = True) -> None:
        """Drop the connection of the next ``method`` call (after processing it, if ``process``)."""
        with self._lock:
            self._injected.append(_Injected(method, "lose", process=process))

    def delay_next(self, method: str, seconds: float) -> None:
        """Answer the next ``method`` call only after ``seconds`` (processed first);
        ``delaying`` is set while the answer is held back."""
        with self._lock:
            self._injected.append(_Injected(method, "delay", process=True, seconds=seconds))

    def lapse_operator_session(self, lapsed: bool = True) -> None:
        with self._lock:
            self._lapsed = lapsed

    def hold_documents(self, held: bool = True) -> None:
        with self._lock:
            self._documents_held = held

    def expire_tokens(self) -> None:
        with self._lock:
            self._tokens.clear()

    def issue_results(self) -> list[str]:
        with self._lock:
            return [result for _, result in self.state.issues]

    def take_injected(self, method: str) -> _Injected | None:
        with self._lock:
            for i, inj in enumerate(self._injected):
                if inj.method == method:
                    return self._injected.pop(i)
        return None

    # --- the envelope -----------------------------------------------------------------
    def check(self, query: dict[str, str], body: str) -> Reply | None:
        """The refusal of the common parameters / signature / token, or None."""
        method = query.get("method", "")
        token_call = method == TOKEN_METHOD
        needed = ("method", "version", "timestamp", "client_id", "grant_type") if token_call \
            else _COMMON
        missing = [k for k in needed if not query.get(k)]
        if missing:
            return _error("100001" if "token" in missing else "100004",
                          f"缺少公共参数{','.join(missing)}")
        if not query["timestamp"].isdigit() or \
                abs(self.clock() * 1000 - int(query["timestamp"])) > 600_000:
            return _error("100005", "时间戳无效或超出有效范围")
        if (query.get("client_id") if token_call else query.get("appKey")) != self.app_key:
            return _error("100006", "appKey不存在")
        if not token_call and (query.get("format") != "json" or query.get("type") != "sync"):
            return _error("100004", "format/type不正确")
        if not verify(self.app_secret, query, body):
            with self._lock:
                self.state.bad_signatures += 1
            return _error("100003", "签名错误")
        if token_call:
            return None
        with self._lock:
            expires = self._tokens.get(query["token"])
        if expires is None or expires <= self.clock():
            return _error("100002", "token无效或已过期")
        return None

    def token(self, query: dict[str, str], body: dict[str, Any]) -> Reply:
        with self._lock:
            self.state.token_calls.append(self.clock())
            if (query.get("grant_type") != "password"
                    or body.get("client_secret") != self.app_secret
                    or body.get("username") != self.username
                    or body.get("password") != self.password_digest):
                return _error("100007", "用户名、密码或应用密钥不正确")
            token = secrets.token_hex(16)
            self._tokens[token] = self.clock() + self.token_ttl_s
            return True, {"access_token": token, "expires_in": self.token_ttl_s,
                          "token_type": "bearer"}, {}

    def dispatch(self, method: str, body: Any) -> Reply:
        with self._lock:
            self.state.calls[method] += 1
        if not isinstance(body, dict) or not isinstance(body.get("data"), dict):
            return _error("200001", "业务参数错误", "报文须为含data的JSON对象")
        if body.get("taxNo") != self.tax_number:
            return _error("200002", "税号未授权", "taxNo与授权企业不符")
        if method == "baiwang.output.invoice.issue":
            return self._issue(body["data"])
        if method == "baiwang.output.invoice.query":
            return self._query(body["data"])
        return _error("100008", f"不支持的方法{method}")

    # --- business ---------------------------------------------------------------------
    def _issue(self, data: dict[str, Any]) -> Reply:
        problem = _data_problem(data)
        serial = str(data.get("serialNo", ""))
        if problem:
            self._note(serial, "200003")
            return _error("200003", "开票参数校验失败", problem)
        with self._lock:
            known = serial in self._serials
            lapsed = self._lapsed
        if known:
            self._note(serial, "200004")
            return _error("200004", "开票失败", f"开票流水号重复：{serial}")
        if lapsed:
            self._note(serial, "200005")
            return _error("200005", "开票失败", SESSION_LAPSED)
        request = _request_of(data)
        try:
            number = self.platform.issue(request).number  # may raise: quota, rules
        except PlatformTimeout:  # the sandbox committed and "lost" its answer
            committed = self.platform.query_request(request.request_id)
            if committed is not None:
                with self._lock:
                    self._serials[serial] = committed.number
            raise
        with self._lock:
            self._serials[serial] = number
        self._note(serial, "ok")
        item = self._item(serial, number)
        for key in ("pdfUrl", "ofdUrl", "xmlUrl"):  # the files come with the query
            item.pop(key, None)
        return True, [item], {}

    def _query(self, data: dict[str, Any]) -> Reply:
        self.platform.faults.before_call("query_request")
        serial = str(data.get("serialNo", ""))
        with self._lock:
            number = self._serials.get(serial)
        return True, ([self._item(serial, number)] if number else []), {}

    def _item(self, serial: str, number: str) -> dict[str, Any]:
        invoice = self.platform.get_invoice(number)
        assert invoice is not None
        token = invoice.download_url.rsplit("/", 1)[-1]
        net = sum((ln.amount for ln in invoice.lines), Decimal("0.00"))
        tax = sum((ln.tax for ln in invoice.lines), Decimal("0.00"))
        base = f"{self.base_url}/i/{token}"
        return {"serialNo": serial, "digitInvoiceNo": number, "invoiceCode": "", "invoiceNo": "",
                "invoiceDate": invoice.issued_at.astimezone(PLATFORM_TZ).strftime(
                    "%Y-%m-%d %H:%M:%S"),
                "invoiceTotalPrice": str(net), "invoiceTotalTax": str(tax),
                "invoiceTotalPriceTax": str(net + tax), "buyerName": invoice.buyer.name,
                "drawer": invoice.drawer, "invoiceStatus": "00",
                "pdfUrl": base + ".pdf", "ofdUrl": base + ".ofd", "xmlUrl": base + ".xml"}

    def _note(self, serial: str, result: str) -> None:
        with self._lock:
            self.state.issues.append((serial, result))

    def documents(self, token: str, kind: str) -> bytes | None:
        with self._lock:
            if self._documents_held:
                return None
        return official_document(self.platform, token, kind)


def _data_problem(data: dict[str, Any]) -> str:
    """What is wrong with issue data, the way the provider's validation says it; "" if fine."""
    for key in ("serialNo", "invoiceTypeCode", "invoiceType", "priceTaxMark", "buyerName",
                "drawer", "invoiceDetailsList", "invoiceTotalPriceTax"):
        if data.get(key) in ("", None):
            return f"{key}不能为空"
    if not isinstance(data["serialNo"], str) or len(data["serialNo"]) > 32:
        return "serialNo长度不能超过32"
    if data["invoiceTypeCode"] not in ("01", "02") or data["invoiceType"] != "0":
        return "invoiceTypeCode/invoiceType不正确"
    details = data["invoiceDetailsList"]
    if not isinstance(details, list) or not details:
        return "invoiceDetailsList不能为空"
    total = Decimal("0")
    for i, d in enumerate(details):
        if not isinstance(d, dict):
            return f"invoiceDetailsList[{i}]格式错误"
        for key in _MONEY:
            if not isinstance(d.get(key), str):  # a JSON number loses precision: strings only
                return f"invoiceDetailsList[{i}].{key}必须为字符串"
            try:
                Decimal(d[key])
            except InvalidOperation:
                return f"invoiceDetailsList[{i}].{key}不是数字"
        if not re.fullmatch(r"\d{19}", str(d.get("goodsCode", ""))):
            return f"invoiceDetailsList[{i}].goodsCode须为19位"
        total += Decimal(d["goodsTotalPrice"]) + Decimal(d["goodsTotalTax"])
    try:
        if Decimal(str(data["invoiceTotalPriceTax"])) != total:
            return "价税合计与明细不符"
    except InvalidOperation:
        return "invoiceTotalPriceTax不是数字"
    return ""


def _request_of(data: dict[str, Any]) -> InvoiceRequest:
    """The sandbox request issue data stands for (one order per serialNo)."""
    person = data.get("naturalPersonFlag") == "1"
    bank, _, account = str(data.get("buyerBankAccount", "")).rpartition(" ")
    address, _, phone = str(data.get("buyerAddressPhone", "")).rpartition(" ")
    buyer = Buyer(BuyerType.PERSON if person else BuyerType.COMPANY, str(data["buyerName"]),
                  str(data.get("buyerTaxNo", "")), address, phone, bank, account)
    lines = []
    for d in data["invoiceDetailsList"]:
        m = re.fullmatch(r"\*([^*]+)\*(.+)", str(d.get("goodsName", "")))
        short, name = (m.group(1), m.group(2)) if m else ("", str(d.get("goodsName", "")))
        mark = str(d.get("vatSpecialManagement", "")) if d.get("preferentialMarkFlag") == "1" \
            else ""
        gross = Decimal(d["goodsTotalPrice"]) + Decimal(d["goodsTotalTax"])
        lines.append(OrderLine(name, short, str(d["goodsCode"]), Decimal(d["goodsQuantity"]),
                               Decimal(d["goodsPrice"]), gross, Decimal(d["goodsTaxRate"]), mark,
                               str(d.get("goodsSpecification", "")), str(d.get("goodsUnit", ""))))
    return InvoiceRequest(
        request_id="BW-" + str(data["serialNo"]), order_nos=(str(data["serialNo"]),),
        buyer=buyer, kind=InvoiceKind.SPECIAL if data["invoiceTypeCode"] == "01"
        else InvoiceKind.NORMAL, lines=tuple(lines), remark=str(data.get("remarks", "")),
        drawer=str(data["drawer"]))


class _Handler(BaseHTTPRequestHandler):
    server: FakeBaiwang
    timeout = 30
    server_version = "FakeBaiwang/1"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        log.debug("fake baiwang %s %s", self.command, self.path.split("?")[0])

    def _send(self, status: int, body: bytes, ctype: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _reply(self, method: str, request_id: str, reply: Reply) -> None:
        success, response, error = reply
        answer: dict[str, Any] = {"success": success, "method": method, "requestId": request_id}
        answer["response" if success else "errorResponse"] = response if success else error
        self._send(200, json.dumps(answer, ensure_ascii=False).encode("utf-8"),
                   "application/json;charset=UTF-8")

    def do_GET(self) -> None:  # noqa: N802 - stdlib naming
        m = _DOC.match(self.path)
        data = self.server.documents(m.group(1), m.group(2)) if m else None
        if data is None or m is None:
            self._send(404, b"not found", "text/plain")
            return
        ctype = {"pdf": "application/pdf", "xml": "application/xml", "ofd": "application/ofd"}
        self._send(200, data, ctype[m.group(2)])

    def do_POST(self) -> None:  # noqa: N802
        parts = urlsplit(self.path)
        length = self.headers.get("Content-Length", "0")
        raw = self.rfile.read(int(length)) if length.isdigit() and int(length) <= MAX_BODY else b""
        if parts.path != ROUTER:
            self._send(404, b"not found", "text/plain")
            return
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        body = raw.decode("utf-8", "replace")
        method, rid = query.get("method", ""), query.get("requestId", "")
        refusal = self.server.check(query, body)
        if refusal is not None:
            self._reply(method, rid, refusal)
            return
        try:
            content = json.loads(body)
        except ValueError:
            self._reply(method, rid, _error("200001", "报文不是合法JSON"))
            return
        if method == TOKEN_METHOD:
            self._reply(method, rid, self.server.token(query, content if isinstance(content, dict)
                                                       else {}))
            return
        injected = self.server.take_injected(method)
        try:
            if injected is None or injected.process:
                reply = self.server.dispatch(method, content)
            else:  # never processed: only noted
                reply = _error("-", "-")
                data = content.get("data") if isinstance(content, dict) else None
                if method == "baiwang.output.invoice.issue" and isinstance(data, dict):
                    self.server._note(str(data.get("serialNo", "")), injected.code or "lost")
        except (PlatformTimeout, ConnectionError):
            self.close_connection = True  # a lost answer
            return
        except PlatformUnavailable:
            self._send(503, b"service unavailable", "text/plain")
            return
        except QuotaExceeded as err:
            reply = _error("200006", "开票失败", f"授信额度不足：剩余{err.remaining}，本次{err.requested}")
        except PlatformError as err:  # rules: a refusal
            reply = _error("200003", "开票参数校验失败", f"{err.code}: {err.message_zh}")
        if injected is not None and injected.kind == "lose":
            self.close_connection = True
            return
        if injected is not None and injected.kind == "delay":
            self.server.delaying.set()
            self.server._stopping.wait(injected.seconds)
        if injected is not None and injected.kind == "error":
            reply = _error(injected.code, injected.sub_message or injected.code,
                           injected.sub_message)
        self._reply(method, rid, reply)
