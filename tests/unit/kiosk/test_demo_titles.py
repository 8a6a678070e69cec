"""Issue 11 item 13: the README promises that the demo account ``demo`` has remembered
titles on its first login; a fresh kiosk must seed them (once, never over real data)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.accounts import AccountStore
from kiosk.demo import DEMO_TITLES, seed_demo_titles
from kiosk.flow.states import Screen
from kiosk.flow.views import BuyerView
from kiosk.rules.identifiers import is_valid_credit_code
from tests.helpers.app import CoreRig, kiosk_core


@pytest.fixture
def rig(tmp_path: Path) -> Iterator[CoreRig]:
    r = kiosk_core(tmp_path / "data")
    yield r
    r.close()


def test_the_demo_person_has_remembered_titles_on_first_login(rig: CoreRig) -> None:
    s = rig.session
    s.identify.begin("login")
    s.identify.accept_terms()
    s.identify.login("demo", "demo1234")
    assert s.screen is Screen.ORDERS
    assert [t.name for t in s.data.titles] == [t.name for t in DEMO_TITLES]
    s.code_scanned(rig.qr(rig.orders()[0]), "scanner")
    s.orders.next()
    view = s.view(Screen.BUYER)
    assert isinstance(view, BuyerView) and len(view.titles) == len(DEMO_TITLES)
    assert all(is_valid_credit_code(t.tax_id) for t in DEMO_TITLES)


def test_titles_are_seeded_once_and_never_after_the_person_forgot_them(rig: CoreRig) -> None:
    accounts: AccountStore = rig.core.accounts
    demo = accounts.find("demo")
    assert demo is not None
    assert seed_demo_titles(accounts) == 0  # build_core seeded them already
    accounts.forget_titles(demo.id)
    assert seed_demo_titles(accounts) == 0 and accounts.titles_for(demo.id) == []
