"""Catalogue entries for the cli area: code -> (zh, en) templates (see :mod:`kiosk.messages`)."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "cli.json_too_deep": ("{path}：JSON 嵌套过深", "{path}: the JSON is nested too deeply"),
    "config.demo_secrets": (
        "配置 {file} 不是演示终端（[kiosk] demo = false），却仍含公开的演示密钥：{keys}。"
        "请技术人员更换这些密钥",
        "{file} is not a demo kiosk ([kiosk] demo = false) but still holds the public demo "
        "secrets {keys}; a technician must replace them"),
    "cli.config_ok": ("{file}：正确（数据目录 {data}）", "{file}: OK (data directory {data})"),
    "cli.config_ok_demo": (
        "{file}：正确（数据目录 {data}）；演示终端：允许公开的演示密钥 {keys}",
        "{file}: OK (data directory {data}); a demo kiosk: the public demo secrets {keys} "
        "are allowed"),
}
