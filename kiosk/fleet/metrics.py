"""The kiosk's Prometheus metrics (``prometheus_client``), on a local port or a textfile.

One :class:`KioskMetrics` per process, on its own registry (nothing global, so
tests and the bench can make many). Names follow Prometheus conventions and
are what ``systemd/kiosk-alerts.rules.yml`` alerts on:

* ``kiosk_device_up{device}`` 1/0, ``kiosk_device_state{device,state}`` 1 for the current state,
* ``kiosk_printer_paper_out`` 1 when the printer reports no paper,
* ``kiosk_outbox_backlog`` issue requests waiting for the platform,
* ``kiosk_publish_backlog`` fleet records not yet acknowledged by JetStream,
* ``kiosk_fleet_connected`` 1 while the back office is reachable,
* ``kiosk_platform_up`` 1 while the issuing platform answers,
* ``kiosk_quota_left_yuan`` monthly quota left,
* ``kiosk_invoices_issued_total{colour}``, ``kiosk_failures_total{kind}``,
* ``kiosk_fleet_published_total``, ``kiosk_session_seconds`` (histogram),
* ``kiosk_ui_stall_seconds_max`` the longest event-loop stall seen lately.
"""

from __future__ import annotations

from pathlib import Path

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, start_http_server
from prometheus_client import write_to_textfile as _write_textfile


class KioskMetrics:
    """All of one kiosk's metrics; update them from any thread."""

    def __init__(self, kiosk_id: str = "") -> None:
        self.kiosk_id = kiosk_id
        self.registry = CollectorRegistry()
        r = self.registry
        self.device_up = Gauge("kiosk_device_up", "Device answers (1) or not (0)", ["device"],
                               registry=r)
        self.device_state = Gauge("kiosk_device_state", "1 for the device's current state",
                                  ["device", "state"], registry=r)
        self.paper_out = Gauge("kiosk_printer_paper_out", "Printer out of paper", registry=r)
        self.outbox_backlog = Gauge("kiosk_outbox_backlog",
                                    "Issue requests waiting for the platform", registry=r)
        self.publish_backlog = Gauge("kiosk_publish_backlog",
                                     "Fleet records not yet stored by JetStream", registry=r)
        self.fleet_connected = Gauge("kiosk_fleet_connected", "Back office reachable", registry=r)
        self.platform_up = Gauge("kiosk_platform_up", "Issuing platform answers", registry=r)
        self.quota_left = Gauge("kiosk_quota_left_yuan", "Monthly quota left (yuan)", registry=r)
        self.invoices = Counter("kiosk_invoices_issued", "Invoices issued", ["colour"], registry=r)
        self.failures = Counter("kiosk_failures", "Failures by kind", ["kind"], registry=r)
        self.published_total = Counter("kiosk_fleet_published", "Fleet records published",
                                       registry=r)
        self.sessions = Histogram("kiosk_session_seconds", "Walk-in session durations",
                                  buckets=(15, 30, 60, 90, 120, 180, 300, 600), registry=r)
        self.touches = Counter("kiosk_touches", "Touches on the screen", registry=r)
        self.ui_stall = Gauge("kiosk_ui_stall_seconds_max", "Longest UI stall lately", registry=r)
        self._states: dict[str, str] = {}

    def set_device(self, device: str, state: str, up: bool) -> None:
        """One device's state; the previous state's series drops to 0."""
        old = self._states.get(device)
        if old is not None and old != state:
            self.device_state.labels(device, old).set(0)
        self._states[device] = state
        self.device_state.labels(device, state).set(1)
        self.device_up.labels(device).set(1 if up else 0)
        if device == "printer":
            self.paper_out.set(1 if state == "paper_out" else 0)

    def invoice_issued(self, colour: str = "blue") -> None:
        self.invoices.labels(colour).inc()

    def failure(self, kind: str) -> None:
        self.failures.labels(kind).inc()

    def published(self, n: int) -> None:
        self.published_total.inc(n)

    def serve(self, port: int, addr: str = "127.0.0.1") -> None:
        """Expose ``/metrics`` on a local port (for a Prometheus scrape through a tunnel/VPN)."""
        start_http_server(port, addr=addr, registry=self.registry)

    def write_textfile(self, path: str | Path) -> None:
        """Write for the node exporter's textfile collector (atomically: temp file + rename)."""
        _write_textfile(str(path), self.registry)
