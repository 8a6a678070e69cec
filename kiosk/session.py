"""The walk-in session as a state machine, testable without Qt.

Screens (:class:`~kiosk.flow.states.Screen`) are the states; public methods are
the intents a screen sends ("accept", "next", "issue", a scanned code); plain
callbacks (:meth:`Session.add_listener`) tell the UI to redraw. The machine
never blocks: issuing, printing and mail go to a :class:`~kiosk.flow.ports.Runner`
and come back through ``done`` callbacks.

Touch budget (design target, counted in tests): a scanned receipt QR on the
attract screen opens ORDERS at once, with the privacy notice summarised there,
so "accept & continue" is both the consent and the first touch. Defaults are
preselected (person "个人", ordinary, electronic), so a walk-in personal invoice
is: accept & continue -> next (buyer) -> issue = 3 touches, and the receipt
prints by itself when the printer's preflight is good. A company with a
remembered title: accept, pick the title (goes on to OPTIONS), special, next,
issue = 5; with a scanned title code the scan does the filling (4).

Privacy: everything personal sits in one :class:`SessionData`, replaced whole by
:meth:`Session.wipe` on finish and on idle timeout. Every transition is logged
as a ``session.*`` JSON event with the session id and masked data only.

The machine is one class made of mixins, one concern each, under
:mod:`kiosk.flow`: :mod:`~kiosk.flow.identify` (attract, terms, identification),
:mod:`~kiosk.flow.codes` (scanned codes and orders), :mod:`~kiosk.flow.buyer`
(buyer, options, photo, catalogue), :mod:`~kiosk.flow.issue` (review, issue,
printing, mail) and :mod:`~kiosk.flow.overlays` (overlays, idle, wipe, devices);
:mod:`~kiosk.flow.base` holds what they share. This module keeps the state set
up, the listeners, logging and transitions, and the back/finish navigation.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from typing import Any

# Names defined here before the split into kiosk.flow, still importable from here.
from kiosk.flow.base import (
    MAX_LOGIN_FAILURES_SHOWN,
    MAX_ORDERS,
    T_ADDRESS_NEEDED,
    T_BAD_EMAIL,
    T_BAD_LINE,
    T_CAMERA,
    T_CONFIRM_TAXID,
    T_DUPLICATE,
    T_IDCARD_FAILED,
    T_NAME_NEEDED,
    T_NO_ACCOUNTS,
    T_NO_ORDERS,
    T_NO_PRINTER,
    T_NOT_BUSINESS,
    T_NOT_FOUND,
    T_SPECIAL_COMPANY,
    T_TAXID_NEEDED,
    T_TOO_MANY,
    T_UNREADABLE,
    log,
)
from kiosk.flow.base import _plausible_email as _plausible_email
from kiosk.flow.base import _text_of as _text_of
from kiosk.flow.buyer import BuyerMixin
from kiosk.flow.codes import CodesMixin
from kiosk.flow.identify import IdentifyMixin
from kiosk.flow.issue import IssueMixin
from kiosk.flow.overlays import OverlaysMixin
from kiosk.flow.ports import InlineRunner, Runner, Services

# Some of these are only re-exported: they were importable from here before the split.
from kiosk.flow.states import (  # noqa: F401
    FAILURES,
    OVERLAYS,
    RESTING,
    BuyerDraft,
    Identity,
    IdMethod,
    Screen,
    SessionData,
    Text,
)
from kiosk.logs import current_session
from kiosk.masking import mask_name, mask_tax_id  # noqa: F401
from kiosk.model import (  # noqa: F401
    Buyer,
    BuyerType,
    Invoice,
    InvoiceKind,
    InvoiceRequest,
    Medium,
)
from kiosk.rules.identifiers import Severity, classify_tax_id  # noqa: F401

__all__ = [
    "MAX_LOGIN_FAILURES_SHOWN", "MAX_ORDERS", "T_ADDRESS_NEEDED", "T_BAD_EMAIL", "T_BAD_LINE",
    "T_CAMERA", "T_CONFIRM_TAXID", "T_DUPLICATE", "T_IDCARD_FAILED", "T_NAME_NEEDED",
    "T_NO_ACCOUNTS", "T_NO_ORDERS", "T_NO_PRINTER", "T_NOT_BUSINESS", "T_NOT_FOUND",
    "T_SPECIAL_COMPANY", "T_TAXID_NEEDED", "T_TOO_MANY", "T_UNREADABLE", "Listener", "Session",
    "log",
]

Listener = Callable[["Session"], None]


class Session(IdentifyMixin, CodesMixin, BuyerMixin, IssueMixin, OverlaysMixin):
    """One kiosk's walk-in flow. Construct once; every walk-in is a fresh :class:`SessionData`."""

    def __init__(
        self,
        services: Services,
        *,
        runner: Runner | None = None,
        idle_timeout_s: float = 90,
        countdown_s: float = 15,
        clock: Callable[[], float] = time.monotonic,
        drawer: str = "",
        seller_tax_id: str = "",
    ) -> None:
        self.services = services
        self.runner: Runner = runner or InlineRunner()
        self.idle_timeout_s = idle_timeout_s
        self.countdown_s = countdown_s
        self.clock = clock
        self.drawer = drawer
        self.seller_tax_id = seller_tax_id
        self.screen = Screen.ATTRACT
        self.data = SessionData()
        self.covered: Screen | None = None  # the screen an overlay covers
        self.last_activity = clock()
        self.countdown_deadline = 0.0
        self.printer_ok = True
        self.camera_ok = True
        self.out_of_service_reason: Text | None = None
        self._listeners: list[Listener] = []

    # --- listeners and logging ---------------------------------------------------

    def add_listener(self, listener: Listener) -> None:
        self._listeners.append(listener)

    def _changed(self) -> None:
        for listener in list(self._listeners):
            listener(self)

    def _log(self, event: str, msg: str, **fields: Any) -> None:
        log.info(msg, extra={"event": f"session.{event}", "session": self.data.session_id, **fields})

    def _go(self, screen: Screen, **fields: Any) -> None:
        before = self.screen
        self.screen = screen
        if screen not in OVERLAYS:
            self.covered = None
        self._log("transition", f"{before.value} -> {screen.value}",
                  **{"from": before.value, "to": screen.value, **fields})
        self._changed()

    def _notice(self, text: Text | None) -> None:
        self.data.notice = text
        self._changed()

    def touch(self) -> None:
        """Any touch or key press: the user is still there."""
        self.last_activity = self.clock()

    def _start(self) -> None:
        if not self.data.session_id:
            self.data.session_id = uuid.uuid4().hex[:12]
            current_session.set(self.data.session_id)
            self._log("started", "session started")

    # --- navigation: back and finish ---------------------------------------------

    def finish(self) -> None:
        """Done (or "start over"): wipe everything and return to the attract screen."""
        self.touch()
        self.wipe("finish")

    def back(self) -> None:
        self.touch()
        prev = {
            Screen.TERMS: Screen.ATTRACT, Screen.IDENTIFY: Screen.ATTRACT,
            Screen.IDCARD_CONSENT: Screen.IDENTIFY, Screen.IDCARD_READING: Screen.IDENTIFY,
            Screen.LOGIN: Screen.IDENTIFY, Screen.ORDERS: Screen.ATTRACT,
            Screen.CATALOGUE: Screen.ATTRACT, Screen.BUYER: Screen.ORDERS,
            Screen.OPTIONS: Screen.BUYER, Screen.REVIEW: Screen.BUYER,
            Screen.BAD_QR: Screen.ORDERS if self.data.orders else Screen.ATTRACT,
            Screen.CAMERA_UNAVAILABLE: Screen.ORDERS, Screen.REJECTED: Screen.REVIEW,
            Screen.PRINTER_PROBLEM: Screen.RESULT,
        }.get(self.screen)
        if self.screen is Screen.BUYER and self.data.catalogue_lines:
            prev = Screen.CATALOGUE
        if self.screen is Screen.REVIEW and self.data.buyer.type is BuyerType.COMPANY:
            prev = Screen.OPTIONS
        if self.screen in OVERLAYS:
            self.resume()
            return
        if prev is Screen.ATTRACT:
            self.wipe("back")
        elif prev is not None:
            self.data.notice = None
            self._go(prev)

