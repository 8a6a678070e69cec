"""Catalogue entries for the cli area: code -> (zh, en) templates (see :mod:`kiosk.messages`)."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "cli.json_too_deep": ("{path}：JSON 嵌套过深", "{path}: the JSON is nested too deeply"),
}
