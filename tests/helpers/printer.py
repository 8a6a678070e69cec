"""Printer test helpers: a config stand-in, a realistic receipt, a TCP printer emulator."""

from __future__ import annotations

import socket
import threading
from dataclasses import dataclass

from drivers.printer.emulator import PrinterEmulator
from drivers.printer.ops import Align, Cut, Feed, Op, Qr, Rule, Text

QR_URL = "https://inv.example.cn/q/24112000000135114086"


@dataclass(frozen=True)
class PrinterSettings:
    """Shaped like kiosk.config.PrinterConfig (drivers take any object with these fields)."""

    backend: str = "emulated"
    url: str = ""
    baudrate: int = 115200
    usb_vendor_id: int = 0
    usb_product_id: int = 0
    host: str = ""
    port: int = 9100
    encoding: str = "GB18030"
    paper_width_mm: int = 80
    status_timeout_s: float = 0.3
    qr_mode: str = "native"


def sample_receipt_ops(qr_data: str = QR_URL) -> list[Op]:
    """A courtesy receipt (开票凭条) like the kiosk prints: Chinese seller, lines, ￥ totals, QR."""
    return [
        Text("北京示例餐饮有限公司", align=Align.CENTER, bold=True, width=2, height=2),
        Text("开票凭条（非发票）", align=Align.CENTER),
        Rule(),
        Text("发票号码 24112000000135114086"),
        Text("开票日期 2026-11-29 10:15"),
        Text("购买方 个人"),
        Rule(),
        Text("*餐饮服务*餐费"),
        Text("  1 x 113.00            ¥113.00", align=Align.LEFT),
        Text("金额 100.00  税额 13.00", align=Align.RIGHT),
        Rule("="),
        Text("价税合计 ￥113.00", align=Align.RIGHT, bold=True, width=2, height=1),
        Text("壹佰壹拾叁圆整", align=Align.RIGHT),
        Feed(1),
        Qr(qr_data, size=6),
        Feed(1),
        Text("扫码获取电子发票", align=Align.CENTER),
        Cut(),
    ]


class TcpPrinterEmulator:
    """A raw-port (9100) network printer: a listening socket in front of a PrinterEmulator.

    One client at a time, like most receipt printers; stops by flag + join.
    """

    def __init__(self, emulator: PrinterEmulator | None = None) -> None:
        self.emulator = emulator or PrinterEmulator()
        self._server = socket.create_server(("127.0.0.1", 0))
        self._server.settimeout(0.05)
        self.host, self.port = self._server.getsockname()[:2]
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="tcp-printer", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._server.accept()
            except TimeoutError:
                continue
            with conn:
                conn.settimeout(0.05)
                while not self._stop.is_set():
                    try:
                        data = conn.recv(4096)
                    except TimeoutError:
                        continue
                    except OSError:
                        break
                    if not data:
                        break
                    answer = self.emulator.feed(data)
                    if answer:
                        conn.sendall(answer)

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        self._server.close()
