"""The coded rule error every check in :mod:`kiosk.rules` returns.

The sandbox platform turns these into ``Rejection`` items
(``kiosk.platform.gateway.Rejection.from_rule_error``); the kiosk shows
``message_zh``/``message_en`` on screen and logs ``code`` and ``field``.
Messages never carry a raw personal ID number.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["RuleError"]


@dataclass(frozen=True)
class RuleError:
    """One broken rule: a stable ``code``, where (``field``), and why in zh and en.

    ``severity`` is ``"error"`` (blocks the request) or ``"warning"`` (the
    buyer must confirm; :func:`kiosk.rules.validate_request` only reports a
    warning as an error while it is unconfirmed).
    """

    code: str
    field: str
    message_zh: str
    message_en: str
    severity: str = "error"

    def __str__(self) -> str:
        return f"[{self.code}] {self.field}: {self.message_en}"
