"""Documents rendered in a child process: the same bytes as inline, a dead child is replaced."""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator

import pytest

from kiosk.documents.renderer import ProcessDocumentRenderer, render_inline, render_ofd_inline
from tests.helpers.invoices import sample_invoice


@pytest.fixture(scope="module")
def renderer() -> Iterator[ProcessDocumentRenderer]:
    r = ProcessDocumentRenderer()
    yield r
    r.close()


def test_the_child_renders_the_same_bytes_as_inline(renderer: ProcessDocumentRenderer) -> None:
    invoice = sample_invoice()
    assert renderer.pdf(invoice, watermark="样票") == render_inline(invoice, watermark="样票")
    assert renderer.ofd(invoice) == render_ofd_inline(invoice)
    assert renderer.child_pid() != os.getpid()


def test_a_killed_child_is_replaced_and_the_pdf_still_comes(
        renderer: ProcessDocumentRenderer) -> None:
    first = renderer.child_pid()
    os.kill(first, signal.SIGKILL)
    pdf = renderer.pdf(sample_invoice())
    assert pdf.startswith(b"%PDF")
    assert renderer.child_pid() not in (first, os.getpid())


def test_a_closed_renderer_refuses_work() -> None:
    r = ProcessDocumentRenderer()
    r.close()
    with pytest.raises(RuntimeError):
        r.pdf(sample_invoice())
