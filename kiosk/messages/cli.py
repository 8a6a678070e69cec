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
    "db.emptied": (
        "数据库 {path} 是空的（{detail}），终端拒绝使用它：请用 kiosk db restore 恢复备份",
        "the database {path} is empty ({detail}); the kiosk refuses to use it: restore a "
        "backup with kiosk db restore FILE"),
    "db.damaged": (
        "数据库 {path} 已损坏（{detail}），终端拒绝使用它：请用 kiosk db restore 恢复备份",
        "the database {path} is damaged ({detail}); the kiosk refuses to use it: restore a "
        "backup with kiosk db restore FILE"),
    "db.audit_broken": (
        "数据库 {path} 的审计链断裂（{detail}），终端拒绝使用它：请用 kiosk db restore 恢复备份",
        "the audit chain of {path} is broken ({detail}); the kiosk refuses to use it: restore "
        "a backup with kiosk db restore FILE"),
    "db.missing": ("没有数据库 {path}", "no database at {path}"),
    "storage.unusable": (
        "数据目录 {path} 无法使用：{reason}（只读或已满？）",
        "the data folder {path} cannot be used: {reason} (read-only or full?)"),
    "cli.db_ok": ("{path}：完好（{detail}）", "{path}: ok ({detail})"),
    "cli.db_backup_done": ("已备份到 {file}", "backed up to {file}"),
    "cli.db_backup_not_due": ("最近一天内已有备份，未再备份", "a backup from the last day exists: none made"),
    "cli.db_restored": ("已从 {file} 恢复；原数据库保留为 {kept}",
                        "restored from {file}; the database it replaced is kept as {kept}"),
    "cli.db_not_restored": ("未恢复：{reason}", "not restored: {reason}"),
}
