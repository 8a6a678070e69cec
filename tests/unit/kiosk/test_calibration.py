"""The encoding calibration page and the saved encoding override."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.calibration import SAMPLE, calibration_bytes
from kiosk.config import Config
from kiosk.overrides import apply_overrides, overrides, save_printer_encoding
from kiosk.storage import connect, migrate
from kiosk.storage import core as core_migrations


def test_page_holds_the_sample_in_each_encoding() -> None:
    data = calibration_bytes(58)
    for codec in ("gb18030", "gbk", "utf-8"):
        assert SAMPLE.encode(codec) in data, codec
    # Big5 has no simplified 发: the driver substitutes, visibly, rather than dropping it.
    assert b"?" in data[data.find(b"3. Big5"):data.find(b"4. UTF-8")]
    for label in (b"1. GB18030:", b"2. GBK:", b"3. Big5:", b"4. UTF-8:"):
        assert label in data
    assert data.endswith(b"\x1d\x56\x00")


def test_saved_encoding_overrides_the_file(tmp_path: Path) -> None:
    db = connect(tmp_path / "k.db")
    migrate(db, [core_migrations])
    cfg = Config()
    assert apply_overrides(cfg, db) is cfg
    save_printer_encoding(db, "GBK")
    assert overrides(db) == {"devices.printer.encoding": "GBK"}
    assert apply_overrides(cfg, db).devices.printer.encoding == "GBK"
    assert apply_overrides(cfg, db).devices.scanner == cfg.devices.scanner
    with pytest.raises(ValueError, match="unknown printer encoding"):
        save_printer_encoding(db, "latin-1")
