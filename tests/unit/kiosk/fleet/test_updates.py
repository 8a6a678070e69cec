"""Remote updates: checked with the kiosk's own rules, applied atomically, last good kept."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from kiosk.fleet.updates import UpdateError, UpdateStore, parse

ITEM = {"code": "S101", "name": "停车费", "short_name": "经营租赁",
        "tax_code": "3040502020200000000", "unit": "小时", "unit_price": "5.00", "rate": "0.09"}


def j(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False).encode("utf-8")


@pytest.mark.parametrize(("name", "raw", "error"), [
    ("catalogue", b"{", "catalogue: not JSON"),
    ("catalogue", j({"items": [dict(ITEM, tax_code="123")]}), "tax code '123' is not 19 digits"),
    ("catalogue", j({"items": [dict(ITEM, rate="0.07")]}), "unknown rate 0.07"),
    ("catalogue", j({"items": [ITEM, ITEM]}), "appears twice"),
    ("catalogue", j({"items": [{"code": "x"}]}), "lacks 'name'"),
    ("tax_rates", j({"rates": [{"rate": "1.5", "label": "x", "use_zh": "x", "use_en": "x"}]}),
     "is not from 0 to below 1"),
    ("tax_codes", j({"codes": [{"code": "7000000000000000000", "short_name": "x"}]}),
     "is not 19 digits"),
    ("announcements", j({"items": [{"id": "a", "zh": "停电", "from": "2026-03-02T10:00",
                                    "until": "2026-03-01T10:00"}]}), "ends before it starts"),
    ("hours", j({"weekly": {"mon": ["8:30-17:00"]}}), "must be a list like"),
    ("hours", j({"weekly": {"xyz": []}}), "weekly.xyz is not one of"),
    ("config", b"[ui]\nidle_timeout_s = 5\n", "key 'ui.idle_timeout_s' expects a value from 10"),
    ("config", b"[ui]\ncolour = 'red'\n", "unknown key 'ui.colour'"),
    ("config", b"[fleet]\nenabled = false\n", "[fleet] cannot be changed remotely"),
    ("config", b"[ui\n", "TOML syntax error"),
    ("nonsense", b"{}", "unknown update 'nonsense'"),
    ("catalogue", b"\xff", "not UTF-8"),
])
def test_bad_updates_are_refused_with_the_exact_reason(name: str, raw: bytes, error: str) -> None:
    with pytest.raises(UpdateError) as err:
        parse(name, raw, {})
    assert error in str(err.value)


def test_good_updates_pass() -> None:
    assert parse("catalogue", j({"items": [ITEM]}), {})["items"][0]["code"] == "S101"
    assert parse("config", b"[ui]\nsupport_phone = '010-1'\n", {"ui": {"language": "en"}}) == \
        {"ui": {"support_phone": "010-1"}}
    assert parse("hours", j({"weekly": {"mon": ["08:30-12:00", "13:00-17:00"]},
                             "closed": [{"from": "2026-10-01", "until": "2026-10-08"}]}), {})


def test_store_applies_atomically_and_keeps_the_last_good_version(tmp_path: Path) -> None:
    store = UpdateStore(tmp_path, "k1", {})
    seen: list[tuple[str, Any]] = []
    store.listeners.append(lambda name, value: seen.append((name, value)))
    ok = store.apply("catalogue", 3, j({"items": [ITEM]}))
    assert ok is not None and ok.ok
    bad = store.apply("catalogue", 4, j({"items": [dict(ITEM, rate="0.07")]}))
    assert bad is not None and not bad.ok and "unknown rate" in bad.error
    assert store.current("catalogue")["items"][0]["rate"] == "0.09"  # last good kept
    assert [n for n, _ in seen] == ["catalogue"]
    assert store.apply("catalogue", 4, j({"items": []})) is None  # seen: reported once
    assert not list(tmp_path.glob("*.tmp"))


def test_a_new_rate_pushed_in_tax_rates_makes_catalogue_items_with_it_valid(tmp_path: Path) -> None:
    store = UpdateStore(tmp_path, "k1", {})
    rates = {"rates": [{"rate": "0.07", "label": "7%", "use_zh": "试点", "use_en": "pilot"}]}
    assert store.apply("tax_rates", 1, j(rates)).ok  # type: ignore[union-attr]
    assert store.apply("catalogue", 2, j({"items": [dict(ITEM, rate="0.07")]})).ok  # type: ignore[union-attr]


def test_kiosk_specific_updates_win_and_others_are_ignored(tmp_path: Path) -> None:
    store = UpdateStore(tmp_path, "k1", {})
    assert store.apply("announcements.k2", 1, j({"items": []})) is None  # another kiosk's
    mine = j({"items": [{"id": "a", "zh": "本机维护"}]})
    assert store.apply("announcements.k1", 2, mine).ok  # type: ignore[union-attr]
    assert store.apply("announcements", 3, j({"items": [{"id": "b", "zh": "全体"}]})) is None
    assert store.current("announcements")["items"][0]["id"] == "a"
    again = UpdateStore(tmp_path, "k1", {})  # a restart re-reads the bucket: nothing re-applied
    assert again.apply("announcements.k1", 2, mine) is None


def test_config_override_merges_over_the_kiosk_file(tmp_path: Path) -> None:
    store = UpdateStore(tmp_path, "k1", {"ui": {"language": "en", "idle_timeout_s": 60}})
    assert store.apply("config.k1", 1, b"[ui]\nidle_timeout_s = 120\n").ok  # type: ignore[union-attr]
    assert store.effective_config_data()["ui"] == {"language": "en", "idle_timeout_s": 120}
