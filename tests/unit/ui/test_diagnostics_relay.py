"""Diagnostics' thread hops: posted calls run on the UI thread, in order, and never drop a
reference to ``True`` (PySide6 6.12's Python-emitted signals do, which crashes CPython 3.11)."""

from __future__ import annotations

import sys
import threading

from PySide6.QtCore import QThread, QThreadPool
from pytestqt.qtbot import QtBot

from ui.diagnostics.relay import Jobs, Relay


def test_posted_calls_run_on_the_ui_thread_in_order(qtbot: QtBot) -> None:
    relay = Relay()
    seen: list[tuple[int, bool]] = []
    ui = QThread.currentThread()

    def record(i: int) -> None:
        seen.append((i, QThread.currentThread() is ui))

    worker = threading.Thread(target=lambda: [relay.post(record, i) for i in range(500)])
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: len(seen) == 500, timeout=5000)
    assert seen == [(i, True) for i in range(500)]


def test_a_thousand_posts_keep_the_reference_count_of_true(qtbot: QtBot) -> None:
    relay = Relay()
    count = [0]
    before = sys.getrefcount(True)
    for _ in range(1000):
        relay.post(lambda: count.__setitem__(0, count[0] + 1))
    qtbot.waitUntil(lambda: count[0] == 1000, timeout=5000)
    # Waiting itself (pytest-qt's polling) may cost a few; a signal per call would lose 1000.
    assert before - sys.getrefcount(True) < 200


def test_jobs_deliver_results_and_errors_on_the_ui_thread(qtbot: QtBot) -> None:
    pool = QThreadPool()
    jobs = Jobs(pool)
    got: list[object] = []
    ui = QThread.currentThread()

    def fail() -> None:
        raise ValueError("no paper")

    with qtbot.waitSignal(jobs.settled, check_params_cb=lambda n: n == "b"):
        jobs.submit("a", lambda: 41 + 1, lambda r, e: got.append((r, e, QThread.currentThread() is ui)))
        jobs.submit("b", fail, lambda r, e: got.append((r, str(e))))
    qtbot.waitUntil(lambda: jobs.active == 0, timeout=5000)
    assert (42, None, True) in got and (None, "no paper") in got
    before = sys.getrefcount(True)
    for i in range(1000):  # nobody listens to settled: it is not emitted
        jobs.submit(f"n{i}", lambda: None, lambda r, e: None)
    qtbot.waitUntil(lambda: jobs.active == 0, timeout=5000)
    assert before - sys.getrefcount(True) < 200  # an emit per job would lose 1000
    pool.waitForDone(5000)
