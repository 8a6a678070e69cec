"""A strict fake of the Nuonuo open platform, backed by the sandbox platform.

``kiosk sandbox serve --flavour nuonuo`` serves it by hand; the tests start it
on loopback (``tests/helpers/fake_nuonuo.py``). It speaks what
:mod:`kiosk.platform.nuonuo` speaks, and is as strict as the provider:

- ``POST /accessToken`` (form ``client_id``/``client_secret``/``grant_type``):
  counts every token call and refuses past the limit (``070306``), refuses
  wrong credentials (``070307``);
- ``POST /open/v1/services``: checks the query (``senid`` 32 alphanumerics,
  ``nonce`` 8 digits, ``timestamp`` within 10 minutes, ``appkey``), the headers
  (``method``, ``accessToken``, ``userTax``, JSON content type) and the
  ``X-Nuonuo-Sign`` signature exactly (``070601``); an unknown or expired token
  answers ``070304``;
- ``requestBillingNew``: checks the order (money as decimal strings, never
  numbers; ``orderNo`` <= 20; ``pushMode``, ``invoiceLine``...), ``E9106`` for
  an orderNo it has seen, and issues through the backing
  :class:`~kiosk.platform.sandbox.SandboxPlatform` (numbers, quota, rules);
- ``queryInvoiceResult``: each order follows a script of statuses (default
  accepted -> ``20`` -> ``2``), ``E9500`` for an unknown orderNo;
- ``reInvoice`` for status 24, at most ``reinvoice_limit`` a day (``E9613``);
- ``saveInvoiceRedConfirm`` (``E9999 申请号重复`` for a billId it has seen,
  ``E9103`` when nothing is left to credit), ``queryInvoiceRedConfirm`` and
  ``fastInvoiceRed`` (the red invoice of a form in 01/04, under our orderNo);
  the counterparty's confirmation happens in the sandbox (the "bureau");
- ``GET /i/<token>.pdf|.ofd|.xml``: the issued documents (the OFD is a ZIP
  container with ``OFD.xml``, as the format is).

Faults a test scripts: :meth:`FakeNuonuo.script` (statuses of the next
order, e.g. ``["22"]``, ``["24", "2"]``), :meth:`FakeNuonuo.answer_next`
(a code such as ``E9613``/``E9999``, processed or not), :meth:`FakeNuonuo.lose_next`
(process, then drop the connection), :meth:`FakeNuonuo.delay_next` (answer
late), :meth:`FakeNuonuo.lapse_operator_session`, :meth:`FakeNuonuo.hold_documents`. Sandbox faults still apply
(``PlatformUnavailable`` answers HTTP 503, a lost sandbox answer drops the
connection).

Stdlib ``http.server`` for the same reasons as :mod:`kiosk.platform.server`.
"""

from __future__ import annotations

import io
import json
import logging
import re
import secrets
import threading
import time
import zipfile
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from kiosk.model import (
    Buyer,
    BuyerType,
    InvoiceKind,
    InvoiceLine,
    InvoiceRequest,
    OrderLine,
    RedReason,
)
from kiosk.platform.gateway import (
    NotFound,
    PlatformError,
    PlatformRejected,
    PlatformTimeout,
    PlatformUnavailable,
    QuotaExceeded,
    RedFormStateError,
)
from kiosk.platform.nuonuo_sign import verify
from kiosk.platform.sandbox import SandboxPlatform

log = logging.getLogger("kiosk.platform.nuonuo_fake")

SERVICES = "/open/v1/services"
TOKEN_PATH = "/accessToken"
MAX_BODY = 1 << 20
_DOC = re.compile(r"^/i/([A-Za-z0-9_-]{32})\.(pdf|ofd|xml)$")
_MONEY = ("price", "num", "taxRate", "taxExcludedAmount", "tax", "taxIncludedAmount")
_SESSION_LAPSED = "开票员电子税务局登录已失效，请重新登录并完成人脸认证"


@dataclass
class _Order:
    order_no: str
    serial_no: str
    statuses: deque[str]
    number: str = ""
    fail_cause: str = ""
    queries: int = 0


@dataclass
class _Injected:
    method: str
    kind: str  # "code" | "lose" | "delay"
    code: str = ""
    describe: str = ""
    process: bool = False
    seconds: float = 0.0


@dataclass
class FakeState:
    """What the fake has seen (tests read it)."""

    token_calls: list[float] = field(default_factory=list)
    calls: Counter[str] = field(default_factory=Counter)
    billing: list[tuple[str, str]] = field(default_factory=list)  # (orderNo, answer code)
    bad_signatures: int = 0


class FakeNuonuo(ThreadingHTTPServer):
    """A Nuonuo open platform on ``address`` (port 0 = any free port) over one sandbox."""

    daemon_threads = True
    block_on_close = False

    def __init__(self, address: tuple[str, int], platform: SandboxPlatform, app_key: str,
                 app_secret: str, tax_number: str, *, token_limit: int = 50,
                 token_ttl_s: int = 86400, reinvoice_limit: int = 20,
                 clock: Callable[[], float] = time.time) -> None:
        self.platform = platform
        self.app_key = app_key
        self.app_secret = app_secret
        self.tax_number = tax_number
        self.token_limit = token_limit
        self.token_ttl_s = token_ttl_s
        self.reinvoice_limit = reinvoice_limit
        self.clock = clock
        self.state = FakeState()
        self._lock = threading.Lock()
        self._tokens: dict[str, float] = {}
        self._orders: dict[str, _Order] = {}
        self._scripts: deque[list[str]] = deque()
        self._injected: list[_Injected] = []
        self._reinvoices: Counter[str] = Counter()
        self._bills: dict[str, str] = {}  # billId -> form number
        self._lapsed = False
        self._documents_held = False
        self._stopping = threading.Event()
        self.delaying = threading.Event()  # set while a delayed answer is held back
        self._thread: threading.Thread | None = None
        super().__init__(address, _Handler)
        platform.download_base_url = self.base_url

    @property
    def base_url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host!s}:{port}"

    @property
    def gateway_url(self) -> str:
        return self.base_url + SERVICES

    @property
    def token_url(self) -> str:
        return self.base_url + TOKEN_PATH

    def start(self, poll_interval: float = 0.05) -> None:
        self._thread = threading.Thread(target=self.serve_forever, args=(poll_interval,),
                                        name="fake-nuonuo", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stopping.set()
        if self._thread is not None:
            self.shutdown()
            self._thread.join()
            self._thread = None
        self.server_close()

    def handle_error(self, request: Any, client_address: Any) -> None:
        log.warning("fake nuonuo: request failed", exc_info=True)

    # --- scripting (tests and demos) ------------------------------------------------
    def script(self, *statuses: str) -> None:
        """The statuses the NEXT new order shows on successive queries (the last one stays)."""
        with self._lock:
            self._scripts.append(list(statuses))

    def answer_next(self, method: str, code: str, describe: str = "",
                    *, process: bool = False) -> None:
        """Answer the next ``method`` call with ``code`` (after processing it, if ``process``)."""
        with self._lock:
            self._injected.append(_Injected(method, "code", code, describe, process))

    def lose_next(self, method: str, *, process: bool = True) -> None:
        """Drop the connection of the next ``method`` call (after processing it, if ``process``)."""
        with self._lock:
            self._injected.append(_Injected(method, "lose", process=process))

    def delay_next(self, method: str, seconds: float) -> None:
        """Answer the next ``method`` call only after ``seconds`` (processed first)."""
        with self._lock:
            self._injected.append(_Injected(method, "delay", process=True, seconds=seconds))

    def lapse_operator_session(self, lapsed: bool = True) -> None:
        with self._lock:
            self._lapsed = lapsed

    def expire_tokens(self) -> None:
        with self._lock:
            self._tokens.clear()

    def billing_codes(self) -> list[str]:
        with self._lock:
            return [code for _, code in self.state.billing]

    def note_billing(self, content: Any, code: str) -> None:
        """Remember a billing call and what the provider made of it (tests read ``billing``)."""
        order = content.get("order") if isinstance(content, dict) else None
        order_no = str(order.get("orderNo", "")) if isinstance(order, dict) else ""
        with self._lock:
            self.state.billing.append((order_no, code))

    def _take_injected(self, method: str) -> _Injected | None:
        with self._lock:
            for i, inj in enumerate(self._injected):
                if inj.method == method:
                    return self._injected.pop(i)
        return None

    # --- token ----------------------------------------------------------------------
    def token(self, form: dict[str, str]) -> tuple[int, dict[str, Any]]:
        with self._lock:
            now = self.clock()
            self.state.token_calls.append(now)
            recent = [t for t in self.state.token_calls if now - t < 30 * 86400]
            if len(recent) > self.token_limit:
                return 200, {"error": "070306", "error_description": "30天内获取token次数已达上限"}
            if (form.get("client_id") != self.app_key or form.get("client_secret") != self.app_secret
                    or form.get("grant_type") != "client_credentials"):
                return 200, {"error": "070307", "error_description": "应用信息不正确"}
            token = secrets.token_hex(16)
            self._tokens[token] = now + self.token_ttl_s
            return 200, {"access_token": token, "expires_in": self.token_ttl_s}

    # --- business calls -------------------------------------------------------------
    def check(self, query: dict[str, str], headers: Any, body: str) -> tuple[str, str] | None:
        """Refusal ``(code, describe)`` of the envelope/signature checks, or None."""
        senid, nonce = query.get("senid", ""), query.get("nonce", "")
        timestamp, appkey = query.get("timestamp", ""), query.get("appkey", "")
        if not re.fullmatch(r"[A-Za-z0-9]{32}", senid):
            return "070101", "senid必须为32位字母数字"
        if not re.fullmatch(r"\d{8}", nonce) or not timestamp.isdigit():
            return "070101", "nonce/timestamp格式错误"
        if abs(self.clock() - int(timestamp)) > 600:
            return "070601", "时间戳超出有效范围"
        if appkey != self.app_key:
            return "070307", "appkey不存在"
        if not str(headers.get("Content-Type", "")).startswith("application/json"):
            return "070101", "Content-Type必须为application/json"
        if not verify(self.app_secret, self.app_key, senid, nonce, timestamp, body,
                      str(headers.get("X-Nuonuo-Sign", ""))):
            with self._lock:
                self.state.bad_signatures += 1
            return "070601", "签名错误"
        token = str(headers.get("accessToken", ""))
        with self._lock:
            expires = self._tokens.get(token)
        if not token:
            return "070101", "缺少accessToken"
        if expires is None or expires <= self.clock():
            return "070304", "accessToken无效或已过期"
        if headers.get("userTax") != self.tax_number:
            return "070307", "userTax与授权企业不符"
        return None

    def dispatch(self, method: str, content: Any) -> tuple[str, str, Any]:
        with self._lock:
            self.state.calls[method] += 1
        if not isinstance(content, dict):
            return "E9101", "报文必须为JSON对象", None
        if method.endswith(".requestBillingNew"):
            return self._billing(content)
        if method.endswith(".queryInvoiceResult"):
            return self._query(content)
        if method.endswith(".reInvoice"):
            return self._reinvoice(content)
        if method.endswith(".saveInvoiceRedConfirm"):
            return self._red_save(content)
        if method.endswith(".queryInvoiceRedConfirm"):
            return self._red_query(content)
        if method.endswith(".fastInvoiceRed"):
            return self._red_issue(content)
        return "E9101", f"不支持的方法{method}", None

    def _billing(self, content: dict[str, Any]) -> tuple[str, str, Any]:
        order = content.get("order")
        if not isinstance(order, dict):
            return "E9101", "缺少order", None
        problem = _order_problem(order)
        if problem:
            return "E9101", problem, None
        order_no = str(order["orderNo"])
        with self._lock:
            if order_no in self._orders:
                return "E9106", "订单编号重复", None
            if self._lapsed:
                return "E9702", _SESSION_LAPSED, None
            statuses = deque(self._scripts.popleft() if self._scripts else ["20", "2"])
            entry = _Order(order_no, secrets.token_hex(10), statuses)
        if statuses[0] == "22" or statuses[-1] == "22":
            entry.fail_cause = "（模拟）税局校验不通过"
        else:
            request = _request_of(order)
            try:
                entry.number = self.platform.issue(request).number  # may raise: quota, rules
            except PlatformTimeout:  # the sandbox committed and "lost" its answer
                committed = self.platform.query_request(request.request_id)
                if committed is not None:
                    entry.number = committed.number
                    with self._lock:
                        self._orders[order_no] = entry
                raise
        with self._lock:
            self._orders[order_no] = entry
        return "E0000", "", {"invoiceSerialNum": entry.serial_no}

    def _query(self, content: dict[str, Any]) -> tuple[str, str, Any]:
        self.platform.faults.before_call("query_request")
        order_nos = content.get("orderNos") or []
        if not isinstance(order_nos, list):
            return "E9101", "orderNos必须为数组", None
        items = []
        for order_no in order_nos:
            with self._lock:
                entry = self._orders.get(str(order_no))
                if entry is None:
                    continue
                entry.queries += 1
                status = entry.statuses.popleft() if len(entry.statuses) > 1 else entry.statuses[0]
            items.append(self._item(entry, status))
        if not items:
            return "E9500", "未查询到开票信息", None
        return "E0000", "", items

    def _item(self, entry: _Order, status: str) -> dict[str, Any]:
        item: dict[str, Any] = {"orderNo": entry.order_no, "serialNo": entry.serial_no,
                                "status": status, "statusMsg": _STATUS_MSG.get(status, ""),
                                "failCause": entry.fail_cause if status == "22" else ""}
        if status in ("2", "24") and entry.number:
            invoice = self.platform.get_invoice(entry.number)
            assert invoice is not None
            token = invoice.download_url.rsplit("/", 1)[-1]
            net = sum((ln.amount for ln in invoice.lines), Decimal("0.00"))
            tax = sum((ln.tax for ln in invoice.lines), Decimal("0.00"))
            item.update({
                "allElectronicInvoiceNumber": invoice.number, "invoiceNo": invoice.number,
                "invoiceCode": "", "invoiceTime": int(invoice.issued_at.timestamp() * 1000),
                "exTaxAmount": str(net), "taxAmount": str(tax), "orderAmount": str(net + tax),
                "payerName": invoice.buyer.name, "payerTaxNo": invoice.buyer.tax_id,
                "salerTaxNum": invoice.seller.tax_id, "saleName": invoice.seller.name,
                "clerk": invoice.drawer, "remark": invoice.remark,
            })
            if status == "2":
                base = f"{self.base_url}/i/{token}"
                item.update({"pdfUrl": base + ".pdf", "ofdUrl": base + ".ofd",
                             "xmlUrl": base + ".xml"})
        return item

    def _reinvoice(self, content: dict[str, Any]) -> tuple[str, str, Any]:
        order_no = str(content.get("orderno") or "")
        day = time.strftime("%Y-%m-%d", time.gmtime(self.clock()))
        with self._lock:
            entry = self._orders.get(order_no)
            if entry is None:
                return "E9500", "未查询到开票信息", None
            if self._reinvoices[day] >= self.reinvoice_limit:
                return "E9613", "重试次数已达当日上限", None
            self._reinvoices[day] += 1
            entry.statuses = deque(["21", "2"])
        return "E0000", "", None

    # --- red letters ----------------------------------------------------------------
    def _red_save(self, content: dict[str, Any]) -> tuple[str, str, Any]:
        bill_id = str(content.get("billId") or "")
        original = str(content.get("blueElecInvoiceNumber") or "")
        reason = _REASONS.get(str(content.get("redReason")))
        if not bill_id or len(bill_id) > 40 or not original or reason is None:
            return "E9101", "billId/blueElecInvoiceNumber/redReason不正确", None
        with self._lock:
            if bill_id in self._bills:
                return "E9999", "申请号重复", None
        filed_by = "buyer" if content.get("applySource") == "1" else "seller"
        lines = None
        if content.get("detail"):
            blue = self.platform.get_invoice(original)
            if blue is None:
                return "E9101", "蓝票不存在", None
            lines = []
            for d in content["detail"]:
                idx = int(str(d.get("blueDetailIndex", "0"))) - 1
                if not 0 <= idx < len(blue.lines):
                    return "E9101", "blueDetailIndex超出原蓝票明细", None
                b = blue.lines[idx]
                lines.append(InvoiceLine(b.name, b.tax_code, Decimal(str(d["num"])), b.unit_price,
                                         Decimal(str(d["taxExcludedAmount"])), b.rate,
                                         Decimal(str(d["tax"])), b.rate_mark, b.spec, b.unit))
        try:
            form = self.platform.file_red_form(original, reason, filed_by, lines)
        except RedFormStateError as err:
            if err.code == "RED_NOTHING_LEFT":
                return "E9103", "该发票已全额冲红，不能重复冲红", None
            raise
        except PlatformRejected as err:
            return "E9101", "；".join(f"{e.code}: {e.message_zh}" for e in err.errors), None
        with self._lock:
            self._bills[bill_id] = form.form_number
        return "E0000", "", {"billId": bill_id, "billNo": form.form_number,
                             "billStatus": form.status.value}

    def _red_query(self, content: dict[str, Any]) -> tuple[str, str, Any]:
        bill_id = str(content.get("billId") or "")
        with self._lock:
            form_number = self._bills.get(bill_id, "") if bill_id else str(content.get("billNo") or "")
            ids = {v: k for k, v in self._bills.items()}
        if not form_number:
            return "E9500", "未查询到红字确认单", None
        try:
            form = self.platform.query_red_form(form_number)
        except NotFound:
            return "E9500", "未查询到红字确认单", None
        detail = [{"goodsName": ln.name, "goodsCode": ln.tax_code, "num": str(ln.quantity),
                   "price": str(ln.unit_price), "taxRate": str(ln.rate),
                   "taxExcludedAmount": str(ln.amount), "tax": str(ln.tax),
                   "favouredPolicyFlag": "1" if ln.rate_mark else "0",
                   "favouredPolicyName": ln.rate_mark, "specType": ln.spec, "unit": ln.unit}
                  for ln in form.lines]
        return "E0000", "", [{
            "billId": ids.get(form.form_number, ""), "billNo": form.form_number,
            "billStatus": form.status.value, "blueElecInvoiceNumber": form.original_number,
            "redReason": {v: k for k, v in _REASONS.items()}[form.reason],
            "applySource": "1" if form.filed_by == "buyer" else "0",
            "billTime": int(form.filed_at.timestamp() * 1000), "detail": detail,
            "redElecInvoiceNumber": form.red_invoice_number}]

    def _red_issue(self, content: dict[str, Any]) -> tuple[str, str, Any]:
        order_no = str(content.get("orderNo") or "")
        bill_no = str(content.get("billNo") or "")
        if not order_no or len(order_no) > 20 or not bill_no:
            return "E9101", "orderNo/billNo不正确", None
        with self._lock:
            if order_no in self._orders:
                return "E9106", "订单编号重复", None
        red = self.platform.issue_red_invoice(bill_no)  # RedFormStateError -> a refusal
        entry = _Order(order_no, secrets.token_hex(10), deque(["2"]), number=red.number)
        with self._lock:
            self._orders[order_no] = entry
        return "E0000", "", {"invoiceSerialNum": entry.serial_no}

    def hold_documents(self, held: bool = True) -> None:
        """While held, the PDF/OFD/XML downloads answer 404 (not ready at the provider yet)."""
        with self._lock:
            self._documents_held = held

    def documents(self, token: str, kind: str) -> bytes | None:
        with self._lock:
            if self._documents_held:
                return None
        return official_document(self.platform, token, kind)


def official_document(platform: SandboxPlatform, token: str, kind: str) -> bytes | None:
    """The PDF, OFD or XML of the invoice whose download token is ``token`` (the fake
    providers' "official" files; the OFD is a ZIP container with ``OFD.xml``)."""
    found = platform.by_token(token)
    if found is None:
        return None
    invoice, docs = found
    if kind == "pdf":
        return docs.pdf
    if kind == "xml":
        return docs.xml
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("OFD.xml", '<?xml version="1.0" encoding="UTF-8"?><ofd:OFD '
                   'xmlns:ofd="http://www.ofdspec.org/2016" Version="1.1" DocType="OFD">'
                   f'<ofd:DocBody><ofd:DocInfo><ofd:DocID>{invoice.number}</ofd:DocID>'
                   '</ofd:DocInfo><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot>'
                   '</ofd:DocBody></ofd:OFD>')
        z.writestr("Doc_0/Attachs/invoice.xml", docs.xml)
    return buf.getvalue()


_REASONS = {"1": RedReason.GOODS_RETURNED, "2": RedReason.ISSUED_IN_ERROR,
            "3": RedReason.SERVICE_STOPPED, "4": RedReason.SALES_ALLOWANCE}
_STATUS_MSG = {"2": "开票完成", "20": "开票中", "21": "开票成功签章中", "22": "开票失败",
               "24": "开票成功签章失败", "3": "发票已作废", "31": "发票作废中"}


def _order_problem(order: dict[str, Any]) -> str:
    """What is wrong with a billing order, the way the provider's validation says it; "" if fine."""
    for key in ("buyerName", "salerTaxNum", "orderNo", "invoiceDate", "clerk", "pushMode",
                "invoiceType", "invoiceLine", "invoiceDetail"):
        if key not in order or order[key] in ("", None):
            return f"{key}不能为空"
    if not isinstance(order["orderNo"], str) or len(order["orderNo"]) > 20:
        return "orderNo长度不能超过20"
    if order["invoiceLine"] not in ("pc", "bs") or order["invoiceType"] != "1":
        return "invoiceLine/invoiceType不正确"
    if not re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", str(order["invoiceDate"])):
        return "invoiceDate格式须为yyyy-MM-dd HH:mm:ss"
    details = order["invoiceDetail"]
    if not isinstance(details, list) or not details:
        return "invoiceDetail不能为空"
    for i, d in enumerate(details):
        if not isinstance(d, dict):
            return f"invoiceDetail[{i}]格式错误"
        for key in _MONEY:
            value = d.get(key)
            if not isinstance(value, str):  # a JSON number loses precision: strings only
                return f"invoiceDetail[{i}].{key}必须为字符串"
            try:
                Decimal(value)
            except InvalidOperation:
                return f"invoiceDetail[{i}].{key}不是数字"
        if not re.fullmatch(r"\d{19}", str(d.get("goodsCode", ""))):
            return f"invoiceDetail[{i}].goodsCode须为19位"
        gross = Decimal(d["taxExcludedAmount"]) + Decimal(d["tax"])
        if gross != Decimal(d["taxIncludedAmount"]):
            return f"invoiceDetail[{i}]金额与税额之和不等于含税金额"
    return ""


def _request_of(order: dict[str, Any]) -> InvoiceRequest:
    """The sandbox request a billing order stands for (one order per orderNo)."""
    person = order.get("naturalPersonFlag") == "1"
    bank, _, account = str(order.get("buyerAccount", "")).rpartition(" ")
    buyer = Buyer(BuyerType.PERSON if person else BuyerType.COMPANY, str(order["buyerName"]),
                  str(order.get("buyerTaxNum", "")), str(order.get("buyerAddress", "")),
                  str(order.get("buyerTel", "")), bank, account)
    lines = []
    for d in order["invoiceDetail"]:
        m = re.fullmatch(r"\*([^*]+)\*(.+)", str(d.get("goodsName", "")))
        short, name = (m.group(1), m.group(2)) if m else ("", str(d.get("goodsName", "")))
        mark = str(d.get("favouredPolicyName", "")) if d.get("favouredPolicyFlag") == "1" else ""
        lines.append(OrderLine(name, short, str(d["goodsCode"]), Decimal(d["num"]),
                               Decimal(d["price"]), Decimal(d["taxIncludedAmount"]),
                               Decimal(d["taxRate"]), mark, str(d.get("specType", "")),
                               str(d.get("unit", ""))))
    return InvoiceRequest(
        request_id="NN-" + str(order["orderNo"]), order_nos=(str(order["orderNo"]),),
        buyer=buyer, kind=InvoiceKind.SPECIAL if order["invoiceLine"] == "bs" else InvoiceKind.NORMAL,
        lines=tuple(lines), remark=str(order.get("remark", "")), drawer=str(order["clerk"]))


class _Handler(BaseHTTPRequestHandler):
    server: FakeNuonuo
    timeout = 30
    server_version = "FakeNuonuo/1"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        log.debug("fake nuonuo %s %s", self.command, self.path.split("?")[0])

    def _send(self, status: int, body: bytes, ctype: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _json(self, obj: Any, status: int = 200) -> None:
        self._send(status, json.dumps(obj, ensure_ascii=False).encode("utf-8"),
                   "application/json;charset=UTF-8")

    def _body(self) -> bytes:
        length = self.headers.get("Content-Length", "0")
        if not length.isdigit() or int(length) > MAX_BODY:
            return b""
        return self.rfile.read(int(length))

    def do_GET(self) -> None:  # noqa: N802 - stdlib naming
        m = _DOC.match(self.path)
        data = self.server.documents(m.group(1), m.group(2)) if m else None
        if data is None:
            self._send(404, b"not found", "text/plain")
            return
        ctype = {"pdf": "application/pdf", "xml": "application/xml",
                 "ofd": "application/ofd"}[m.group(2) if m else "pdf"]
        self._send(200, data, ctype)

    def do_POST(self) -> None:  # noqa: N802
        parts = urlsplit(self.path)
        raw = self._body()
        if parts.path == TOKEN_PATH:
            form = {k: v[0] for k, v in parse_qs(raw.decode("utf-8", "replace")).items()}
            status, answer = self.server.token(form)
            self._json(answer, status)
            return
        if parts.path != SERVICES:
            self._send(404, b"not found", "text/plain")
            return
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        body = raw.decode("utf-8", "replace")
        refusal = self.server.check(query, self.headers, body)
        if refusal is not None:
            self._json({"code": refusal[0], "describe": refusal[1], "result": None})
            return
        method = str(self.headers.get("method", ""))
        injected = self.server._take_injected(method)
        billing = method.endswith(".requestBillingNew")
        content: Any = None
        try:
            content = json.loads(body)
            if injected is None or injected.process:
                code, describe, result = self.server.dispatch(method, content)
            else:
                code, describe, result = "", "", None
        except (PlatformTimeout, ConnectionError):
            if billing:
                self.server.note_billing(content, "lost")
            self.close_connection = True  # a lost answer
            return
        except PlatformUnavailable:
            self._send(503, b"service unavailable", "text/plain")
            return
        except QuotaExceeded as err:
            code, describe, result = "E9101", f"授信额度不足：剩余{err.remaining}，本次{err.requested}", None
        except PlatformError as err:  # rules: a refusal
            code, describe, result = "E9101", f"{err.code}: {err.message_zh}", None
        except ValueError:
            code, describe, result = "E9101", "报文不是合法JSON", None
        if injected is not None and injected.kind == "code":
            code, describe, result = injected.code, injected.describe or injected.code, None
        if billing:
            self.server.note_billing(content, code)
        if injected is not None and injected.kind == "lose":
            self.close_connection = True
            return
        if injected is not None and injected.kind == "delay":
            self.server.delaying.set()
            self.server._stopping.wait(injected.seconds)
        self._json({"code": code, "describe": describe, "result": result})
