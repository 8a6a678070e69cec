"""Documents rendered in a child process: the same bytes as inline, a dead child is replaced."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
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


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            return stat.read().split(")")[-1].split()[0] != "Z"  # a zombie is gone
    except FileNotFoundError:
        return False


def test_the_child_does_not_outlive_a_killed_kiosk() -> None:
    # A SIGKILLed kiosk closes nothing the child waits on (its queue holds both pipe
    # ends): the renderer was left running after every killed GUI kiosk.
    script = ("import sys\nfrom kiosk.documents.renderer import ProcessDocumentRenderer\n"
              "r = ProcessDocumentRenderer()\nprint(r.child_pid(), flush=True)\n"
              "sys.stdin.read()\n")
    parent = subprocess.Popen([sys.executable, "-c", script], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    try:
        child = int(parent.stdout.readline())  # type: ignore[union-attr]
        assert _alive(child)
        parent.kill()
        parent.wait()
        deadline = time.monotonic() + 60  # a bound for a wedged run, not a measurement
        while _alive(child) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not _alive(child), "the renderer outlived its kiosk"
    finally:
        if parent.poll() is None:
            parent.kill()
