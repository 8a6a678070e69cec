"""The flow's transitions as data: from-screen x intent -> the screens it may go to.

Every move of the session goes through :meth:`kiosk.flow.core.FlowCore.go`, which
refuses a move this table does not list (it logs ``session.refused`` and, in
tests, raises). The intent is the public method (or the asynchronous result)
that made the move; a nested call counts as its own intent (``identify.accept_terms``
on ORDERS moves through ``orders.next``).

The table is printed into ``docs/flow.md`` by ``python -m kiosk.flow.transitions``
(:func:`render_markdown`); a test fails when that file is stale.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from kiosk.flow.states import OVERLAYS, Screen

S = Screen


class Intent(StrEnum):
    """What moved the session: a person's intent, a device event or an async result."""

    BEGIN = "identify.begin"
    ACCEPT_TERMS = "identify.accept_terms"
    SHOW_TERMS = "identify.show_terms"
    CHOOSE = "identify.choose"
    CONSENT_IDCARD = "identify.consent_idcard"
    IDCARD_READ = "device.idcard_read"
    LOGIN = "identify.login"
    CODE_SCANNED = "device.code_scanned"
    CODE_UNREADABLE = "device.code_unreadable"
    CLAIM = "device.claim_scanned"
    CLAIMED = "async.claimed"
    SETTLED = "async.settled"
    TYPE_ORDER = "orders.type_order_no"
    ORDERS_NEXT = "orders.next"
    USE_CAMERA = "device.use_camera"
    CAMERA_LOST = "device.camera_status"
    CATALOGUE_NEXT = "catalogue.next"
    BUYER_NEXT = "buyer.next"
    OPTIONS_NEXT = "options.next"
    BY_POST = "options.by_post"
    EDIT = "review.edit"
    CONFIRM = "review.confirm"
    RETRY = "review.retry"
    ISSUED = "async.issued"
    PRINT = "review.print_receipt"
    PRINTED = "async.printed"
    OPEN_OVERLAY = "overlay.open"
    RESUME = "overlay.resume"
    BACK = "nav.back"
    WIPE = "nav.wipe"
    OUT_OF_SERVICE = "device.out_of_service"
    BACK_IN_SERVICE = "device.back_in_service"
    # the personal centre (issue 12): its rules are the block after RULES
    CENTRE_OPEN = "centre.open"
    CENTRE_PICK = "centre.pick"
    CENTRE_CHANGE = "centre.change"
    CENTRE_RESUME = "centre.resume_change"
    CHANGE_SUBMIT = "centre.change_submit"
    ACCOUNT_OPEN = "account.open"
    ACCOUNT_SUBMIT = "account.submit"


ALL = frozenset(Screen)
NOT_OVERLAYS = ALL - OVERLAYS
LIVE = ALL - {S.ISSUING, S.OUT_OF_SERVICE}  # where a scan is heard
WITH_INVOICE = frozenset({S.RESULT, S.ALREADY_INVOICED, S.PRINTER_PROBLEM}) | OVERLAYS
WAYS_IN = frozenset({S.TERMS, S.ORDERS, S.IDCARD_CONSENT, S.LOGIN, S.IDENTIFY})
ISSUE_RESULTS = frozenset({S.RESULT, S.ALREADY_INVOICED, S.PLATFORM_QUEUED, S.REJECTED,
                           S.RESULT_UNKNOWN})

# The screen "back" leads to from each screen (ATTRACT means: wipe). The review is the
# hub of a walk-in (a scanned receipt opens it): the title and the options go back to
# it, it goes back to the orders. BUYER goes back to CATALOGUE on a catalogue sale,
# REVIEW to CATALOGUE on one too, BAD_QR to ORDERS when orders are listed, TERMS to
# the screen that opened it (kiosk.session.Session.back).
BACK: dict[Screen, Screen] = {
    S.TERMS: S.ATTRACT, S.IDENTIFY: S.ATTRACT, S.IDCARD_CONSENT: S.IDENTIFY,
    S.IDCARD_READING: S.IDENTIFY, S.LOGIN: S.IDENTIFY, S.ORDERS: S.ATTRACT,
    S.CATALOGUE: S.ATTRACT, S.BUYER: S.REVIEW, S.OPTIONS: S.REVIEW, S.REVIEW: S.ORDERS,
    S.BAD_QR: S.ATTRACT, S.CAMERA_UNAVAILABLE: S.ORDERS, S.REJECTED: S.REVIEW,
    S.PRINTER_PROBLEM: S.RESULT,
    S.REGISTER: S.LOGIN, S.CODE_LOGIN: S.LOGIN, S.FORGOT_PASSWORD: S.LOGIN,
    S.MEMBERS: S.ORDERS,
}
# Where personal data is asked for, the privacy notice comes first (when not yet
# accepted): the title screen (a name, phone, e-mail), and on the options a person's
# choice of "by post" (a mailing address). The review asks for nothing (个人 collects
# no personal data), nor do the options otherwise.
NOTICE_BEFORE = frozenset({S.BUYER, S.OPTIONS})
# Where the notice opened from a screen returns on "back" ("not now").
TERMS_RETURNS = frozenset({S.REVIEW, S.RESULT, S.ORDERS, S.REJECTED, S.OPTIONS})
ACCOUNT_WAYS = frozenset({S.REGISTER, S.CODE_LOGIN, S.FORGOT_PASSWORD})


@dataclass(frozen=True)
class Rule:
    """``intent`` may move the session from any of ``sources`` to any of ``targets``."""

    intent: Intent
    sources: frozenset[Screen]
    targets: frozenset[Screen]
    note: str = ""


def _rule(intent: Intent, sources: Iterable[Screen], targets: Iterable[Screen],
          note: str = "") -> Rule:
    return Rule(intent, frozenset(sources), frozenset(targets), note)


RULES: tuple[Rule, ...] = (
    _rule(Intent.BEGIN, {S.ATTRACT, S.BAD_QR, S.CAMERA_UNAVAILABLE}, WAYS_IN,
          "terms first unless accepted; then the chosen way"),
    _rule(Intent.ACCEPT_TERMS, {S.TERMS},
          (WAYS_IN - {S.TERMS}) | NOTICE_BEFORE | TERMS_RETURNS,
          "on to the way or the screen chosen before the notice"),
    _rule(Intent.SHOW_TERMS, {S.RESULT}, {S.TERMS},
          "the full notice beside the e-mail field; accepting comes back"),
    _rule(Intent.CHOOSE, {S.IDENTIFY}, {S.IDCARD_CONSENT, S.LOGIN, S.ORDERS}),
    _rule(Intent.CONSENT_IDCARD, {S.IDCARD_CONSENT}, {S.IDCARD_READING, S.IDENTIFY}),
    _rule(Intent.IDCARD_READ, {S.IDCARD_READING}, {S.ORDERS}, "ignored on any other screen"),
    _rule(Intent.LOGIN, {S.LOGIN}, {S.ORDERS, S.CATALOGUE}, "a business account: catalogue"),
    _rule(Intent.CODE_SCANNED, LIVE, {S.ORDERS, S.REVIEW, S.ALREADY_INVOICED, S.BAD_QR,
                                      S.TERMS},
          "a receipt opens the review (an order code after a result wipes first); a title "
          "code fills the buyer, or asks first on the review; a person's title code before "
          "consent: the notice"),
    _rule(Intent.CODE_UNREADABLE, LIVE, {S.BAD_QR}),
    _rule(Intent.CLAIM, LIVE, {S.ISSUING, S.BAD_QR},
          "a claim slip's code: looked up (a fresh session unless it is this one's)"),
    _rule(Intent.CLAIMED, {S.ISSUING}, {S.RESULT, S.PLATFORM_QUEUED, S.REJECTED},
          "issued: the receipt prints; else said in plain words"),
    _rule(Intent.SETTLED, {S.PLATFORM_QUEUED}, {S.RESULT, S.ALREADY_INVOICED, S.REJECTED},
          "the pump issued the queued request while the person waits"),
    _rule(Intent.TYPE_ORDER, {S.ORDERS, S.ATTRACT, S.BAD_QR}, {S.ORDERS, S.ALREADY_INVOICED}),
    _rule(Intent.ORDERS_NEXT, {S.ORDERS}, {S.REVIEW}, "continue: nothing personal asked yet"),
    _rule(Intent.USE_CAMERA, {S.ATTRACT, S.ORDERS, S.BAD_QR, S.CAMERA_UNAVAILABLE},
          {S.ORDERS, S.CAMERA_UNAVAILABLE}),
    _rule(Intent.CAMERA_LOST, ALL - {S.OUT_OF_SERVICE}, {S.CAMERA_UNAVAILABLE},
          "only while the camera is in use"),
    _rule(Intent.CATALOGUE_NEXT, {S.CATALOGUE}, {S.BUYER}),
    _rule(Intent.BUYER_NEXT, {S.BUYER, S.REVIEW}, {S.BUYER, S.REVIEW},
          "back to the review; a problem stays on (or goes to) buyer"),
    _rule(Intent.OPTIONS_NEXT, {S.OPTIONS}, {S.REVIEW}),
    _rule(Intent.BY_POST, {S.OPTIONS}, {S.TERMS},
          "a person's mailing address: the notice first when not yet accepted"),
    _rule(Intent.EDIT, {S.REVIEW, S.REJECTED},
          {S.ORDERS, S.CATALOGUE, S.BUYER, S.OPTIONS, S.TERMS},
          "the notice first before the title when it is not yet accepted"),
    _rule(Intent.CONFIRM, {S.REVIEW}, {S.ISSUING, S.BUYER}, "a buyer problem goes back"),
    _rule(Intent.RETRY, {S.RESULT_UNKNOWN, S.PLATFORM_QUEUED}, {S.ISSUING},
          "the SAME request id"),
    _rule(Intent.ISSUED, {S.ISSUING}, ISSUE_RESULTS, "a late result after a wipe is dropped"),
    _rule(Intent.ISSUED, {S.ISSUING}, {S.OUT_OF_SERVICE},
          "nothing issued until the operator acts (the clerk's bureau login lapsed)"),
    _rule(Intent.PRINT, WITH_INVOICE, {S.PRINTER_PROBLEM}, "no printer configured"),
    _rule(Intent.PRINTED, WITH_INVOICE, {S.PRINTER_PROBLEM, S.RESULT},
          "a failed print; a reprint that worked"),
    _rule(Intent.OPEN_OVERLAY, ALL - {S.OUT_OF_SERVICE}, OVERLAYS,
          "remembers the covered screen; the idle warning opens on a tick"),
    _rule(Intent.RESUME, OVERLAYS, NOT_OVERLAYS - {S.OUT_OF_SERVICE},
          "back to the covered screen (ATTRACT when none)"),
    *(_rule(Intent.BACK, {source}, {target}) for source, target in BACK.items()
      if target is not S.ATTRACT),
    _rule(Intent.BACK, {S.BAD_QR}, {S.ORDERS}, "when orders are listed (else a wipe)"),
    _rule(Intent.BACK, {S.BUYER, S.REVIEW}, {S.CATALOGUE}, "a catalogue sale"),
    _rule(Intent.BACK, {S.TERMS}, TERMS_RETURNS, "opened from a screen: back to it"),
    _rule(Intent.WIPE, ALL - {S.OUT_OF_SERVICE}, {S.ATTRACT},
          "finish, back to the start, idle timeout, a new scan on a result, diagnostics"),
    # Accounts (kiosk.flow.account): registration, phone-code login, forgotten password,
    # members. Sending a code and the form -> code stage stay on the same screen.
    _rule(Intent.ACCOUNT_OPEN, {S.LOGIN, S.IDENTIFY}, ACCOUNT_WAYS,
          "register, log in with a phone code, forgot password"),
    _rule(Intent.ACCOUNT_OPEN, {S.ORDERS, S.CATALOGUE}, {S.MEMBERS},
          "an enterprise administrator (checked in the core)"),
    _rule(Intent.ACCOUNT_SUBMIT, {S.REGISTER, S.CODE_LOGIN}, {S.ORDERS, S.CATALOGUE},
          "the code confirmed: identified as the account"),
    _rule(Intent.ACCOUNT_SUBMIT, {S.FORGOT_PASSWORD}, {S.LOGIN}, "the new password set"),
    _rule(Intent.ISSUED, {S.ISSUING}, {S.REVIEW}, "the account's role may not issue"),
    _rule(Intent.OUT_OF_SERVICE, ALL, {S.OUT_OF_SERVICE}),
    _rule(Intent.BACK_IN_SERVICE, ALL, {S.ATTRACT}),
)

# --- the personal centre (issue 12): list, one invoice, "change this invoice" ------------
CENTRE_FROM = frozenset({S.ORDERS, S.CATALOGUE, S.RESULT, S.ALREADY_INVOICED})
CENTRE_BACK = {S.CENTRE_INVOICE: S.CENTRE, S.CHANGE: S.CENTRE_INVOICE, S.CHANGE_STATUS: S.CENTRE}
BACK.update(CENTRE_BACK)
RULES += (
    _rule(Intent.CENTRE_OPEN, CENTRE_FROM | {S.CENTRE_INVOICE, S.CHANGE_STATUS}, {S.CENTRE},
          "after any identification; nobody: the receipt just scanned"),
    _rule(Intent.CENTRE_PICK, {S.CENTRE}, {S.CENTRE_INVOICE}),
    _rule(Intent.CENTRE_CHANGE, {S.CENTRE_INVOICE}, {S.CHANGE}, "a blue invoice in scope"),
    _rule(Intent.CHANGE_SUBMIT, {S.CHANGE}, {S.CHANGE_STATUS},
          "recorded, then filed and issued off the UI thread"),
    _rule(Intent.CENTRE_RESUME, {S.CENTRE}, {S.CHANGE_STATUS}, "a change left waiting"),
    *(_rule(Intent.BACK, {source}, {target}) for source, target in CENTRE_BACK.items()),
    _rule(Intent.BACK, {S.CENTRE}, CENTRE_FROM, "to where the centre was opened"),
)


def table(rules: Iterable[Rule] = RULES) -> dict[tuple[Screen, Intent], frozenset[Screen]]:
    """The rules expanded: (from screen, intent) -> the screens it may go to."""
    out: dict[tuple[Screen, Intent], frozenset[Screen]] = {}
    for rule in rules:
        for source in rule.sources:
            key = (source, rule.intent)
            out[key] = out.get(key, frozenset()) | rule.targets
    return out


TABLE = table()


def allowed(source: Screen, intent: Intent, target: Screen) -> bool:
    return target in TABLE.get((source, intent), frozenset())


def _names(screens: Iterable[Screen], everything: frozenset[Screen] = ALL) -> str:
    chosen = frozenset(screens)
    if chosen == everything:
        return "any"
    missing = everything - chosen
    if len(missing) <= 3 and len(chosen) > len(missing):
        return "any but " + ", ".join(sorted(s.value for s in missing))
    return ", ".join(s.value for s in Screen if s in chosen)


def render_markdown() -> str:
    """``docs/flow.md``: the rules, then the expanded table by screen."""
    lines = [
        "# The walk-in flow: transitions",
        "",
        "Generated by `python -m kiosk.flow.transitions --write` from",
        "`kiosk/flow/transitions.py`; `tests/unit/kiosk/test_transitions.py` fails when",
        "this file is stale. A move not listed here is refused (`session.refused`).",
        "",
        "## Rules (intent: from -> to)",
        "",
        "| intent | from | to | note |",
        "|---|---|---|---|",
    ]
    for rule in RULES:
        lines.append(f"| `{rule.intent.value}` | {_names(rule.sources)} | "
                     f"{_names(rule.targets)} | {rule.note} |")
    lines += ["", "## By screen", "", "| from | intent | to |", "|---|---|---|"]
    for screen in Screen:
        for intent in Intent:
            targets = TABLE.get((screen, intent))
            if targets:
                lines.append(f"| {screen.value} | `{intent.value}` | "
                             f"{', '.join(s.value for s in Screen if s in targets)} |")
    lines += ["", "## Back", "", "| from | back to |", "|---|---|"]
    lines += [f"| {a.value} | {b.value} |" for a, b in BACK.items()]
    return "\n".join(lines) + "\n"


DOC = Path(__file__).resolve().parents[2] / "docs" / "flow.md"


def main(argv: list[str] | None = None) -> int:
    """Print the table; ``--write`` writes it to docs/flow.md."""
    args = sys.argv[1:] if argv is None else argv
    text = render_markdown()
    if "--write" in args:
        DOC.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
