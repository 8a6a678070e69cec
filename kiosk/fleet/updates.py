"""Remote updates from the JetStream key-value store: validated, applied atomically, reported.

Keys of the updates bucket (``fleet.updates_bucket``); ``<name>`` is for every
kiosk, ``<name>.<kiosk_id>`` for one kiosk and wins over the fleet-wide one:

* ``catalogue``      ``{"items": [{code, name, short_name, tax_code, unit, spec, unit_price, rate, rate_mark}]}``
* ``tax_rates``      ``{"rates": [{rate, mark, label, use_zh, use_en}]}``
* ``tax_codes``      ``{"codes": [{code, short_name}]}``
* ``announcements``  ``{"items": [{id, zh, en, from, until}]}``
* ``hours``          ``{"weekly": {"mon": ["08:30-17:00"], ...}, "closed": [{from, until, reason, reason_en}]}``
* ``config``         configuration overrides as TOML text, checked with the SAME
  schema as kiosk.toml (:func:`kiosk.config.config_from_dict`) merged over the
  kiosk's own file; ``[fleet]`` and ``[storage]`` cannot be overridden remotely
  (a bad push must not cut a kiosk off).

A value is checked first; a good one is written as ``<data>/fleet/<name>.json``
(temporary file, fsync, rename: atomic) and the listeners are told; a bad one
changes nothing (the last good version stays) and the exact error is reported.
Either way the outcome goes back to the back office as an ``update_result``
record through the fleet outbox, so it survives being offline too.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from kiosk.catalogue import CatalogueItem, validate_item
from kiosk.config import ConfigError, config_from_dict
from kiosk.rules.fields import is_valid_tax_code
from kiosk.rules.tax import RATE_MARKS

log = logging.getLogger("kiosk.fleet.updates")

NAMES = ("catalogue", "tax_rates", "tax_codes", "announcements", "hours", "config")
LOCKED_SECTIONS = ("fleet", "storage")
_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_SPAN = re.compile(r"^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-4]):[0-5]\d$")


class UpdateError(ValueError):
    """An update is not valid; ``str(err)`` is the exact reason reported back."""


def _dec(value: Any, what: str) -> Decimal:
    try:
        d = Decimal(str(value))
    except InvalidOperation:
        raise UpdateError(f"{what}: {value!r} is not a decimal") from None
    if not d.is_finite():
        raise UpdateError(f"{what}: {value!r} is not a decimal")
    return d


def _list(value: Any, key: str, name: str) -> list[dict[str, Any]]:
    if not isinstance(value, dict) or not isinstance(value.get(key), list):
        raise UpdateError(f"{name}: expected an object with a list '{key}'")
    items: list[dict[str, Any]] = value[key]
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            raise UpdateError(f"{name}: {key}[{i}] is not an object")
    return items


def _check_tax_rates(value: Any) -> None:
    for i, r in enumerate(_list(value, "rates", "tax_rates")):
        rate = _dec(r.get("rate"), f"tax_rates: rates[{i}].rate")
        if not Decimal(0) <= rate < Decimal(1):
            raise UpdateError(f"tax_rates: rates[{i}].rate {rate} is not from 0 to below 1")
        mark = r.get("mark", "")
        if mark not in ("", *RATE_MARKS):
            raise UpdateError(f"tax_rates: rates[{i}].mark {mark!r} is not one of {RATE_MARKS}")
        for key in ("label", "use_zh", "use_en"):
            if not isinstance(r.get(key), str) or not r[key].strip():
                raise UpdateError(f"tax_rates: rates[{i}].{key} is required")


def _check_catalogue(value: Any, extra_rates: set[tuple[Decimal, str]]) -> None:
    items = _list(value, "items", "catalogue")
    codes: set[str] = set()
    for i, it in enumerate(items):
        try:
            item = CatalogueItem(
                code=str(it["code"]), name=str(it["name"]), short_name=str(it["short_name"]),
                tax_code=str(it["tax_code"]), unit=str(it.get("unit", "")),
                spec=str(it.get("spec", "")),
                unit_price=_dec(it.get("unit_price", "0"), f"catalogue: items[{i}].unit_price"),
                rate=_dec(it["rate"], f"catalogue: items[{i}].rate"),
                rate_mark=str(it.get("rate_mark", "")))
        except KeyError as err:
            raise UpdateError(f"catalogue: items[{i}] lacks {err.args[0]!r}") from None
        try:
            validate_item(item)
        except ValueError as err:
            # a rate the pushed tax_rates table adds is known too
            if not (str(err).startswith("unknown rate")
                    and (item.rate, item.rate_mark) in extra_rates):
                raise UpdateError(f"catalogue: items[{i}] ({item.code}): {err}") from None
        if item.code in codes:
            raise UpdateError(f"catalogue: item code {item.code!r} appears twice")
        codes.add(item.code)


def _check_tax_codes(value: Any) -> None:
    for i, c in enumerate(_list(value, "codes", "tax_codes")):
        if not is_valid_tax_code(str(c.get("code", ""))):
            raise UpdateError(f"tax_codes: codes[{i}].code {c.get('code')!r} is not 19 digits "
                              "starting 1-6")
        if not str(c.get("short_name", "")).strip():
            raise UpdateError(f"tax_codes: codes[{i}].short_name is required")


def _when(value: Any, what: str) -> dt.datetime:
    try:
        return dt.datetime.fromisoformat(str(value))
    except ValueError:
        raise UpdateError(f"{what}: {value!r} is not an ISO date-time") from None


def _check_announcements(value: Any) -> None:
    for i, a in enumerate(_list(value, "items", "announcements")):
        if not str(a.get("id", "")).strip() or not str(a.get("zh", "")).strip():
            raise UpdateError(f"announcements: items[{i}] needs an id and Chinese text (zh)")
        if "from" in a and "until" in a and _when(a["from"], f"announcements: items[{i}].from") \
                >= _when(a["until"], f"announcements: items[{i}].until"):
            raise UpdateError(f"announcements: items[{i}] ends before it starts")


def _check_hours(value: Any) -> None:
    if not isinstance(value, dict) or not isinstance(value.get("weekly", {}), dict):
        raise UpdateError("hours: expected an object with 'weekly' and 'closed'")
    for day, spans in value.get("weekly", {}).items():
        if day not in _DAYS:
            raise UpdateError(f"hours: weekly.{day} is not one of {', '.join(_DAYS)}")
        if not isinstance(spans, list) or not all(isinstance(s, str) and _SPAN.match(s)
                                                  for s in spans):
            raise UpdateError(f"hours: weekly.{day} must be a list like [\"08:30-17:00\"]")
        for span in spans:
            start, end = span.split("-")
            if start >= end:
                raise UpdateError(f"hours: weekly.{day} span {span} ends before it starts")
    for i, c in enumerate(_list({"closed": value.get("closed", [])}, "closed", "hours")):
        if _when(c.get("from"), f"hours: closed[{i}].from") >= \
                _when(c.get("until"), f"hours: closed[{i}].until"):
            raise UpdateError(f"hours: closed[{i}] ends before it starts")


def merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merge(out[key], value)
        else:
            out[key] = value
    return out


def check_config_override(text: str, base: dict[str, Any]) -> dict[str, Any]:
    """Parse TOML overrides and check them merged over ``base``; returns the overrides."""
    try:
        over = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise UpdateError(f"config: TOML syntax error: {err}") from None
    locked = [s for s in LOCKED_SECTIONS if s in over]
    if locked:
        raise UpdateError(f"config: [{locked[0]}] cannot be changed remotely")
    try:
        config_from_dict(merge(base, over), source="config (remote update)")
    except ConfigError as err:
        raise UpdateError(str(err)) from None
    return over


def parse(name: str, raw: bytes, base_config: dict[str, Any],
          extra_rates: set[tuple[Decimal, str]] | None = None) -> Any:
    """Decode and check one update's value; raises :class:`UpdateError` with the reason."""
    if name not in NAMES:
        raise UpdateError(f"unknown update {name!r} (known: {', '.join(NAMES)})")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise UpdateError(f"{name}: not UTF-8 text") from None
    if name == "config":
        return check_config_override(text, base_config)
    try:
        value = json.loads(text)
    except json.JSONDecodeError as err:
        raise UpdateError(f"{name}: not JSON: {err}") from None
    if name == "catalogue":
        _check_catalogue(value, extra_rates or set())
    elif name == "tax_rates":
        _check_tax_rates(value)
    elif name == "tax_codes":
        _check_tax_codes(value)
    elif name == "announcements":
        _check_announcements(value)
    elif name == "hours":
        _check_hours(value)
    return value


@dataclass(frozen=True)
class Outcome:
    key: str
    revision: int
    ok: bool
    error: str = ""

    def to_record(self) -> dict[str, Any]:
        return {"key": self.key, "revision": self.revision, "ok": self.ok, "error": self.error}


Listener = Callable[[str, Any], None]


class UpdateStore:
    """The last good version of each update, kept in ``<data>/fleet``; applies new ones."""

    def __init__(self, folder: Path, kiosk_id: str, base_config: dict[str, Any]) -> None:
        self.folder = folder
        self.kiosk_id = kiosk_id
        self.base_config = base_config
        self.listeners: list[Listener] = []
        folder.mkdir(parents=True, exist_ok=True)

    def name_of(self, key: str) -> str | None:
        """The update a bucket key means for this kiosk, or None if it is another kiosk's."""
        name, _, target = key.partition(".")
        if target and target != self.kiosk_id:
            return None
        return name

    def _file(self, name: str) -> Path:
        return self.folder / f"{name}.json"

    def current(self, name: str) -> Any:
        """The last good value of an update, or None (built-in defaults apply)."""
        doc = self._doc(name)
        return None if doc is None else doc["value"]

    def _doc(self, name: str) -> dict[str, Any] | None:
        try:
            doc = json.loads(self._file(name).read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        return doc if isinstance(doc, dict) else None

    def _seen(self) -> dict[str, int]:
        try:
            seen = json.loads((self.folder / "seen.json").read_text(encoding="utf-8"))
        except (FileNotFoundError, json.JSONDecodeError):
            return {}
        return {str(k): int(v) for k, v in seen.items()} if isinstance(seen, dict) else {}

    def _mark_seen(self, key: str, revision: int) -> None:
        """Remember the newest revision looked at, good or bad: a restart reports it once."""
        seen = self._seen()
        seen[key] = revision
        self._write("seen", seen)

    def _extra_rates(self) -> set[tuple[Decimal, str]]:
        table = self.current("tax_rates") or {"rates": []}
        return {(Decimal(str(r["rate"])), str(r.get("mark", ""))) for r in table["rates"]}

    def apply(self, key: str, revision: int, raw: bytes | None) -> Outcome | None:
        """Check and apply one bucket entry (``raw`` None: deleted); None if not ours/old."""
        name = self.name_of(key)
        if name is None or self._seen().get(key, 0) >= revision:
            return None
        self._mark_seen(key, revision)
        doc = self._doc(name)
        if doc is not None and int(doc.get("revision", 0)) >= revision and \
                (doc.get("key") == key or "." not in key):
            return None  # already applied (a restart re-reads the bucket)
        if doc is not None and doc.get("key", "").count(".") > key.count("."):
            return None  # a kiosk-specific version wins over a fleet-wide one
        if raw is None:
            self._file(name).unlink(missing_ok=True)
            self._notify(name, None)
            return Outcome(key, revision, True)
        try:
            value = parse(name, raw, self.base_config, self._extra_rates())
        except UpdateError as err:
            log.warning("remote update %s rev %d rejected: %s", key, revision, err,
                        extra={"event": "fleet.update_rejected", "key": key, "error": str(err)})
            return Outcome(key, revision, False, str(err))
        self._write(name, {"key": key, "revision": revision, "value": value,
                           "applied_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds")})
        log.info("remote update %s rev %d applied", key, revision,
                 extra={"event": "fleet.update_applied", "key": key, "revision": revision})
        self._notify(name, value)
        return Outcome(key, revision, True)

    def _write(self, name: str, doc: dict[str, Any]) -> None:
        tmp = self._file(name).with_suffix(".tmp")
        with open(tmp, "w", encoding="utf-8") as f:
            json.dump(doc, f, ensure_ascii=False)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, self._file(name))
        dir_fd = os.open(self.folder, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)

    def _notify(self, name: str, value: Any) -> None:
        for listener in self.listeners:
            try:
                listener(name, value)
            except Exception:  # one broken listener must not stop the others
                log.exception("update listener failed", extra={"event": "fleet.listener_failed"})

    def effective_config_data(self) -> dict[str, Any]:
        """The kiosk.toml data with the last good remote ``config`` override merged in."""
        over = self.current("config")
        return merge(self.base_config, over) if isinstance(over, dict) else self.base_config
