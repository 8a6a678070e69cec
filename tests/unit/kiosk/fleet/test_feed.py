"""The metrics beyond the publisher's are fed from what the kiosk does (issue 16, item 4)."""

from __future__ import annotations

from decimal import Decimal

from drivers.base import DeviceStatus, StatusEvent
from kiosk.fleet.feed import MetricsFeed
from kiosk.fleet.metrics import KioskMetrics
from kiosk.platform.gateway import PlatformHealth
from tests.helpers.fake_services import FakeKiosk


def value(metrics: KioskMetrics, name: str, **labels: str) -> float | None:
    return metrics.registry.get_sample_value(name, labels)


def test_walk_ins_issued_invoices_and_failures_are_counted() -> None:
    now = [100.0]
    metrics = KioskMetrics("k1")
    feed = MetricsFeed(metrics, clock=lambda: now[0])
    kiosk = FakeKiosk()
    session = kiosk.session(clock=lambda: now[0])
    session.add_listener(feed.on_session)

    session.code_scanned("not an order code")  # a failure screen, then start over
    assert value(metrics, "kiosk_failures_total", kind="bad_qr") == 1
    now[0] += 12
    session.finish()
    assert value(metrics, "kiosk_session_seconds_count") == 1
    assert value(metrics, "kiosk_session_seconds_sum") == 12

    session.code_scanned(kiosk.qr(kiosk.orders[0]))
    now[0] += 40
    while session.screen.value != "result":  # accept, next ... confirm: whatever the path is
        before = session.screen
        primary = {"orders": session.orders.next, "options": session.buyer.options_next,
                   "review": session.review.confirm, "buyer": session.buyer.next,
                   "terms": session.identify.accept_terms}.get(session.screen.value)
        assert primary is not None, session.screen
        primary()
        assert session.screen is not before
    assert value(metrics, "kiosk_invoices_issued_total", colour="blue") == 1
    session.finish()
    assert value(metrics, "kiosk_session_seconds_count") == 2
    assert value(metrics, "kiosk_session_seconds_sum") == 52


def test_device_states_backlog_platform_and_stalls_are_sampled() -> None:
    metrics = KioskMetrics("k1")
    feed = MetricsFeed(metrics)
    feed.stalled(0.02)
    feed.stalled(0.31)
    feed.sample_devices({"printer": StatusEvent("printer", DeviceStatus.PAPER_OUT),
                         "scanner": StatusEvent("scanner", DeviceStatus.OFFLINE),
                         "camera": StatusEvent("camera", DeviceStatus.READY)})
    assert value(metrics, "kiosk_printer_paper_out") == 1
    assert value(metrics, "kiosk_device_up", device="printer") == 1
    assert value(metrics, "kiosk_device_up", device="scanner") == 0
    assert value(metrics, "kiosk_device_state", device="camera", state="ready") == 1
    assert value(metrics, "kiosk_ui_stall_seconds_max") == 0.31
    feed.sample_devices({"printer": StatusEvent("printer", DeviceStatus.READY)})
    assert value(metrics, "kiosk_printer_paper_out") == 0
    assert value(metrics, "kiosk_device_state", device="printer", state="paper_out") == 0
    assert value(metrics, "kiosk_ui_stall_seconds_max") == 0  # the max since the last sample

    feed.sample_backlog(3)
    feed.sample_platform(PlatformHealth(True, 12.0, "ok", quota=Decimal("99000.50")))
    assert value(metrics, "kiosk_outbox_backlog") == 3
    assert value(metrics, "kiosk_platform_up") == 1
    assert value(metrics, "kiosk_quota_left_yuan") == 99000.5
    feed.sample_platform(PlatformHealth(False, 0.0, "timeout"))
    assert value(metrics, "kiosk_platform_up") == 0
    assert value(metrics, "kiosk_quota_left_yuan") == 99000.5  # unknown now: the last known
