"""Composition-root wiring: local overrides reach the devices, downloads are served."""

from __future__ import annotations

import dataclasses
import socket
import urllib.request
from pathlib import Path

from app.core import serve_downloads
from kiosk.config import config_from_dict
from kiosk.overrides import effective_config, save_printer_encoding
from kiosk.platform.factory import build_sandbox
from kiosk.storage import DB_FILE, open_database
from tests.helpers.invoices import sample_request


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_effective_config_applies_the_technicians_encoding(tmp_path: Path) -> None:
    config = config_from_dict({"storage": {"data_dir": str(tmp_path)}})
    assert effective_config(config).devices.printer.encoding == "GB18030"
    db = open_database(config.data_path / DB_FILE)
    save_printer_encoding(db, "UTF-8")
    db.conn.close()
    assert effective_config(config).devices.printer.encoding == "UTF-8"


def test_sandbox_downloads_are_served_at_the_configured_url(tmp_path: Path) -> None:
    port = free_port()
    config = config_from_dict({"storage": {"data_dir": str(tmp_path)},
                               "platform": {"download_base_url": f"http://127.0.0.1:{port}"}})
    sandbox = build_sandbox(config)
    stop = serve_downloads(config, sandbox)
    assert stop is not None
    try:
        invoice = sandbox.issue(sample_request())
        assert invoice.download_url.startswith(f"http://127.0.0.1:{port}/i/")
        with urllib.request.urlopen(invoice.download_url + ".pdf", timeout=30) as resp:
            assert resp.read(5) == b"%PDF-"
        # A second kiosk on the same address does not crash: it logs and serves nothing.
        assert serve_downloads(config, sandbox) is None
    finally:
        stop()
        sandbox.close()


def test_downloads_can_be_switched_off(tmp_path: Path) -> None:
    config = config_from_dict({"storage": {"data_dir": str(tmp_path)},
                               "platform": {"sandbox": {"serve_downloads": False}}})
    sandbox = build_sandbox(config)
    try:
        assert serve_downloads(config, sandbox) is None
        remote = dataclasses.replace(config, platform=dataclasses.replace(
            config.platform, backend="remote"))
        assert serve_downloads(remote, object()) is None  # type: ignore[arg-type]
    finally:
        sandbox.close()


def test_headless_receipts_use_the_calibrated_encoding(tmp_path: Path) -> None:
    from drivers.printer.ops import Text
    from kiosk.commands.issue import printer_bytes

    config = config_from_dict({})
    ops = [Text("发票")]
    assert "发票".encode("gb18030") in printer_bytes(config, ops)
    db = open_database(config.data_path / DB_FILE)
    save_printer_encoding(db, "UTF-8")
    db.conn.close()
    assert "发票".encode() in printer_bytes(config, ops)


def test_mail_not_sent_carries_a_catalogued_problem() -> None:
    from app.core import MailNotSent
    from kiosk.messages import CATALOGUE

    err = MailNotSent()
    assert err.problem.code == "mail.not_sent" and err.problem.code in CATALOGUE
    assert err.message_zh.startswith("邮件暂未发出") and "retries later" in err.message_en
