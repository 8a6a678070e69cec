"""RemoteGateway against a real SandboxServer: what is retried, what is unknown, crashes.

The rule under test: a call that cannot have arrived (connect failed) may be
retried by anyone; a call that was sent and got no answer is retried only
when it is a query, and an issuing call then raises PlatformTimeout so the
caller queries first. A server killed mid-request loses what it had not
committed, and ``query_request`` tells which it was.
"""

from __future__ import annotations

import datetime as dt
import socket
import threading
from pathlib import Path
from typing import Any

import pytest

from kiosk.model import RedReason
from kiosk.platform.gateway import (
    PlatformError,
    PlatformTimeout,
    PlatformUnavailable,
)
from kiosk.platform.remote import RemoteGateway
from tests.helpers.platform import (
    APP_KEY,
    APP_SECRET,
    MutableClock,
    count_invoices,
    make_request,
    make_sandbox,
    remote_for,
    running_server,
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def in_thread(fn: Any, *args: Any) -> tuple[threading.Thread, dict[str, Any]]:
    out: dict[str, Any] = {}

    def run() -> None:
        try:
            out["result"] = fn(*args)
        except BaseException as err:  # noqa: BLE001 - handed to the test
            out["error"] = err

    t = threading.Thread(target=run)
    t.start()
    return t, out


def test_connection_refused_is_unavailable_for_every_call() -> None:
    gw = RemoteGateway(f"http://127.0.0.1:{free_port()}", APP_KEY, APP_SECRET, 2.0, 1,
                       backoff_s=0.0)
    with pytest.raises(PlatformUnavailable):
        gw.issue(make_request("C1"))  # nothing was sent: safe to retry later
    with pytest.raises(PlatformUnavailable):
        gw.query_request("RQ-C1")
    health = gw.health()
    assert not health.ok and "connect" in health.message


def test_rejects_a_non_http_base_url() -> None:
    with pytest.raises(ValueError):
        RemoteGateway("ftp://x", APP_KEY, APP_SECRET)


def test_no_answer_issue_is_not_retried_but_queries_are(tmp_path: Path) -> None:
    sb = make_sandbox(tmp_path, MutableClock())
    with running_server(sb) as server:
        gw = remote_for(server, retries=2)
        sb.faults.set(fail_next=2, fail_code="TIMEOUT")  # the server drops the connection
        with pytest.raises(PlatformTimeout):
            gw.issue(make_request("T1"))
        assert sb.faults.settings.fail_next == 1  # exactly one attempt reached the server
        sb.faults.set(fail_next=2)
        assert gw.query_request("RQ-T1") is None  # two dropped, the third answered
        assert sb.faults.settings.fail_next == 0
        sb.faults.set(fail_next=3)
        with pytest.raises(PlatformTimeout):
            gw.query_order("T1")  # 1 + 2 retries, all dropped
        assert gw.issue(make_request("T1")).order_nos == ("T1",)


def test_server_unavailable_answer_is_raised_for_issue_and_retried_for_queries(
    tmp_path: Path,
) -> None:
    sb = make_sandbox(tmp_path, MutableClock())
    with running_server(sb) as server:
        gw = remote_for(server, retries=2)
        sb.faults.set(fail_next=2, fail_code="UNAVAILABLE")
        with pytest.raises(PlatformUnavailable) as info:
            gw.issue(make_request("U1"))
        assert info.value.code == "UNAVAILABLE"
        assert sb.faults.settings.fail_next == 1
        assert gw.remaining_quota() > 0  # one 503, then an answer
        sb.faults.set(fail_next=1, fail_code="SOMETHING_ODD")
        with pytest.raises(PlatformError) as other:
            gw.query_request("RQ-U1")
        assert other.value.code == "SOMETHING_ODD"


def test_read_timeout_is_unknown_and_the_query_tells(tmp_path: Path) -> None:
    sb = make_sandbox(tmp_path, MutableClock())
    with running_server(sb) as server:
        gw = remote_for(server, timeout_s=0.3, retries=0)
        sb.faults.set(latency_s=60)
        with pytest.raises(PlatformTimeout):
            gw.issue(make_request("S1"))
        sb.faults.clear()  # the slow call goes on and commits
    # leaving running_server joined the in-flight request
    with running_server(sb) as server:
        found = remote_for(server).query_request("RQ-S1")
        assert found is not None and count_invoices(sb) == 1
        assert remote_for(server).issue(make_request("S1")) == found


def test_server_killed_before_commit_loses_the_request(tmp_path: Path) -> None:
    clock = MutableClock()
    sb = make_sandbox(tmp_path, clock)
    with running_server(sb) as server:
        sb.faults.set(latency_s=60)
        t, out = in_thread(remote_for(server, timeout_s=30).issue, make_request("K1"))
        assert sb.faults.waiting.wait(10)  # the request is inside the server
        server.kill()
        t.join(10)
    assert isinstance(out.get("error"), PlatformTimeout)  # sent, no answer: unknown
    restarted = make_sandbox(tmp_path, clock)  # a new process on the same file
    with running_server(restarted) as server:
        gw = remote_for(server)
        assert gw.query_request("RQ-K1") is None  # it never committed: retry is safe
        inv = gw.issue(make_request("K1"))
        assert gw.issue(make_request("K1")) == inv
        assert int(inv.number[5:]) == 1 and count_invoices(restarted) == 1


def test_server_losing_the_answer_after_commit_leaves_one_invoice(tmp_path: Path) -> None:
    sb = make_sandbox(tmp_path, MutableClock())
    with running_server(sb) as server:
        gw = remote_for(server)
        blue = gw.issue(make_request("L0"))
        sb.faults.set(timeout_after_commit=1)
        with pytest.raises(PlatformTimeout):
            gw.issue(make_request("L1"))
        found = gw.query_request("RQ-L1")
        assert found is not None and found.order_nos == ("L1",)
        # the same for a red invoice
        form = gw.file_red_form(blue.number, RedReason.ISSUED_IN_ERROR, "seller")
        gw.confirm_red_form(form.form_number)
        sb.faults.set(timeout_after_commit=1)
        with pytest.raises(PlatformTimeout):
            gw.issue_red_invoice(form.form_number)
        red_no = gw.query_red_form(form.form_number).red_invoice_number
        assert red_no and gw.issue_red_invoice(form.form_number).number == red_no
        assert count_invoices(sb) == 3


def test_an_internal_server_error_on_issue_is_an_unknown_outcome(tmp_path: Path) -> None:
    naive = MutableClock(dt.datetime(2026, 3, 10, 10, 0))  # the platform refuses naive times
    sb = make_sandbox(tmp_path, naive)
    with running_server(sb) as server:
        gw = remote_for(server)
        with pytest.raises(PlatformTimeout) as info:
            gw.issue(make_request("I1"))
        assert info.value.code == "INTERNAL"
        with pytest.raises(PlatformError) as q:
            gw.remaining_quota()
        assert q.value.code == "INTERNAL" and not isinstance(q.value, PlatformTimeout)
