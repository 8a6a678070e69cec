"""Hardware drivers: printer, scanners, ID card reader, camera.

Knows nothing of invoices or Qt widgets. Each device is a small interface
with a real implementation and an emulated one speaking the same protocol.
"""
