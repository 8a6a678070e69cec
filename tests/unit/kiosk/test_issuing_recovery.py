"""Issue 15 item 5: an invoice stored without its documents is finished by the next issue,
and two issuers of one order (two processes) give one invoice, both reporting it.
"""

from __future__ import annotations

import multiprocessing
import threading
from pathlib import Path

from kiosk.issuing import IssueStatus, IssuingService
from kiosk.recorder import IssuingLock
from tests.helpers.kioskenv import kiosk_db
from tests.helpers.platform import SELLER, MutableClock, make_sandbox
from tests.unit.kiosk.test_issuing import Rig, invoices_for, request
from tests.unit.kiosk.test_issuing import rig as rig  # noqa: F401 - the same fixture


def test_an_invoice_stored_without_documents_is_finished_by_the_next_issue(rig: Rig) -> None:
    """The state a kill between "invoice stored" and "documents written" leaves: the next
    ``issue`` for the order writes the documents and reports them (was: no paths, exit 1)."""
    rig.docs.parent.mkdir(parents=True, exist_ok=True)
    rig.docs.write_text("a file where the folder should be")
    first = rig.service.issue(request("A1"))
    assert first.status is IssueStatus.ISSUED and first.xml_path is None
    rig.docs.unlink()
    again = rig.service.issue(request("A1"))
    assert again.status is IssueStatus.ALREADY_INVOICED
    assert again.invoice is not None and again.invoice.number == first.invoice.number  # type: ignore[union-attr]
    assert again.xml_path is not None and again.xml_path.is_file()
    assert again.pdf_path is not None and again.pdf_path.is_file()
    assert invoices_for(rig.sandbox, "A1") == 1


def test_the_issuing_lock_excludes_other_processes(tmp_path: Path) -> None:
    """The lock the service holds around each request is an OS lock: another process waits."""
    path = tmp_path / "kiosk.db"
    ctx = multiprocessing.get_context("spawn")
    with IssuingLock(path):
        child = ctx.Process(target=_take_lock, args=(str(path), str(tmp_path / "took")))
        child.start()
        child.join(timeout=3)  # it must still be waiting: it cannot take the lock we hold
        assert child.is_alive() and not (tmp_path / "took").exists()
    child.join(timeout=120)
    assert child.exitcode == 0 and (tmp_path / "took").exists()


def _take_lock(path: str, marker: str) -> None:
    with IssuingLock(Path(path)):
        Path(marker).write_text("took")


def test_two_services_on_one_database_issue_once_and_both_report_it(tmp_path: Path) -> None:
    """Two IssuingService objects (as two processes have) on one kiosk.db and one platform."""
    clock = MutableClock()
    sandbox = make_sandbox(tmp_path, clock)
    services = []
    dbs = []
    for _ in range(2):
        db = kiosk_db(tmp_path / "kiosk.db")
        dbs.append(db)
        services.append(IssuingService(db, sandbox, seller_tax_id=SELLER.tax_id,
                                       documents_dir=tmp_path / "docs", clock=clock))
    results: list[object] = [None, None]
    start = threading.Barrier(2)

    def run(i: int) -> None:
        start.wait()
        results[i] = services[i].issue(request("R1"))

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    numbers = set()
    for out in results:
        assert out is not None
        assert out.status in (IssueStatus.ISSUED, IssueStatus.ALREADY_INVOICED)  # type: ignore[attr-defined]
        assert out.xml_path is not None and out.pdf_path is not None  # type: ignore[attr-defined]
        numbers.add(out.invoice.number)  # type: ignore[attr-defined]
    assert len(numbers) == 1 and invoices_for(sandbox, "R1") == 1
    sandbox.close()
    for db in dbs:
        db.close()


def test_a_red_invoice_stored_without_documents_is_finished_by_the_next_red_issue(
        rig: Rig) -> None:
    from kiosk.model import RedReason
    from tests.helpers.platform import PERSON

    blue = rig.service.issue(request("A2", buyer=PERSON))  # a person: no confirmation needed
    assert blue.invoice is not None
    form = rig.service.corrections.file_red_form(blue.invoice.number, RedReason.ISSUED_IN_ERROR)
    rig.docs.rename(rig.docs.with_name("docs-aside"))
    rig.docs.write_text("a file where the folder should be")
    red = rig.service.corrections.issue_red(form.form_number)
    assert red.invoice is not None and red.xml_path is None
    rig.docs.unlink()
    again = rig.service.corrections.issue_red(form.form_number)
    assert again.invoice is not None and again.invoice.number == red.invoice.number
    assert again.xml_path is not None and again.xml_path.is_file()
    assert again.pdf_path is not None and again.pdf_path.is_file()
