"""QR/barcode scanners: serial (line-based) and USB keyboard wedge.

Both offer the :class:`drivers.scanner.base.Scanner` interface: ``on_code``,
``on_error``, ``start``, ``stop`` and a ``publisher`` of status events. The
wedge backend lives in ``drivers.scanner.wedge_qt`` (imports Qt) and is not
imported here.
"""

from drivers.scanner.base import CodeCallback, ErrorCallback, Scanner
from drivers.scanner.emulated import EmulatedScanner
from drivers.scanner.framing import LineFramer, Rejected
from drivers.scanner.serial_scanner import SerialScanner
from drivers.scanner.wedge import WedgeDetector, WedgeOutput

__all__ = [
    "CodeCallback", "EmulatedScanner", "ErrorCallback", "LineFramer", "Rejected", "Scanner",
    "SerialScanner", "WedgeDetector", "WedgeOutput",
]
