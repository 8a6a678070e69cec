"""A hostile HTTP platform for the remote gateway's tests: answers whatever the test sets.

A real ``http.server`` on 127.0.0.1 (port 0) in a thread; every request, whatever
its path, gets the current ``(status, body)``; the requests are kept in ``seen``.
Used to check that :class:`kiosk.platform.remote.RemoteGateway` turns anything a
platform may say into data that passes the kiosk's rules or a typed error.
"""

from __future__ import annotations

import contextlib
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class HostilePlatform:
    def __init__(self) -> None:
        self.status = 200
        self.body = b"{}"
        self.seen: list[tuple[str, str]] = []
        self.fixed: dict[str, tuple[int, bytes]] = {}  # path prefix -> a fixed answer
        self._lock = threading.Lock()
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                if length:
                    self.rfile.read(length)
                with owner._lock:
                    owner.seen.append((self.command, self.path))
                    status, body = next((answer for prefix, answer in owner.fixed.items()
                                         if self.path.startswith(prefix)),
                                        (owner.status, owner.body))
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = _answer  # noqa: N815 - http.server's names

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.base_url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def answer(self, data: Any, status: int = 200) -> None:
        raw = data if isinstance(data, bytes) else json.dumps(data, ensure_ascii=False).encode()
        with self._lock:
            self.status, self.body = status, raw


@contextlib.contextmanager
def hostile_platform() -> Iterator[HostilePlatform]:
    platform = HostilePlatform()
    thread = threading.Thread(target=platform.server.serve_forever, kwargs={"poll_interval": 0.02},
                              daemon=True)
    thread.start()
    try:
        yield platform
    finally:
        platform.server.shutdown()
        platform.server.server_close()
        thread.join()
