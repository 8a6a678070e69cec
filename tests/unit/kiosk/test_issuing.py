"""Exactly-once issuing through the outbox: lost answers, outages, rejections, crashes.

Every test runs the real SandboxPlatform (its own SQLite file) and, where the
network matters, a real SandboxServer + RemoteGateway on 127.0.0.1. The
invariant checked everywhere: the sandbox holds exactly one invoice per order.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.audit import AuditTrail
from kiosk.issuing import IssueStatus, IssuingService, describe
from kiosk.mail import MaildirMailer, MailOutbox
from kiosk.model import Buyer, InvoiceKind, InvoiceRequest, RequestStatus
from kiosk.platform.gateway import PlatformTimeout
from kiosk.platform.sandbox import SandboxPlatform
from kiosk.rules import request_id_for
from tests.helpers.kioskenv import kiosk_db
from tests.helpers.platform import (
    COMPANY,
    PERSON,
    SELLER,
    MutableClock,
    count_invoices,
    goods,
    make_sandbox,
    meal,
    remote_for,
    running_server,
)


def request(*order_nos: str, buyer: Buyer = COMPANY, kind: InvoiceKind = InvoiceKind.NORMAL,
            lines: tuple = (meal(),)) -> InvoiceRequest:  # type: ignore[type-arg]
    return InvoiceRequest(request_id=request_id_for(order_nos, SELLER.tax_id), order_nos=order_nos,
                          buyer=buyer, kind=kind, lines=lines, drawer="自助终端")


def invoices_for(sandbox: SandboxPlatform, order_no: str) -> int:
    with sandbox._db() as db:
        return int(db.conn.execute("SELECT count(*) FROM invoice_orders WHERE order_no = ?",
                                   [order_no]).fetchone()[0])


@dataclasses.dataclass
class Rig:
    sandbox: SandboxPlatform
    service: IssuingService
    clock: MutableClock
    docs: Path
    audit: AuditTrail
    mail: MailOutbox
    maildir: Path


@pytest.fixture()
def rig(tmp_path: Path) -> Iterator[Rig]:
    clock = MutableClock()
    sandbox = make_sandbox(tmp_path, clock)
    db = kiosk_db(tmp_path / "kiosk.db")
    audit = AuditTrail(db, clock=clock)
    mail = MailOutbox(db, MaildirMailer(tmp_path / "maildir"), sender="kiosk@example.com",
                      clock=clock)
    service = IssuingService(db, sandbox, seller_tax_id=SELLER.tax_id,
                             documents_dir=tmp_path / "docs", mailer=mail, audit=audit, clock=clock)
    yield Rig(sandbox, service, clock, tmp_path / "docs", audit, mail, tmp_path / "maildir")
    sandbox.close()
    db.close()


def test_issue_stores_writes_documents_audits_and_is_idempotent(rig: Rig) -> None:
    out = rig.service.issue(request("A1"))
    assert out.status is IssueStatus.ISSUED and out.invoice is not None
    number = out.invoice.number
    assert out.xml_path == rig.docs / f"{number}.xml" and out.pdf_path == rig.docs / f"{number}.pdf"
    assert out.pdf_path.read_bytes().startswith(b"%PDF")
    assert number.encode() in out.xml_path.read_bytes()
    assert not list(rig.docs.glob(".*tmp"))  # no temp files left behind
    assert [r["action"] for r in rig.audit.rows()] == ["invoice.issued"]
    assert rig.audit.verify().ok
    assert rig.service.find_invoice_for_order("A1") == out.invoice
    assert rig.service.entry(out.request_id).status is RequestStatus.ISSUED  # type: ignore[union-attr]

    again = rig.service.issue(request("A1", buyer=PERSON))
    assert again.status is IssueStatus.ALREADY_INVOICED
    assert again.invoice is not None and again.invoice.number == number
    assert "不会重复开具" in again.message_zh
    assert invoices_for(rig.sandbox, "A1") == 1 and len(rig.audit.rows()) == 1
    data = describe(out)
    assert data["invoice_number"] == number and data["total"] == "113.00"
    assert data["net"] == "106.60" and data["tax"] == "6.40"


def test_lost_answer_after_commit_is_found_by_query(rig: Rig) -> None:
    rig.sandbox.faults.set(timeout_after_commit=1)
    out = rig.service.issue(request("A1"))
    assert out.status is IssueStatus.ISSUED and out.invoice is not None
    assert invoices_for(rig.sandbox, "A1") == 1
    assert rig.service.pending() == []


class _QueryFailsAfterTimeout:
    """The real sandbox, but the network goes down right after an answer is lost."""

    def __init__(self, sandbox: SandboxPlatform) -> None:
        self.sandbox = sandbox

    def __getattr__(self, name: str) -> object:
        return getattr(self.sandbox, name)

    def issue(self, req: InvoiceRequest) -> object:
        try:
            return self.sandbox.issue(req)
        except PlatformTimeout:
            self.sandbox.faults.set(unavailable=True)
            raise


def test_unknown_outcome_is_queried_before_any_resend(rig: Rig) -> None:
    rig.service.gateway = _QueryFailsAfterTimeout(rig.sandbox)  # type: ignore[assignment]
    rig.sandbox.faults.set(timeout_after_commit=1)
    out = rig.service.issue(request("A1"))
    assert out.status is IssueStatus.UNKNOWN and out.invoice is None
    assert "不会重复开票" in out.message_zh
    [entry] = rig.service.pending()
    assert entry.status is RequestStatus.UNKNOWN
    # The kiosk asks again while the platform is still down: still unknown, nothing sent.
    assert rig.service.resolve_pending()[0].status is IssueStatus.UNKNOWN
    # A new request for an overlapping set of orders must wait, never go out under a new id.
    blocked = rig.service.issue(request("A1", "B1"))
    assert blocked.status is IssueStatus.UNKNOWN and blocked.errors[0].code == "REQUEST_IN_FLIGHT"
    rig.sandbox.faults.clear()
    [resolved] = rig.service.resolve_pending()
    assert resolved.status is IssueStatus.ISSUED and resolved.invoice is not None
    assert invoices_for(rig.sandbox, "A1") == 1 and count_invoices(rig.sandbox) == 1
    assert rig.service.issue(request("A1")).status is IssueStatus.ALREADY_INVOICED


def test_unavailable_is_queued_then_drained(rig: Rig) -> None:
    rig.sandbox.faults.set(unavailable=True)
    out = rig.service.issue(request("A1"))
    assert out.status is IssueStatus.QUEUED and "自动开具" in out.message_zh
    rig.service.issue(request("B1"))
    assert [e.status for e in rig.service.pending()] == [RequestStatus.PENDING] * 2
    assert rig.service.resolve_pending() == []  # not due yet (back-off)
    rig.clock.advance(minutes=5)
    assert [o.status for o in rig.service.resolve_pending()] == [IssueStatus.QUEUED]  # stops early
    rig.sandbox.faults.clear()
    rig.clock.advance(minutes=5)
    outcomes = rig.service.resolve_pending()
    assert [o.status for o in outcomes] == [IssueStatus.ISSUED, IssueStatus.ISSUED]
    assert rig.service.pending() == [] and count_invoices(rig.sandbox) == 2


def test_rejected_then_corrected_under_the_same_request_id(rig: Rig) -> None:
    out = rig.service.issue(request("A1", buyer=PERSON, kind=InvoiceKind.SPECIAL))
    assert out.status is IssueStatus.REJECTED and out.errors
    assert "E_SPECIAL_PERSON" in [e.code for e in out.errors]
    assert count_invoices(rig.sandbox) == 0 and rig.service.pending() == []
    fixed = rig.service.issue(request("A1", buyer=PERSON))
    assert fixed.status is IssueStatus.ISSUED and fixed.request_id == out.request_id


@pytest.mark.parametrize("platform_saw_it", [False, True])
def test_kiosk_died_after_marking_sent(rig: Rig, platform_saw_it: bool) -> None:
    req = request("A1")
    rig.service.outbox.record(req, rig.clock())
    rig.service.outbox.set_status(req.request_id, RequestStatus.SENT, rig.clock(), attempt=True)
    if platform_saw_it:
        rig.sandbox.issue(req)  # committed at the platform, the answer died with the kiosk
    [out] = rig.service.resolve_pending()
    assert out.status is IssueStatus.ISSUED
    assert invoices_for(rig.sandbox, "A1") == 1
    assert rig.service.find_invoice_for_order("A1") is not None


def test_order_invoiced_under_another_request(rig: Rig) -> None:
    first = rig.service.issue(request("A1", "B1", lines=(meal(), goods())))
    assert first.status is IssueStatus.ISSUED and first.invoice is not None
    other_db = kiosk_db(rig.docs.parent / "other-kiosk.db")  # a second kiosk, same platform
    other = IssuingService(other_db, rig.sandbox, seller_tax_id=SELLER.tax_id,
                           documents_dir=rig.docs.parent / "other-docs")
    out = other.issue(request("A1"))
    assert out.status is IssueStatus.ALREADY_INVOICED
    assert out.invoice is not None and out.invoice.number == first.invoice.number
    assert other.find_invoice_for_order("B1") == first.invoice
    assert count_invoices(rig.sandbox) == 1


def test_mail_is_queued_never_blocks_and_drains(rig: Rig) -> None:
    buyer = dataclasses.replace(COMPANY, email="buyer@example.com")
    out = rig.service.issue(request("A1", buyer=buyer))
    assert out.status is IssueStatus.ISSUED and "邮箱" in out.message_zh
    [entry] = rig.mail.pending()
    assert entry.invoice_number == out.invoice.number  # type: ignore[union-attr]
    assert rig.mail.drain().sent == [entry.id]
    [msg_file] = (rig.maildir / "new").iterdir()
    assert out.invoice.number.encode() in msg_file.read_bytes()  # type: ignore[union-attr,operator]
    # issuing again never sends a second mail
    rig.service.issue(request("A1", buyer=buyer))
    rig.service.resolve_pending()
    assert rig.mail.pending() == []


def test_wrong_request_id_is_a_programming_error(rig: Rig) -> None:
    with pytest.raises(ValueError):
        rig.service.issue(dataclasses.replace(request("A1"), request_id="RQ-made-up"))


# --- over HTTP -------------------------------------------------------------------------


def test_http_answer_lost_after_commit(rig: Rig) -> None:
    with running_server(rig.sandbox) as server:
        rig.service.gateway = remote_for(server, timeout_s=5)
        rig.sandbox.faults.set(timeout_after_commit=1)
        out = rig.service.issue(request("A1"))
    assert out.status is IssueStatus.ISSUED
    assert invoices_for(rig.sandbox, "A1") == 1


class _SlowIssueSandbox(SandboxPlatform):
    """The real sandbox; only ``issue`` is slow, so the kill lands inside the issue call."""

    def issue(self, request: InvoiceRequest) -> object:  # type: ignore[override]
        self.faults.set(latency_s=30)
        return super().issue(request)


def test_http_server_killed_mid_request(rig: Rig, tmp_path: Path) -> None:
    slow = _SlowIssueSandbox(tmp_path / "sandbox.db", SELLER,
                             monthly_quota=rig.sandbox.monthly_quota, clock=rig.clock)
    server_cm = running_server(slow)
    server = server_cm.__enter__()
    port = server.server_address[1]
    rig.service.gateway = remote_for(server, timeout_s=5, retries=0)
    result: dict[str, object] = {}
    worker = threading.Thread(target=lambda: result.update(out=rig.service.issue(request("A1"))))
    worker.start()
    assert slow.faults.waiting.wait(10), "the issue call never reached the platform"
    server.kill()  # the platform process dies with the call in flight: nothing committed
    worker.join(10)
    out = result["out"]
    assert out.status is IssueStatus.UNKNOWN  # type: ignore[attr-defined]
    assert count_invoices(rig.sandbox) == 0
    # The platform comes back (a new process on the same database and port).
    revived = SandboxPlatform(rig.sandbox.db_path, SELLER, monthly_quota=rig.sandbox.monthly_quota,
                              clock=rig.clock)
    with running_server(revived, port=port):
        [resolved] = rig.service.resolve_pending()
        assert resolved.status is IssueStatus.ISSUED
        assert rig.service.issue(request("A1")).status is IssueStatus.ALREADY_INVOICED
    assert invoices_for(revived, "A1") == 1
    revived.close()


def test_concurrent_issue_for_one_order_gives_one_invoice(rig: Rig) -> None:
    barrier = threading.Barrier(4)
    outs: list[object] = []

    def go() -> None:
        barrier.wait()
        outs.append(rig.service.issue(request("A1")))

    threads = [threading.Thread(target=go) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(20)
    statuses = sorted(o.status.value for o in outs)  # type: ignore[attr-defined]
    assert statuses == ["already_invoiced"] * 3 + ["issued"]
    assert len({o.invoice.number for o in outs}) == 1  # type: ignore[attr-defined]
    assert invoices_for(rig.sandbox, "A1") == 1


def test_clock_is_injected(rig: Rig) -> None:
    rig.clock.set(dt.datetime(2026, 3, 10, 10, 0, tzinfo=dt.UTC))
    rig.sandbox.faults.set(unavailable=True)
    rig.service.issue(request("A1"))
    [entry] = rig.service.pending()
    assert entry.created_at == dt.datetime(2026, 3, 10, 10, 0, tzinfo=dt.UTC)
    assert entry.next_attempt_at > entry.created_at


def test_retry_sends_a_queued_request_now(rig: Rig) -> None:
    rig.sandbox.faults.set(unavailable=True)
    queued = rig.service.issue(request("A1"))
    rig.sandbox.faults.clear()
    out = rig.service.retry(queued.request_id)
    assert out.status is IssueStatus.ISSUED
    assert rig.service.retry(queued.request_id).status is IssueStatus.ALREADY_INVOICED
    with pytest.raises(KeyError):
        rig.service.retry("RQ-NOSUCH")


def test_unwritable_documents_never_undo_issuing(rig: Rig) -> None:
    rig.docs.parent.mkdir(parents=True, exist_ok=True)
    rig.docs.write_text("a file where the folder should be")
    out = rig.service.issue(request("A1"))
    assert out.status is IssueStatus.ISSUED and out.xml_path is None
    assert rig.service.documents_for(out.invoice.number) is None  # type: ignore[union-attr]
    rig.docs.unlink()
    rig.service.resolve_pending()  # start-up work writes what is missing
    xml, pdf = rig.service.documents_for(out.invoice.number)  # type: ignore[union-attr,misc]
    assert xml.is_file() and pdf.is_file()
    assert invoices_for(rig.sandbox, "A1") == 1


def test_refused_smtp_never_blocks_issuing(rig: Rig) -> None:
    from kiosk.mail import SmtpMailer
    from tests.helpers.smtp import free_port

    rig.mail.mailer = SmtpMailer("127.0.0.1", free_port(), security="none", timeout_s=2)
    buyer = dataclasses.replace(COMPANY, email="buyer@example.com")
    out = rig.service.issue(request("A1", buyer=buyer))
    assert out.status is IssueStatus.ISSUED
    assert rig.mail.drain().retry_later and len(rig.mail.pending()) == 1


def test_resend_after_crash_uses_the_corrected_title(rig: Rig) -> None:
    first = request("A1", buyer=PERSON)
    rig.service.outbox.record(first, rig.clock())
    rig.service.outbox.set_status(first.request_id, RequestStatus.SENT, rig.clock())
    corrected = request("A1", buyer=COMPANY)  # the platform never saw the first version
    out = rig.service.issue(corrected)
    assert out.status is IssueStatus.ISSUED and out.invoice is not None
    assert out.invoice.buyer.name == COMPANY.name
    assert rig.service.entry(first.request_id).request.buyer == COMPANY  # type: ignore[union-attr]
