"""Device URLs: a device's transport chosen by scheme, as pyserial's URL handlers are.

``serial:/dev/kiosk-printer`` (anything after ``serial:`` is a pyserial URL or
path, passed as is: ``serial:socket://host:4000``, ``serial:spy:///dev/ttyUSB0``),
``usb:04b8:0202``, ``tcp:192.168.1.50:9100``, ``emulated:`` (an emulator that
speaks the real protocol; faults as options, ``emulated:?paper=near_end&slow_s=0.5``),
``wedge:`` (a USB keyboard-wedge scanner), ``opencv:0`` (a camera source) and
``none:`` (turned off).

The config schema is kept: ``kiosk.toml``'s ``backend`` plus its settings
(``url``, ``host``/``port``, ``usb_vendor_id``/``usb_product_id``, ``source``)
are mapped onto a URL by :func:`url_for`; with backend ``emulated`` a ``url``
setting carries the emulator's faults (``url = "emulated:?paper=near_end"``).
:class:`drivers.manager.DeviceManager` opens each device through its table of
scheme handlers (:class:`Handlers`), where the emulators register too.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar
from urllib.parse import parse_qsl, urlencode

SCHEMES = ("serial", "usb", "tcp", "emulated", "wedge", "opencv", "none")

# kiosk.toml backend -> scheme (the ones not listed are their own scheme)
_BACKEND_SCHEMES = {"network": "tcp"}


class UrlError(ValueError):
    """A device URL or setting that names no transport."""


@dataclass(frozen=True)
class DeviceUrl:
    scheme: str
    target: str = ""
    options: tuple[tuple[str, str], ...] = ()

    @classmethod
    def parse(cls, text: str) -> DeviceUrl:
        scheme, colon, rest = text.partition(":")
        if not colon or scheme not in SCHEMES:
            raise UrlError(f"device URL {text!r} has no known scheme "
                           f"(expected one of {', '.join(s + ':' for s in SCHEMES)})")
        if scheme == "serial":  # a pyserial URL keeps its own "?" options
            return cls(scheme, rest)
        target, _, query = rest.partition("?")
        return cls(scheme, target, tuple(parse_qsl(query, keep_blank_values=True)))

    @property
    def params(self) -> Mapping[str, str]:
        return dict(self.options)

    def option(self, name: str, default: str = "") -> str:
        return self.params.get(name, default)

    def __str__(self) -> str:
        query = f"?{urlencode(self.options)}" if self.options else ""
        return f"{self.scheme}:{self.target}{query}"


class DeviceSettings(Protocol):
    """What every device section of kiosk.toml has (backend); others are read if present."""

    @property
    def backend(self) -> str: ...


def url_for(settings: DeviceSettings) -> DeviceUrl:
    """The URL today's ``backend`` + settings stand for (the config schema is unchanged)."""
    backend = settings.backend
    scheme = _BACKEND_SCHEMES.get(backend, backend)
    if scheme not in SCHEMES:
        raise UrlError(f"unknown backend {backend!r}")
    url = str(getattr(settings, "url", "") or "")
    if scheme == "serial":
        return DeviceUrl("serial", url)
    if scheme == "usb":
        vendor, product = int(getattr(settings, "usb_vendor_id", 0)), int(
            getattr(settings, "usb_product_id", 0))
        return DeviceUrl("usb", f"{vendor:04x}:{product:04x}")
    if scheme == "tcp":
        return DeviceUrl("tcp", f"{getattr(settings, 'host', '')}:{getattr(settings, 'port', 9100)}")
    if scheme == "opencv":
        return DeviceUrl("opencv", str(getattr(settings, "source", "0")))
    if scheme == "emulated" and url:  # the emulator's faults, from the url setting
        given = DeviceUrl.parse(url if url.startswith("emulated:") else "emulated:?" + url.lstrip("?"))
        return DeviceUrl("emulated", "", given.options)
    return DeviceUrl(scheme)


def split_host_port(target: str, default_port: int) -> tuple[str, int]:
    host, _, port = target.rpartition(":") if ":" in target else (target, "", "")
    try:
        return host, int(port) if port else default_port
    except ValueError:
        raise UrlError(f"bad port in {target!r}") from None


def split_usb_ids(target: str) -> tuple[int, int]:
    vendor, _, product = target.partition(":")
    try:
        return int(vendor, 16), int(product, 16)
    except ValueError:
        raise UrlError(f"usb: expects vendor:product in hex, not {target!r}") from None


D = TypeVar("D")
S = TypeVar("S")


class Handlers(Generic[S, D]):
    """One kind of device's scheme -> handler table (pyserial's ``protocol_handler_packages``)."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self._table: dict[str, Callable[[DeviceUrl, S], D]] = {}

    def register(self, scheme: str, handler: Callable[[DeviceUrl, S], D]) -> None:
        if scheme not in SCHEMES:
            raise UrlError(f"unknown scheme {scheme!r}")
        self._table[scheme] = handler

    @property
    def schemes(self) -> tuple[str, ...]:
        return tuple(self._table)

    def open(self, url: DeviceUrl, settings: S) -> D:
        handler = self._table.get(url.scheme)
        if handler is None:
            raise UrlError(f"no {self.kind} transport for {url.scheme}: "
                           f"(this kiosk has {', '.join(s + ':' for s in self._table)})")
        return handler(url, settings)
