"""Applied remote updates change what the kiosk does (issue 16, item 3): the catalogue it
offers, the rates and tax codes it accepts, what the attract screen says, when it is open,
and the configuration it starts with."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from kiosk.catalogue import Catalogue, CatalogueItem
from kiosk.config import config_from_dict
from kiosk.fleet.policy import CHINA, FleetPolicy, config_with_overrides
from kiosk.fleet.updates import UpdateStore
from kiosk.flow.states import Screen
from kiosk.flow.views import AttractView
from kiosk.orders import parse_line
from kiosk.rules import is_known_rate
from kiosk.rules.tax import set_rates_in_force
from kiosk.storage import open_database
from tests.helpers.fake_services import FakeKiosk

PARKING = {"code": "S101", "name": "停车费", "short_name": "经营租赁",
           "tax_code": "3040502020200000000", "unit": "小时", "unit_price": "5.00", "rate": "0.09"}
RATES = {"rates": [
    {"rate": "0.13", "label": "13%", "use_zh": "货物", "use_en": "goods"},
    {"rate": "0.09", "label": "9%", "use_zh": "交通运输", "use_en": "transport"},
    {"rate": "0.05", "label": "5%", "use_zh": "新税率", "use_en": "a new rate"},
    {"rate": "0", "mark": "免税", "label": "免税", "use_zh": "免税", "use_en": "exempt"},
]}
LINE = {"name": "餐费", "short_name": "餐饮服务", "tax_code": "3070401000000000000",
        "quantity": "1", "unit_price": "10", "amount": "10", "rate": "0.06"}


def j(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False).encode("utf-8")


class Clock:
    def __init__(self, when: dt.datetime) -> None:
        self.now = when

    def __call__(self) -> dt.datetime:
        return self.now


def kiosk_with_policy(tmp_path: Path, clock: Clock | None = None,
                      restart: Any = None) -> tuple[UpdateStore, FleetPolicy, Catalogue]:
    catalogue = Catalogue(open_database(tmp_path / "kiosk.db"))
    policy = FleetPolicy(catalogue, clock=clock or Clock(dt.datetime(2026, 3, 2, 10, tzinfo=CHINA)),
                         restart=restart)
    store = UpdateStore(tmp_path / "fleet", "k1", {})
    store.listeners.append(policy.on_update)
    return store, policy, catalogue


def parse(raw: dict[str, Any]) -> tuple[Any, list[str]]:
    errors: list[str] = []
    return parse_line(raw, "order A line 1", errors), errors


def test_a_pushed_rate_table_is_the_table_in_force(tmp_path: Path) -> None:
    store, _, _ = kiosk_with_policy(tmp_path)
    assert not is_known_rate(Decimal("0.05"))
    assert parse(dict(LINE, rate="0.05"))[0] is None  # before: refused at import

    assert store.apply("tax_rates", 1, j(RATES)).ok  # type: ignore[union-attr]

    assert is_known_rate(Decimal("0.05"))
    line, errors = parse(dict(LINE, rate="0.05", amount="10"))
    assert line is not None and line.rate == Decimal("0.05"), errors
    # 6% is not in the pushed table: an order at 6% is refused, naming what is in force
    line, errors = parse(LINE)
    assert line is None
    assert 'rate "0.06" is not a rate in force (use "0.13", "0.09", "0.05", "免税")' in errors[0]

    assert store.apply("tax_rates", 2, None).ok  # type: ignore[union-attr]  # deleted
    assert is_known_rate(Decimal("0.06")) and not is_known_rate(Decimal("0.05"))


def test_a_pushed_catalogue_replaces_the_offered_items_and_a_bad_one_changes_nothing(
        tmp_path: Path) -> None:
    store, _, catalogue = kiosk_with_policy(tmp_path)
    catalogue.add(CatalogueItem("OLD1", "旧商品", "餐饮服务", "3070401000000000000", "", "",
                                Decimal("1"), Decimal("0.06")))

    assert store.apply("catalogue", 1, j({"items": [PARKING]})).ok  # type: ignore[union-attr]
    assert [i.code for i in catalogue.search("")] == ["S101"]
    assert [i.code for i in catalogue.search("tcf")] == ["S101"]  # pinyin initials work too

    bad = store.apply("catalogue", 2, j({"items": [dict(PARKING, rate="0.07")]}))
    assert bad is not None and not bad.ok and "unknown rate 0.07" in bad.error
    assert [i.code for i in catalogue.search("")] == ["S101"]  # the last good one stays


def test_a_catalogue_at_a_newly_pushed_rate_is_offered(tmp_path: Path) -> None:
    store, _, catalogue = kiosk_with_policy(tmp_path)
    assert store.apply("tax_rates", 1, j(RATES)).ok  # type: ignore[union-attr]
    assert store.apply("catalogue", 2, j({"items": [dict(PARKING, rate="0.05")]})).ok  # type: ignore[union-attr]
    item = catalogue.get("S101")
    assert item is not None and item.rate == Decimal("0.05")


def test_a_pushed_tax_code_table_refuses_unknown_codes_and_wrong_short_names(
        tmp_path: Path) -> None:
    store, _, catalogue = kiosk_with_policy(tmp_path)
    codes = {"codes": [{"code": "3040502020200000000", "short_name": "经营租赁"}]}
    assert store.apply("tax_codes", 1, j(codes)).ok  # type: ignore[union-attr]

    line, errors = parse(LINE)
    assert line is None
    assert "tax code 3070401000000000000 is not in the tax-code table in force" in errors[0]
    line, errors = parse(dict(LINE, tax_code="3040502020200000000"))
    assert line is None and "is '经营租赁' in the table in force, not '餐饮服务'" in errors[0]
    bad = store.apply("catalogue", 2, j({"items": [dict(PARKING, tax_code="3070401000000000000",
                                                        short_name="餐饮服务")]}))
    assert bad is not None and not bad.ok and "not in the tax-code table" in bad.error
    assert catalogue.count() == 0
    assert store.apply("catalogue", 3, j({"items": [PARKING]})).ok  # type: ignore[union-attr]


def test_announcements_show_on_the_attract_screen_while_current(tmp_path: Path) -> None:
    clock = Clock(dt.datetime(2026, 3, 2, 9, 0, tzinfo=CHINA))
    store, policy, _ = kiosk_with_policy(tmp_path, clock)
    session = FakeKiosk().session()
    store.apply("announcements", 1, j({"items": [
        {"id": "a1", "zh": "今晚 22:00 系统维护", "en": "Maintenance tonight at 22:00",
         "from": "2026-03-02T08:00", "until": "2026-03-02T23:00"},
        {"id": "a2", "zh": "明天的通知", "from": "2026-03-03T00:00"}]}))

    policy.apply_to(session)
    view = session.view()
    assert isinstance(view, AttractView)
    assert [t.en for t in view.announcements] == ["Maintenance tonight at 22:00"]

    clock.now = dt.datetime(2026, 3, 3, 9, 0, tzinfo=CHINA)
    policy.apply_to(session)
    view = session.view()
    assert isinstance(view, AttractView)
    assert [t.zh for t in view.announcements] == ["明天的通知"]
    assert [t.en for t in view.announcements] == ["明天的通知"]  # no English given: Chinese


def test_opening_hours_close_the_kiosk_between_sessions_and_open_it_again(
        tmp_path: Path) -> None:
    clock = Clock(dt.datetime(2026, 3, 2, 16, 59, tzinfo=CHINA))  # a Monday
    store, policy, _ = kiosk_with_policy(tmp_path, clock)
    kiosk = FakeKiosk()
    session = kiosk.session()
    store.apply("hours", 1, j({"weekly": {"mon": ["08:30-17:00"], "tue": ["08:30-17:00"]}}))
    policy.apply_to(session)
    assert session.screen is Screen.ATTRACT

    session.code_scanned(kiosk.qr(kiosk.orders[0]))  # someone starts at 16:59
    assert session.screen is not Screen.ATTRACT
    clock.now = dt.datetime(2026, 3, 2, 17, 1, tzinfo=CHINA)
    policy.apply_to(session)
    assert session.screen is not Screen.OUT_OF_SERVICE  # never cut off mid-session

    session.finish()
    policy.apply_to(session)
    assert session.screen is Screen.OUT_OF_SERVICE
    reason = session.out_of_service_reason
    assert reason is not None and reason.zh == "不在服务时间。03-03 08:30 开始服务。"
    assert reason.en == "Outside opening hours. Opens 03-03 08:30."

    clock.now = dt.datetime(2026, 3, 3, 8, 30, tzinfo=CHINA)
    policy.apply_to(session)
    assert session.screen is Screen.ATTRACT


def test_a_closed_window_names_its_reason_and_another_fault_is_left_alone(
        tmp_path: Path) -> None:
    clock = Clock(dt.datetime(2026, 10, 1, 12, 0, tzinfo=CHINA))
    store, policy, _ = kiosk_with_policy(tmp_path, clock)
    session = FakeKiosk().session()
    store.apply("hours", 1, j({"closed": [{"from": "2026-10-01T00:00", "until": "2026-10-08T00:00",
                                          "reason": "国庆假期",
                                          "reason_en": "National Day holiday"}]}))
    policy.apply_to(session)
    reason = session.out_of_service_reason
    assert reason is not None and reason.zh == "国庆假期，10-08 00:00 恢复服务。"
    assert reason.en == "National Day holiday: open again 10-08 00:00."

    # out of service for another reason (a technician's): opening time does not lift it
    other = FakeKiosk().session()
    from kiosk.messages import Text
    other.out_of_service(Text("配置错误", "Configuration error"))
    clock.now = dt.datetime(2026, 10, 9, 9, 0, tzinfo=CHINA)
    policy2 = FleetPolicy(Catalogue(open_database(tmp_path / "other.db")), clock=clock)
    policy2.apply_to(other)
    assert other.screen is Screen.OUT_OF_SERVICE
    policy.apply_to(session)
    assert session.screen is Screen.ATTRACT


def test_a_config_override_applies_at_start_and_restarts_at_a_quiet_moment(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KIOSK_DATA_DIR", str(tmp_path))
    config = config_from_dict({"fleet": {"enabled": True, "kiosk_id": "k1"},
                               "ui": {"support_phone": "010-0000"}})
    restarts: list[bool] = []
    store, policy, _ = kiosk_with_policy(tmp_path, restart=lambda: restarts.append(True))
    kiosk = FakeKiosk()
    session = kiosk.session()
    session.code_scanned(kiosk.qr(kiosk.orders[0]))

    outcome = store.apply("config.k1", 4, b"[ui]\nsupport_phone = '010-9999'\n")
    assert outcome is not None and outcome.ok
    policy.apply_to(session)
    assert restarts == []  # someone is using the kiosk
    session.finish()
    policy.apply_to(session)
    assert restarts == [True]
    policy.apply_to(session)
    assert restarts == [True]  # once

    started = config_with_overrides(config)
    assert started.ui.support_phone == "010-9999"
    assert started.data_path == config.data_path
    assert config_with_overrides(config_from_dict({"ui": {"support_phone": "1"}})).ui \
        .support_phone == "1"  # fleet off: the file alone


def test_stored_updates_are_in_force_from_the_start(tmp_path: Path) -> None:
    store, _, _ = kiosk_with_policy(tmp_path)
    store.apply("tax_rates", 1, j(RATES))
    set_rates_in_force(None)  # a new process: the built-in table

    catalogue = Catalogue(open_database(tmp_path / "kiosk.db"))
    policy = FleetPolicy(catalogue)
    policy.replay(UpdateStore(tmp_path / "fleet", "k1", {}).current,
                  ("catalogue", "tax_rates", "config"))
    assert is_known_rate(Decimal("0.05"))


def test_commands_of_a_fleet_kiosk_use_the_pushed_tables(
        tmp_path: Path, isolated_data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`kiosk orders import` in its own process accepts what the running kiosk accepts."""
    from kiosk.cli import main
    from tests.unit.kiosk.test_orders import _line, _order

    toml = Path("kiosk.toml").read_text(encoding="utf-8").replace(
        "enabled = false\n# This terminal's name", "enabled = true\n# This terminal's name", 1
    ).replace('kiosk_id = ""', 'kiosk_id = "k1"', 1)
    config = tmp_path / "fleet.toml"
    config.write_text(toml, encoding="utf-8")
    orders = tmp_path / "orders.json"
    orders.write_text(json.dumps([_order("A5", lines=[_line(rate="0.05", amount="76.00")])],
                                 ensure_ascii=False), encoding="utf-8")

    assert main(["--config", str(config), "orders", "import", str(orders)]) == 1
    assert 'rate "0.05" is not a rate in force' in capsys.readouterr().err
    UpdateStore(isolated_data_dir / "fleet", "k1", {}).apply("tax_rates", 1, j(RATES))
    set_rates_in_force(None)  # as in a fresh process
    assert main(["--config", str(config), "orders", "import", str(orders)]) == 0
    assert "imported 1 order(s)" in capsys.readouterr().out
