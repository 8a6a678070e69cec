"""Local settings a technician changes on the terminal, kept in the database.

The configuration file is read-only to the kiosk (``/etc/kiosk`` under
``ProtectSystem=strict``), yet a technician must be able to fix, say, the
printer's encoding from diagnostics mode. Such settings are stored in the
database's ``meta`` table and applied over the loaded :class:`Config` by the
composition root, so the file stays the documented baseline and
``kiosk config show`` / diagnostics show both.
"""

from __future__ import annotations

import dataclasses
import logging

import sqlite_utils

from drivers.printer.encoding import ENCODINGS
from kiosk.config import Config, PrinterConfig
from kiosk.storage import DB_FILE, get_meta, open_database, set_meta

log = logging.getLogger("kiosk.overrides")

PRINTER_ENCODING_KEY = "override.devices.printer.encoding"


def save_printer_encoding(db: sqlite_utils.Database, encoding: str) -> None:
    if encoding not in ENCODINGS:
        raise ValueError(f"unknown printer encoding {encoding!r}; expected one of {ENCODINGS}")
    set_meta(db, PRINTER_ENCODING_KEY, encoding)
    log.info("printer encoding set to %s", encoding,
             extra={"event": "admin.printer_encoding", "encoding": encoding})


def overrides(db: sqlite_utils.Database) -> dict[str, str]:
    """The overrides in force, as dotted config keys."""
    out = {}
    encoding = get_meta(db, PRINTER_ENCODING_KEY)
    if encoding in ENCODINGS:
        out["devices.printer.encoding"] = encoding
    return out


def apply_overrides(config: Config, db: sqlite_utils.Database) -> Config:
    """The configuration with the terminal's local overrides applied."""
    found = overrides(db)
    if "devices.printer.encoding" not in found:
        return config
    printer: PrinterConfig = dataclasses.replace(
        config.devices.printer, encoding=found["devices.printer.encoding"]
    )
    devices = dataclasses.replace(config.devices, printer=printer)
    return dataclasses.replace(config, devices=devices)


def effective_config(config: Config) -> Config:
    """The configuration with this terminal's overrides applied (opens the kiosk database)."""
    db = open_database(config.data_path / DB_FILE)
    try:
        return apply_overrides(config, db)
    finally:
        db.conn.close()
