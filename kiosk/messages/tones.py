"""How a message reads on screen: good news, plain guidance, or a problem.

The page's banner (``Page.notice``) carries whatever the flow says on a screen; most of
it is a problem (red), but "the receipt was printed again", "a code was sent" or
"registered: welcome" are good news, and "now scan your receipt" is guidance. Shown
in the problem's red they read as failures (issue 11). The catalogue keeps the words;
this table names the codes that are NOT problems, so :func:`kiosk.messages.text_for`
can mark each :class:`~kiosk.messages.Text` with its tone. A code not listed is a
problem, the safe default for a new one.
"""

from __future__ import annotations

PROBLEM = "problem"
INFO = "info"  # guidance or progress: nothing went wrong, nothing is done yet
OK = "ok"  # good news: what the person asked for is done

TONES: dict[str, str] = {
    # done
    "centre.reprinted": OK,
    "centre.mailed": OK,
    "centre.forgotten": OK,
    "centre.change.done": OK,
    "centre.change.done_blue": OK,
    "flow.mailed_to": OK,
    "flow.account.code_sent": OK,
    "flow.account.login_code_sent": OK,
    "flow.account.registered": OK,
    "flow.account.password_changed": OK,
    "flow.account.member_invited": OK,
    "flow.account.member_confirmed": OK,
    "flow.account.member_role_changed": OK,
    "flow.account.member_removed": OK,
    "flow.account.invitation_cancelled": OK,
    "issuing.issued": OK,
    "issuing.red_issued": OK,
    "issuing.mail_follows": OK,
    "flow.receipt_came_out": OK,
    # guidance while the printer holds the rest of a receipt
    "flow.receipt_held": INFO,
    # guidance, progress
    "flow.title_then_receipt": INFO,
    "flow.claim_checking": INFO,
    "flow.busy_mailing": INFO,
    "flow.personal_qr_hint": INFO,
    "centre.change.red_issued": INFO,
    "centre.nothing_to_show": INFO,
}


def tone_of(code: str) -> str:
    """``ok``, ``info`` or ``problem`` (any code not listed above)."""
    return TONES.get(code, PROBLEM)
