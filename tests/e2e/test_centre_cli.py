"""``kiosk invoices --account USERNAME --json`` as a subprocess over a data dir where two
accounts issued invoices at the (in-process) kiosk: each sees exactly its own, the
corrected ones included."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kiosk.accounts import AccountKind
from kiosk.flow.states import Screen
from tests.helpers.app import CoreRig, kiosk_core
from tests.helpers.kioskenv import KioskEnv

pytestmark = pytest.mark.e2e


def issue_as(rig: CoreRig, user: str, password: str, order_index: int) -> str:
    s = rig.session
    s.identify.begin("login")
    s.identify.accept_terms()
    s.identify.login(user, password)
    assert s.screen is Screen.ORDERS
    s.code_scanned(rig.qr(rig.orders()[order_index]), "scanner")
    s.orders.next()
    s.buyer.next()
    s.review.confirm()
    assert s.data.invoice is not None
    number = s.data.invoice.number
    if user == "demo":  # the demo account corrects its title at once (no confirmation)
        s.centre.open()
        s.centre.pick(number)
        s.centre.change()
        s.centre.set_what("title")
        s.centre.set_buyer_field("name", "演示公司")
        s.centre.submit()
        assert s.data.centre.change is not None and s.data.centre.change.blue_number
    s.finish()
    return number


def test_each_account_lists_exactly_its_invoices(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    env = KioskEnv.create(tmp_path)
    monkeypatch.setenv("KIOSK_DATA_DIR", str(env.data))  # the kiosk and the CLI: one folder
    rig = kiosk_core(env.data, mail={"backend": "maildir"})
    try:
        rig.core.accounts.create("other", "other-pass-1", AccountKind.PERSON, "王五")
        demo = issue_as(rig, "demo", "demo1234", 0)
        other = issue_as(rig, "other", "other-pass-1", 1)
    finally:
        rig.close()
    done = env.run("invoices", "--account", "demo", "--json")
    assert done.returncode == 0, done.stderr
    listed = json.loads(done.stdout)
    colours = sorted(x["colour"] for x in listed["invoices"])
    assert colours == ["blue", "blue", "red"]
    numbers = {x["invoice_number"] for x in listed["invoices"]}
    assert demo in numbers and other not in numbers
    red = next(x for x in listed["invoices"] if x["colour"] == "red")
    assert red["original_number"] == demo
    done = env.run("invoices", "--account", "other", "--json")
    assert [x["invoice_number"] for x in json.loads(done.stdout)["invoices"]] == [other]
    done = env.run("invoices", "--account", "nobody", "--json")
    assert done.returncode == 1 and "nobody" in done.stderr
