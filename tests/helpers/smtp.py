"""A real local SMTP server for mail tests: aiosmtpd on a free port, messages kept in memory.

    with smtp_server() as srv:            # plain SMTP
        ...; srv.messages[0]              # email.message.EmailMessage as received
    with smtp_server(tls="starttls", cert=self_signed_cert(tmp_path)) as srv: ...
    with smtp_server(tls="implicit", cert=..., auth=("user", "pass")) as srv: ...

aiosmtpd's Controller cannot take port 0 (it connects to the port it was given
to check the server is up), so a free port is found by binding a socket to
port 0 and reading the number it got.
"""

from __future__ import annotations

import contextlib
import socket
import ssl
import subprocess
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Cert:
    cert: Path
    key: Path

    def server_context(self) -> ssl.SSLContext:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(self.cert, self.key)
        return ctx

    def client_context(self) -> ssl.SSLContext:
        return ssl.create_default_context(cafile=str(self.cert))


def self_signed_cert(folder: Path) -> Cert:
    """A throw-away certificate for 127.0.0.1/localhost, made with the openssl CLI."""
    cert, key = folder / "smtp-cert.pem", folder / "smtp-key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key),
         "-out", str(cert), "-days", "1", "-subj", "/CN=localhost",
         "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"],
        check=True, capture_output=True, timeout=60)
    return Cert(cert, key)


@dataclass
class _Handler:
    messages: list[EmailMessage] = field(default_factory=list)
    envelopes: list[tuple[str, list[str]]] = field(default_factory=list)
    refuse_rcpt: set[str] = field(default_factory=set)
    received: threading.Event = field(default_factory=threading.Event)

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str,  # noqa: N802
                          rcpt_options: Any) -> str:
        if address in self.refuse_rcpt:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        raw = envelope.original_content or envelope.content
        self.messages.append(BytesParser(policy=policy.default).parsebytes(raw))  # type: ignore[arg-type]
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        self.received.set()
        return "250 Message accepted for delivery"


@dataclass
class SmtpServer:
    host: str
    port: int
    handler: _Handler

    @property
    def messages(self) -> list[EmailMessage]:
        return self.handler.messages


@contextlib.contextmanager
def smtp_server(*, tls: str = "none", cert: Cert | None = None,
                auth: tuple[str, str] | None = None) -> Iterator[SmtpServer]:
    """``tls``: "none", "starttls" or "implicit" (the last two need ``cert``)."""
    handler = _Handler()
    port = free_port()
    kwargs: dict[str, Any] = {}
    if tls == "starttls":
        assert cert is not None
        kwargs.update(tls_context=cert.server_context(), require_starttls=True)
    elif tls == "implicit":
        assert cert is not None
        kwargs.update(ssl_context=cert.server_context())
    if auth is not None:
        def authenticator(server: Any, session: Any, envelope: Any, mechanism: str,
                          data: Any) -> AuthResult:
            ok = isinstance(data, LoginPassword) and \
                (data.login.decode(), data.password.decode()) == auth
            return AuthResult(success=ok, handled=False)
        kwargs.update(authenticator=authenticator, auth_require_tls=tls != "none")
    controller = Controller(handler, hostname="127.0.0.1", port=port,
                            server_hostname="localhost", **kwargs)
    controller.start()
    try:
        yield SmtpServer("127.0.0.1", port, handler)
    finally:
        controller.stop()
