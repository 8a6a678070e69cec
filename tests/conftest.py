"""Suite-wide test set-up: headless Qt and an isolated data folder for every test.

No test may write to the real data directory: each one gets its own
``KIOSK_DATA_DIR`` under pytest's ``tmp_path``. Fixtures of one subsystem live
in ``tests/helpers`` and are imported where used.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.pop("KIOSK_CONFIG", None)
os.environ.pop("NOTIFY_SOCKET", None)


@pytest.fixture(autouse=True)
def isolated_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Point ``KIOSK_DATA_DIR`` at a fresh folder for the duration of a test."""
    data = tmp_path / "kiosk-data"
    monkeypatch.setenv("KIOSK_DATA_DIR", str(data))
    yield data
