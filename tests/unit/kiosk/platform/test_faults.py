"""The fault switches on their own: counts, codes, latency cut short by a crash."""

from __future__ import annotations

import threading

import pytest

from kiosk.platform.faults import Crashed, Faults
from kiosk.platform.gateway import (
    PlatformError,
    PlatformTimeout,
    PlatformUnavailable,
    QuotaExceeded,
)


def test_fail_next_counts_down_and_maps_codes() -> None:
    f = Faults()
    f.set(fail_next=3, fail_code="QUOTA_EXCEEDED")
    with pytest.raises(QuotaExceeded):
        f.before_call("issue")
    f.set(fail_code="TIMEOUT")
    with pytest.raises(PlatformTimeout):
        f.before_call("query_request")
    f.set(fail_code="E_CUSTOM")
    with pytest.raises(PlatformError) as info:
        f.before_call("issue")
    assert info.value.code == "E_CUSTOM"
    f.before_call("issue")  # the count is spent
    f.before_call("download")  # downloads never fault


def test_unavailable_until_cleared() -> None:
    f = Faults()
    f.set(unavailable=True)
    for _ in range(2):
        with pytest.raises(PlatformUnavailable):
            f.before_call("health")
    f.clear()
    f.before_call("health")


def test_timeout_after_commit_only_for_issuing_calls() -> None:
    f = Faults()
    f.set(timeout_after_commit=1)
    f.after_commit("file_red_form")
    with pytest.raises(PlatformTimeout):
        f.after_commit("issue_red_invoice")
    f.after_commit("issue")


def test_bad_settings_are_refused() -> None:
    f = Faults()
    with pytest.raises(ValueError):
        f.set(latency_s=-1)
    with pytest.raises(ValueError):
        f.set(fail_next=-2)
    with pytest.raises(TypeError):
        f.set(nonsense=True)


def test_a_crash_cuts_a_latency_wait_short() -> None:
    f = Faults()
    f.set(latency_s=600)
    out: list[BaseException] = []

    def call() -> None:
        try:
            f.before_call("issue")
        except BaseException as err:  # noqa: BLE001 - handed to the test
            out.append(err)

    t = threading.Thread(target=call)
    t.start()
    assert f.waiting.wait(10)
    f.crash()
    t.join(10)
    assert not t.is_alive() and isinstance(out[0], Crashed)
    with pytest.raises(Crashed):
        f.before_commit("issue")
