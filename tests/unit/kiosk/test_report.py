"""``kiosk report daily``: the kiosk's record of a day against a real sandbox platform."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pytest

from kiosk import storage
from kiosk.audit import AuditTrail
from kiosk.cli import main
from kiosk.config import config_from_dict
from kiosk.issuing import IssuingService
from kiosk.model import Invoice, RedReason, RequestStatus
from kiosk.outbox import Outbox
from kiosk.platform.sandbox import PLATFORM_TZ, SandboxPlatform
from kiosk.report import LISTING, LOOKUP, daily_report, format_report, parse_day
from kiosk.rules import request_id_for
from tests.helpers.platform import (
    PERSON,
    SELLER,
    MutableClock,
    goods,
    make_request,
    make_sandbox,
    meal,
    remote_for,
    running_server,
)

DAY = dt.date(2026, 3, 10)


def req(*orders: str, **kwargs):
    """A request with the id the issuing service insists on."""
    return make_request(*orders, request_id=request_id_for(orders, SELLER.tax_id), **kwargs)
  # tests.helpers.platform.START is 2026-03-10 10:00 Beijing


class Rig:
    """A kiosk database and the sandbox platform the kiosk's config points at."""

    def __init__(self, data: Path) -> None:
        self.data = data
        self.db = storage.open_database(data / "kiosk.db")
        self.clock = MutableClock()
        self.sandbox = make_sandbox(data, self.clock)  # data/sandbox.db, as the config says
        self.audit = AuditTrail(self.db, clock=self.clock)
        self.service = IssuingService(self.db, self.sandbox, seller_tax_id=SELLER.tax_id,
                                      documents_dir=data / "documents", audit=self.audit,
                                      clock=self.clock)
        self.outbox = Outbox(self.db)

    def issue(self, *orders: str, lines=None, buyer=None) -> Invoice:
        kwargs = {"buyer": buyer} if buyer is not None else {}
        outcome = self.service.issue(req(*orders, lines=lines, **kwargs))
        assert outcome.invoice is not None, outcome
        return outcome.invoice

    def store(self, invoice: Invoice, *, audit: bool = True) -> None:
        """Record an invoice the way the issuing service does (red-letter flow included)."""
        with self.outbox.tx() as conn:
            self.outbox.store_invoice(conn, invoice, self.clock(), False)
            if audit:
                action = "invoice.red_issued" if invoice.colour.value == "red" else "invoice.issued"
                self.audit.record(action, "admin", {"number": invoice.number,
                                                    "total": invoice.total})

    def close(self) -> None:
        self.db.close()
        self.sandbox.close()


@pytest.fixture()
def rig(isolated_data_dir: Path):
    isolated_data_dir.mkdir(parents=True, exist_ok=True)
    r = Rig(isolated_data_dir)
    yield r
    r.close()


def cfg(data: Path):
    return config_from_dict({"storage": {"data_dir": str(data)}})


def red_for(rig: Rig, blue: Invoice) -> Invoice:
    form = rig.sandbox.file_red_form(blue.number, RedReason.ISSUED_IN_ERROR, "seller")
    return rig.sandbox.issue_red_invoice(form.form_number)


def test_a_clean_day(rig: Rig) -> None:
    rig.issue("A-1")
    rig.issue("A-2", lines=(goods("226.00"), meal("10.60")))
    person = rig.issue("A-3", buyer=PERSON)
    rig.store(red_for(rig, person))
    report = daily_report(rig.db, rig.sandbox, DAY)
    assert report.ok, report.differences
    assert report.coverage == LISTING and not report.notes
    k = report.kiosk
    assert (k["blue"].count, k["blue"].total) == (3, Decimal("462.60"))
    assert (k["red"].count, k["red"].total) == (1, Decimal("-113.00"))
    assert k["all"].total == Decimal("349.60")
    assert k["blue"].net + k["blue"].tax == k["blue"].total
    assert k["blue"].tax == Decimal("6.40") + Decimal("26.00") + Decimal("0.60") + Decimal("6.40")
    assert {c: (t.count, t.total) for c, t in report.platform.items()} == \
        {c: (t.count, t.total) for c, t in k.items()}
    text = format_report(report)
    assert "no differences" in text and "-113.00" in text
    other_day = daily_report(rig.db, rig.sandbox, DAY + dt.timedelta(days=1))
    assert other_day.kiosk["all"].count == 0 and other_day.ok


def test_day_is_beijing_time(rig: Rig) -> None:
    rig.clock.set(dt.datetime(2026, 3, 10, 23, 30, tzinfo=PLATFORM_TZ))  # 15:30 UTC
    rig.issue("LATE-1")
    rig.clock.set(dt.datetime(2026, 3, 11, 0, 30, tzinfo=PLATFORM_TZ))  # 16:30 UTC on the 10th
    rig.issue("EARLY-2")
    assert daily_report(rig.db, rig.sandbox, DAY).kiosk["blue"].count == 1
    assert daily_report(rig.db, rig.sandbox, DAY + dt.timedelta(days=1)).kiosk["blue"].count == 1


def test_amount_mismatch(rig: Rig) -> None:
    invoice = rig.issue("B-1")
    data = json.loads(rig.db.execute("SELECT data FROM issued_invoices WHERE number = ?",
                                     [invoice.number]).fetchone()[0])
    data["lines"][0]["amount"] = "90.00"
    with rig.db.conn:
        rig.db.execute("UPDATE issued_invoices SET data = ? WHERE number = ?",
                       [json.dumps(data, ensure_ascii=False), invoice.number])
    report = daily_report(rig.db, rig.sandbox, DAY)
    assert [(d.kind, d.number) for d in report.differences] == [("amount_mismatch", invoice.number)]
    detail = report.differences[0].detail
    assert "kiosk blue net 90.00 tax 6.40 total 96.40" in detail
    assert "platform blue net 106.60 tax 6.40 total 113.00" in detail


def test_missing_on_platform(rig: Rig, tmp_path: Path) -> None:
    rig.issue("C-1")
    elsewhere = SandboxPlatform(tmp_path / "other.db", SELLER, monthly_quota=Decimal("1000"),
                                clock=rig.clock, channel="7",
                                download_base_url="http://placeholder.invalid")
    try:
        stray = elsewhere.issue(req("C-2"))
    finally:
        elsewhere.close()
    rig.store(stray)
    report = daily_report(rig.db, rig.sandbox, DAY)
    assert [(d.kind, d.number) for d in report.differences] == [("missing_on_platform", stray.number)]
    assert report.kiosk["blue"].count == 2 and report.platform["blue"].count == 1


def test_missing_in_kiosk_found_through_an_unsettled_request(rig: Rig) -> None:
    request = req("D-1")
    rig.outbox.record(request, rig.clock())
    rig.outbox.set_status(request.request_id, RequestStatus.UNKNOWN, rig.clock())
    lost = rig.sandbox.issue(request)  # the platform issued it; the answer never arrived
    report = daily_report(rig.db, rig.sandbox, DAY)
    assert [(d.kind, d.number) for d in report.differences] == [("missing_in_kiosk", lost.number)]
    assert report.platform["blue"].count == 1 and report.kiosk["blue"].count == 0


def test_invoice_without_audit_row(rig: Rig) -> None:
    person = rig.issue("E-1", buyer=PERSON)
    red = red_for(rig, person)
    rig.store(red, audit=False)
    report = daily_report(rig.db, rig.sandbox, DAY)
    assert [(d.kind, d.number) for d in report.differences] == [("no_audit_row", red.number)]


class LookupOnly:
    """The sandbox as an older gateway without ``list_invoices`` (the report's fallback)."""

    def __init__(self, sandbox: SandboxPlatform) -> None:
        self.sandbox = sandbox

    def get_invoice(self, number: str) -> Invoice | None:
        return self.sandbox.get_invoice(number)

    def query_request(self, request_id: str) -> Invoice | None:
        return self.sandbox.query_request(request_id)


def test_lookup_fallback_on_a_clean_day(rig: Rig) -> None:
    rig.issue("A-1")
    rig.store(red_for(rig, rig.issue("A-3", buyer=PERSON)))
    report = daily_report(rig.db, LookupOnly(rig.sandbox), DAY)
    assert report.ok, report.differences
    assert report.coverage == LOOKUP and report.notes
    assert (report.platform["all"].count, report.platform["all"].total) == (3, Decimal("113.00"))


@pytest.mark.parametrize("over", ["sandbox", "remote"])
def test_listing_catches_an_invoice_the_kiosk_never_recorded(rig: Rig, over: str) -> None:
    rig.issue("F-1")
    other_channel = rig.sandbox.issue(req("F-2"))  # e.g. the platform's web portal
    with running_server(rig.sandbox) as server:
        gateway = rig.sandbox if over == "sandbox" else remote_for(server)
        report = daily_report(rig.db, gateway, DAY)
    assert report.coverage == LISTING and not report.notes
    assert [(d.kind, d.number) for d in report.differences] == [("missing_in_kiosk", other_channel.number)]
    assert "the kiosk did not record" in report.differences[0].detail
    assert report.platform["blue"].count == 2 and report.kiosk["blue"].count == 1
    lookup = daily_report(rig.db, LookupOnly(rig.sandbox), DAY)
    assert lookup.ok  # the limit the fallback's note states: lookups cannot see it


def test_listing_tells_another_day_from_missing(rig: Rig, tmp_path: Path) -> None:
    kept = rig.issue("H-1")
    elsewhere = SandboxPlatform(tmp_path / "other.db", SELLER, monthly_quota=Decimal("1000"),
                                clock=rig.clock, channel="7",
                                download_base_url="http://placeholder.invalid")
    try:
        stray = elsewhere.issue(req("H-2"))
    finally:
        elsewhere.close()
    rig.store(stray)
    with rig.db.conn:  # the kiosk's record dates the first a day later than the platform
        rig.db.execute("UPDATE issued_invoices SET issued_at = '2026-03-11T10:00:00+08:00'"
                       " WHERE number = ?", [kept.number])
    report = daily_report(rig.db, rig.sandbox, DAY + dt.timedelta(days=1))
    assert report.coverage == LISTING
    assert [(d.kind, d.number) for d in report.differences] == [("day_mismatch", kept.number)]
    report = daily_report(rig.db, rig.sandbox, DAY)
    assert sorted((d.kind, d.number) for d in report.differences) == sorted(
        [("missing_on_platform", stray.number), ("missing_in_kiosk", kept.number)])


def test_cli_reports_a_platform_invoice_the_kiosk_lacks(rig: Rig, capsys, tmp_path: Path) -> None:
    rig.issue("K-1")
    lost = rig.sandbox.issue(req("K-2"))
    config = tmp_path / "kiosk.toml"
    config.write_text(f'[storage]\ndata_dir = "{rig.data}"\n', encoding="utf-8")
    rig.sandbox.close()
    assert main(["--config", str(config), "report", "daily", "--date", DAY.isoformat(),
                 "--json"]) == 1
    body = json.loads(capsys.readouterr().out)
    assert body["coverage"] == "listing"
    assert [(d["kind"], d["number"]) for d in body["differences"]] == [("missing_in_kiosk", lost.number)]


def test_parse_day() -> None:
    now = dt.datetime(2026, 3, 10, 17, 0, tzinfo=dt.UTC)  # 01:00 on the 11th in Beijing
    assert parse_day(None, now) == dt.date(2026, 3, 11)
    assert parse_day("yesterday", now) == dt.date(2026, 3, 10)
    assert parse_day("2026-02-28") == dt.date(2026, 2, 28)
    with pytest.raises(ValueError, match="not a date"):
        parse_day("2026-02-30")


def test_cli(rig: Rig, capsys, tmp_path: Path) -> None:
    rig.issue("G-1")
    config = tmp_path / "kiosk.toml"
    config.write_text(f'[storage]\ndata_dir = "{rig.data}"\n', encoding="utf-8")
    rig.sandbox.close()  # the CLI opens the same sandbox.db itself
    assert main(["--config", str(config), "report", "daily", "--date", DAY.isoformat()]) == 0
    out = capsys.readouterr().out
    assert "Daily report 2026-03-10" in out and "no differences" in out
    with rig.db.conn:  # the kiosk's record now dates it a day earlier than the platform
        rig.db.execute("UPDATE issued_invoices SET issued_at = '2026-03-09T10:00:00+08:00'")
    assert main(["--config", str(config), "report", "daily", "--date", "2026-03-09",
                 "--json"]) == 1
    body = json.loads(capsys.readouterr().out)
    assert body["ok"] is False
    assert [d["kind"] for d in body["differences"]] == ["day_mismatch"]
    assert "2026-03-10 10:00" in body["differences"][0]["detail"]
    assert body["kiosk"]["blue"] == {"count": 1, "net": "106.60", "tax": "6.40", "total": "113.00"}
    assert body["platform"]["blue"]["count"] == 0
    assert main(["--config", str(config), "report", "daily", "--date", "someday"]) == 2
    assert "not a date" in capsys.readouterr().err
