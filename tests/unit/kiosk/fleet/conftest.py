"""Fleet fixtures: ONE real nats-server and ONE throwaway PostgreSQL cluster per test run.

Each test gets its own stream, subject prefix, key-value bucket and database on
them (``fleet_config``), so tests share the servers but nothing else.
"""

from __future__ import annotations

import itertools
import os
import shutil
from collections.abc import Iterator

import pytest

from kiosk.config import FleetCentralConfig, FleetConfig
from kiosk.fleet.devservers import NatsServer, PostgresCluster

_n = itertools.count(1)


@pytest.fixture(scope="session")
def nats_server() -> Iterator[NatsServer]:
    server = NatsServer().start()
    yield server
    server.stop()
    shutil.rmtree(server.store_dir, ignore_errors=True)


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[PostgresCluster]:
    cluster = PostgresCluster().start()
    yield cluster
    cluster.remove()


def make_fleet_config(nats_url: str, database_url: str, n: int, kiosk_id: str = "k1",
                      **kw: object) -> FleetConfig:
    central = FleetCentralConfig(database_url=database_url, batch=50, ack_wait_s=2.0,
                                 http_port=0)
    base = dict(enabled=True, kiosk_id=kiosk_id, nats_url=nats_url, stream=f"T{n}",
                subject_prefix=f"t{n}", updates_bucket=f"u{n}", retry_s=0.2, heartbeat_s=1.0,
                central=central)
    base.update(kw)
    return FleetConfig(**base)  # type: ignore[arg-type]


@pytest.fixture
def fleet_config(nats_server: NatsServer, pg_cluster: PostgresCluster) -> FleetConfig:
    n = next(_n)
    url = pg_cluster.create_database(f"fleet_{os.getpid()}_{n}")
    return make_fleet_config(nats_server.url, url, n)
