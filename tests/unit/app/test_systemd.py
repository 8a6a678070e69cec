"""systemd seen from a running Qt loop: READY, WATCHDOG, STATUS, SIGTERM (real sockets)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from app.systemd import install_systemd_integration


@pytest.fixture()
def notify_socket(tmp_path: Path, monkeypatch):
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    path = tmp_path / "notify.sock"
    sock.bind(str(path))
    sock.settimeout(10)
    monkeypatch.setenv("NOTIFY_SOCKET", str(path))
    yield sock
    sock.close()


def _drain(sock: socket.socket) -> list[bytes]:
    got = []
    sock.settimeout(0)
    while True:
        try:
            got.append(sock.recv(4096))
        except BlockingIOError:
            return got


def test_qt_ready_watchdog_and_sigterm(qapp, qtbot, notify_socket, monkeypatch) -> None:
    from PySide6.QtCore import QTimer

    monkeypatch.setenv("WATCHDOG_USEC", "100000")  # ping every 50 ms
    monkeypatch.delenv("WATCHDOG_PID", raising=False)
    closed: list[str] = []
    before = signal.getsignal(signal.SIGTERM)
    integration = install_systemd_integration(qapp, lambda: closed.append("closed"))
    try:
        assert integration.watchdog_timer is not None
        assert integration.watchdog_timer.interval() == 50
        qtbot.waitUntil(lambda: integration.ready_sent, timeout=5000)
        qtbot.waitUntil(lambda: integration.watchdog_pings >= 2, timeout=5000)
        QTimer.singleShot(0, lambda: os.kill(os.getpid(), signal.SIGTERM))
        qtbot.waitUntil(lambda: closed == ["closed"], timeout=5000)
        assert integration.received_signal == signal.SIGTERM
        integration.terminate()  # a second stop does nothing
        assert closed == ["closed"]
    finally:
        integration.uninstall()
    got = _drain(notify_socket)
    assert got[0] == b"READY=1"
    assert got.count(b"WATCHDOG=1") >= 2
    assert got[-1] == b"STOPPING=1"
    assert signal.getsignal(signal.SIGTERM) is before


def test_qt_status_updates(qapp, notify_socket, monkeypatch) -> None:
    monkeypatch.delenv("WATCHDOG_USEC", raising=False)
    integration = install_systemd_integration(qapp, lambda: None)
    try:
        assert integration.watchdog_timer is None
        integration.set_status("ready: 3 devices OK")
        assert notify_socket.recv(4096) == b"STATUS=ready: 3 devices OK"
    finally:
        integration.uninstall()


APP = textwrap.dedent("""
    import sys
    from PySide6.QtCore import QCoreApplication
    from app.systemd import install_systemd_integration

    app = QCoreApplication(sys.argv)
    def on_terminate():
        print("closed devices and database", flush=True)
    handle = install_systemd_integration(app, on_terminate)
    code = app.exec()
    print("exit", code, flush=True)
""")


def test_real_process_stops_cleanly_on_sigterm(notify_socket: socket.socket, tmp_path: Path) -> None:
    """As under systemd: READY arrives, SIGTERM from outside, clean-up runs, exit 0."""
    # WATCHDOG_PID names the parent, as it names cage when cage runs the kiosk.
    env = {**os.environ, "WATCHDOG_USEC": "200000", "WATCHDOG_PID": str(os.getpid()),
           "QT_QPA_PLATFORM": "offscreen"}
    proc = subprocess.Popen([sys.executable, "-c", APP], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, cwd=Path(__file__).parents[3])
    try:
        assert notify_socket.recv(4096) == b"READY=1"
        assert notify_socket.recv(4096) == b"WATCHDOG=1"
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0, err
    assert out.splitlines() == ["closed devices and database", "exit 0"]
    assert b"STOPPING=1" in _drain(notify_socket)
