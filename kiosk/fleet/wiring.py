"""The composition root's one call: :func:`start_fleet` (None when ``[fleet]`` is off).

    fleet = start_fleet(config, db_path, status=lambda: {...})   # at start-up
    ...
    if fleet: fleet.stop()                                        # at shutdown

It builds the metrics (served on ``fleet.metrics_port`` and/or written to
``fleet.metrics_textfile`` at every heartbeat), the remote-update store in
``<data>/fleet`` and the publisher with its update watcher, and starts them.
The returned :class:`Fleet` gives the app what it reacts to: ``metrics`` to
update, ``updates.listeners`` to be told of a new catalogue/announcement/...,
``publisher.record(kind, payload)`` for records not harvested from a table.
"""

from __future__ import annotations

import logging
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kiosk.config import Config
from kiosk.fleet.logfeed import LogFeed
from kiosk.fleet.metrics import KioskMetrics
from kiosk.fleet.policy import FleetPolicy
from kiosk.fleet.publisher import FleetPublisher, StatusSource
from kiosk.fleet.records import kiosk_id_or_host
from kiosk.fleet.updates import NAMES, UpdateStore

log = logging.getLogger("kiosk.fleet")


@dataclass
class Fleet:
    publisher: FleetPublisher
    updates: UpdateStore
    metrics: KioskMetrics

    def stop(self) -> None:
        if self.publisher.log_feed is not None:
            self.publisher.log_feed.uninstall()
        self.publisher.stop()


def _file_data(config: Config) -> dict[str, Any]:
    try:
        return tomllib.loads(Path(config.source).read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError):
        return {}  # built from a dict (tests) or defaults: overrides merge over nothing


def start_fleet(config: Config, db_path: str | Path, *,
                status: StatusSource | None = None,
                policy: FleetPolicy | None = None) -> Fleet | None:
    """Start publishing, watching updates and exposing metrics; None if the fleet is off.
    ``policy`` puts applied updates in force: the stored ones at once, before anything
    is published, then each new one as it arrives."""
    fleet = config.fleet
    if not fleet.enabled:
        return None
    kiosk_id = kiosk_id_or_host(fleet.kiosk_id)
    metrics = KioskMetrics(kiosk_id)
    if fleet.metrics_port:
        metrics.serve(fleet.metrics_port)
    updates = UpdateStore(config.data_path / "fleet", kiosk_id, _file_data(config))
    if policy is not None:
        policy.replay(updates.current, NAMES)
        updates.listeners.append(policy.on_update)
    log_feed = LogFeed().install()
    publisher = FleetPublisher(db_path, fleet, status=status, metrics=metrics, updates=updates,
                               log_feed=log_feed)
    publisher.start()
    log.info("fleet on as %s", kiosk_id, extra={"event": "fleet.started", "kiosk": kiosk_id,
                                                "nats": fleet.nats_url})
    return Fleet(publisher, updates, metrics)
