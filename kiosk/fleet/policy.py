"""What an applied remote update changes in the running kiosk (issue 16).

:class:`kiosk.fleet.updates.UpdateStore` checks and keeps the last good version
of each update; :class:`FleetPolicy` is its listener and puts each one in force:

* ``catalogue``: the catalogue table is replaced in one transaction (the
  catalogue screen searches the new items at once);
* ``tax_rates``: the pushed table becomes the rate table in force
  (:func:`kiosk.rules.tax.set_rates_in_force`): order import, catalogue and the
  request check accept a new rate and refuse an abolished one;
* ``tax_codes``: the pushed codes become the table in force
  (:func:`kiosk.rules.fields.set_tax_codes_in_force`): a line's code must be in
  it, with the table's 简称;
* ``announcements``: shown on the attract screen while current;
* ``hours``: outside opening hours or in a closed window the kiosk shows the
  out-of-service screen with the reason and the time it opens, and comes back
  by itself; a person in the middle of a session is never cut off;
* ``config``: overrides are merged over ``kiosk.toml`` at start-up
  (:func:`in_force_at_start`, also for every command); a new one restarts the
  kiosk at the next quiet moment when systemd is there to start it again.

A deleted update brings back the built-in behaviour. Listeners run on the
publisher's thread; what the session sees is applied on the UI thread by
:meth:`FleetPolicy.apply_to` (the app calls it every few seconds).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from kiosk.catalogue import Catalogue, CatalogueItem
from kiosk.config import Config, ConfigError, config_from_dict
from kiosk.fleet.records import kiosk_id_or_host
from kiosk.fleet.updates import UpdateStore, merge
from kiosk.flow.states import Screen
from kiosk.messages import Text
from kiosk.rules.fields import set_tax_codes_in_force
from kiosk.rules.tax import TaxRate, set_rates_in_force

if TYPE_CHECKING:
    from kiosk.session import Session

log = logging.getLogger("kiosk.fleet.policy")

CHINA = dt.timezone(dt.timedelta(hours=8))  # opening hours are Beijing wall-clock time
_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def catalogue_items(value: dict[str, Any]) -> list[CatalogueItem]:
    """The items of a (checked) ``catalogue`` update."""
    return [CatalogueItem(
        code=str(it["code"]), name=str(it["name"]), short_name=str(it["short_name"]),
        tax_code=str(it["tax_code"]), unit=str(it.get("unit", "")), spec=str(it.get("spec", "")),
        unit_price=Decimal(str(it.get("unit_price", "0"))), rate=Decimal(str(it["rate"])),
        rate_mark=str(it.get("rate_mark", ""))) for it in value["items"]]


def rate_table(value: dict[str, Any]) -> tuple[TaxRate, ...]:
    return tuple(TaxRate(Decimal(str(r["rate"])), str(r.get("mark", "")), str(r["label"]),
                         str(r["use_zh"]), str(r["use_en"])) for r in value["rates"])


def _when(value: Any) -> dt.datetime:
    when = dt.datetime.fromisoformat(str(value))
    return when if when.tzinfo is not None else when.replace(tzinfo=CHINA)


@dataclass(frozen=True)
class Announcement:
    text: Text
    start: dt.datetime | None
    until: dt.datetime | None

    def current(self, now: dt.datetime) -> bool:
        return ((self.start is None or self.start <= now)
                and (self.until is None or now < self.until))


def announcements_of(value: dict[str, Any]) -> tuple[Announcement, ...]:
    return tuple(Announcement(
        Text(str(a["zh"]), str(a.get("en") or a["zh"])),
        _when(a["from"]) if "from" in a else None,
        _when(a["until"]) if "until" in a else None) for a in value["items"])


@dataclass(frozen=True)
class OpeningHours:
    """``weekly`` spans per weekday (a day not listed is open all day; an empty list is
    closed all day) and ``closed`` windows with their reason."""

    weekly: dict[str, tuple[tuple[dt.time, dt.time], ...]]
    closed: tuple[tuple[dt.datetime, dt.datetime, str, str], ...]  # from, until, zh, en

    @classmethod
    def of(cls, value: dict[str, Any]) -> OpeningHours:
        weekly = {}
        for day, spans in value.get("weekly", {}).items():
            weekly[day] = tuple((_hm(s.split("-")[0]), _hm(s.split("-")[1])) for s in spans)
        closed = tuple((_when(c["from"]), _when(c["until"]), str(c.get("reason", "")),
                        str(c.get("reason_en") or c.get("reason", "")))
                       for c in value.get("closed", []))
        return cls(weekly, closed)

    def closed_reason(self, now: dt.datetime) -> Text | None:
        """Why the kiosk is closed at ``now`` (with when it opens), or None when open."""
        now = now.astimezone(CHINA)
        for start, until, zh, en in self.closed:
            if start <= now < until:
                back = f"{until.astimezone(CHINA):%m-%d %H:%M}"
                return Text(f"{zh}，{back} 恢复服务。" if zh else f"{back} 恢复服务。",
                            f"{en}: open again {back}." if en else f"Open again {back}.")
        spans = self.weekly.get(_DAYS[now.weekday()])
        if spans is None:
            return None
        t = now.time()
        if any(start <= t < end for start, end in spans):
            return None
        opens = self._next_opening(now)
        if opens is None:
            return Text("不在服务时间。", "Outside opening hours.")
        return Text(f"不在服务时间。{opens:%m-%d %H:%M} 开始服务。",
                    f"Outside opening hours. Opens {opens:%m-%d %H:%M}.")

    def _next_opening(self, now: dt.datetime) -> dt.datetime | None:
        for ahead in range(8):
            day = (now + dt.timedelta(days=ahead)).date()
            spans = self.weekly.get(_DAYS[day.weekday()])
            starts = [dt.time(0)] if spans is None else [s for s, _ in spans]
            for start in sorted(starts):
                when = dt.datetime.combine(day, start, tzinfo=CHINA)
                if when > now:
                    return when
        return None


def _hm(text: str) -> dt.time:
    hours, minutes = text.split(":")
    return dt.time(23, 59, 59, 999999) if hours == "24" else dt.time(int(hours), int(minutes))


def config_with_overrides(config: Config) -> Config:
    """``config`` with the last good remote ``config`` override merged over its file (the
    override was checked with the same schema when it arrived; a file changed since then
    that no longer takes it keeps the file's values and says so)."""
    if not config.fleet.enabled:
        return config
    store = UpdateStore(config.data_path / "fleet", kiosk_id_or_host(config.fleet.kiosk_id), {})
    over = store.current("config")
    if not isinstance(over, dict) or not over:
        return config
    try:
        merged = config_from_dict(merge(config.as_data(), over), source=config.source,
                                  base_dir=config.base_dir)
    except ConfigError as err:
        log.error("remote configuration override not applied: %s", err, extra={
            "event": "fleet.override_refused", "error": str(err)})
        return config
    log.info("remote configuration override applied", extra={
        "event": "fleet.override_applied", "sections": sorted(over)})
    return dataclasses.replace(merged, data_path=config.data_path)


def in_force_at_start(config: Config) -> Config:
    """What every process of a fleet kiosk starts with (``kiosk run`` and each command):
    the stored configuration override merged in, the stored rate and tax-code tables in
    force (so ``kiosk orders import`` accepts what the running kiosk accepts)."""
    if not config.fleet.enabled:
        return config
    store = UpdateStore(config.data_path / "fleet", kiosk_id_or_host(config.fleet.kiosk_id), {})
    rates, codes = store.current("tax_rates"), store.current("tax_codes")
    try:
        if isinstance(rates, dict):
            set_rates_in_force(rate_table(rates))
        if isinstance(codes, dict):
            set_tax_codes_in_force(code_table(codes))
    except (KeyError, TypeError, ValueError, ArithmeticError) as err:
        log.error("stored tax tables not put in force: %s", err, extra={
            "event": "fleet.policy_failed"})
    return config_with_overrides(config)


def code_table(value: dict[str, Any]) -> dict[str, str]:
    return {str(c["code"]): str(c["short_name"]).strip().strip("*") for c in value["codes"]}


class FleetPolicy:
    """The applied updates in force in this kiosk. ``on_update`` is the update store's
    listener (any thread); ``apply_to`` brings the session up to date (UI thread)."""

    def __init__(self, catalogue: Catalogue, *,
                 clock: Callable[[], dt.datetime] = lambda: dt.datetime.now(CHINA),
                 restart: Callable[[], None] | None = None) -> None:
        self.catalogue = catalogue
        self.clock = clock
        self.restart = restart  # None: overrides apply at the next start only
        self._lock = threading.Lock()
        self._announcements: tuple[Announcement, ...] = ()
        self._hours: OpeningHours | None = None
        self._config_changed = False
        self._closed_by_hours = False

    # --- the update store's listener ----------------------------------------------------

    def on_update(self, name: str, value: Any) -> None:
        if name == "catalogue":
            if value is None:
                log.info("catalogue update deleted: the current catalogue stays",
                         extra={"event": "fleet.policy", "update": name})
                return
            items = catalogue_items(value)
            self.catalogue.replace_all(items)
        elif name == "tax_rates":
            set_rates_in_force(None if value is None else rate_table(value))
        elif name == "tax_codes":
            set_tax_codes_in_force(None if value is None else code_table(value))
        elif name == "announcements":
            with self._lock:
                self._announcements = () if value is None else announcements_of(value)
        elif name == "hours":
            with self._lock:
                self._hours = None if value is None else OpeningHours.of(value)
        elif name == "config":
            with self._lock:
                self._config_changed = True
        log.info("remote update %s in force", name, extra={
            "event": "fleet.policy", "update": name, "deleted": value is None})

    def replay(self, current: Callable[[str], Any], names: tuple[str, ...]) -> None:
        """Put the last good versions in force at start-up (before the first session)."""
        for name in names:
            value = current(name)
            if value is not None and name != "config":  # config was merged at start-up
                try:
                    self.on_update(name, value)
                except Exception:  # a stored version the code no longer takes: log, go on
                    log.exception("cannot put the stored %s update in force", name,
                                  extra={"event": "fleet.policy_failed", "update": name})

    # --- what the session shows (UI thread) ---------------------------------------------

    def announcements_now(self) -> tuple[Text, ...]:
        now = self.clock()
        with self._lock:
            return tuple(a.text for a in self._announcements if a.current(now))

    def closed_reason(self) -> Text | None:
        with self._lock:
            hours = self._hours
        return None if hours is None else hours.closed_reason(self.clock())

    def apply_to(self, session: Session) -> None:
        """Announcements, opening hours and a pending restart, at a quiet moment only:
        nobody is cut off mid-session."""
        session.set_announcements(self.announcements_now())
        screen = session.screen
        reason = self.closed_reason()
        if reason is not None and screen is Screen.ATTRACT:
            self._closed_by_hours = True
            log.info("closed by the opening hours", extra={"event": "fleet.closed",
                                                            "reason": reason.en})
            session.out_of_service(reason)
        elif reason is None and self._closed_by_hours and screen is Screen.OUT_OF_SERVICE:
            self._closed_by_hours = False
            log.info("open again", extra={"event": "fleet.opened"})
            session.back_in_service()
        elif reason is not None and self._closed_by_hours and screen is Screen.OUT_OF_SERVICE \
                and session.out_of_service_reason != reason:
            session.out_of_service(reason)  # a new window or the next day's opening time
        with self._lock:
            restart = self._config_changed and self.restart is not None
        if restart and session.screen in (Screen.ATTRACT, Screen.OUT_OF_SERVICE) \
                and (self._closed_by_hours or session.screen is Screen.ATTRACT):
            with self._lock:
                self._config_changed = False
            log.info("configuration override changed: restarting", extra={
                "event": "fleet.restart"})
            assert self.restart is not None
            self.restart()
