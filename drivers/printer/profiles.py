"""python-escpos's printer-profile database, cached whole.

python-escpos parses a YAML/JSON profile database (~0.2 s) at import and pickles it
into ``ESCPOS_CAPABILITIES_PICKLE_DIR``, by truncating the file and writing it in
place. A second process importing escpos meanwhile read a short file and died with
``EOFError`` (two kiosk processes starting together), and a file cut short by a power
cut broke every start after it. :func:`prepare_profile_cache` writes the pickle
itself, atomically, before escpos is first imported, and replaces one that does not
load; escpos then only ever reads it. Hand-written because python-escpos offers no
atomic cache and no hook for one.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import platform
import tempfile
from importlib import resources
from pathlib import Path
from typing import Any

import yaml


def pickle_path(folder: Path) -> Path:
    """The file python-escpos reads in ``folder`` (its own naming)."""
    return Path(folder) / f"{platform.python_version()}.capabilities.pickle"


def _database() -> Path:
    return Path(str(resources.files("escpos") / "capabilities.json"))


def _loads(path: Path) -> bool:
    try:
        with path.open("rb") as cache:
            data: Any = pickle.load(cache)
    except (OSError, EOFError, pickle.UnpicklingError, ValueError, AttributeError):
        return False
    return isinstance(data, dict) and "profiles" in data


def prepare_profile_cache(folder: Path) -> None:
    """Make ``folder``'s profile pickle whole and newer than escpos's database.

    Raises OSError when ``folder`` cannot be written (the caller decides)."""
    folder = Path(folder)
    path = pickle_path(folder)
    database = _database()
    if path.exists() and path.stat().st_mtime >= database.stat().st_mtime and _loads(path):
        return
    folder.mkdir(parents=True, exist_ok=True)
    with database.open(encoding="utf-8") as source:
        data = yaml.safe_load(source)  # what escpos itself does (the JSON is YAML too)
    fd, tmp = tempfile.mkstemp(prefix=".profiles-", dir=folder)
    try:
        with os.fdopen(fd, "wb") as out:
            pickle.dump(data, out, protocol=2)  # escpos's protocol
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
