"""Catalogue entries for the flow area: code -> (zh, en) templates (see :mod:`kiosk.messages`)."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
}
