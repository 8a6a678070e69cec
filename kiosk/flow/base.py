"""What every part of the session machine shares: its logger, its messages, and
:class:`SessionBase`, which declares the state a :class:`~kiosk.session.Session`
holds and the methods its mixins call on one another, so each mixin type-checks
on its own.

The mixins (:mod:`kiosk.flow.identify`, :mod:`kiosk.flow.codes`,
:mod:`kiosk.flow.buyer`, :mod:`kiosk.flow.issue`, :mod:`kiosk.flow.overlays`)
inherit from :class:`SessionBase`; :class:`~kiosk.session.Session` combines them
and sets the state up in its ``__init__``. All of them log to the one
``kiosk.session`` logger.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from kiosk.flow.ports import Runner, Services
from kiosk.flow.states import Screen, SessionData, Text
from kiosk.model import Buyer

if TYPE_CHECKING:
    from kiosk.session import Listener

log = logging.getLogger("kiosk.session")

MAX_ORDERS = 20
MAX_LOGIN_FAILURES_SHOWN = 5

T_NOT_FOUND = Text("未找到该订单号，请核对小票上的订单号", "No order with this number; check the receipt")
T_DUPLICATE = Text("该订单已添加", "This order is already in the list")
T_TOO_MANY = Text(f"一张发票最多合并 {MAX_ORDERS} 个订单", f"At most {MAX_ORDERS} orders per invoice")
T_NO_ORDERS = Text("请先扫描或输入订单", "Scan or type an order first")
T_NAME_NEEDED = Text("请填写发票抬头（名称）", "Enter the buyer's name (invoice title)")
T_TAXID_NEEDED = Text("单位抬头需要纳税人识别号", "A company title needs a tax ID")
T_SPECIAL_COMPANY = Text("专用发票仅开给有纳税人识别号的单位",
                         "A special invoice is only for a company with a tax ID")
T_CONFIRM_TAXID = Text("请确认纳税人识别号无误后再继续", "Confirm the tax ID before you continue")
T_NO_PRINTER = Text("打印机不可用：请用手机扫描二维码下载发票，或发送到邮箱",
                    "The printer is not available: scan the QR code with your phone or e-mail it")
T_NO_ACCOUNTS = Text("本终端未开通账户登录", "Account login is not available on this terminal")
T_CAMERA = Text("摄像头不可用，请使用扫码器或手工输入订单号",
                "The camera is not available; use the scanner or type the order number")
T_BAD_EMAIL = Text("邮箱地址格式不正确", "That e-mail address is not valid")
T_NOT_BUSINESS = Text("商品目录仅供企业账户使用", "The catalogue is for business accounts only")
T_ADDRESS_NEEDED = Text("请填写邮寄地址，或选择到柜台领取", "Enter a mailing address, or pick it up")
T_UNREADABLE = Text("扫码内容无法识别，请重新扫描，或输入小票上的订单号",
                    "The code could not be read: scan it again or type the order number")
T_IDCARD_FAILED = Text("未能读取身份证，请拿起后重新放稳在读卡区",
                       "The ID card could not be read: lift it and place it flat again")
T_BAD_LINE = Text("数量、单价或金额不正确", "Quantity, unit price or amount is not valid")


class SessionBase:
    """The state of a session (set in ``Session.__init__``) and, for type checking only,
    the methods one mixin calls that another part of :class:`~kiosk.session.Session` defines."""

    services: Services
    runner: Runner
    idle_timeout_s: float
    countdown_s: float
    clock: Callable[[], float]
    drawer: str
    seller_tax_id: str
    screen: Screen
    data: SessionData
    covered: Screen | None  # the screen an overlay covers
    last_activity: float
    countdown_deadline: float
    printer_ok: bool
    camera_ok: bool
    out_of_service_reason: Text | None
    _listeners: list[Listener]

    if TYPE_CHECKING:
        # kiosk.session.Session: listeners, logging, transitions
        def _changed(self) -> None: ...
        def _log(self, event: str, msg: str, **fields: Any) -> None: ...
        def _go(self, screen: Screen, **fields: Any) -> None: ...
        def _notice(self, text: Text | None) -> None: ...
        def touch(self) -> None: ...
        def _start(self) -> None: ...

        # kiosk.flow.codes
        def orders_continue(self) -> None: ...

        # kiosk.flow.buyer
        def _use_buyer(self, buyer: Buyer, source: str) -> None: ...
        def buyer_problem(self) -> Text | None: ...

        # kiosk.flow.overlays
        def resume(self) -> None: ...
        def wipe(self, reason: str) -> None: ...


def _text_of(obj: Any, default: Text | None) -> Text | None:
    """The zh/en message an error or outcome carries, else ``default``."""
    zh = getattr(obj, "message_zh", "") if obj is not None else ""
    en = getattr(obj, "message_en", "") if obj is not None else ""
    if zh or en:
        return Text(zh or en, en or zh)
    return default


def _plausible_email(address: str) -> bool:
    from kiosk.rules.fields import is_valid_email

    return is_valid_email(address.strip())
