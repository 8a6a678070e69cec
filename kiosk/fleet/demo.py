"""``kiosk fleet demo``: a small fleet on one machine, to watch it work (``./start.sh --fleet``).

Starts a JetStream nats-server and a throwaway PostgreSQL cluster (both in the
demo folder), ``kiosk central serve`` with the back-office page, and three
kiosks, each with its own data folder and ``kiosk.toml`` (``[fleet]`` on,
``kiosk-1`` .. ``kiosk-3``, its own sandbox platform and channel digit), each
running ``kiosk fleet agent`` (the kiosk-side fleet: publisher, update watcher,
metrics). Then it walks customers in: every few seconds one kiosk issues a demo
order headless (``kiosk issue``), and once at the start an announcement is
pushed to every kiosk (``kiosk fleet push``). Everything is a real process
speaking the real protocols; Ctrl-C stops them all.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from kiosk.fleet.devservers import NatsServer, PostgresCluster, free_port

REPO = Path(__file__).resolve().parents[2]


def _kiosk_toml(n: int, nats_url: str, db_url: str, http_port: int) -> str:
    return f"""# kiosk-{n} of the demo fleet (written by `kiosk fleet demo`)
[storage]
data_dir = "data"
[platform]
download_base_url = "http://127.0.0.1:{free_port()}"
[platform.sandbox]
channel = "{n}"
serve_downloads = false
[mail]
backend = "maildir"
[fleet]
enabled = true
kiosk_id = "kiosk-{n}"
nats_url = "{nats_url}"
retry_s = 1.0
heartbeat_s = 5.0
metrics_port = {free_port()}
[fleet.central]
database_url = "{db_url}"
http_port = {http_port}
"""


def _seed_orders(data: Path) -> list[str]:
    """Seed a kiosk's demo orders (as `kiosk orders seed-demo` does); their numbers."""
    from kiosk import storage
    from kiosk.demo import seed_demo_orders
    from kiosk.orders import OrderStore

    db = storage.open_database(data / storage.DB_FILE)
    try:
        store = OrderStore(db)
        seed_demo_orders(store)
        return sorted(o.order_no for o in store.list())
    finally:
        db.conn.close()


@dataclass
class DemoKiosk:
    name: str
    config: Path
    orders: list[str]


class Demo:
    """The demo fleet's processes; ``start()``, then ``walk_in()`` as often as wanted."""

    def __init__(self, root: Path, http_port: int = 8480, kiosks: int = 3,
                 say: Callable[[str], None] = print) -> None:
        self.root = root
        self.http_port = http_port
        self.n = kiosks
        self.say = say
        self.nats = NatsServer(root / "nats", port=free_port())
        self.pg = PostgresCluster()
        self.procs: list[subprocess.Popen[str]] = []
        self.kiosks: list[DemoKiosk] = []
        self.env = dict(os.environ, PYTHONPATH=str(REPO) + os.pathsep
                        + os.environ.get("PYTHONPATH", ""))
        self.env.pop("KIOSK_DATA_DIR", None)
        self.env.pop("KIOSK_CONFIG", None)
        self._turn = 0

    def kiosk(self, config: Path, *args: str, check: bool = True) -> str:
        res = subprocess.run([sys.executable, "-m", "kiosk", "--config", str(config), *args],
                             env=self.env, capture_output=True, text=True, timeout=120)
        if check and res.returncode != 0:
            raise RuntimeError(f"kiosk {' '.join(args)}: {res.stderr.strip()}")
        return res.stdout

    def _spawn(self, config: Path, *args: str, wait_line: str = "") -> None:
        proc = subprocess.Popen([sys.executable, "-m", "kiosk", "--config", str(config), *args],
                                env=self.env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                text=True)
        self.procs.append(proc)
        if wait_line:
            assert proc.stdout is not None
            line = proc.stdout.readline()
            if wait_line not in line:
                raise RuntimeError(f"kiosk {' '.join(args)} did not start: {line!r}")

    def start(self) -> str:
        """Start everything; returns the back office's URL."""
        (self.root / "nats").mkdir(parents=True, exist_ok=True)
        self.nats.start()
        self.pg.start()
        db_url = self.pg.create_database("kiosk_fleet")
        self.say(f"NATS JetStream at {self.nats.url}, PostgreSQL at {db_url}")
        for n in range(1, self.n + 1):
            folder = self.root / f"kiosk-{n}"
            folder.mkdir(parents=True, exist_ok=True)
            config = folder / "kiosk.toml"
            config.write_text(_kiosk_toml(n, self.nats.url, db_url, self.http_port),
                              encoding="utf-8")
            self.kiosks.append(DemoKiosk(f"kiosk-{n}", config, _seed_orders(folder / "data")))
        central = self.kiosks[0].config
        self._spawn(central, "central", "serve", wait_line="consuming")
        for k in self.kiosks:
            self._spawn(k.config, "fleet", "agent", wait_line="publishing")
        note = self.root / "announcement.json"
        note.write_text(json.dumps({"items": [{
            "id": "welcome", "zh": "欢迎使用自助开票终端", "en": "Welcome to the self-service kiosk"}]},
            ensure_ascii=False), encoding="utf-8")
        self.say(self.kiosk(central, "fleet", "push", "announcements", str(note)).strip())
        url = f"http://127.0.0.1:{self.http_port}/"
        self.say(f"{self.n} kiosks running; the back office: {url}")
        return url

    def walk_in(self) -> str | None:
        """One customer at the next kiosk issues one demo order; None when all are issued."""
        for _ in range(len(self.kiosks)):
            k = self.kiosks[self._turn % len(self.kiosks)]
            self._turn += 1
            if k.orders:
                order = k.orders.pop(0)
                out = self.kiosk(k.config, "issue", "--order", order, "--buyer-name", "张三",
                                 "--json", check=False)
                try:
                    number = str(json.loads(out).get("invoice_number", ""))
                except json.JSONDecodeError:
                    number = ""
                self.say(f"{k.name}: order {order} -> invoice {number or '(not issued)'}")
                return number
        return None

    def central_invoices(self) -> int:
        """How many invoices the back office holds (all days)."""
        from kiosk.fleet.store import CentralStore

        store = CentralStore(self.pg.url("kiosk_fleet"), migrate_schema=False)
        try:
            return int(store.query("SELECT count(*) AS n FROM invoices")[0]["n"])
        finally:
            store.close()

    def stop(self) -> None:
        for proc in reversed(self.procs):
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc in self.procs:
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                proc.kill()
        self.nats.stop()
        self.pg.remove()


def run_demo(root: Path, http_port: int, walk_ins: int, every_s: float,
             stop: threading.Event, say: Callable[[str], None] = print) -> Demo:
    """Run the demo until ``stop`` is set or ``walk_ins`` (>0) customers were served."""
    demo = Demo(root, http_port, say=say)
    try:
        demo.start()
        served = 0
        while not stop.is_set() and (walk_ins <= 0 or served < walk_ins):
            if demo.walk_in() is None:
                say("every demo order is invoiced; the fleet keeps running (Ctrl-C stops it)")
                stop.wait()
                break
            served += 1
            stop.wait(every_s)
    finally:
        demo.stop()
    return demo
