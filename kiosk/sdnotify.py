"""systemd integration: sd_notify over a datagram socket (Qt-free).

sd_notify is hand-written (about ten lines) rather than a dependency: the
protocol is one ``AF_UNIX`` datagram of ``KEY=value`` lines sent to
``$NOTIFY_SOCKET`` (a path, or ``@name`` in the abstract namespace). Outside
systemd (no ``$NOTIFY_SOCKET``) every call is a cheap no-op returning False.

The Qt glue (READY once the event loop runs, WATCHDOG from a timer on the UI
thread, SIGTERM/SIGINT inside the Qt loop) is :mod:`app.systemd`.
"""

from __future__ import annotations

import logging
import os
import socket

log = logging.getLogger("kiosk.systemd")


def notify(state: str) -> bool:
    """Send ``state`` (``READY=1``, ``WATCHDOG=1``, ``STATUS=...``) to systemd; True if sent."""
    address = os.environ.get("NOTIFY_SOCKET")
    if not address or address[0] not in "/@":
        return False
    if address[0] == "@":
        address = "\0" + address[1:]  # abstract namespace
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM | socket.SOCK_CLOEXEC) as sock:
            sock.connect(address)
            sock.sendall(state.encode("utf-8"))
        return True
    except OSError as err:
        log.warning("sd_notify failed: %s", err, extra={"event": "systemd.notify_failed"})
        return False


def ready() -> bool:
    return notify("READY=1")


def stopping() -> bool:
    return notify("STOPPING=1")


def status(text: str) -> bool:
    """A one-line status shown by ``systemctl status`` (newlines are not allowed)."""
    return notify("STATUS=" + " ".join(text.split()))


def watchdog() -> bool:
    return notify("WATCHDOG=1")


def watchdog_interval_s() -> float | None:
    """The watchdog timeout systemd expects pings within, or None when it is off.

    ``$WATCHDOG_USEC`` applies to this process only when ``$WATCHDOG_PID`` is
    unset or names it (as ``sd_watchdog_enabled`` checks) - or names its
    parent: under ``cage -- kiosk`` systemd's main PID is cage, which passes
    its environment on to the kiosk, the one process that can ping for the UI.
    """
    try:
        usec = int(os.environ.get("WATCHDOG_USEC", ""))
    except ValueError:
        return None
    pid = os.environ.get("WATCHDOG_PID")
    if pid:
        try:
            if int(pid) not in (os.getpid(), os.getppid()):
                return None
        except ValueError:
            return None
    return usec / 1_000_000 if usec > 0 else None
