"""Reusable kiosk widgets (QR image, tables; keypad and keyboard live beside them)."""
