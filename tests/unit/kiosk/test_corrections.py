"""Red-letter corrections on the kiosk side, lookup and reprint, on the real sandbox platform.

The invariants: one red invoice per form whatever answer is lost, the red
invoice stored with its audit row, the order free again after a FULL credit
(and invoiced anew under a distinct, deterministic request id), never after a
partial one.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from drivers.printer.ops import Text
from kiosk.audit import AuditTrail
from kiosk.corrections import (
    InvoiceState,
    credit_line,
    partial_lines,
    red_request_id,
    reissue_request_id,
)
from kiosk.documents import parse_invoice_xml
from kiosk.issuing import IssueStatus, IssuingService
from kiosk.model import (
    Buyer,
    Colour,
    InvoiceKind,
    InvoiceRequest,
    RedFormStatus,
    RedReason,
    RequestStatus,
)
from kiosk.platform.gateway import (
    IssuingGateway,
    PlatformTimeout,
    RedFormStateError,
)
from kiosk.platform.sandbox import SandboxPlatform
from kiosk.rules import invoice_lines_from_order_lines, request_id_for
from tests.helpers.kioskenv import kiosk_db
from tests.helpers.platform import (
    COMPANY,
    PERSON,
    SELLER,
    MutableClock,
    goods,
    make_sandbox,
    meal,
    remote_for,
    running_server,
)

D = Decimal


def request(*order_nos: str, buyer: Buyer = PERSON, lines: tuple = (meal(),)) -> InvoiceRequest:  # type: ignore[type-arg]
    return InvoiceRequest(request_id=request_id_for(order_nos, SELLER.tax_id), order_nos=order_nos,
                          buyer=buyer, kind=InvoiceKind.NORMAL, lines=lines, drawer="自助终端")


def reds_at_platform(sandbox: SandboxPlatform) -> int:
    with sandbox._db() as db:
        return int(db.conn.execute("SELECT count(*) FROM invoices WHERE colour = 'red'")
                   .fetchone()[0])


@dataclasses.dataclass
class Rig:
    sandbox: SandboxPlatform
    service: IssuingService
    clock: MutableClock
    docs: Path
    audit: AuditTrail

    def blue(self, *orders: str, **kwargs: object) -> str:
        out = self.service.issue(request(*orders, **kwargs))  # type: ignore[arg-type]
        assert out.status is IssueStatus.ISSUED and out.invoice is not None, out
        return out.invoice.number


def _rig(tmp_path: Path, gateway: IssuingGateway | None = None,
         sandbox: SandboxPlatform | None = None, clock: MutableClock | None = None) -> Rig:
    clock = clock or MutableClock()
    sandbox = sandbox or make_sandbox(tmp_path, clock)
    db = kiosk_db(tmp_path / "kiosk.db")
    audit = AuditTrail(db, clock=clock)
    service = IssuingService(db, gateway or sandbox, seller_tax_id=SELLER.tax_id,
                             documents_dir=tmp_path / "docs", audit=audit, clock=clock)
    return Rig(sandbox, service, clock, tmp_path / "docs", audit)


@pytest.fixture()
def rig(tmp_path: Path) -> Iterator[Rig]:
    r = _rig(tmp_path)
    yield r
    r.sandbox.close()
    r.service.db.close()


def test_full_red_then_a_new_blue_for_the_same_order(rig: Rig) -> None:
    blue = rig.blue("A1")
    form = rig.service.corrections.file_red_form(blue, RedReason.ISSUED_IN_ERROR)
    assert form.status is RedFormStatus.NO_CONFIRMATION_NEEDED  # a person has no account
    assert rig.service.corrections.red_form_status(form.form_number).status is RedFormStatus.NO_CONFIRMATION_NEEDED
    out = rig.service.corrections.issue_red(form.form_number)
    assert out.status is IssueStatus.ISSUED and out.invoice is not None
    red = out.invoice
    assert out.request_id == red_request_id(form.form_number)
    assert red.colour is Colour.RED and red.original_number == blue and red.total == D("-113.00")
    assert out.xml_path == rig.docs / f"{red.number}.xml" and out.pdf_path is not None
    assert out.pdf_path.read_bytes().startswith(b"%PDF")
    parsed = parse_invoice_xml(out.xml_path.read_bytes())
    assert (parsed["colour"], parsed["original_number"]) == ("red", blue)
    assert [r["action"] for r in rig.audit.rows()] == [
        "invoice.issued", "invoice.red_form_filed", "invoice.red_issued"]
    assert rig.audit.verify().ok
    again = rig.service.corrections.issue_red(form.form_number)
    assert again.status is IssueStatus.ALREADY_INVOICED and again.invoice == red
    assert reds_at_platform(rig.sandbox) == 1

    assert rig.service.find_invoice_for_order("A1") is None  # fully credited: free again
    [credited, shown_red] = sorted(rig.service.corrections.lookup("A1"), key=lambda e: e.invoice.number)
    assert (credited.state, credited.credited, credited.red_numbers) == (
        InvoiceState.CREDITED, D("-113.00"), (red.number,))
    assert [f.form_number for f in credited.forms] == [form.form_number]
    assert shown_red.state is InvoiceState.RED and shown_red.invoice == red

    base = request_id_for(["A1"], SELLER.tax_id)
    assert rig.service.corrections.request_id_for_orders(["A1"]) == reissue_request_id(["A1"], SELLER.tax_id,
                                                                          red.number) != base
    renewed = rig.service.issue(request("A1"))  # the caller still builds the first id
    assert renewed.status is IssueStatus.ISSUED and renewed.invoice is not None
    assert renewed.request_id != base and renewed.invoice.number not in (blue, red.number)
    assert rig.service.find_invoice_for_order("A1") == renewed.invoice
    repeat = rig.service.issue(request("A1"))
    assert repeat.status is IssueStatus.ALREADY_INVOICED and repeat.invoice == renewed.invoice
    assert rig.service.corrections.lookup(renewed.invoice.number)[0].state is InvoiceState.ISSUED
    assert len(rig.service.corrections.lookup("A1")) == 3


def test_company_form_waits_for_the_buyer(rig: Rig) -> None:
    blue = rig.blue("C1", buyer=COMPANY)
    form = rig.service.corrections.file_red_form(blue, "2")
    assert form.status is RedFormStatus.SELLER_FILED
    refused = rig.service.corrections.issue_red(form.form_number)
    assert refused.status is IssueStatus.REJECTED and refused.errors[0].code == "RED_FORM_STATE"
    assert reds_at_platform(rig.sandbox) == 0 and rig.service.corrections.pending_red() == []
    assert rig.service.corrections.confirm_red_form(form.form_number).status is RedFormStatus.CONFIRMED
    out = rig.service.corrections.issue_red(form.form_number)  # a refused request may be tried again
    assert out.status is IssueStatus.ISSUED and out.invoice is not None
    assert rig.service.corrections.lookup(blue)[0].state is InvoiceState.CREDITED


@pytest.mark.parametrize("over", ["sandbox", "remote"])
def test_timeout_after_commit_on_red_issue_gives_one_red_invoice(tmp_path: Path, over: str) -> None:
    clock = MutableClock()
    sandbox = make_sandbox(tmp_path, clock)
    with running_server(sandbox) as server:
        gateway = sandbox if over == "sandbox" else remote_for(server, retries=0)
        r = _rig(tmp_path, gateway, sandbox, clock)
        blue = r.blue("T1")
        form = r.service.corrections.file_red_form(blue, RedReason.GOODS_RETURNED)
        sandbox.faults.set(timeout_after_commit=1)
        out = r.service.corrections.issue_red(form.form_number)
        assert out.status is IssueStatus.ISSUED and out.invoice is not None  # found by query
        assert reds_at_platform(sandbox) == 1 and r.service.corrections.pending_red() == []
        assert [x["action"] for x in r.audit.rows()].count("invoice.red_issued") == 1
        assert r.service.corrections.issue_red(form.form_number).invoice == out.invoice
    sandbox.close()
    r.service.db.close()


class _QueriesFailAfterLoss:
    """The real sandbox; once a red answer is lost the network goes down."""

    def __init__(self, sandbox: SandboxPlatform) -> None:
        self.sandbox = sandbox

    def __getattr__(self, name: str) -> object:
        return getattr(self.sandbox, name)

    def issue_red_invoice(self, form_number: str) -> object:
        try:
            return self.sandbox.issue_red_invoice(form_number)
        except PlatformTimeout:
            self.sandbox.faults.set(unavailable=True)
            raise


def test_unknown_red_outcome_is_queried_before_any_resend(tmp_path: Path) -> None:
    clock = MutableClock()
    sandbox = make_sandbox(tmp_path, clock)
    r = _rig(tmp_path, _QueriesFailAfterLoss(sandbox), sandbox, clock)  # type: ignore[arg-type]
    form = r.service.corrections.file_red_form(r.blue("U1"), RedReason.ISSUED_IN_ERROR)
    sandbox.faults.set(timeout_after_commit=1)
    out = r.service.corrections.issue_red(form.form_number)
    assert out.status is IssueStatus.UNKNOWN and out.invoice is None
    [entry] = r.service.corrections.pending_red()
    assert entry.status is RequestStatus.UNKNOWN and entry.form_number == form.form_number
    assert r.service.corrections.issue_red(form.form_number).status is IssueStatus.UNKNOWN  # still down
    sandbox.faults.clear()
    [done] = r.service.resolve_pending()
    assert done.status is IssueStatus.ISSUED and done.invoice is not None
    assert reds_at_platform(sandbox) == 1 and r.service.corrections.pending_red() == []
    assert r.service.find_invoice_for_order("U1") is None
    sandbox.close()
    r.service.db.close()


def test_red_request_queued_while_the_platform_is_down(rig: Rig) -> None:
    form = rig.service.corrections.file_red_form(rig.blue("Q1"), RedReason.ISSUED_IN_ERROR)
    rig.sandbox.faults.set(unavailable=True)
    out = rig.service.corrections.issue_red(form.form_number)
    assert out.status is IssueStatus.QUEUED
    assert [e.status for e in rig.service.corrections.pending_red()] == [RequestStatus.PENDING]
    rig.sandbox.faults.clear()
    [done] = rig.service.resolve_pending()
    assert done.status is IssueStatus.ISSUED and reds_at_platform(rig.sandbox) == 1


def test_kiosk_died_after_marking_the_red_request_sent(rig: Rig) -> None:
    form = rig.service.corrections.file_red_form(rig.blue("K1"), RedReason.ISSUED_IN_ERROR)
    rid = red_request_id(form.form_number)
    rig.service.outbox.record_red(rid, form.form_number, form.original_number, rig.clock())
    rig.service.outbox.set_red_status(rid, RequestStatus.SENT, rig.clock(), attempt=True)
    rig.sandbox.issue_red_invoice(form.form_number)  # committed; the answer died with the kiosk
    [out] = rig.service.resolve_pending()
    assert out.status is IssueStatus.ISSUED and reds_at_platform(rig.sandbox) == 1
    assert rig.service.outbox.red_get(rid).attempts == 1  # type: ignore[union-attr]


class _FormAnswerLost:
    """The real sandbox; the first ``file_red_form`` commits and its answer is lost."""

    def __init__(self, sandbox: SandboxPlatform) -> None:
        self.sandbox = sandbox
        self.lose = 1

    def __getattr__(self, name: str) -> object:
        return getattr(self.sandbox, name)

    def file_red_form(self, *args: object) -> object:
        form = self.sandbox.file_red_form(*args)  # type: ignore[arg-type]
        if self.lose:
            self.lose -= 1
            raise PlatformTimeout()
        return form


def test_lost_answer_to_a_filed_form_finds_that_form(tmp_path: Path) -> None:
    clock = MutableClock()
    sandbox = make_sandbox(tmp_path, clock)
    lossy = _FormAnswerLost(sandbox)
    r = _rig(tmp_path, lossy, sandbox, clock)  # type: ignore[arg-type]
    blue = r.blue("L1", lines=(meal(), goods("339.00", quantity="3")))
    original = r.service.corrections.lookup(blue)[0].invoice
    lines = partial_lines(original, {1: D("113.00")})
    form = r.service.corrections.file_red_form(blue, RedReason.GOODS_RETURNED, lines)
    assert [(ln.quantity, ln.amount, ln.tax) for ln in form.lines] == [(D("-1"), D("-100.00"),
                                                                        D("-13.00"))]
    assert lossy.lose == 0 and r.service.corrections.red_form_status(form.form_number) == form
    lossy.lose = 1  # lost again, but now the open form is NOT the one asked for
    with pytest.raises(RedFormStateError) as info:
        r.service.corrections.file_red_form(blue, RedReason.ISSUED_IN_ERROR)
    assert info.value.form_number == form.form_number
    sandbox.close()
    r.service.db.close()


def test_partial_credit_keeps_the_order_invoiced(rig: Rig) -> None:
    blue = rig.blue("P1", lines=(meal(), goods("339.00", quantity="3")))
    original = rig.service.corrections.lookup_invoice(blue)[0].invoice
    form = rig.service.corrections.file_red_form(blue, RedReason.GOODS_RETURNED,
                                     partial_lines(original, {1: D("226.00")}))
    red = rig.service.corrections.issue_red(form.form_number).invoice
    assert red is not None and red.total == D("-226.00")
    [entry] = rig.service.corrections.lookup_invoice(blue)
    assert entry.state is InvoiceState.PARTLY_CREDITED and entry.credited == D("-226.00")
    assert rig.service.find_invoice_for_order("P1") == original
    assert rig.service.issue(request("P1")).status is IssueStatus.ALREADY_INVOICED
    assert rig.service.corrections.request_id_for_orders(["P1"]) == request_id_for(["P1"], SELLER.tax_id)


def test_credit_line_splits_and_counts_units() -> None:
    [line] = invoice_lines_from_order_lines([goods("339.00", quantity="3")])
    assert credit_line(line, D("339.00")) == line
    whole = credit_line(line, D("113.00"))
    assert (whole.quantity, whole.amount, whole.tax) == (D("1"), D("100.00"), D("13.00"))
    allowance = credit_line(line, D("10.00"))
    assert (allowance.quantity, allowance.amount, allowance.tax) == (D("0"), D("8.85"), D("1.15"))
    for bad in ("0", "-1", "339.01"):
        with pytest.raises(ValueError):
            credit_line(line, D(bad))


def test_lookup_and_reprint(rig: Rig) -> None:
    blue = rig.blue("R1")
    [entry] = rig.service.corrections.lookup(blue)
    assert entry.state is InvoiceState.ISSUED and entry.source == "kiosk"
    assert entry.to_dict()["state"] == "issued" and entry.to_dict()["total"] == "113.00"
    stranger = rig.sandbox.issue(request("R2"))  # issued at the platform, not through this kiosk
    [elsewhere] = rig.service.corrections.lookup("R2")
    assert elsewhere.source == "platform" and elsewhere.invoice == stranger
    assert rig.service.corrections.lookup("NOPE") == [] and rig.service.corrections.lookup("26112000000000000099") == []
    form = rig.service.corrections.file_red_form(blue, RedReason.ISSUED_IN_ERROR)
    red = rig.service.corrections.issue_red(form.form_number).invoice
    assert red is not None
    ops = rig.service.corrections.reprint(red.number, paper_width_mm=58)
    text = "\n".join(op.text for op in ops if isinstance(op, Text))
    assert "（红字）" in text and blue in text and form.form_number in text
    with pytest.raises(KeyError):
        rig.service.corrections.reprint("26112000000000000099", paper_width_mm=58)


def test_each_full_credit_frees_the_order_under_a_new_id(rig: Rig) -> None:
    ids, numbers = [], []
    for _ in range(3):
        out = rig.service.issue(request("W1"))
        assert out.status is IssueStatus.ISSUED and out.invoice is not None
        ids.append(out.request_id)
        numbers.append(out.invoice.number)
        form = rig.service.corrections.file_red_form(out.invoice.number, RedReason.ISSUED_IN_ERROR)
        assert rig.service.corrections.issue_red(form.form_number).status is IssueStatus.ISSUED
    assert len(set(ids)) == 3 and len(set(numbers)) == 3
    assert ids[0] == request_id_for(["W1"], SELLER.tax_id)
    assert rig.service.find_invoice_for_order("W1") is None
    assert [e.state for e in rig.service.corrections.lookup("W1")].count(InvoiceState.CREDITED) == 3
