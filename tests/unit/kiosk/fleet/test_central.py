"""Kiosk -> JetStream -> central service -> PostgreSQL, on a real nats-server and PostgreSQL.

Records arrive once (UNIQUE(kiosk_id, seq), ack after commit), in any order and
with two central instances at once; the audit hash chain is verified on arrival;
a kiosk that was offline catches up in order.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, TypeVar

import nats

from kiosk.config import FleetConfig
from kiosk.fleet import transport
from kiosk.fleet.central import CentralService
from kiosk.fleet.devservers import NatsServer, free_port
from kiosk.fleet.publisher import FleetPublisher
from kiosk.fleet.records import Record
from kiosk.fleet.store import CentralStore
from tests.helpers.fleet import IssuingKiosk

T = TypeVar("T")
WAIT_S = 60.0


def with_central(fleet: FleetConfig, body: Callable[[list[CentralService]], Awaitable[T]],
                 instances: int = 1) -> T:
    """Run ``instances`` central services around ``body``, then stop them."""

    async def main() -> T:
        progress = asyncio.Condition()
        services = [CentralService(fleet, f"c{i}", progress=progress) for i in range(instances)]
        tasks = [asyncio.create_task(s.run()) for s in services]
        try:
            for s in services:
                await asyncio.wait_for(s.ready.wait(), WAIT_S)
            return await body(services)
        finally:
            for s in services:
                s.stop()
            await asyncio.gather(*tasks)

    return asyncio.run(main())


def stored(services: list[CentralService]) -> int:
    return sum(s.stats.stored for s in services)


def test_issued_invoices_reach_postgres_once_with_a_verified_chain(
        tmp_path: Path, fleet_config: FleetConfig) -> None:
    kiosk = IssuingKiosk(tmp_path / "kiosk.db")
    kiosk.issue(5)
    pub = FleetPublisher(kiosk.path, fleet_config)
    pub.start()
    try:
        assert pub.wait_published(10, WAIT_S), pub.last_error
        pub.record("daily_report", {"day": "2026-03-15", "invoices": 5})

        async def body(cs: list[CentralService]) -> None:
            await cs[0].wait_until(lambda: stored(cs) >= 11, WAIT_S)
        with_central(fleet_config, body)
    finally:
        pub.stop()
    store = CentralStore(fleet_config.central.database_url)
    try:
        (k,) = store.kiosks()
        assert (k["kiosk_id"], k["records"], k["last_seq"]) == ("k1", 11, 11)
        assert k["chain_ok"] and k["audit_verified_seq"] == 5
        rows = store.invoices(search=kiosk_number(1))
        assert len(rows) == 1 and rows[0]["order_nos"] == ["SO00000001"]
        assert store.invoices(search="SO00000003")[0]["number"] == kiosk_number(3)
        assert k["status"].get("published_seq") is not None or k["last_contact"] is not None
    finally:
        store.close()


def kiosk_number(i: int) -> str:
    from tests.helpers.fleet import invoice_number
    return invoice_number(i)


def test_offline_kiosk_keeps_issuing_and_catches_up_in_order(
        tmp_path: Path, fleet_config: FleetConfig) -> None:
    port = free_port()
    fleet = dataclasses.replace(fleet_config, nats_url=f"nats://127.0.0.1:{port}")
    kiosk = IssuingKiosk(tmp_path / "kiosk.db")
    pub = FleetPublisher(kiosk.path, fleet)
    pub.start()
    server = NatsServer(tmp_path / "nats", port=port)
    try:
        assert pub.wait_connected(False, WAIT_S)
        (tmp_path / "nats").mkdir()
        kiosk.issue(20)  # issuing never waits for the back office
        assert pub.outbox.published_seq() == 0
        server.start()  # the back office comes back
        assert pub.wait_published(40, WAIT_S), pub.last_error

        async def body(cs: list[CentralService]) -> list[int]:
            await cs[0].wait_until(lambda: stored(cs) >= 40, WAIT_S)
            nc = await nats.connect(fleet.nats_url)
            js = nc.jetstream()
            info = await js.stream_info(fleet.stream)
            await nc.close()
            return [info.state.messages]
        central_fleet = dataclasses.replace(fleet, central=fleet_config.central)
        assert with_central(central_fleet, body) == [40]  # stored once each, in the stream
    finally:
        pub.stop()
        server.stop()
    store = CentralStore(fleet.central.database_url)
    try:
        seqs = [r["seq"] for r in store.query(
            "SELECT seq FROM records WHERE kiosk_id = 'k1' ORDER BY received_at, seq")]
        assert seqs == list(range(1, 41))  # arrived in the kiosk's order
        assert store.kiosks()[0]["audit_verified_seq"] == 20
    finally:
        store.close()


async def _publish(fleet: FleetConfig, records: list[Record], msg_id_suffix: str = "") -> None:
    nc = await nats.connect(fleet.nats_url)
    js = nc.jetstream()
    await transport.ensure_stream(js, fleet)
    for rec in records:
        await js.publish(rec.subject(fleet.subject_prefix), rec.encode(),
                         headers={"Nats-Msg-Id": rec.msg_id + msg_id_suffix})
    await nc.close()


def _audit_records(kiosk_id: str, n: int, tamper: int = 0) -> list[Record]:
    from kiosk.audit import GENESIS, row_hash

    out, prev = [], GENESIS
    for seq in range(1, n + 1):
        ts, data = f"2026-03-15T10:{seq % 60:02d}:00.000+00:00", f'{{"n":{seq}}}'
        digest = row_hash(prev, seq, ts, "invoice.issued", "kiosk", data)
        payload: dict[str, Any] = {"seq": seq, "ts": ts, "action": "invoice.issued",
                                   "actor": "kiosk", "data": data, "prev_hash": prev,
                                   "hash": digest}
        if seq == tamper:
            payload["data"] = '{"n":999}'
        out.append(Record(kiosk_id, seq, "audit", ts, payload))
        prev = digest
    return out


def test_two_central_instances_store_every_record_exactly_once(
        fleet_config: FleetConfig) -> None:
    records = [r for k in range(4) for r in _audit_records(f"kiosk-{k}", 150)]

    async def body(cs: list[CentralService]) -> None:
        await _publish(fleet_config, records)
        # a resend older than the duplicate window (new Msg-Id): stored once all the same
        await _publish(fleet_config, records[:100], msg_id_suffix=":resend")
        await cs[0].wait_until(
            lambda: stored(cs) >= 600 and sum(s.stats.duplicates for s in cs) >= 100, WAIT_S)

    with_central(fleet_config, body, instances=2)
    store = CentralStore(fleet_config.central.database_url)
    try:
        assert store.counts() == {"records": 600, "kiosks": 4}
        ks = store.kiosks()
        assert [(k["audit_verified_seq"], k["chain_ok"]) for k in ks] == [(150, True)] * 4
    finally:
        store.close()


def test_a_tampered_audit_entry_breaks_that_kiosks_chain_only(fleet_config: FleetConfig) -> None:
    records = _audit_records("good", 10) + _audit_records("bad", 10, tamper=4)
    records.reverse()  # out of order on purpose: the chain is checked as pieces arrive

    async def body(cs: list[CentralService]) -> None:
        await _publish(fleet_config, records)
        await cs[0].wait_until(lambda: stored(cs) >= 20, WAIT_S)

    with_central(fleet_config, body)
    store = CentralStore(fleet_config.central.database_url)
    try:
        bad, good = store.kiosks()
        assert good["chain_ok"] and good["audit_verified_seq"] == 10
        assert not bad["chain_ok"] and "audit seq 4" in bad["chain_error"]
    finally:
        store.close()
