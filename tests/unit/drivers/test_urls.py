"""Device URLs: today's backend + settings mapped onto a scheme, and handlers chosen by it."""

from __future__ import annotations

from typing import Any

import pytest

from drivers.base import DeviceStatus
from drivers.printer.emulated import EmulatedPrinter
from drivers.printer.factory import DisabledPrinter, build_printer, printer_handlers
from drivers.urls import DeviceUrl, Handlers, UrlError, split_host_port, split_usb_ids, url_for
from kiosk.config import config_from_dict


def section(name: str, **values: Any) -> Any:
    return getattr(config_from_dict({"devices": {name: values}}).devices, name)


@pytest.mark.parametrize(
    ("name", "values", "url"),
    [
        ("printer", {"backend": "serial", "url": "/dev/kiosk-printer"}, "serial:/dev/kiosk-printer"),
        ("printer", {"backend": "serial", "url": "spy:///dev/ttyUSB0?file=t.txt"},
         "serial:spy:///dev/ttyUSB0?file=t.txt"),
        ("printer", {"backend": "usb", "usb_vendor_id": 0x04B8, "usb_product_id": 0x0202},
         "usb:04b8:0202"),
        ("printer", {"backend": "network", "host": "10.0.0.5", "port": 9100}, "tcp:10.0.0.5:9100"),
        ("printer", {"backend": "emulated"}, "emulated:"),
        ("printer", {"backend": "emulated", "url": "paper=near_end&slow_s=0.5"},
         "emulated:?paper=near_end&slow_s=0.5"),
        ("printer", {"backend": "none"}, "none:"),
        ("scanner", {"backend": "wedge"}, "wedge:"),
        ("scanner", {"backend": "serial", "url": "socket://127.0.0.1:7000"},
         "serial:socket://127.0.0.1:7000"),
        ("idcard", {"backend": "emulated", "url": "emulated:?delay_s=0.1"}, "emulated:?delay_s=0.1"),
        ("camera", {"backend": "opencv", "source": "0"}, "opencv:0"),
    ],
)
def test_backend_and_settings_map_onto_one_url(name: str, values: dict[str, Any], url: str) -> None:
    got = url_for(section(name, **values))
    assert str(got) == url
    assert DeviceUrl.parse(url) == got  # and back


def test_serial_urls_keep_their_own_query() -> None:
    url = DeviceUrl.parse("serial:spy:///dev/ttyUSB0?file=trace.txt")
    assert url.target == "spy:///dev/ttyUSB0?file=trace.txt" and url.options == ()


def test_unknown_schemes_and_bad_targets_are_refused() -> None:
    with pytest.raises(UrlError, match="no known scheme"):
        DeviceUrl.parse("lpt:1")
    with pytest.raises(UrlError, match="hex"):
        split_usb_ids("epson")
    with pytest.raises(UrlError, match="bad port"):
        split_host_port("host:ninety", 9100)
    assert split_host_port("printer.local", 9100) == ("printer.local", 9100)
    handlers: Handlers[object, str] = Handlers("scanner")
    handlers.register("serial", lambda url, settings: "ok")
    with pytest.raises(UrlError, match="no scanner transport for usb:"):
        handlers.open(DeviceUrl("usb", "1:2"), object())


def test_the_emulated_printer_takes_its_faults_from_the_url_setting() -> None:
    printer = build_printer(section("printer", backend="emulated",
                                    url="emulated:?paper=near_end&cover_open=1"))
    assert isinstance(printer, EmulatedPrinter)
    assert printer.status().status is DeviceStatus.COVER_OPEN
    printer.set_cover_open(False)
    assert printer.status().status is DeviceStatus.PAPER_LOW
    with pytest.raises(UrlError, match="paper must be"):
        build_printer(section("printer", backend="emulated", url="paper=wet"))


def test_printer_handlers_cover_every_scheme_a_printer_can_have() -> None:
    assert set(printer_handlers().schemes) == {"serial", "usb", "tcp", "emulated", "none"}
    assert isinstance(build_printer(section("printer", backend="none")), DisabledPrinter)
