"""Issue 12, walked as a newcomer: an enterprise's member logs in to issue for the
enterprise, yet the buyer screen offered only 个人, so the member typed the enterprise's
name and credit code by hand. The enterprise's own title comes first among the titles
of its active members (and of the enterprise account itself); not of a pending one."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.flow.states import Screen
from kiosk.flow.views import BuyerView
from kiosk.model import BuyerType
from tests.helpers.app import CoreRig, kiosk_core

PASSWORD = "violet-harbour-7-lantern"
NAME = "华新科技有限公司"
CODE = "91350200776049653A"


@pytest.fixture
def rig(tmp_path: Path) -> Iterator[CoreRig]:
    r = kiosk_core(tmp_path / "data")
    accounts = r.core.core_services.accounts
    accounts.create_account("huaxin", PASSWORD, "enterprise", name=NAME, tax_id=CODE,
                            phone="13800000011")
    accounts.create_account("xiaoli", PASSWORD, "person", name="李晓丽", phone="13800000012",
                            enterprise="huaxin", role="issuer")
    accounts.create_account("loner", PASSWORD, "person", name="王五", phone="13800000013")
    yield r
    r.close()


def login(rig: CoreRig, username: str) -> None:
    s = rig.session
    s.identify.begin("login")
    s.identify.accept_terms()
    s.identify.login(username, PASSWORD)
    assert s.screen is Screen.ORDERS


@pytest.mark.parametrize("username", ["xiaoli", "huaxin"])
def test_the_enterprise_title_is_offered_to_its_member_and_itself(rig: CoreRig,
                                                                 username: str) -> None:
    login(rig, username)
    s = rig.session
    first = s.data.titles[0]
    assert (first.type, first.name, first.tax_id) == (BuyerType.COMPANY, NAME, CODE)
    s.code_scanned(rig.qr(rig.orders()[0]), "scanner")
    s.orders.next()
    view = s.view(Screen.BUYER)
    assert isinstance(view, BuyerView) and view.titles[0] == NAME[:16]
    s.buyer.use_title(0)
    assert (s.data.buyer.name, s.data.buyer.tax_id) == (NAME, CODE)


def test_a_person_outside_any_enterprise_gets_no_company_title(rig: CoreRig) -> None:
    login(rig, "loner")
    assert all(t.tax_id != CODE for t in rig.session.data.titles)
