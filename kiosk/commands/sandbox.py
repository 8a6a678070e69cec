"""``kiosk sandbox serve``: run the sandbox issuing platform as an HTTP server.

Serves the signed JSON API that :class:`~kiosk.platform.remote.RemoteGateway`
speaks, plus the unauthenticated invoice download pages (``/i/<token>``) a
phone reaches from a receipt's QR code. Configuration used: ``seller``,
``platform.sandbox`` (database file under ``storage.data_dir``, quota,
channel), ``platform.remote.app_key/app_secret`` (the one accepted key pair)
and ``platform.download_base_url`` (the address printed in QR codes: set it
to this server's address as a phone sees it). ``--faults-admin`` enables the
``/admin/faults`` endpoint for demos and tests; never on a shared network.

``--flavour nuonuo`` serves the same sandbox as a fake Nuonuo open platform
(:mod:`kiosk.platform.nuonuo_fake`: token URL ``/accessToken``, gateway
``/open/v1/services``, downloads ``/i/<token>.pdf|.ofd|.xml``) for the key
pair of ``[platform.nuonuo]`` (``app_key``, ``app_secret_file``,
``tax_number``), so a kiosk with ``backend = "nuonuo"`` can be tried end to
end without the provider. ``--flavour baiwang`` does the same as a fake Baiwang
(:mod:`kiosk.platform.baiwang_fake`: ``/router/rest``, downloads as above) for
the credentials of ``[platform.baiwang]`` (``app_key``, ``app_secret_file``,
``username``, ``password_file``, ``salt``, ``tax_number``).
"""

from __future__ import annotations

import argparse
import logging
import signal
import threading
from typing import Any

from kiosk.platform.factory import build_sandbox
from kiosk.platform.server import SandboxServer

log = logging.getLogger("kiosk.platform.server")


def register(sub: Any) -> None:
    parser = sub.add_parser("sandbox", help="the embedded sandbox issuing platform")
    ssub = parser.add_subparsers(dest="sandbox_command", metavar="ACTION", required=True)
    serve = ssub.add_parser("serve", help="serve the sandbox platform over HTTP")
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8470, help="port (default 8470; 0 = any free)")
    serve.add_argument("--flavour", choices=("kiosk", "nuonuo", "baiwang"), default="kiosk",
                       help="the protocol to speak: the kiosk's own (default), or a fake Nuonuo "
                            "or Baiwang")
    serve.add_argument("--faults-admin", action="store_true",
                       help="enable POST /admin/faults to inject latency, failures and lost answers")
    serve.set_defaults(func=serve_cmd)


def serve_cmd(args: argparse.Namespace, ctx: Any) -> int:
    config = ctx.config
    if not 0 <= args.port <= 65535:
        ctx.err(f"kiosk sandbox serve: --port must be 0-65535, got {args.port}")
        return 2
    try:
        from kiosk.logs import setup_logging

        setup_logging(config.data_path, level=config.logging.level,
                      max_bytes=config.logging.max_bytes, backups=config.logging.backups)
    except ImportError:  # logging module absent in a trimmed install: stderr only
        logging.basicConfig(level=config.logging.level)
    platform = build_sandbox(config)
    if args.flavour == "nuonuo":
        return _serve_nuonuo(args, ctx, platform)
    if args.flavour == "baiwang":
        return _serve_baiwang(args, ctx, platform)
    remote = config.platform.remote
    try:
        server = SandboxServer((args.host, args.port), platform, {remote.app_key: remote.app_secret},
                               faults_admin=args.faults_admin)
    except OSError as err:
        ctx.err(f"kiosk sandbox serve: cannot listen on {args.host}:{args.port} ({err.strerror})")
        return 1
    stop = threading.Event()
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
    server.start()
    ctx.out(f"sandbox platform listening on {server.base_url} "
            f"(database {platform.db_path}, downloads via {platform.download_base_url}"
            f"{', faults admin ON' if args.faults_admin else ''})")
    log.info("sandbox server started", extra={
        "event": "platform.server.started", "url": server.base_url,
        "faults_admin": args.faults_admin})
    try:
        while not stop.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass
    server.stop()
    platform.close()
    log.info("sandbox server stopped", extra={"event": "platform.server.stopped"})
    return 0


def _serve_nuonuo(args: argparse.Namespace, ctx: Any, platform: Any) -> int:
    from kiosk.config import ConfigError, read_secret_file
    from kiosk.platform.nuonuo_fake import FakeNuonuo

    config = ctx.config
    nn = config.platform.nuonuo
    if not nn.app_key or not nn.app_secret_file:
        ctx.err("kiosk sandbox serve --flavour nuonuo: set platform.nuonuo.app_key and "
                "platform.nuonuo.app_secret_file (the key pair the fake accepts)")
        platform.close()
        return 2
    try:
        secret = read_secret_file(config, nn.app_secret_file)
    except ConfigError as err:
        ctx.err(f"kiosk sandbox serve: {err}")
        platform.close()
        return 2
    try:
        fake = FakeNuonuo((args.host, args.port), platform, nn.app_key, secret,
                          nn.tax_number or config.seller.tax_id)
    except OSError as err:
        ctx.err(f"kiosk sandbox serve: cannot listen on {args.host}:{args.port} ({err.strerror})")
        platform.close()
        return 1
    stop = threading.Event()
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
    fake.start()
    ctx.out(f"fake Nuonuo platform listening: gateway_url = \"{fake.gateway_url}\", "
            f"token_url = \"{fake.token_url}\" (database {platform.db_path})")
    log.info("fake nuonuo server started", extra={
        "event": "platform.nuonuo_fake.started", "url": fake.base_url})
    try:
        while not stop.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass
    fake.stop()
    platform.close()
    return 0


def _serve_baiwang(args: argparse.Namespace, ctx: Any, platform: Any) -> int:
    from kiosk.config import ConfigError, read_secret_file
    from kiosk.platform.baiwang_fake import FakeBaiwang

    config = ctx.config
    bw = config.platform.baiwang
    if not (bw.app_key and bw.app_secret_file and bw.username and bw.password_file):
        ctx.err("kiosk sandbox serve --flavour baiwang: set platform.baiwang.app_key, "
                "app_secret_file, username and password_file (the credentials the fake accepts)")
        platform.close()
        return 2
    try:
        secret = read_secret_file(config, bw.app_secret_file)
        password = read_secret_file(config, bw.password_file)
    except ConfigError as err:
        ctx.err(f"kiosk sandbox serve: {err}")
        platform.close()
        return 2
    try:
        fake = FakeBaiwang((args.host, args.port), platform, bw.app_key, secret, bw.username,
                           password, bw.salt, bw.tax_number or config.seller.tax_id)
    except OSError as err:
        ctx.err(f"kiosk sandbox serve: cannot listen on {args.host}:{args.port} ({err.strerror})")
        platform.close()
        return 1
    stop = threading.Event()
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
    fake.start()
    ctx.out(f"fake Baiwang platform listening: base_url = \"{fake.base_url}\" "
            f"(database {platform.db_path})")
    log.info("fake baiwang server started", extra={
        "event": "platform.baiwang_fake.started", "url": fake.base_url})
    try:
        while not stop.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass
    fake.stop()
    platform.close()
    return 0
