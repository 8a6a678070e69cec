"""Only the platform's official documents are stored and e-mailed (issue 13, item 3).

When the platform's XML/PDF cannot be fetched, the invoice stands, nothing of
the kiosk's own rendering is stored as the invoice, and ``resolve_pending``
writes the official files once the platform delivers them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kiosk.issuing import IssueStatus, IssuingService
from kiosk.platform.gateway import InvoiceDocuments, PlatformUnavailable
from kiosk.rules import request_id_for
from tests.helpers.kioskenv import kiosk_db
from tests.helpers.platform import MutableClock, make_request, make_sandbox


class _DocumentsDown:
    """The real sandbox, whose documents() fails while ``down`` is set."""

    def __init__(self, sandbox: Any) -> None:
        self.sandbox = sandbox
        self.down = True

    def __getattr__(self, name: str) -> Any:
        return getattr(self.sandbox, name)

    def documents(self, number: str) -> InvoiceDocuments:
        if self.down:
            raise PlatformUnavailable(message_en="documents service down")
        docs: InvoiceDocuments = self.sandbox.documents(number)
        return docs


def test_no_local_substitute_then_the_official_files(tmp_path: Path) -> None:
    sandbox = make_sandbox(tmp_path, MutableClock())
    gateway = _DocumentsDown(sandbox)
    db = kiosk_db(tmp_path / "kiosk.db")
    service = IssuingService(db, gateway, seller_tax_id="91110108MA01ABCD2X",  # type: ignore[arg-type]
                             documents_dir=tmp_path / "docs")
    try:
        outcome = service.issue(make_request(
            "OD1", request_id=request_id_for(["OD1"], "91110108MA01ABCD2X")))
        assert outcome.status is IssueStatus.ISSUED and outcome.invoice is not None
        assert outcome.xml_path is None and outcome.pdf_path is None
        assert not (tmp_path / "docs").exists() or not any((tmp_path / "docs").iterdir())
        gateway.down = False
        service.resolve_pending()
        paths = service.documents_for(outcome.invoice.number)
        assert paths is not None
        official = sandbox.documents(outcome.invoice.number)
        assert paths[0].read_bytes() == official.xml and paths[1].read_bytes() == official.pdf
    finally:
        db.close()
        sandbox.close()
