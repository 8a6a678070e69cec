"""Catalogue entries for devices: code -> (zh, en) templates (see :mod:`kiosk.messages`).

Drivers emit :class:`~drivers.problem.Problem` codes under ``printer.``,
``scanner.``, ``idcard.`` and ``camera.``; the words live here. A test checks
that every code a driver can emit has words (``tests/unit/kiosk/test_messages_devices.py``).
"""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    # printer
    "printer.paper_out": ("打印机缺纸", "The printer is out of paper"),
    "printer.paper_low": ("打印纸即将用完", "The printer paper is running low"),
    "printer.cover_open": ("打印机盖未关好", "The printer cover is open"),
    "printer.offline": ("打印机未连接", "The printer is not connected"),
    "printer.unknown": ("打印机无响应", "The printer does not answer"),
    "printer.bad_answer": ("打印机应答异常", "The printer gave an unexpected answer"),
    "printer.disabled": ("本终端未配置打印机", "This kiosk has no printer"),
    "printer.fault": ("打印机故障，请关机重启", "The printer has a fault; switch it off and on"),
    "printer.config_error": ("打印机配置错误", "The printer settings are wrong"),
    "printer.cut_short": ("凭条打印中途停止，装好纸并合上打印机盖后会接着打出",
                          "The receipt stopped half-way; the rest prints once paper is "
                          "loaded and the printer cover is closed"),
    "printer.silent_after_job": ("凭条已发送但打印机无应答，请检查凭条",
                                 "The printer stopped answering after the receipt; check it"),
    "printer.invoice_still_yours": ("发票已开具，请扫描二维码或发送到邮箱获取",
                                    "Your invoice is issued; scan the QR code or e-mail it"),
    # scanner
    "scanner.disabled": ("扫码器已停用", "The scanner is turned off"),
    "scanner.no_port": ("扫码器未配置端口", "No port is set for the scanner"),
    "scanner.config_error": ("扫码器配置错误", "The scanner settings are wrong"),
    "scanner.offline": ("扫码器未连接", "The scanner is not connected"),
    "scanner.lost": ("扫码器连接中断，正在重连", "The scanner was disconnected; reconnecting"),
    "scanner.needs_qt": ("键盘式扫码器需要图形界面", "A keyboard-wedge scanner needs the Qt application"),
    "scanner.too_long": ("扫码内容过长，已丢弃", "The scan was too long and was dropped"),
    "scanner.missing_prefix": ("扫码数据缺少前缀，已丢弃", "The scan lacked its prefix and was dropped"),
    "scanner.not_utf8": ("扫码内容不是 UTF-8 文本，已丢弃", "The scan was not UTF-8 text and was dropped"),
    "scanner.control_chars": ("扫码内容含控制字符，已丢弃",
                              "The scan held control characters and was dropped"),
    # ID card reader
    "idcard.disabled": ("身份证阅读器已停用", "The ID card reader is turned off"),
    "idcard.no_port": ("身份证阅读器未配置端口", "No port is set for the ID card reader"),
    "idcard.offline": ("身份证阅读器未连接", "The ID card reader is not connected"),
    "idcard.no_answer": ("身份证阅读器无应答，请检查连接",
                         "The ID card reader does not answer; check its cable"),
    "idcard.lost": ("身份证阅读器连接中断", "The ID card reader was disconnected"),
    "idcard.fault": ("身份证阅读器故障", "The ID card reader has a fault"),
    "idcard.program_error": ("身份证阅读器程序错误", "The ID card reader's driver failed"),
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
    # camera
    "camera.disabled": ("摄像头已停用", "The camera is turned off"),
    "camera.unavailable": ("摄像头不可用", "The camera is not available"),
    "camera.no_frames": ("摄像头没有画面", "The camera gives no picture"),
    "camera.program_error": ("摄像头程序错误", "The camera's driver failed"),
    "camera.decoder_unavailable": ("二维码识别组件不可用", "The QR code decoder is not available"),
}
