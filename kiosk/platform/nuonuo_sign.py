"""The Nuonuo open platform's request signature (``X-Nuonuo-Sign``).

Every business call is a POST to ``<gateway>/open/v1/services`` with the query
``senid`` (32 random alphanumerics), ``nonce`` (8 digits), ``timestamp`` (Unix
seconds) and ``appkey``. The signature is::

    base64(HMAC-SHA1(key=appSecret,
                     msg="a=services&l=v1&p=open&k=" + appKey + "&i=" + senid
                         + "&n=" + nonce + "&t=" + timestamp + "&f=" + body))

where ``a``, ``l``, ``p`` are the gateway path's segments in reverse and
``body`` is the JSON text exactly as sent (UTF-8). Checked against the
published vector in ``tests/unit/kiosk/platform/test_nuonuo_sign.py``; the
fake server (``tests/helpers/fake_nuonuo.py``) verifies with :func:`verify`.
Stdlib ``hmac``: a few lines, no dependency.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import string
from urllib.parse import urlsplit

_ALNUM = string.ascii_letters + string.digits


def path_segments(gateway_url: str) -> tuple[str, str, str]:
    """``(a, l, p)`` of the signed string: the last three path segments, last first.

    ``https://sdk.nuonuo.com/open/v1/services`` gives ``("services", "v1", "open")``.
    """
    parts = [p for p in urlsplit(gateway_url).path.split("/") if p]
    if len(parts) < 3:
        raise ValueError(f"gateway URL must end in /open/v1/services, got {gateway_url!r}")
    p, ver, a = parts[-3:]
    return a, ver, p


def signed_text(app_key: str, senid: str, nonce: str, timestamp: str, body: str,
                segments: tuple[str, str, str] = ("services", "v1", "open")) -> str:
    a, ver, p = segments
    return (f"a={a}&l={ver}&p={p}&k={app_key}&i={senid}&n={nonce}&t={timestamp}&f={body}")


def sign(app_secret: str, app_key: str, senid: str, nonce: str, timestamp: str, body: str,
         segments: tuple[str, str, str] = ("services", "v1", "open")) -> str:
    """The ``X-Nuonuo-Sign`` value for one call."""
    msg = signed_text(app_key, senid, nonce, timestamp, body, segments).encode("utf-8")
    digest = hmac.new(app_secret.encode("utf-8"), msg, hashlib.sha1).digest()
    return base64.b64encode(digest).decode("ascii")


def verify(app_secret: str, app_key: str, senid: str, nonce: str, timestamp: str, body: str,
           signature: str, segments: tuple[str, str, str] = ("services", "v1", "open")) -> bool:
    """True when ``signature`` is exactly the one :func:`sign` makes (constant time)."""
    expected = sign(app_secret, app_key, senid, nonce, timestamp, body, segments)
    return hmac.compare_digest(expected.encode("ascii"), signature.encode("utf-8", "replace"))


def new_senid() -> str:
    """32 random letters and digits (the provider's per-call identifier)."""
    return "".join(secrets.choice(_ALNUM) for _ in range(32))


def new_nonce() -> str:
    """An 8-digit random positive integer (no leading zero)."""
    return str(10_000_000 + secrets.randbelow(90_000_000))
