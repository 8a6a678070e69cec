"""Put the kiosk on a named screen with demo data, and save the window as a PNG.

Used by ``kiosk run --screenshot FILE --screen NAME`` (docs and visual checks)
and the screenshot tests. Every screen is reached through the session's real
intents and the real services (demo orders, the sandbox platform with injected
faults, the emulated printer), never by setting state by hand, except the
out-of-service screen, which is the composition root's own call.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QDeadlineTimer

from kiosk.flow.states import Screen
from kiosk.messages import Text
from kiosk.model import BuyerType
from kiosk.orderqr import make_order_qr

DEMO_COMPANY_TAX_ID = "91350200776049653A"
DEMO_COMPANY = "厦门示例贸易有限公司"


class ScreenshotError(Exception):
    pass


def _settle(gui: Any, timeout_ms: int = 20000) -> None:
    """Let queued results (issue, print, mail) arrive, without sleeping blind."""
    deadline = QDeadlineTimer(timeout_ms)
    while (gui.runner.active or gui.runner.pool.activeThreadCount()) and not deadline.hasExpired():
        gui.runner.pool.waitForDone(50)
        QCoreApplication.processEvents()
    QCoreApplication.processEvents()


def _scan_demo(gui: Any, index: int = 0) -> None:
    core = gui.core
    orders = sorted(core.orders.list(), key=lambda o: o.order_no)
    order = orders[index % len(orders)]
    core.session.code_scanned(make_order_qr(order.order_no, order.total,
                                            core.config.orders.qr_secret), "scanner")


def _to_buyer(gui: Any) -> None:
    """From the review (a scan opens it): "change title", through the privacy notice."""
    s = gui.core.session
    s.review.edit(Screen.BUYER)
    if s.screen is Screen.TERMS:
        s.identify.accept_terms()


def _to_review(gui: Any, company: bool = False) -> None:
    s = gui.core.session
    _scan_demo(gui, 0)
    _scan_demo(gui, 2)  # each scan opens (updates) the review
    if company:
        _to_buyer(gui)
        s.buyer.set_type(BuyerType.COMPANY)
        s.buyer.set_field("name", DEMO_COMPANY)
        s.buyer.set_field("tax_id", DEMO_COMPANY_TAX_ID)
        s.buyer.next()


def _faults(gui: Any, **settings: Any) -> None:
    faults = getattr(gui.core.gateway, "faults", None)
    if faults is None:
        raise ScreenshotError("this screen needs the sandbox platform (faults)")
    faults.set(**settings)


DEMO_ADMIN = "wang"  # the demo enterprise's administrator (screenshots, README walk-through)
DEMO_PASSWORD = "violet-harbour-7-lantern"


def _demo_enterprise(gui: Any) -> None:
    """An enterprise with an administrator and a viewer, made once (through the core)."""
    accounts = gui.core.core_services.accounts
    if accounts.store.find("acme") is not None:
        return
    accounts.create_account("acme", DEMO_PASSWORD, "enterprise", name="示例科技有限公司",
                            tax_id="91350200776049653A", phone="13800000001")
    accounts.create_account(DEMO_ADMIN, DEMO_PASSWORD, "person", name="王五",
                            phone="13800000002", enterprise="acme", role="admin")
    accounts.create_account("zhao", DEMO_PASSWORD, "person", name="赵六",
                            phone="13800000004", enterprise="acme", role="viewer")


def prepare_screen(gui: Any, name: str) -> None:
    """Drive the session to ``name`` (a :class:`Screen` value) with demo data."""
    try:
        target = Screen(name)
    except ValueError:
        names = ", ".join(s.value for s in Screen)
        raise ScreenshotError(f"unknown screen {name!r}; one of: {names}") from None
    s = gui.core.session
    if target is Screen.ATTRACT:
        pass
    elif target is Screen.TERMS:
        s.identify.begin("type")
    elif target in (Screen.IDENTIFY, Screen.IDCARD_CONSENT, Screen.LOGIN,
                    Screen.IDCARD_READING):
        s.identify.begin({Screen.LOGIN: "login", Screen.IDENTIFY: "qr"}.get(target, "idcard"))
        s.identify.accept_terms()
        if target is Screen.IDCARD_READING:
            s.identify.consent_idcard(True)
    elif target is Screen.ORDERS:
        _scan_demo(gui, 0)
        _scan_demo(gui, 2)
        s.review.edit(Screen.ORDERS)  # "change items": the merged orders, each removable
    elif target is Screen.CATALOGUE:
        s.identify.begin("business")
        s.identify.accept_terms()
        s.identify.login("shop", "shop1234")
        items = s.catalogue.search("")
        for item in items[:2]:
            s.catalogue.add(item, None)
    elif target is Screen.BUYER:
        _scan_demo(gui, 0)
        _to_buyer(gui)
        s.buyer.set_type(BuyerType.COMPANY)
        s.buyer.set_field("name", DEMO_COMPANY)
        s.buyer.set_field("tax_id", DEMO_COMPANY_TAX_ID[:-1] + "B")  # a check-digit warning
    elif target is Screen.OPTIONS:
        _scan_demo(gui, 0)
        _to_buyer(gui)
        s.buyer.set_type(BuyerType.COMPANY)
        s.buyer.set_field("name", DEMO_COMPANY)
        s.buyer.set_field("tax_id", DEMO_COMPANY_TAX_ID)
        s.buyer.next()
        s.review.edit(Screen.OPTIONS)
    elif target is Screen.REVIEW:
        _to_review(gui, company=True)
    elif target is Screen.ISSUING:
        _faults(gui, latency_s=1)
        _to_review(gui)
        s.review.confirm()
        QCoreApplication.processEvents()
        return
    elif target in (Screen.RESULT, Screen.PLATFORM_QUEUED, Screen.RESULT_UNKNOWN,
                    Screen.REJECTED, Screen.PRINTER_PROBLEM, Screen.ALREADY_INVOICED):
        if target is Screen.PLATFORM_QUEUED:
            _faults(gui, unavailable=True)
        elif target is Screen.REJECTED:
            gui.core.gateway.monthly_quota = Decimal("1.00")  # the platform refuses: quota
        elif target is Screen.PRINTER_PROBLEM:
            _paper_out(gui)
        _to_review(gui)
        if target is Screen.RESULT_UNKNOWN:
            _sent_then_silence(gui)
        s.review.confirm()
        _settle(gui)
        if target is Screen.ALREADY_INVOICED:
            s.finish()
            _scan_demo(gui, 0)
    elif target is Screen.BAD_QR:
        s.code_scanned("https://example.com/not-an-order", "scanner")
    elif target is Screen.CAMERA_UNAVAILABLE:
        s.camera_status(False)  # the camera is gone, then the user asks for it
        s.use_camera()
    elif target is Screen.IDLE_WARNING:
        _scan_demo(gui, 0)
        s.core.countdown_deadline = s.core.clock() + s.core.countdown_s
        s.overlays.open(Screen.IDLE_WARNING)
    elif target in (Screen.SUPPORT, Screen.TUTORIAL):
        s.overlays.open(target)
    elif target in (Screen.CENTRE, Screen.CENTRE_INVOICE, Screen.CHANGE, Screen.CHANGE_STATUS):
        _centre(gui, target)
    elif target is Screen.OUT_OF_SERVICE:
        s.out_of_service(Text("配置文件错误：请联系技术人员", "Configuration error: call a technician"))
    elif target in (Screen.REGISTER, Screen.CODE_LOGIN, Screen.FORGOT_PASSWORD):
        s.identify.begin("login")
        s.identify.accept_terms()
        s.account.open(target)
    elif target is Screen.MEMBERS:
        _demo_enterprise(gui)
        # An invitation not confirmed yet: the page shows it with resend and cancel.
        accounts = gui.core.core_services.accounts
        if accounts.store.find("sun") is None:
            accounts.create_account("sun", DEMO_PASSWORD, "person", name="孙小红",
                                    phone="13800000006")
            accounts.members.add("acme", "sun", "issuer", actor=DEMO_ADMIN, pending=True)
        s.identify.begin("login")
        s.identify.accept_terms()
        s.identify.login(DEMO_ADMIN, DEMO_PASSWORD)
        s.account.open(Screen.MEMBERS)
    _settle(gui)
    if s.screen is not target:
        raise ScreenshotError(f"could not reach {target.value}: the kiosk is on {s.screen.value}"
                              + (f" ({s.data.notice.en})" if s.data.notice else ""))


def _centre(gui: Any, target: Screen) -> None:
    """The demo account's personal centre: one company invoice issued, then opened (and
    a change asked for: the company must confirm, so it waits)."""
    s = gui.core.session
    s.identify.begin("login")
    s.identify.accept_terms()
    s.identify.login("demo", "demo1234")
    _to_review(gui, company=True)
    s.review.confirm()
    _settle(gui)
    s.centre.open()
    if target is Screen.CENTRE:
        return
    s.centre.pick(s.data.centre.page.entries[0].number)
    if target is Screen.CENTRE_INVOICE:
        return
    s.centre.change()
    s.centre.set_what("title" if target is Screen.CHANGE else "returned")
    if target is Screen.CHANGE_STATUS:
        s.centre.submit()


def _sent_then_silence(gui: Any) -> None:
    """The request was sent before a power cut, and now the platform does not answer:
    the issuing service must ask about it first and cannot, so the result is unknown."""
    from kiosk.model import RequestStatus

    request = gui.core.session.review.build_request()
    outbox = gui.core.issuing.outbox
    now = dt.datetime.now(dt.UTC)
    outbox.record(request, now)
    outbox.set_status(request.request_id, RequestStatus.SENT, now, attempt=True)
    _faults(gui, unavailable=True)


def _paper_out(gui: Any) -> None:
    emulator = gui.devices.emulators.printer
    if emulator is None:
        raise ScreenshotError("this screen needs the emulated printer")
    emulator.set_paper("out")


def save_screenshot(window: Any, path: str | Path, size: tuple[int, int]) -> Path:
    window.resize(*size)
    window.show()
    QCoreApplication.processEvents()
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    if not window.grab().save(str(out)):
        raise ScreenshotError(f"could not write {out}")
    return out


def today() -> str:
    return dt.date.today().isoformat()
