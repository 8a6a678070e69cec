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
    "idcard.read_failed": ("读卡失败，请重新放置身份证", "The card could not be read; place it again"),
    "idcard.status": ("身份证阅读器报告：{meaning}（状态 {status}）",
                      "The ID card reader reports: {meaning} (status {status})"),
    "idcard.checksum": ("身份证阅读器通信出错，请重新放置身份证",
                        "The ID card reader's line is garbled; place the card again"),
    "idcard.data_malformed": ("证件数据无法识别，请重新放置身份证",
                              "The card's data cannot be read; place it again"),
    "idcard.card_type_unsupported": ("本机暂不支持此类证件，请使用其他方式识别",
                                     "This card type is not supported here; please use "
                                     "another way to identify"),
    "idcard.port": ("身份证阅读器连接中断", "The ID card reader is disconnected"),
}
