"""Logging: JSON lines with event fields, masked at the source, readable stderr."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from kiosk.logs import current_session, setup_logging


@pytest.fixture
def log_file(tmp_path: Path):
    path = setup_logging(tmp_path, level="DEBUG", max_bytes=2000, backups=2, stderr=False)
    yield path
    for handler in list(logging.getLogger().handlers):
        if getattr(handler, "_kiosk", False):
            logging.getLogger().removeHandler(handler)
            handler.close()


def read(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_json_line_with_event_fields_and_session(log_file: Path) -> None:
    token = current_session.set("S-42")
    try:
        logging.getLogger("kiosk.test").info(
            "issued %s", "24112000000135114086", extra={"event": "invoice.issued", "total": "113.00"}
        )
    finally:
        current_session.reset(token)
    (entry,) = read(log_file)
    assert entry["event"] == "invoice.issued"
    assert entry["logger"] == "kiosk.test"
    assert entry["level"] == "INFO"
    assert entry["session"] == "S-42"
    assert entry["total"] == "113.00"
    assert entry["msg"] == "issued 24112000000135114086"


def test_personal_data_is_masked_in_message_and_fields(log_file: Path) -> None:
    logging.getLogger("kiosk.test").warning(
        "buyer %s phone %s", "11010519491231002X", "13812345678",
        extra={"event": "buyer.entered", "email": "wang@example.com", "ids": ["11010519491231002X"]},
    )
    raw = log_file.read_text(encoding="utf-8")
    assert "11010519491231002X" not in raw
    assert "13812345678" not in raw
    assert "wang@example.com" not in raw


def test_exceptions_are_logged_masked(log_file: Path) -> None:
    try:
        raise ValueError("bad id 11010519491231002X")
    except ValueError:
        logging.getLogger("kiosk.test").exception("failed", extra={"event": "x.failed"})
    (entry,) = read(log_file)
    assert "ValueError" in entry["exc"] and "11010519491231002X" not in entry["exc"]


def test_file_rotates_by_size(log_file: Path) -> None:
    for i in range(100):
        logging.getLogger("kiosk.test").info("line %d %s", i, "x" * 50)
    assert (log_file.parent / "kiosk.jsonl.1").exists()
    assert not (log_file.parent / "kiosk.jsonl.3").exists()


def test_library_chatter_stays_out_of_the_log(log_file: Path) -> None:
    logging.getLogger("fontTools.subset").info("head pruned")
    logging.getLogger("fontTools.subset").warning("glyph missing")
    assert [e["msg"] for e in read(log_file)] == ["glyph missing"]
