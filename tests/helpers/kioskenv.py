"""Test helpers for orders and issuing: a database with just the needed migration sets,
and a temp data dir + ``kiosk.toml`` for subprocess tests of the ``kiosk`` CLI.

    db = kiosk_db(tmp_path / "kiosk.db")           # core + audit + orders + mail + outbox
    env = KioskEnv.create(tmp_path, extra_toml)     # env.run("orders", "list"), env.popen(...)
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlite_utils

REPO = Path(__file__).resolve().parents[2]


def kiosk_db(path: Path) -> sqlite_utils.Database:
    """Open a kiosk database migrated with the sets orders/issuing/mail need (and no others,
    so a test does not depend on unrelated subsystems)."""
    from kiosk import audit, mail, orders, outbox, storage

    return storage.open_database(
        path, sets=[storage.core, audit.audit, orders.migrations, mail.migrations,
                    outbox.migrations])


@dataclass
class KioskEnv:
    """A temp data dir and config file for running ``python -m kiosk`` as a subprocess."""

    root: Path
    data: Path
    config: Path

    @classmethod
    def create(cls, root: Path, extra_toml: str = "") -> KioskEnv:
        data = root / "data"
        data.mkdir(parents=True, exist_ok=True)
        config = root / "kiosk.toml"
        config.write_text(
            '[storage]\ndata_dir = "data"\n[mail]\nbackend = "maildir"\n' + extra_toml,
            encoding="utf-8")
        return cls(root=root, data=data, config=config)

    def environ(self) -> dict[str, str]:
        env = dict(os.environ)
        env["KIOSK_CONFIG"] = str(self.config)
        env["KIOSK_DATA_DIR"] = str(self.data)
        env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
        env.pop("NOTIFY_SOCKET", None)
        return env

    def argv(self, *args: str) -> list[str]:
        return [sys.executable, "-m", "kiosk", *args]

    def run(self, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
        return subprocess.run(self.argv(*args), env=self.environ(), cwd=self.root,
                              capture_output=True, text=True, timeout=timeout)

    def popen(self, *args: str) -> subprocess.Popen[str]:
        return subprocess.Popen(self.argv(*args), env=self.environ(), cwd=self.root,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def write_orders(self, orders: list[dict[str, Any]], name: str = "orders.json") -> Path:
        path = self.root / name
        path.write_text(json.dumps(orders, ensure_ascii=False), encoding="utf-8")
        return path
