"""Claim slips: what a queued request's slip is good for, at any kiosk of the shop.

When the platform cannot be reached the kiosk keeps the request in its outbox
and prints a claim slip whose QR code (:func:`kiosk.orderqr.make_claim_qr`) names
the request id, signed with the shop's ``[orders] qr_secret``. :class:`ClaimDesk`
answers a scanned slip:

- the request is in THIS kiosk's outbox: issued -> that invoice; rejected -> the
  platform's reason; still queued -> one more try now, with the same request id;
- another kiosk of the shop took it: the platform is asked by request id (the
  platform is idempotent on it); issued -> the invoice, stored here as well so it
  can be reprinted and found again; not seen yet -> still queued (the kiosk that
  took it keeps trying); the platform unreachable -> unknown for now.

:meth:`ClaimDesk.mail_when_issued` adds an e-mail address to a queued request, so
the official files go out through the mail outbox the moment it is issued (or at
once when it already is). Blocking IO: the flow runs both on its runner.
"""

from __future__ import annotations

import dataclasses
import logging

from kiosk import outcomes
from kiosk.issuing import IssuingService
from kiosk.messages import Problem, text_for
from kiosk.model import RequestStatus
from kiosk.outcomes import IssueOutcome, IssueStatus
from kiosk.platform.gateway import PlatformError

log = logging.getLogger("kiosk.claims")


class ClaimDesk:
    """Scanned claim slips and "e-mail me when it is issued", over the issuing service."""

    def __init__(self, issuing: IssuingService) -> None:
        self.issuing = issuing

    def claim(self, request_id: str) -> IssueOutcome:
        """What became of ``request_id`` (blocking; never raises a PlatformError)."""
        issuing = self.issuing
        entry = issuing.entry(request_id)
        if entry is not None:  # this kiosk took the request
            if entry.status is RequestStatus.REJECTED:
                return outcomes.rejected(request_id, list(entry.errors))
            outcome = issuing.retry(request_id)  # issued: the invoice; else one try now
            if outcome.status is IssueStatus.QUEUED:
                outcome = _said(outcome, "flow.claim_still_queued")
            log.info("claim slip scanned", extra={
                "event": "claims.local", "request_id": request_id,
                "status": outcome.status.value})
            return outcome
        recorder = issuing.recorder
        with recorder.busy:
            try:
                invoice = issuing.gateway.query_request(request_id)
            except PlatformError as err:
                log.warning("claim slip: platform unreachable", extra={
                    "event": "claims.unreachable", "request_id": request_id,
                    "error": str(err)[:200]})
                return _said(outcomes.unknown(request_id), "flow.claim_cannot_check")
            if invoice is None:
                log.info("claim slip: not issued yet", extra={
                    "event": "claims.not_yet", "request_id": request_id})
                return _said(outcomes.queued(request_id), "flow.claim_elsewhere")
            recorder.store(invoice, mail_to="")
            xml, pdf = recorder.finish(invoice)
        log.info("claim slip: issued at another kiosk", extra={
            "event": "claims.remote", "request_id": request_id, "number": invoice.number})
        return outcomes.issued(request_id, invoice, mailed=False, xml_path=xml, pdf_path=pdf)

    def mail_when_issued(self, request_id: str, address: str) -> bool:
        """E-mail the invoice of ``request_id`` to ``address`` once it is issued (at once
        when it is). False when this kiosk does not hold the request or it was refused."""
        issuing = self.issuing
        with issuing.recorder.busy:
            entry = issuing.entry(request_id)
            if entry is None or entry.status is RequestStatus.REJECTED:
                return False
            buyer = dataclasses.replace(entry.request.buyer, email=address)
            request = dataclasses.replace(entry.request, buyer=buyer)
            issuing.outbox.update_request(request, issuing.clock())
            if entry.status is RequestStatus.ISSUED and entry.invoice_number:
                stored = issuing.outbox.invoice(entry.invoice_number)
                if stored is not None and stored.mail_state in ("none", "wanted"):
                    issuing.outbox.set_mail_state(entry.invoice_number, "wanted")
                    issuing.recorder.finish(stored.invoice)
        log.info("mail wanted when issued", extra={
            "event": "claims.mail_wanted", "request_id": request_id,
            "status": entry.status.value})
        return True


def _said(outcome: IssueOutcome, code: str) -> IssueOutcome:
    """``outcome`` told in a claim's own words (a slip scanned again, not a new request)."""
    problem = Problem.of(code)
    words = text_for(problem)
    return dataclasses.replace(outcome, problem=problem, message_zh=words.zh,
                               message_en=words.en)
