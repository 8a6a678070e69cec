"""QR/barcode scanners: serial (line-based) and USB keyboard wedge.

Both offer the :class:`drivers.contract.Scanning` contract: ``on_code``,
``on_error``, ``start``, ``stop`` and a ``publisher`` of status events. The
wedge's Qt event filter is UI glue and lives in ``ui/wedge.py``; its pure
timing rule is :class:`WedgeDetector` here.
"""

from drivers.scanner.emulated import EmulatedScanner
from drivers.scanner.framing import LineFramer, Rejected
from drivers.scanner.serial_scanner import SerialScanner
from drivers.scanner.wedge import WedgeDetector, WedgeOutput

__all__ = [
    "EmulatedScanner", "LineFramer", "Rejected", "SerialScanner", "WedgeDetector", "WedgeOutput",
]
