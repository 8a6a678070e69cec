"""The flow's words: a ``flow.*`` code to a :class:`~kiosk.messages.Text`, and the
ONE place where an error or outcome from a port becomes words.

Services say what went wrong with a :class:`~drivers.problem.Problem` (``.problem``);
until every port does, the older ``message_zh``/``message_en`` attributes are read
here, and nowhere else in the flow.
"""

from __future__ import annotations

from drivers.problem import Problem
from kiosk.messages import Text, text_for


def say(code: str, **params: object) -> Text:
    """The catalogue's words for one of the flow's own codes (:mod:`kiosk.messages.flow`)."""
    return text_for(Problem.of(code, **params))


def text_of(source: object, default: Text | None) -> Text | None:
    """The words an error or outcome carries (its problem, else its zh/en messages),
    else ``default``."""
    if source is None:
        return default
    problem = getattr(source, "problem", None)
    if isinstance(problem, Problem):
        return text_for(problem)
    zh = getattr(source, "message_zh", "")
    en = getattr(source, "message_en", "")
    zh = zh if isinstance(zh, str) else ""
    en = en if isinstance(en, str) else ""
    if zh or en:
        return Text(zh or en, en or zh)
    return default
