"""IssuingService refuses a viewer (before anything is recorded or sent); an issuer issues."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.accounts import AccountsService, PermissionDenied, Role
from kiosk.audit import AuditTrail
from kiosk.issuing import IssueStatus, IssuingService
from kiosk.messaging import Messenger
from kiosk.messaging.folder import FolderSms
from kiosk.model import InvoiceKind, InvoiceRequest
from kiosk.rules import request_id_for
from kiosk.storage import open_database as kiosk_db
from tests.helpers.platform import COMPANY, SELLER, MutableClock, make_sandbox, meal

from .conftest import STRONG


def request(order_no: str) -> InvoiceRequest:
    return InvoiceRequest(request_id=request_id_for([order_no], SELLER.tax_id),
                          order_nos=(order_no,), buyer=COMPANY, kind=InvoiceKind.NORMAL, lines=(meal(),),
                          drawer="自助终端")


def test_viewer_is_refused_by_the_issuing_service(tmp_path: Path) -> None:
    clock = MutableClock()
    sandbox = make_sandbox(tmp_path, clock)
    db = kiosk_db(tmp_path / "kiosk.db")
    audit = AuditTrail(db, clock=clock)
    accounts = AccountsService(db, messenger=Messenger(FolderSms(tmp_path / "sms")), audit=audit)
    accounts.create_account("acme", STRONG, "enterprise", name="示例科技有限公司",
                            tax_id="91350200776049653A")
    accounts.create_account("zhao", STRONG, "person", enterprise="acme", role=Role.VIEWER)
    accounts.create_account("li", STRONG, "person", enterprise="acme", role=Role.ISSUER)
    service = IssuingService(db, sandbox, seller_tax_id=SELLER.tax_id,
                             documents_dir=tmp_path / "docs", audit=audit, clock=clock,
                             permissions=accounts.require)
    try:
        with pytest.raises(PermissionDenied) as err:
            service.issue(request("A1"), account="zhao")
        assert err.value.role is Role.VIEWER and "viewer" in err.value.message_en
        assert service.pending() == [] and service.entry(request("A1").request_id) is None
        with pytest.raises(PermissionDenied):
            service.issue(request("A1"), account="nobody")
        out = service.issue(request("A1"), account="li")
        assert out.status is IssueStatus.ISSUED
    finally:
        sandbox.close()
        db.close()


def test_an_account_without_a_permission_check_is_refused(tmp_path: Path) -> None:
    clock = MutableClock()
    sandbox = make_sandbox(tmp_path, clock)
    db = kiosk_db(tmp_path / "kiosk.db")
    service = IssuingService(db, sandbox, seller_tax_id=SELLER.tax_id,
                             documents_dir=tmp_path / "docs", clock=clock)
    try:
        with pytest.raises(PermissionDenied):
            service.issue(request("A1"), account="li")
    finally:
        sandbox.close()
        db.close()
