"""Second-generation ID card reader (SAM module over a serial port).

``SamReader`` is the driver, ``IdentityCard`` what it reads, ``IdCardDevice``
the app-facing worker, ``EmulatedSamReader`` (in ``drivers.idcard.emulated``)
the emulated module on a pty.
"""

from drivers.idcard.device import IdCardDevice
from drivers.idcard.identity import IdentityCard, TextBlockError, UnsupportedCardType
from drivers.idcard.reader import (
    SamCardTypeError,
    SamChecksumError,
    SamDataError,
    SamError,
    SamPortError,
    SamReader,
    SamStatusError,
)

__all__ = [
    "IdCardDevice", "IdentityCard", "SamCardTypeError", "SamChecksumError", "SamDataError",
    "SamError", "SamPortError", "SamReader", "SamStatusError", "TextBlockError",
    "UnsupportedCardType",
]
