"""The daily report reaches the back office by itself, once per ended day; warnings and
errors follow as log events; the back office reconciles against the platform's listing
(issue 16)."""

from __future__ import annotations

import datetime as dt
import logging
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from kiosk.config import FleetConfig
from kiosk.fleet.daily import CHINA, days_due, send_daily_reports
from kiosk.fleet.logfeed import PER_MINUTE, LogFeed
from kiosk.fleet.publisher import FleetPublisher
from kiosk.fleet.records import Record
from kiosk.fleet.store import CentralStore
from kiosk.fleet.web import BackOffice
from tests.unit.kiosk.fleet.test_central import WAIT_S, stored, with_central
from tests.unit.kiosk.test_report import DAY, Rig

D = dt.date


@pytest.mark.parametrize(("last", "today", "due"), [
    (None, D(2026, 3, 11), [D(2026, 3, 10)]),                    # first run: yesterday
    (D(2026, 3, 10), D(2026, 3, 11), []),                        # sent already
    (D(2026, 3, 8), D(2026, 3, 11), [D(2026, 3, 9), D(2026, 3, 10)]),  # off for two days
    (D(2025, 1, 1), D(2026, 3, 11), [D(2026, 3, 4) + dt.timedelta(days=i) for i in range(7)]),
])
def test_days_due(last: D | None, today: D, due: list[D]) -> None:
    assert days_due(last, today) == due


@pytest.fixture
def rig(isolated_data_dir: Path) -> Rig:
    return Rig(isolated_data_dir)


def test_each_ended_day_is_reported_once_with_the_platforms_numbers(rig: Rig) -> None:
    a = rig.issue("SO-A")
    b = rig.issue("SO-B")
    sent: list[tuple[str, dict[str, Any]]] = []

    def record(kind: str, payload: dict[str, Any]) -> int:
        sent.append((kind, payload))
        return len(sent)

    during = dt.datetime(2026, 3, 10, 23, 0, tzinfo=CHINA)
    assert send_daily_reports(rig.db, rig.sandbox, record, during) == [D(2026, 3, 9)]
    after = dt.datetime(2026, 3, 11, 0, 5, tzinfo=CHINA)
    assert send_daily_reports(rig.db, rig.sandbox, record, after) == [DAY]
    assert send_daily_reports(rig.db, rig.sandbox, record, after) == []
    kind, report = sent[-1]
    assert kind == "daily_report" and report["day"] == "2026-03-10" and report["ok"]
    assert report["platform_numbers"] == sorted([a.number, b.number])


def test_a_platform_that_does_not_answer_leaves_the_day_for_later(rig: Rig) -> None:
    rig.issue("SO-A")

    class Down:
        def list_invoices(self, day: D) -> list[Any]:
            raise TimeoutError("platform timed out")

    after = dt.datetime(2026, 3, 11, 0, 5, tzinfo=CHINA)
    with pytest.raises(TimeoutError):
        send_daily_reports(rig.db, Down(), lambda k, p: 0, after)
    sent: list[str] = []
    assert send_daily_reports(rig.db, rig.sandbox, lambda k, p: sent.append(k) or 1,
                              after) == [DAY]


def test_log_events_are_masked_exclude_the_fleet_and_are_rate_limited() -> None:
    now = [0.0]
    feed = LogFeed(clock=lambda: now[0])
    log = logging.getLogger("kiosk.test_logfeed")
    log.addHandler(feed)
    log.propagate = False
    try:
        log.info("not a warning")
        log.warning("ID card 110101199003074514 refused", extra={"event": "idcard.refused"})
        logging.getLogger("kiosk.fleet.publisher").addHandler(feed)
        logging.getLogger("kiosk.fleet.publisher").warning("fleet unreachable")
        logging.getLogger("kiosk.fleet.publisher").removeHandler(feed)
        events = feed.drain()
        assert [e["event"] for e in events] == ["idcard.refused"]
        assert "110101199003074514" not in events[0]["message"]
        assert events[0]["level"] == "WARNING" and events[0]["logger"] == "kiosk.test_logfeed"

        now[0] += 61  # a new minute
        for i in range(PER_MINUTE + 5):
            log.error("printer error %d", i)
        assert len(feed.drain()) == PER_MINUTE
        now[0] += 61
        log.error("after the burst")
        [event] = feed.drain()
        assert event["message"] == "after the burst" and event["dropped_before"] == 5
    finally:
        log.removeHandler(feed)
        log.propagate = True


def test_back_office_reconciles_the_day_and_shows_log_events(
        rig: Rig, fleet_config: FleetConfig) -> None:
    """Invoices and the daily report go through real NATS into PostgreSQL; the page says
    what the platform has that never arrived, and the kiosk's recent warnings."""
    rig.issue("SO-A")
    rig.issue("SO-B")
    feed = LogFeed()
    pub = FleetPublisher(rig.data / "kiosk.db", fleet_config, log_feed=feed)
    logging.getLogger("kiosk.printer").addHandler(feed)
    try:
        logging.getLogger("kiosk.printer").error("paper out while printing",
                                                 extra={"event": "printer.paper_out"})
    finally:
        logging.getLogger("kiosk.printer").removeHandler(feed)
    after = dt.datetime(2026, 3, 11, 0, 5, tzinfo=CHINA)
    send_daily_reports(rig.db, rig.sandbox, pub.record, after)
    assert pub.keep_log_events() == 1
    pub.outbox.harvest()
    top = pub.outbox.last_seq()
    pub.start()
    try:
        assert pub.wait_published(top, WAIT_S)

        async def body(cs: list[object]) -> None:
            await cs[0].wait_until(lambda: stored(cs) >= top, WAIT_S)  # type: ignore[attr-defined]
        with_central(fleet_config, body)  # type: ignore[arg-type]
    finally:
        pub.stop()
    store = CentralStore(fleet_config.central.database_url)
    try:
        recon = store.reconciliation(DAY)
        assert recon.ok and recon.reported == ["k1"]
        # the platform lists an invoice the back office never received
        report = store.query("SELECT data FROM daily_reports")[0]["data"]
        report["platform_numbers"].append("26112000000099999999")
        store.write([Record("k1", top + 1, "daily_report", "2026-03-11T00:06:00+08:00", report)])
        recon = store.reconciliation(DAY)
        assert not recon.ok and recon.not_received == ["26112000000099999999"]
    finally:
        store.close()
    office = BackOffice(fleet_config)
    office.start()
    try:
        with urllib.request.urlopen(f"{office.url}/?day=2026-03-10", timeout=10) as resp:
            page = resp.read().decode("utf-8")
        assert "reconciliation with the platform, 2026-03-10" in page
        assert "DIFFERENCES" in page and "26112000000099999999" in page
        with urllib.request.urlopen(f"{office.url}/kiosk/k1", timeout=10) as resp:
            page = resp.read().decode("utf-8")
        assert "recent log events" in page and "paper out while printing" in page
    finally:
        office.stop()


def test_the_stream_has_an_age_limit_and_follows_the_config(fleet_config: FleetConfig) -> None:
    import asyncio
    import dataclasses

    from kiosk.fleet import transport

    async def main() -> list[float | None]:
        nc = await transport.connect(fleet_config.nats_url, name="t", reconnect=False)
        try:
            js = nc.jetstream()
            ages = []
            for days in (fleet_config.stream_max_age_days, 7.0, 7.0):
                await transport.ensure_stream(
                    js, dataclasses.replace(fleet_config, stream_max_age_days=days))
                ages.append((await js.stream_info(fleet_config.stream)).config.max_age)
            return ages
        finally:
            await nc.close()

    assert asyncio.run(main()) == [30 * 86400.0, 7 * 86400.0, 7 * 86400.0]


def test_an_offline_kiosk_says_so_once_not_at_every_retry(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """nats-py logged each failed dial as an ERROR with a traceback, and the publisher a
    warning per retry: days offline filled the log (and would have filled the fleet's log
    events)."""
    import dataclasses
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    config = dataclasses.replace(FleetConfig(), enabled=True, kiosk_id="k1", retry_s=0.1,
                                 nats_url=f"nats://127.0.0.1:{port}")
    caplog.set_level(logging.DEBUG)
    import threading

    tried = threading.Semaphore(0)

    class Tries(logging.Handler):  # released once per "unreachable" record: no polling
        def emit(self, record: logging.LogRecord) -> None:
            if record.__dict__.get("event") == "fleet.unreachable":
                tried.release()

    counter = Tries(logging.DEBUG)
    publisher_log = logging.getLogger("kiosk.fleet.publisher")
    publisher_log.addHandler(counter)
    pub = FleetPublisher(tmp_path / "kiosk.db", config)
    pub.start()
    try:
        assert all(tried.acquire(timeout=WAIT_S) for _ in range(4))
    finally:
        pub.stop()
        publisher_log.removeHandler(counter)
    warnings = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert [r.__dict__.get("event") for r in warnings] == ["fleet.unreachable"]
