"""Many kiosks, one back office: records out over NATS JetStream, updates in, metrics.

Kiosk side (Qt-free): :mod:`kiosk.fleet.outbox` keeps a durable publish queue
in the kiosk's SQLite file, :mod:`kiosk.fleet.publisher` sends it in order,
:mod:`kiosk.fleet.updates` takes remote updates from the key-value store and
:mod:`kiosk.fleet.metrics` exposes Prometheus metrics. Central side:
:mod:`kiosk.fleet.central` consumes the stream into PostgreSQL
(:mod:`kiosk.fleet.store`) and serves the back-office page
(:mod:`kiosk.fleet.web`). See docs/fleet.md.
"""
