"""Suite-wide test set-up: headless Qt and an isolated data folder for every test.

No test may write to the real data directory: each one gets its own
``KIOSK_DATA_DIR`` under pytest's ``tmp_path``. Fixtures of one subsystem live
in ``tests/helpers`` and are imported where used.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings

# Property and fuzz tests (tests/unit/fuzz and others): ./test.sh runs the "default"
# profile (hypothesis's own, 100 examples a test unless a test says otherwise);
# HYPOTHESIS_PROFILE=long is the deep run, 50 times the examples.
hypothesis_settings.register_profile("long", max_examples=5000)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.pop("KIOSK_CONFIG", None)
os.environ.pop("NOTIFY_SOCKET", None)
# A move the flow's transition table does not list raises (kiosk.flow.core.STRICT_ENV).
os.environ["KIOSK_FLOW_STRICT"] = "1"

# The suite starts Python subprocesses by the hundred (`kiosk` commands, servers, the
# real kiosk). Where the environment forbids writing bytecode (PYTHONDONTWRITEBYTECODE,
# usual in containers), each of them compiled the project's ~110 modules from source
# again (~0.2 s of CPU a start); they now share bytecode cached in a folder of this
# test run's own (not beside the sources: the caller did not want those written).
if os.environ.pop("PYTHONDONTWRITEBYTECODE", None) and "PYTHONPYCACHEPREFIX" not in os.environ:
    os.environ["PYTHONPYCACHEPREFIX"] = tempfile.mkdtemp(prefix="kiosk-test-pyc-")
    atexit.register(shutil.rmtree, os.environ["PYTHONPYCACHEPREFIX"], True)

# The one QApplication of the test run is set up as `kiosk run` sets up its own
# (the virtual keyboard's input method, its privacy-safe pinyin dictionary):
# it must happen before any test creates the application, whatever the order
# the tests run in. The keyboard's own QML warnings are ignored in pyproject's
# qt_log_ignore (ui.widgets.keyboard.QT_LOG_IGNORE).
from ui.widgets.keyboard import prepare_environment  # noqa: E402

prepare_environment(Path(tempfile.mkdtemp(prefix="kiosk-test-state-")))

# One whole printer-profile cache for the run and every process it starts (as `kiosk`
# keeps one in its data folder): escpos parses its database once, not per process.
from drivers.printer.profiles import prepare_profile_cache  # noqa: E402

_PROFILES = Path(tempfile.mkdtemp(prefix="kiosk-test-escpos-"))
prepare_profile_cache(_PROFILES)
os.environ["ESCPOS_CAPABILITIES_PICKLE_DIR"] = str(_PROFILES)


@pytest.fixture(autouse=True)
def isolated_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Point ``KIOSK_DATA_DIR`` at a fresh folder for the duration of a test."""
    data = tmp_path / "kiosk-data"
    monkeypatch.setenv("KIOSK_DATA_DIR", str(data))
    yield data


@pytest.fixture(autouse=True)
def built_in_tax_tables() -> Iterator[None]:
    """A test that puts a pushed rate or tax-code table in force (kiosk.fleet.policy) must
    not leave it to the next one."""
    yield
    from kiosk.rules.fields import set_tax_codes_in_force
    from kiosk.rules.tax import set_rates_in_force

    set_rates_in_force(None)
    set_tax_codes_in_force(None)


@pytest.fixture(scope="session", autouse=True)
def keyboard_engine_first(request: pytest.FixtureRequest) -> Iterator[None]:
    """Load the virtual keyboard before any test focuses a text field.

    The keyboard's input context binds to the first InputPanel only if that
    panel exists before the first text field takes focus; `kiosk run` builds its
    panel with the main window, before any focus. A test run must do the same,
    or keyboard tests would depend on which test happened to focus a field first.
    """
    if not any("qtbot" in item.fixturenames or "qapp" in item.fixturenames
               for item in request.session.items):
        yield
        return
    qapp = request.getfixturevalue("qapp")
    from ui.widgets.keyboard import KeyboardPanel

    panel = KeyboardPanel(follow_focus=False)
    yield
    panel.deleteLater()
    qapp.processEvents()
