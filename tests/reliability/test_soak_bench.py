"""The soak bench (issue 15 item 10), small: a dozen walk-in sessions with every kind of
fault, three real ``kiosk issue`` processes SIGKILLed mid-issue, restarts; what the
10,000-session run reports must hold here too (0 lost, 0 duplicated, every session back
on the attract screen, every "receipt printed" on paper)."""

from __future__ import annotations

import pytest

from bench.bench_soak import run
from bench.runner import Runner

pytestmark = pytest.mark.e2e


def test_a_short_soak_loses_doubles_and_strands_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KIOSK_BENCH_SESSIONS", "12")
    monkeypatch.setenv("KIOSK_BENCH_SEED", "7")
    monkeypatch.setenv("KIOSK_BENCH_SOAK_PDF_EVERY", "5")
    lines: list[str] = []
    figures = run(Runner(out=lines.append))
    report = "\n".join(lines)
    assert figures["invoices lost"] == 0, report
    assert figures["invoices duplicated"] == 0, report
    assert figures["sessions not ending on attract"] == 0, report
    assert figures["sessions where \"printed\" and the paper disagree"] == 0, report
    assert figures["still pending at the end"] == 0, report
    assert figures["ERROR log records"] == 0, report
    # Not vacuous: the kills and restarts happened, the orders were invoiced, paper was cut
    # and real PDFs were drawn (12 walk-ins + 3 killed issues, each recovered at start-up).
    assert str(figures["faults injected"]).count("process_sigkill 3") == 1, report
    assert "restart 3" in str(figures["faults injected"]), report
    assert str(figures["orders invoiced at the platform"]).startswith("15 "), report
    assert int(str(figures["receipts cut by the printer"])) >= 1, report
    assert str(figures["invoice PDFs drawn with the real layout"]).startswith("3 "), report
