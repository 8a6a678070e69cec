"""A problem as data: a code plus parameters, never a sentence.

Drivers, the flow, issuing and the CLI say *what* went wrong with a
:class:`Problem`; one zh/en catalogue (:mod:`kiosk.messages`) turns it into
words for a screen, a log line or a terminal. It lives here, in the lowest
layer, so drivers can emit problems without importing the application.

Codes are dotted and stable (``printer.paper_out``, ``flow.order_not_found``):
tests, logs and translations key on them. Parameters are strings, so a problem
is hashable, comparable and safe to log after masking.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """What went wrong, as a code and its parameters (``Problem.of("x.y", n="3")``)."""

    code: str
    params: tuple[tuple[str, str], ...] = ()

    @classmethod
    def of(cls, code: str, **params: object) -> Problem:
        return cls(code, tuple(sorted((k, str(v)) for k, v in params.items())))

    @property
    def args(self) -> Mapping[str, str]:
        return dict(self.params)

    def param(self, name: str, default: str = "") -> str:
        return self.args.get(name, default)

    def __str__(self) -> str:  # for logs and exception chains, not for people
        if not self.params:
            return self.code
        return self.code + "(" + ", ".join(f"{k}={v}" for k, v in self.params) + ")"


class ProblemError(Exception):
    """An exception that carries a :class:`Problem` across a port boundary."""

    def __init__(self, problem: Problem, detail: str = "") -> None:
        self.problem = problem
        super().__init__(f"{problem}{': ' + detail if detail else ''}")
