"""Damaged and unusable storage for tests: corrupt pages, read-only and full folders.

``scribble_table(path, table)`` overwrites a table's root page; read-only and
full folders are real tmpfs mounts made inside a user + mount namespace
(``unshare -rm``) for ONE subprocess, so a test needs no root and changes
nothing outside it (skipped where unprivileged namespaces are not allowed).
"""

from __future__ import annotations

import shlex
import shutil
import sqlite3
import subprocess
from collections.abc import Sequence
from pathlib import Path

import pytest


def scribble_table(path: Path, name: str) -> None:
    """Overwrite the b-tree header of table/index ``name``'s root page with 0xFF bytes."""
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    page = conn.execute("PRAGMA page_size").fetchone()[0]
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", [name]).fetchone()[0]
    conn.close()
    with path.open("r+b") as fh:
        fh.seek((root - 1) * page + (100 if root == 1 else 0))
        fh.write(b"\xff" * 64)


def namespaces_available() -> bool:
    if shutil.which("unshare") is None:
        return False
    probe = subprocess.run(["unshare", "-rm", "true"], capture_output=True, timeout=30)
    return probe.returncode == 0


def run_on_tmpfs(folder: Path, argv: Sequence[str], *, read_only: bool = False,
                 size_kib: int = 0, fill: bool = False, env: dict[str, str] | None = None,
                 timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """Run ``argv`` with ``folder`` replaced by a tmpfs holding a copy of its files.

    ``read_only`` remounts it read-only; ``fill`` fills it to the last byte
    (``size_kib`` is the tmpfs size; 0 = 64 MiB).
    """
    if not namespaces_available():
        pytest.skip("unprivileged user+mount namespaces are not available (unshare -rm)")
    q = shlex.quote
    stash = folder.parent / (folder.name + ".stash")
    if stash.exists():
        shutil.rmtree(stash)
    shutil.copytree(folder, stash)
    steps = [f"mount -t tmpfs -o size={size_kib or 65536}k none {q(str(folder))}",
             f"cp -a {q(str(stash))}/. {q(str(folder))}/"]
    if fill:
        steps.append(f"(cat /dev/zero > {q(str(folder))}/.filler) 2>/dev/null || true")
    if read_only:
        steps.append(f"mount -o remount,ro {q(str(folder))}")
    steps.append("exec " + " ".join(q(a) for a in argv))
    return subprocess.run(["unshare", "-rm", "sh", "-c", " && ".join(steps)], env=env,
                          capture_output=True, text=True, timeout=timeout)
