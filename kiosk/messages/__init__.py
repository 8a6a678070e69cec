"""The one zh/en catalogue: :class:`~drivers.problem.Problem` codes to words.

Every sentence a person reads about a problem comes from here, so the flow,
the drivers and the CLI never build sentences of their own, and a
translation is one table to check. Each area keeps its table in its own
module (:mod:`kiosk.messages.flow`, :mod:`kiosk.messages.devices`,
:mod:`kiosk.messages.platform`, :mod:`kiosk.messages.refusals`, :mod:`kiosk.messages.cli`,
:mod:`kiosk.messages.voice`); this module merges them and refuses a code
defined twice.

Templates use ``str.format`` fields named after the problem's parameters.
An unknown code still gives words (a generic sentence naming the code), so a
new code can never crash a screen.
"""

from __future__ import annotations

from dataclasses import dataclass

from drivers.problem import Problem, ProblemError
from kiosk.messages import accounts as _accounts
from kiosk.messages import centre as _centre
from kiosk.messages import cli as _cli
from kiosk.messages import devices as _devices
from kiosk.messages import flow as _flow
from kiosk.messages import platform as _platform
from kiosk.messages import refusals as _refusals
from kiosk.messages import tones as _tones
from kiosk.messages import voice as _voice

__all__ = ["CATALOGUE", "Problem", "ProblemError", "Text", "join", "text_for", "words"]


@dataclass(frozen=True)
class Text:
    """A message in both languages; the UI picks one. ``tone`` says how it reads:
    ``problem`` (the default), ``info`` (guidance) or ``ok`` (good news); see
    :mod:`kiosk.messages.tones`."""

    zh: str
    en: str
    tone: str = _tones.PROBLEM

    def get(self, lang: str) -> str:
        return self.en if lang.startswith("en") else self.zh


def _merge(*tables: dict[str, tuple[str, str]]) -> dict[str, tuple[str, str]]:
    merged: dict[str, tuple[str, str]] = {}
    for table in tables:
        for code, pair in table.items():
            if code in merged:
                raise ValueError(f"message code {code!r} defined twice")
            merged[code] = pair
    return merged


CATALOGUE: dict[str, tuple[str, str]] = _merge(
    _flow.MESSAGES, _devices.MESSAGES, _platform.MESSAGES, _cli.MESSAGES, _voice.MESSAGES,
    _centre.MESSAGES,
    _accounts.MESSAGES, _refusals.MESSAGES)

_UNKNOWN = ("出现问题（{code}），请联系工作人员", "Something went wrong ({code}); ask the staff")


class _Params(dict[str, str]):
    def __missing__(self, key: str) -> str:  # a missing parameter shows as nothing
        return ""


def text_for(problem: Problem) -> Text:
    """The words for ``problem`` in both languages."""
    zh, en = CATALOGUE.get(problem.code, _UNKNOWN)
    params = _Params(problem.args)
    params.setdefault("code", problem.code)
    return Text(zh.format_map(params), en.format_map(params), _tones.tone_of(problem.code))


def words(problem: Problem, lang: str) -> str:
    return text_for(problem).get(lang)


_STOPS = "。！？；.!?;"


def join(*sentences: str, lang: str) -> str:
    """One rule for pasting sentences together, in either language: each ends in
    exactly one full stop (。 in Chinese, ". " between English ones), empty ones
    are skipped, and a sentence that already ends in a stop gets no second one."""
    parts = [s.strip() for s in sentences if s and s.strip()]
    if not parts:
        return ""
    chinese = not lang.startswith("en")
    out = []
    for part in parts:
        out.append(part if part[-1] in _STOPS else part + ("。" if chinese else "."))
    return ("" if chinese else " ").join(out)
