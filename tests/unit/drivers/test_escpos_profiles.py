"""python-escpos's printer-profile cache: complete or absent, whatever starts at once.

python-escpos pickles its profile database into ``ESCPOS_CAPABILITIES_PICKLE_DIR`` by
truncating the file and then writing it: a second process importing escpos meanwhile
(``kiosk run`` and a ``kiosk issue`` started together, three kiosks of the fleet demo)
read a short file and died at import with ``EOFError: Ran out of input``, and a file
left short by a power cut broke every start after it."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from pathlib import Path

from drivers.printer.profiles import pickle_path, prepare_profile_cache

IMPORT = "import escpos.capabilities as c; print(len(c.CAPABILITIES['profiles']))"


def _import_escpos(folder: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "ESCPOS_CAPABILITIES_PICKLE_DIR": str(folder)}
    return subprocess.run([sys.executable, "-c", IMPORT], env=env, capture_output=True,
                          text=True, timeout=120)


def test_the_cache_is_written_whole_before_escpos_is_imported(tmp_path: Path) -> None:
    prepare_profile_cache(tmp_path)
    path = pickle_path(tmp_path)
    profiles = pickle.loads(path.read_bytes())["profiles"]
    assert "default" in profiles
    stamp = path.stat().st_mtime_ns
    done = _import_escpos(tmp_path)
    assert done.returncode == 0, done.stderr
    assert int(done.stdout) == len(profiles)
    assert path.stat().st_mtime_ns == stamp, "escpos wrote the cache again"


def test_a_short_cache_file_is_replaced_not_read(tmp_path: Path) -> None:
    path = pickle_path(tmp_path)
    path.write_bytes(b"")  # what a reader saw mid-write, or a power cut left
    assert "EOFError" in _import_escpos(tmp_path).stderr  # what escpos does with it
    prepare_profile_cache(tmp_path)
    done = _import_escpos(tmp_path)
    assert done.returncode == 0, done.stderr
