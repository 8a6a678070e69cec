"""The benchmark runner: medians and ratios of alternatives measured side by side.

This machine is shared and noisy, so alternatives are interleaved round by
round (A, B, A, B, ...) rather than run in blocks, and only ratios taken in the
same run are reported as findings.

A benchmark module ``bench/bench_<name>.py`` defines ``run(r: Runner) -> None``
and calls :meth:`Runner.compare` (timed alternatives) or :meth:`Runner.table`
(figures it measured itself, e.g. decode rates).
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Sequence
from typing import Any


class Runner:
    def __init__(self, rounds: int | None = None, out: Callable[[str], None] = print) -> None:
        self.rounds = rounds
        self.out = out
        self.results: list[dict[str, Any]] = []

    def compare(
        self,
        title: str,
        cases: dict[str, Callable[[], object]],
        *,
        rounds: int = 20,
        baseline: str | None = None,
        unit: str = "ms",
    ) -> dict[str, float]:
        """Time each case ``rounds`` times, interleaved; print median, p90 and ratio."""
        rounds = self.rounds or rounds
        samples: dict[str, list[float]] = {name: [] for name in cases}
        for fn in cases.values():  # warm-up, not measured
            fn()
        for _ in range(rounds):
            for name, fn in cases.items():
                t0 = time.perf_counter()
                fn()
                samples[name].append(time.perf_counter() - t0)
        scale = {"ms": 1e3, "s": 1.0, "us": 1e6}[unit]
        medians = {n: statistics.median(v) * scale for n, v in samples.items()}
        base = baseline or next(iter(cases))
        rows = []
        for name, vals in samples.items():
            ordered = sorted(vals)
            p90 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.9))] * scale
            rows.append([name, f"{medians[name]:.3f}", f"{p90:.3f}",
                         f"{medians[name] / medians[base]:.2f}x"])
        self.table(title, ["case", f"median {unit}", f"p90 {unit}", f"ratio to {base}"], rows)
        self.results.append({"title": title, "medians": medians, "baseline": base})
        return medians

    def table(self, title: str, header: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
        cells = [list(map(str, header))] + [[str(c) for c in row] for row in rows]
        widths = [max(_width(row[i]) for row in cells) for i in range(len(header))]
        self.out(f"\n## {title}")
        for k, row in enumerate(cells):
            self.out("  ".join(_pad(c, w) for c, w in zip(row, widths, strict=True)))
            if k == 0:
                self.out("  ".join("-" * w for w in widths))


def _width(s: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)


def _pad(s: str, w: int) -> str:
    return s + " " * (w - _width(s))
