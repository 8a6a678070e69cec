"""Catalogue entries for devices: code -> (zh, en) templates (see :mod:`kiosk.messages`).

Drivers emit :class:`~drivers.problem.Problem` codes under ``printer.``,
``scanner.``, ``idcard.`` and ``camera.``; the words live here.
"""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "printer.paper_out": ("打印机缺纸", "The printer is out of paper"),
    "printer.cover_open": ("打印机盖未关好", "The printer cover is open"),
    "printer.offline": ("打印机未连接", "The printer is not connected"),
    "printer.unknown": ("打印机无响应", "The printer does not answer"),
    "printer.disabled": ("本终端未配置打印机", "This kiosk has no printer"),
    "printer.fault": ("打印机故障", "The printer has a fault"),
}
