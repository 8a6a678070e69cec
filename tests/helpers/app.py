"""Build the kiosk's core (and its GUI) for tests: real database, real sandbox platform,
real emulated printer behind its worker, demo orders; helpers to make order QR payloads.

``kiosk_core(tmp_path, runner=...)`` returns a :class:`CoreRig`; close it at the end
(the fixtures in the test modules do).
"""

from __future__ import annotations

import dataclasses
import json
import logging
from pathlib import Path
from typing import Any

from app.core import Core, build_core
from drivers.printer import PrinterWorker, build_printer
from kiosk.config import Config, config_from_dict
from kiosk.documents.renderer import DocumentRenderer
from kiosk.flow.ports import Runner
from kiosk.logs import setup_logging
from kiosk.model import Order
from kiosk.orderqr import make_order_qr

COMPANY = "厦门示例贸易有限公司"
COMPANY_TAX_ID = "91350200776049653A"  # a valid credit code (domain.md's worked example)


def make_config(data_dir: Path, **sections: dict[str, Any]) -> Config:
    raw: dict[str, Any] = {"storage": {"data_dir": str(data_dir)}}
    raw.update(sections)
    return config_from_dict(raw)


@dataclasses.dataclass
class CoreRig:
    core: Core
    printer: Any  # the EmulatedPrinter (fault controls, receipts)
    worker: PrinterWorker
    log_path: Path

    @property
    def session(self) -> Any:
        return self.core.session

    def orders(self) -> list[Order]:
        return sorted(self.core.orders.list(), key=lambda o: o.order_no)

    def qr(self, order: Order) -> str:
        return make_order_qr(order.order_no, order.total, self.core.config.orders.qr_secret)

    def events(self, prefix: str = "session.") -> list[dict[str, Any]]:
        for handler in logging.getLogger().handlers:
            handler.flush()
        lines = self.log_path.read_text(encoding="utf-8").splitlines()
        return [e for e in map(json.loads, lines) if e.get("event", "").startswith(prefix)]

    def close(self) -> None:
        self.worker.stop()
        self.core.close()


def kiosk_core(data_dir: Path, *, runner: Runner | None = None,
               renderer: DocumentRenderer | None = None, **sections: Any) -> CoreRig:
    config = make_config(data_dir, **sections)
    log_path = setup_logging(config.data_path, level="INFO", stderr=False)
    printer = build_printer(config.devices.printer)
    worker = PrinterWorker(printer).start()
    core = build_core(config, runner=runner, printer=worker, renderer=renderer)
    return CoreRig(core, printer, worker, log_path)


def make_unknown(rig: CoreRig) -> None:
    """The request was sent before a power cut and the platform is now silent: the issuing
    service must ask about it first, cannot, so the outcome is unknown."""
    import datetime as dt

    from kiosk.model import RequestStatus

    request = rig.session.review.build_request()
    outbox = rig.core.issuing.outbox
    now = dt.datetime.now(dt.UTC)
    outbox.record(request, now)
    outbox.set_status(request.request_id, RequestStatus.SENT, now, attempt=True)
    rig.core.gateway.faults.set(unavailable=True)


def kiosk_gui(qtbot: Any, data_dir: Path, *, keyboard: bool = False, lang: str = "zh_CN",
              large_text: bool = False, voice: bool = False, **sections: Any) -> Any:
    """The whole kiosk in this process: emulated devices (real ptys), the Qt runner, the
    main window (windowed, 1280x800). Close it with ``gui.close()``."""
    from PySide6.QtWidgets import QApplication

    from app.gui import build_gui
    from drivers.manager import DeviceManager

    config = make_config(data_dir, **sections)
    setup_logging(config.data_path, level="INFO", stderr=False)
    app = QApplication.instance()
    devices = DeviceManager(config.devices, printer_poll_s=None)
    # Documents render inline here (a child process per test costs seconds); the
    # end-to-end tests run `kiosk run`, which renders them in its child process.
    gui = build_gui(config, app, lang=lang, large_text=large_text, kiosk_mode=False,
                    devices=devices, keyboard=keyboard, documents_process=False, voice=voice)
    gui.window.resize(1280, 800)
    gui.window.show()  # gui.close() closes and deletes it
    return gui


def qr_for(gui: Any, index: int) -> str:
    orders = sorted(gui.core.orders.list(), key=lambda o: o.order_no)
    order = orders[index]
    return make_order_qr(order.order_no, order.total, gui.core.config.orders.qr_secret)
