"""A provider's official invoice files (PDF, OFD, XML): downloaded once, stored atomically.

Shared by the Nuonuo and Baiwang adapters: both answer an issued invoice with
URLs of its official files; the kiosk downloads each once into its data folder
and delivers those bytes (never a rendering of its own). Stdlib ``http.client``
with a timeout, for the same reasons as :mod:`kiosk.platform.remote`.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

from kiosk.platform.gateway import PlatformUnavailable

DOC_KINDS = ("pdf", "ofd", "xml")


def download(url: str, timeout_s: float) -> bytes:
    """The body of ``url`` (HTTP 200, not empty); PlatformUnavailable otherwise."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise PlatformUnavailable(message_en=f"not a download URL: {url!r}")
    cls = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    conn = cls(parts.hostname, parts.port, timeout=timeout_s)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    try:
        conn.request("GET", path or "/")
        resp = conn.getresponse()
        body = resp.read()
    except (OSError, http.client.HTTPException) as err:
        raise PlatformUnavailable("无法下载发票文件", f"cannot download {parts.path} ({err})"
                                  ) from None
    finally:
        conn.close()
    if resp.status != 200 or not body:
        raise PlatformUnavailable("无法下载发票文件", f"download answered HTTP {resp.status}")
    return body


def store(path: Path, data: bytes) -> None:
    """Write ``data`` at ``path`` so that it is absent or complete, never half written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".dl-", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
