"""Shared serial helpers: open any pyserial URL, and pseudo-terminal pairs.

Every serial driver opens its port through :func:`open_port`, so a setting
can name a real device (``/dev/ttyUSB0``), a pty made by an emulator or a
test, or any pyserial URL (``socket://``, ``spy://`` for a hex trace,
``loop://``).

Emulated serial devices live on a :class:`PtyPair`: the emulator keeps the
master side, the driver opens the slave path exactly like a real port. The
emulator also keeps the slave open so the line settings survive while no
driver has it open, and it can publish a stable symlink (like a udev rule's
``/dev/kiosk-scanner``) that follows the pty across an unplug/replug.
"""

from __future__ import annotations

import errno
import os
import select
import tempfile
import threading
import tty
from pathlib import Path

import serial


def open_port(url: str, baudrate: int, timeout: float | None = 0.1,
              write_timeout: float | None = 1.0) -> serial.SerialBase:
    """Open ``url`` (a device path, a pty path or a pyserial URL), 8N1.

    Raises :class:`serial.SerialException` (also for a missing device).
    """
    try:
        return serial.serial_for_url(
            url, baudrate=baudrate, bytesize=serial.EIGHTBITS, parity=serial.PARITY_NONE,
            stopbits=serial.STOPBITS_ONE, timeout=timeout, write_timeout=write_timeout,
        )
    except (OSError, ValueError) as err:  # pyserial lets some of these through
        raise serial.SerialException(f"cannot open {url}: {err}") from err


class PtyPair:
    """A pseudo-terminal in raw mode: ``master_fd`` for the emulator, ``port_name`` for a driver.

    ``link`` (optional) is a symlink kept pointing at the current slave path.
    """

    def __init__(self, link: Path | None = None) -> None:
        self.master_fd, self._slave_fd = os.openpty()
        # Raw mode on the slave: no echo, no CR/LF translation, 8-bit clean.
        tty.setraw(self._slave_fd)
        tty.setraw(self.master_fd)
        self.port_name = os.ttyname(self._slave_fd)
        self.link = link
        self._closed = False
        self._write_lock = threading.Lock()
        if link is not None:
            _replace_symlink(link, self.port_name)

    @property
    def closed(self) -> bool:
        return self._closed

    def write(self, data: bytes) -> None:
        """Write every byte to the master side (the driver reads it from the slave)."""
        with self._write_lock:
            view = memoryview(data)
            while view:
                if self._closed:
                    raise OSError(errno.EBADF, "pty closed")
                _, writable, _ = select.select([], [self.master_fd], [], 0.5)
                if not writable:
                    continue
                n = os.write(self.master_fd, view)
                view = view[n:]

    def read(self, timeout: float) -> bytes:
        """Bytes the driver wrote (b"" when nothing came within ``timeout``)."""
        if self._closed:
            return b""
        try:
            readable, _, _ = select.select([self.master_fd], [], [], timeout)
            if not readable:
                return b""
            return os.read(self.master_fd, 4096)
        except OSError as err:
            if err.errno in (errno.EIO, errno.EBADF, errno.EINTR):
                return b""
            raise

    def close(self) -> None:
        """Close both sides: to a driver with the port open this is an unplug."""
        if self._closed:
            return
        self._closed = True
        if self.link is not None:
            try:
                if os.readlink(self.link) == self.port_name:
                    self.link.unlink()
            except OSError:
                pass
        for fd in (self.master_fd, self._slave_fd):
            try:
                os.close(fd)
            except OSError:
                pass


def _replace_symlink(link: Path, target: str) -> None:
    tmp = link.with_name(f".{link.name}.{os.getpid()}.tmp")
    try:
        tmp.unlink()
    except FileNotFoundError:
        pass
    os.symlink(target, tmp)
    os.replace(tmp, link)  # atomic: a driver never sees a half-made link


def emulator_dir() -> Path:
    """A private folder for the emulators' stable device links."""
    return Path(tempfile.mkdtemp(prefix="kiosk-devices-"))
