"""Baiwang (百望云) open-platform request signing, as the provider documents it.

Every call goes to ``<base>/router/rest`` with its common parameters in the
query string (``method``, ``version``, ``appKey``, ``format``, ``timestamp``,
``type``, ``requestId``, ``token``) plus ``sign``:

    sign = UPPER(MD5(appSecret + k1 + v1 + k2 + v2 ... + body + appSecret))

over the NON-EMPTY common parameters sorted by name (``sign`` itself left out),
``body`` the exact compact JSON text sent (``bizContent``). References read:
Baiwang's open-platform pages as quoted by the MIT ``baiwang-ruby-sdk``
(``lib/baiwang/request.rb``) and Odoo's ``l10n_cn_edi_baiwang`` client
(``_compute_sign``); the code here is our own. hashlib's MD5 is the whole
algorithm: a library would add nothing.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping


def string_to_sign(app_secret: str, params: Mapping[str, str], body: str) -> str:
    pairs = "".join(f"{k}{v}" for k, v in sorted(params.items())
                    if k != "sign" and v is not None and str(v).strip())
    return f"{app_secret}{pairs}{body}{app_secret}"


def sign(app_secret: str, params: Mapping[str, str], body: str) -> str:
    """The ``sign`` query parameter of one call."""
    text = string_to_sign(app_secret, params, body)
    return hashlib.md5(text.encode("utf-8"), usedforsecurity=False).hexdigest().upper()


def verify(app_secret: str, params: Mapping[str, str], body: str) -> bool:
    """Whether ``params["sign"]`` is the signature of ``params`` and ``body`` (the fake's check)."""
    return hmac.compare_digest(sign(app_secret, params, body), str(params.get("sign", "")))


def password_digest(password: str, salt: str) -> str:
    """The ``password`` the token call sends: SHA-256 of password + salt, hex (Odoo's v7 client)."""
    return hashlib.sha256((password + salt).encode("utf-8")).hexdigest()
