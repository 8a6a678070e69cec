"""USB link to a printer through python-escpos's ``Usb`` (pyusb).

Opening, kernel-driver detach and configuration are left to ``escpos.printer.Usb``;
reads go to the device with a per-call timeout because ``Usb._read`` uses the
device's default. Needs a libusb backend (Debian ``libusb-1.0-0``) and access to
the device node (a udev rule on the terminal).
"""

from __future__ import annotations

from typing import Any

from drivers.printer.transport import TransportError, TransportTimeout


class UsbTransport:
    def __init__(self, vendor_id: int, product_id: int, write_timeout: float = 10.0,
                 in_ep: int = 0x82, out_ep: int = 0x01) -> None:
        if not vendor_id or not product_id:
            raise ValueError("USB printer needs usb_vendor_id and usb_product_id")
        self.vendor_id = vendor_id
        self.product_id = product_id
        self.name = f"usb {vendor_id:04x}:{product_id:04x}"
        self.write_timeout = write_timeout
        self.in_ep = in_ep
        self.out_ep = out_ep
        self._printer: Any = None

    def open(self) -> None:
        if self._printer is not None:
            return
        from escpos.printer import Usb

        printer = Usb(self.vendor_id, self.product_id, timeout=int(self.write_timeout * 1000),
                      in_ep=self.in_ep, out_ep=self.out_ep)
        try:
            printer.open()
        except Exception as err:  # DeviceNotFoundError, NoBackendError, USBError, ...
            raise TransportError(f"cannot open printer {self.name}: {err}") from err
        if not printer.device:
            raise TransportError(f"cannot open printer {self.name}: not found")
        self._printer = printer

    def write(self, data: bytes) -> None:
        self.open()
        import usb.core

        try:
            self._printer.device.write(self.out_ep, data, int(self.write_timeout * 1000))
        except usb.core.USBTimeoutError as err:
            raise TransportTimeout(f"printer {self.name} did not take the data in time") from err
        except usb.core.USBError as err:
            self.close()
            raise TransportError(f"printer {self.name} failed: {err}") from err

    def read(self, size: int, timeout: float) -> bytes:
        self.open()
        import usb.core

        try:
            return bytes(self._printer.device.read(self.in_ep, size, max(1, int(timeout * 1000))))
        except usb.core.USBTimeoutError:
            return b""
        except usb.core.USBError as err:
            self.close()
            raise TransportError(f"printer {self.name} failed: {err}") from err

    def discard_input(self) -> None:
        while self.read(64, 0.001):
            pass

    def close(self) -> None:
        printer, self._printer = self._printer, None
        if printer is not None:
            try:
                printer.close()
            except Exception:  # releasing a vanished device must not raise
                pass
