"""Two (or more) processes starting on a fresh data folder at once (issue 15, item 5).

Before migrations ran under a lock, processes creating ``sandbox.db`` together
crashed with "database is locked" or "table sequences already exists". Real
subprocesses; they are released together by a FIFO (opening its read end
blocks until the test opens the write end), not by sleeping.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers.kioskenv import REPO

pytestmark = pytest.mark.e2e

CHILD = r"""
import sys
from decimal import Decimal
from pathlib import Path
open(sys.argv[1], "rb").close()  # the start gate: blocks until the test opens the FIFO
from kiosk import storage
from kiosk.platform.sandbox import SandboxPlatform
from tests.helpers.platform import SELLER
folder = Path(sys.argv[2])
SandboxPlatform(folder / "sandbox.db", SELLER, monthly_quota=Decimal("1000"))
storage.open_database(folder / "kiosk.db").close()
print("ok")
"""

PROCESSES = 5


def start_together(folder: Path, n: int) -> list[subprocess.CompletedProcess[str]]:
    gate = folder / "gate"
    os.mkfifo(gate)
    env = dict(os.environ, PYTHONPATH=str(REPO))
    procs = [subprocess.Popen([sys.executable, "-c", CHILD, str(gate), str(folder)], env=env,
                              cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(n)]
    fd = os.open(gate, os.O_WRONLY)  # returns once a child opened the read end
    try:
        outs = [p.communicate(timeout=180) for p in procs]
    finally:
        os.close(fd)
    return [subprocess.CompletedProcess(p.args, p.returncode, out, err)
            for p, (out, err) in zip(procs, outs, strict=True)]


@pytest.mark.parametrize("round_no", range(2))
def test_processes_creating_fresh_databases_together_all_succeed(tmp_path: Path,
                                                                 round_no: int) -> None:
    folder = tmp_path / f"data{round_no}"
    folder.mkdir()
    results = start_together(folder, PROCESSES)
    failed = [r.stderr.strip().splitlines()[-1:] for r in results if r.returncode != 0]
    assert not failed, failed
    assert all(r.stdout.strip() == "ok" for r in results)
