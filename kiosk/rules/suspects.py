"""Where a mistyped tax ID is probably wrong, and how to say it in plain words.

A check character says only *that* a code is wrong, not where. These pure functions
name the positions worth a second look, from the mistakes people make when they copy
a code off a licence or a card:

- a character that a credit code never uses (I, O, S, V, Z) is almost always a
  look-alike digit or letter (O for 0, I for 1, S for 5, Z for 2, V for U);
- a look-alike swapped for another (8 for B, 0 for D, 1 for 7, 6 for G, ...) that
  makes the whole code check out again;
- two neighbouring characters typed the wrong way round that, swapped back, make
  it check out.

:func:`repairs` finds the last two by trying them all (18 positions, a handful of
look-alikes each, 17 swaps: about a hundred checks) against ``is_valid``.
:func:`describe` turns positions and repairs into one zh and one en sentence, with
"第 N 位" / "position N", never a standard's jargon.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

# Characters a person easily takes for one another (print and handwriting).
LOOKALIKES: dict[str, str] = {
    "0": "DOQ", "O": "0D", "D": "0O", "Q": "0O",
    "1": "I7L", "I": "1L", "L": "1I", "7": "1",
    "2": "Z", "Z": "2",
    "5": "S", "S": "5",
    "8": "B3", "B": "8", "3": "8",
    "6": "G", "G": "6",
    "U": "V", "V": "U",
}

MAX_NAMED = 4  # repairs named in one sentence; more would be noise


@dataclass(frozen=True)
class Repair:
    """One change that makes the code check out: a swap of ``position`` and the next
    character, or ``position``'s character read as ``instead``."""

    position: int  # 1-based
    swap: bool
    instead: str = ""

    @property
    def positions(self) -> tuple[int, ...]:
        return (self.position, self.position + 1) if self.swap else (self.position,)


def single_slips(value: str, alphabet: str, is_valid: Callable[[str], bool]) -> tuple[int, ...]:
    """Every position (1-based) where one other character of ``alphabet`` makes ``value``
    valid: exactly the places where one slip of the finger explains the failed check."""
    return tuple(i + 1 for i, ch in enumerate(value)
                 if any(is_valid(value[:i] + other + value[i + 1:])
                        for other in alphabet if other != ch))


def repairs(value: str, is_valid: Callable[[str], bool]) -> tuple[Repair, ...]:
    """Every single look-alike change and every neighbour swap that makes ``value`` valid."""
    found: list[Repair] = []
    for i, ch in enumerate(value):
        for other in LOOKALIKES.get(ch, ""):
            if is_valid(value[:i] + other + value[i + 1:]):
                found.append(Repair(i + 1, False, other))
    for i in range(len(value) - 1):
        a, b = value[i], value[i + 1]
        if a != b and is_valid(value[:i] + b + a + value[i + 2:]):
            found.append(Repair(i + 1, True))
    return tuple(found)


def zh_repair(value: str, r: Repair) -> str:
    if r.swap:
        return (f"第 {r.position}、{r.position + 1} 位（“{value[r.position - 1]}{value[r.position]}”）"
                "是不是前后颠倒了")
    return f"第 {r.position} 位的“{value[r.position - 1]}”是不是“{r.instead}”"


def en_repair(value: str, r: Repair) -> str:
    if r.swap:
        return (f"positions {r.position} and {r.position + 1} "
                f"('{value[r.position - 1]}{value[r.position]}') are the wrong way round")
    return f"position {r.position} '{value[r.position - 1]}' should be '{r.instead}'"


def zh_examples(value: str, found: tuple[Repair, ...]) -> str:
    """"，例如……" naming the repairs (empty without any)."""
    if not found:
        return ""
    return "，例如" + "、".join(zh_repair(value, r) for r in named(found))


def en_examples(value: str, found: tuple[Repair, ...]) -> str:
    if not found:
        return ""
    return ", for example whether " + " or ".join(en_repair(value, r) for r in named(found))


def zh_join(parts: list[str]) -> str:
    return "；".join(parts)


def en_join(parts: list[str]) -> str:
    text = "; ".join(parts)
    return text[:1].upper() + text[1:] if text else text


def _runs(positions: tuple[int, ...]) -> list[tuple[int, int]]:
    runs: list[tuple[int, int]] = []
    for p in sorted(set(positions)):
        if runs and p == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], p)
        else:
            runs.append((p, p))
    # Two in a row read better as two: "第 10、11 位" rather than "第 10 至 11 位".
    return [part for a, b in runs for part in ([(a, a), (b, b)] if b == a + 1 else [(a, b)])]


def zh_positions(positions: tuple[int, ...]) -> str:
    """(1..8, 12, 18) -> "第 1 至 8 位、第 12 位和第 18 位"."""
    runs = _runs(positions)
    if all(a == b for a, b in runs):
        return "第 " + "、".join(str(a) for a, _ in runs) + " 位"
    parts = [f"第 {a} 位" if a == b else f"第 {a} 至 {b} 位" for a, b in runs]
    return parts[0] if len(parts) == 1 else "、".join(parts[:-1]) + "和" + parts[-1]


def en_positions(positions: tuple[int, ...]) -> str:
    """(1..8, 12, 18) -> "positions 1 to 8, 12 and 18"; (5,) -> "position 5"."""
    runs = _runs(positions)
    parts = [str(a) if a == b else f"{a} to {b}" for a, b in runs]
    word = "position" if len(runs) == 1 and runs[0][0] == runs[0][1] else "positions"
    text = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    return f"{word} {text}"


def named(found: tuple[Repair, ...]) -> tuple[Repair, ...]:
    return found[:MAX_NAMED]


def positions_of(found: tuple[Repair, ...]) -> tuple[int, ...]:
    return tuple(sorted({p for r in named(found) for p in r.positions}))
