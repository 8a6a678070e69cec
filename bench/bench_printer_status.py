"""Status round trips per receipt: before (preflight + before + after) vs now (one).

An emulated printer answers each status query after ``SLOW_S`` (a slow serial
link or a busy printer board); both cases print the same receipt ops on the
same kind of printer, interleaved. "before" is today's old sequence rebuilt
from the driver's parts: the port's separate preflight, then a print whose
driver asks again before and after the job (``status_max_age_s=0``). "now"
is the kiosk's printer with its idle poll's answer still fresh: one query,
after the job.
"""

from __future__ import annotations

from bench.runner import Runner
from drivers.printer.emulated import EmulatedPrinter
from drivers.printer.ops import Cut, Rule, Text

SLOW_S = 0.02
OPS = [Text("开票凭条"), Rule("-"), Text("价税合计 ￥113.00"), Cut()]


def run(r: Runner) -> None:
    before = EmulatedPrinter(status_max_age_s=0.0)
    now = EmulatedPrinter()
    for printer in (before, now):
        printer.set_slow(SLOW_S)

    def old_sequence() -> None:
        before.preflight()
        before.print_ops(OPS)

    now.status()  # the worker's idle poll; each print's after-job answer keeps it fresh

    def new_sequence() -> None:
        asked = now.status_queries
        now.print_ops(OPS)
        assert now.status_queries == asked + 1

    r.compare(f"one receipt on a printer answering in {SLOW_S * 1e3:.0f} ms (ms)",
              {"before: 3 status queries": old_sequence, "now: 1 status query": new_sequence},
              rounds=15)
    asked = before.status_queries
    old_sequence()
    r.table("status queries per receipt", ["case", "queries"],
            [["before", before.status_queries - asked], ["now", 1]])
