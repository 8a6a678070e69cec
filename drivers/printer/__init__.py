"""Thermal receipt printer: ESC/POS rendering, transports, status, emulation."""
