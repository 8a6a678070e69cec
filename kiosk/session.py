"""The walk-in session: a small core composed with step controllers, testable without Qt.

Screens (:class:`~kiosk.flow.states.Screen`) are the states. The core
(:class:`~kiosk.flow.core.FlowCore`) holds the current screen and the one
walk-in's :class:`~kiosk.flow.states.SessionData`, logs every move as a
``session.transition`` event and refuses a move the transition table
(:mod:`kiosk.flow.transitions`, printed in ``docs/flow.md``) does not list.
The steps are its intents, each given only the ports it needs:

- :attr:`Session.identify` (:class:`~kiosk.flow.identify.IdentifyStep`): attract, terms, ID card, login;
- :attr:`Session.orders` (:class:`~kiosk.flow.orders.OrdersStep`): scanned and typed codes, the orders;
- :attr:`Session.buyer` (:class:`~kiosk.flow.buyer.BuyerStep`): the title, the options, the photo;
- :attr:`Session.catalogue` (:class:`~kiosk.flow.catalogue.CatalogueStep`): a business sale;
- :attr:`Session.review` (:class:`~kiosk.flow.issue.IssueStep`): review, issue, print, mail;
- :attr:`Session.overlays` (:class:`~kiosk.flow.overlays.OverlaysStep`): overlays, the idle timer;
- :attr:`Session.centre` (:class:`~kiosk.flow.centre.CentreStep`): the personal centre, changes.
- :attr:`Session.account` (:class:`~kiosk.flow.account.AccountStep`): registration, phone-code
  login, forgotten password, enterprise members.

What the screens show is :meth:`Session.view` (:mod:`kiosk.flow.views`): a frozen
view model per screen. The devices' events (and the composition root) call the
methods on the :class:`Session` itself, whose names and signatures are a contract.

The machine never blocks: issuing, printing and mail go to a
:class:`~kiosk.flow.ports.Runner` and come back through ``done`` callbacks.

Touch budget (counted on the real window in tests/unit/ui/test_touches.py): a
scanned receipt QR opens REVIEW at once with the defaults preselected (个人,
ordinary, electronic) and every figure read back, so a walk-in personal
e-invoice is one touch (confirm & issue) and the receipt prints by itself when
the printer's preflight is good. A company's title code scanned before or after
the receipt fills the title (read back in large type on the review): one touch.
An identified person's remembered titles are buttons on the review: pick one,
confirm = two. The title, the options and the items are each one touch away.

The privacy notice comes where personal data is first asked for, not before: a
个人 title asks for none. "Change title" and, on the options, a person's "by post"
(a mailing address) open the notice first when it is not yet accepted, as do
the ways to identify; on the result screen the notice is summarised beside the
e-mail field and sending accepts it.

Privacy: everything personal sits in one :class:`SessionData`, replaced whole by
:meth:`Session.wipe` on finish and on idle timeout. Every transition is logged
as a ``session.*`` JSON event with the session id and masked data only.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from kiosk.flow.account import AccountStep
from kiosk.flow.buyer import BuyerStep
from kiosk.flow.catalogue import CatalogueStep
from kiosk.flow.centre import CentreStep
from kiosk.flow.core import FlowCore, intent
from kiosk.flow.identify import IdentifyStep
from kiosk.flow.issue import IssueStep
from kiosk.flow.orders import OrdersStep
from kiosk.flow.overlays import DevicesStep, OverlaysStep
from kiosk.flow.ports import InlineRunner, Runner, Services
from kiosk.flow.request import RequestBuilder
from kiosk.flow.states import OVERLAYS, Screen, SessionData
from kiosk.flow.transitions import BACK, Intent
from kiosk.flow.views import View, view_for
from kiosk.messages import Problem, Text

if TYPE_CHECKING:
    from kiosk.outcomes import IssueOutcome

__all__ = ["Listener", "Session"]

Listener = Callable[["Session"], None]


class Session:
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
        runner = runner or InlineRunner()
        self.core = FlowCore(clock=clock, idle_timeout_s=idle_timeout_s, countdown_s=countdown_s)
        build_request = RequestBuilder(self.core, drawer=drawer, seller_tax_id=seller_tax_id)
        self.buyer = BuyerStep(self.core, build_request)
        self.orders = OrdersStep(self.core, services, offer_title=self.buyer.offer_title)
        self.identify = IdentifyStep(self.core, services, settle_offer=self.buyer.settle_offer)
        self.catalogue = CatalogueStep(self.core, services)
        self.review = IssueStep(self.core, services, runner,
                                build_request=build_request,
                                buyer_problem=self.buyer.problem)
        self.overlays = OverlaysStep(self.core)
        self.centre = CentreStep(self.core, services, runner or InlineRunner())
        self.devices = DevicesStep(self.core)
        self.account = AccountStep(self.core, services, runner,
                                   identified=self.identify.account_identified)

    # --- state --------------------------------------------------------------------

    @property
    def screen(self) -> Screen:
        return self.core.screen

    @property
    def data(self) -> SessionData:
        return self.core.data

    @property
    def covered(self) -> Screen | None:
        return self.core.covered

    @property
    def printer_ok(self) -> bool:
        return self.core.printer_ok

    @property
    def camera_ok(self) -> bool:
        return self.core.camera_ok

    @property
    def scanner_ok(self) -> bool:
        return self.core.scanner_ok

    @property
    def out_of_service_reason(self) -> Text | None:
        return self.core.out_of_service_reason

    def view(self, screen: Screen | None = None) -> View:
        """The frozen view model of ``screen`` (default: the one on show); pages render it."""
        return view_for(self.core, screen or self.core.screen)

    def add_listener(self, listener: Listener) -> None:
        self.core.add_listener(lambda: listener(self))

    # --- the device-facing intents (called by the device bridge and the app) --------

    def touch(self) -> None:
        """Any touch or key press: the user is still there."""
        self.core.touch()

    def code_scanned(self, text: str, source: str = "scanner") -> None:
        if self.review.claim_scanned(text.strip(), source):  # a claim slip's code
            return
        self.orders.code_scanned(text, source)

    def settled(self, outcomes: Sequence[IssueOutcome]) -> None:
        """The pump finished pending requests (on the UI thread): the person still waiting
        on the queued screen sees the result at once."""
        self.review.settled(outcomes)

    def set_language(self, lang: str) -> None:
        """The language on screen (``zh_CN``/``en``): what is printed for the person."""
        self.core.lang = "en" if lang.startswith("en") else "zh"

    def code_unreadable(self, reason: str, source: str = "scanner") -> None:
        self.orders.code_unreadable(reason, source)

    def idcard_read(self, name: str, id_number: str) -> None:
        self.identify.idcard_read(name, id_number)

    def idcard_failed(self, message: Problem | str = "") -> None:
        self.identify.idcard_failed(message)

    def printer_status(self, usable: bool) -> None:
        self.devices.printer_status(usable)
        if usable:
            self.review.printer_recovered()

    def camera_status(self, usable: bool) -> None:
        self.devices.camera_status(usable)

    def scanner_status(self, usable: bool) -> None:
        self.devices.scanner_status(usable)

    def use_camera(self) -> None:
        self.devices.use_camera()

    def camera_off(self) -> None:
        self.devices.camera_off()

    @property
    def out_of_service_cause(self) -> str:
        """"platform" when issuing stopped for the operator (lifted by the pump), else ""."""
        return self.core.out_of_service_cause

    def out_of_service(self, reason: Text, cause: str = "") -> None:
        self.devices.out_of_service(reason, cause)

    def back_in_service(self) -> None:
        self.devices.back_in_service()

    def set_announcements(self, texts: tuple[Text, ...]) -> None:
        """The back office's current announcements (issue 16), shown on the attract screen."""
        if texts != self.core.announcements:
            self.core.announcements = texts
            if self.core.screen is Screen.ATTRACT:
                self.core.changed()

    def tick(self) -> None:
        """Called about once a second by the UI: the idle timer and the countdown."""
        self.overlays.tick()

    def wipe(self, reason: str) -> None:
        """Drop everything personal and return to the attract screen."""
        self.core.wipe(reason)

    # --- navigation: back and finish ---------------------------------------------------

    def finish(self) -> None:
        """Done (or "start over"): wipe everything and return to the attract screen."""
        self.core.touch()
        self.core.wipe("finish")

    @intent(Intent.BACK)
    def back(self) -> None:
        core = self.core
        core.touch()
        screen, data = core.screen, core.data
        if screen in OVERLAYS:
            self.overlays.resume()
            return
        prev = BACK.get(screen)
        if screen is Screen.BAD_QR and data.orders:
            prev = Screen.ORDERS
        if screen in (Screen.BUYER, Screen.REVIEW) and data.catalogue_lines:
            prev = Screen.CATALOGUE
        if screen is Screen.TERMS and data.terms_from is not None:
            prev = data.terms_from  # "not now": back where the notice was opened
            data.terms_from = data.pending_after_terms = data.title_offer = None
            if prev is Screen.OPTIONS:
                data.paper_by_post = False  # no address without the notice: picked up
        if screen is Screen.CENTRE:
            prev = data.centre.came_from or Screen.ATTRACT
        if prev is Screen.ATTRACT:
            core.wipe("back")
        elif prev is not None:
            data.notice = None
            core.go(prev)
