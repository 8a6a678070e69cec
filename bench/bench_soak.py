"""Soak: many walk-in sessions on the Qt-free core with random faults (issue 15 item 10).

``python -m bench soak`` (``KIOSK_BENCH_SESSIONS``, default 10,000; ``KIOSK_BENCH_SEED``;
``KIOSK_BENCH_SOAK_PDF_EVERY``, default 100). 10,000 sessions took 22 minutes on
the 2-core build machine.
Each session is a whole personal e-invoice on the core the GUI uses (``app.core``):
the receipt QR scanned, orders accepted, buyer, confirm, issue on the embedded
sandbox platform (XML + PDF), the receipt printed on the emulated printer behind
its worker, finish. Random faults, drawn per session:

- scanner garbage before the real scan (random bytes/text, or a forged QR);
- the platform: one "unavailable" answer, or the answer lost after the commit
  (outcome unknown; the kiosk must query, never issue twice);
- the printer: offline or cover open during the session, cleared after;
- a restart of the whole core on the same data folder every 500 sessions (a third
  of a shorter run): graceful close and rebuild;
- a kill: every 1,000 sessions (``KIOSK_BENCH_SOAK_KILL_EVERY``; a third of a shorter
  run) the core is closed and a real ``kiosk issue`` process issues an extra order on
  the same data folder, SIGKILLed once a random point of the issue path (recorded,
  sent, issued at the platform, audited, stored) is in its log; then the core is built
  again and resolves what was left, as the kiosk does at start-up. Every kill point,
  with the HTTP platform and red letters too, is tested in ``tests/reliability/``.

Unfinished requests are resolved as the kiosk does (``resolve_pending``) at each
checkpoint and at the end. Reported side by side at checkpoints: resident memory,
open file descriptors, threads, the PDF renderer child's memory, ERROR log records; at the end: invoices lost
(an order the platform invoiced that the kiosk does not know, or the reverse),
duplicated (an order with two invoices at the platform), sessions that ended
anywhere but the attract screen, faults injected. Not a test: a bench.

Documents: the platform draws the real invoice PDF (CJK font, layout, watermark) for
one invoice in ``KIOSK_BENCH_SOAK_PDF_EVERY``, in the renderer's child process as
``kiosk run`` does (rendered in this process, the font's short-lived allocations made
its RSS wander by tens of MB, which is not the kiosk's growth), and a one-page
placeholder PDF for the others (:class:`SampledRenderer`). A real PDF costs ~0.7 s of CPU, 95% of a session
when every invoice had one (cProfile of 30 sessions: 4.0 s of 4.2 s per session in
fpdf2's font parsing and fontTools' subsetting), so 10,000 sessions took ~20 hours
(7 s each on the busy 2-core machine); that cost is ``python -m bench documents``'s
subject. Everything else is the same for every session:
the platform stores the documents on first fetch, the kiosk fetches them and writes the
XML and PDF files, the receipt goes to the printer as ESC/POS bytes.
"""

from __future__ import annotations

import gc
import json
import logging
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import tempfile
import threading
from collections import Counter
from pathlib import Path
from typing import Any

from bench.runner import Runner

# The issue path's own log events, in order (tests/reliability/test_kill_and_race.py's).
KILL_POINTS = ("issuing.recorded", "issuing.sent", "platform.sandbox.issued", "audit.recorded",
               "issuing.issued")


def _rss_mb(pid: int | str = "self") -> float:
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def _fds() -> int:
    return len(os.listdir("/proc/self/fd"))


class _Errors(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.count = 0
        self.first: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1
        if len(self.first) < 5:
            self.first.append(f"{record.name}: {record.getMessage()}")


def _orders(n: int, prefix: str = "SOAK") -> list[dict[str, object]]:
    return [{"order_no": f"{prefix}{i:06d}", "paid_at": "2026-11-29T12:30:00+08:00",
             "lines": [{"name": "工作日午餐套餐", "short_name": "餐饮服务",
                        "tax_code": "3070401000000000000", "quantity": "1",
                        "unit_price": f"{20 + i % 50}.00", "amount": f"{20 + i % 50}.00",
                        "rate": "0.06"}]}
            for i in range(n)]


class SampledRenderer:
    """The sandbox platform's document renderer for the soak: every ``every``-th invoice's
    PDF (and any OFD) is the real layout with the CJK font, the others a one-page
    placeholder PDF naming the invoice.

    A real invoice PDF costs ~0.7 s of CPU (fpdf2 parses and subsets the CJK font: 95%
    of a session's time, measured with cProfile), so 10,000 of them would take hours on
    the 2-core machine; ``python -m bench documents`` measures that cost. The issuing
    path is unchanged: the platform still draws and stores documents on the first
    fetch, the kiosk still fetches and writes XML and PDF for every invoice.
    """

    def __init__(self, every: int) -> None:
        from kiosk.documents.renderer import ProcessDocumentRenderer

        self.every = max(every, 1)
        # In a child process, as `kiosk run` renders them: the font's hundreds of MB of
        # short-lived allocations stay out of the kiosk process whose memory is measured.
        self.real = ProcessDocumentRenderer()
        self.count = 0
        self.rendered = 0

    def pdf(self, invoice: Any, *, watermark: str = "") -> bytes:
        from fpdf import FPDF

        self.count += 1
        if self.count % self.every == 1 or self.every == 1:
            self.rendered += 1
            return self.real.pdf(invoice, watermark=watermark)
        pdf = FPDF(unit="mm", format=(210, 140))
        pdf.add_page()
        pdf.set_font("helvetica", size=10)
        pdf.cell(0, 10, f"Soak placeholder for invoice {invoice.number} "
                 f"(the real layout is drawn for 1 in {self.every}) {watermark and 'SANDBOX'}")
        return bytes(pdf.output())

    def ofd(self, invoice: Any, *, watermark: str = "") -> bytes:
        return self.real.ofd(invoice, watermark=watermark)

    def child_rss_mb(self) -> float:
        return _rss_mb(self.real.child_pid())


def _log_events(log: Path, start: int) -> tuple[list[str], int]:
    """Events logged since byte ``start`` of the JSON log, and where to read on."""
    try:
        with log.open("rb") as fh:
            if fh.seek(0, os.SEEK_END) < start:
                start = 0  # rotated meanwhile
            fh.seek(start)
            chunk = fh.read()
    except FileNotFoundError:
        return [], start
    end = chunk.rfind(b"\n") + 1
    events = []
    for line in chunk[:end].splitlines():
        try:
            events.append(str(json.loads(line).get("event", "")))
        except ValueError:
            continue
    return events, start + end


def _garbage(rng: random.Random) -> str:
    kind = rng.randrange(3)
    if kind == 0:
        return bytes(rng.randrange(256) for _ in range(rng.randrange(1, 40))).decode(
            "latin-1")
    if kind == 1:
        return "KO1|SOAK000001|20.00|" + "".join(rng.choice("0123456789abcdef") for _ in range(16))
    return "".join(chr(rng.randrange(0x20, 0x3000)) for _ in range(rng.randrange(1, 30)))


class Soak:
    def __init__(self, folder: Path, total: int, seed: int, pdf_every: int = 100) -> None:
        from tests.helpers.kioskenv import KioskEnv

        self.folder = folder
        self.env = KioskEnv.create(folder, '[orders]\nseed_demo = false\n')
        self.kills_landed: Counter[str] = Counter()
        self.kills_missed: Counter[str] = Counter()
        self.receipts_cut = 0
        self.receipt_check: Counter[str] = Counter()
        self.renderer = SampledRenderer(pdf_every)
        self.total = total
        self.rng = random.Random(seed)
        self.faults: Counter[str] = Counter()
        self.ended_elsewhere: Counter[str] = Counter()
        self.outcomes: Counter[str] = Counter()
        self.rig: Any = None

    def start(self) -> None:
        from tests.helpers.app import kiosk_core

        # $KIOSK_DATA_DIR overrides the configured folder: pin it to the soak's own, or an
        # exported one would take 10,000 invoices (and the kill processes would use another).
        os.environ["KIOSK_DATA_DIR"] = str(self.env.data)

        # The same data folder and settings as the `kiosk issue` processes (kiosk.toml).
        self.rig = kiosk_core(self.env.data, renderer=self.renderer, orders={"seed_demo": False},
                              mail={"backend": "maildir"})
        root = logging.getLogger()
        for handler in list(root.handlers):  # the JSON log (and the ERROR counter), not stderr
            if isinstance(handler, logging.StreamHandler) and not isinstance(
                    handler, logging.FileHandler):
                root.removeHandler(handler)

    def killed_issue(self, order_no: str) -> None:
        """The kiosk process SIGKILLed while it issues, then started again: a real
        ``kiosk issue`` process on this data folder, killed once a random point of the
        issue path is in the log (as ``tests/reliability`` does); then the core is built
        again and resolves what is unfinished, as the kiosk does at start-up."""
        self.rig.close()
        point = self.rng.choice(KILL_POINTS)
        log = self.env.data / "logs" / "kiosk.jsonl"
        offset = log.stat().st_size if log.exists() else 0
        proc = self.env.popen("issue", "--order", order_no, "--buyer-name", "个人", "--json")
        killed = False
        try:
            while proc.poll() is None:
                events, offset = _log_events(log, offset)
                if point in events:
                    proc.send_signal(signal.SIGKILL)
                    killed = True
                    break
                try:
                    proc.wait(timeout=0.005)  # wake on exit, else look at the log again
                except subprocess.TimeoutExpired:
                    pass
        finally:
            proc.communicate(timeout=600)
        self.faults["process_sigkill"] += 1
        if killed:
            self.kills_landed[point] += 1
        else:
            self.kills_missed[point] += 1  # the process finished before its kill point
        self.start()
        self.rig.core.issuing.resolve_pending(force=True)

    def restart(self) -> None:
        self.rig.close()
        self.faults["restart"] += 1
        self.start()
        self.rig.core.issuing.resolve_pending(force=True)  # what the kiosk does at start-up

    def session(self, order: Any) -> None:
        from kiosk.flow.states import Screen

        rig, rng = self.rig, self.rng
        session = rig.session
        gateway = rig.core.gateway
        roll = rng.random()
        if roll < 0.10:
            self.faults["scanner_garbage"] += 1
            session.code_scanned(_garbage(rng))
            session.wipe("soak")
        printer_fault = ""
        if 0.10 <= roll < 0.14:
            self.faults["platform_unavailable"] += 1
            gateway.faults.set(fail_next=1, fail_code="UNAVAILABLE")
        elif 0.14 <= roll < 0.17:
            self.faults["platform_answer_lost"] += 1
            gateway.faults.set(timeout_after_commit=1)
        elif 0.17 <= roll < 0.19:
            printer_fault = "offline"
            self.faults["printer_offline"] += 1
            rig.printer.set_offline(True)
        elif 0.19 <= roll < 0.20:
            printer_fault = "cover"
            self.faults["printer_cover_open"] += 1
            rig.printer.set_cover_open(True)
        rig.printer.emulator.clear()  # the last session's paper (checked) is taken away
        session.code_scanned(rig.qr(order))
        if session.screen is Screen.ORDERS:
            session.orders.next()
        if session.screen is Screen.BUYER:
            session.buyer.next()
        if session.screen is Screen.REVIEW:
            session.review.confirm()
        self.outcomes[session.screen.value] += 1
        gateway.faults.set(fail_next=0, timeout_after_commit=0)
        if printer_fault == "offline":
            rig.printer.set_offline(False)
        elif printer_fault == "cover":
            rig.printer.set_cover_open(False)
        if session.screen is Screen.PRINTER_PROBLEM and rng.random() < 0.5:
            self.outcomes["print retried"] += 1
            session.review.print_receipt()  # the fault cleared: the buyer taps "print again"
        self.check_receipt(session.data, printer_fault)
        if session.screen is Screen.RESULT:
            session.finish()
        else:
            session.wipe("soak")  # the buyer walks away; the idle timer would do this
        if session.screen is not Screen.ATTRACT:
            self.ended_elsewhere[session.screen.value] += 1
            session.wipe("soak")

    def check_receipt(self, data: Any, printer_fault: str) -> None:
        """The session says "receipt printed" exactly when the printer cut one receipt
        naming the invoice (its ESC/POS bytes as received). One exception, counted apart:
        the cover opened after the last status answer (the kiosk trusts one for 5 s, as
        the worker polls every 2 s), so the receipt went out, the printer held it and
        the kiosk said the rest is held; closing the cover prints it. A retry tapped before
        the status poll saw the cover closed prints nothing more (it printed a second copy
        until 2026-12-03), so the session may not know yet that it is out."""
        receipts = self.rig.printer.receipts
        self.receipts_cut += len(receipts)
        number = data.invoice.number.encode("ascii") if data.invoice else b"-"
        naming = sum(number in receipt for receipt in receipts)
        if naming == (1 if data.printed else 0):
            return
        if not data.printed and printer_fault == "cover":
            self.receipt_check[f"held while the cover was open, printed on closing: "
                               f"{naming} on paper"] += 1
        else:
            self.receipt_check[f"disagree: session printed={data.printed}, "
                               f"{naming} on paper, fault {printer_fault or '-'}"] += 1

    def tally(self, orders: list[Any]) -> tuple[int, int, int]:
        """(lost, duplicated, invoiced) comparing the kiosk's record with the platform's."""
        issuing = self.rig.core.issuing
        with sqlite3.connect(self.env.data / "sandbox.db") as conn:
            at_platform = Counter(r[0] for r in conn.execute(
                "SELECT order_no FROM invoice_orders"))
        lost = duplicated = 0
        for order in orders:
            n = at_platform.get(order.order_no, 0)
            duplicated += n > 1
            known = issuing.find_invoice_for_order(order.order_no) is not None
            lost += n >= 1 and not known or known and n == 0
        return lost, duplicated, sum(1 for o in orders if at_platform.get(o.order_no))


def run(r: Runner) -> dict[str, object]:
    """Run the soak; print and return the closing figures (figure -> value)."""
    total = int(os.environ.get("KIOSK_BENCH_SESSIONS", "10000"))
    seed = int(os.environ.get("KIOSK_BENCH_SEED", "15"))
    kill_every = int(os.environ.get("KIOSK_BENCH_SOAK_KILL_EVERY", "1000"))
    folder = Path(tempfile.mkdtemp(prefix="bench-soak-"))
    data_dir_before = os.environ.get("KIOSK_DATA_DIR")
    soak = Soak(folder, total, seed, int(os.environ.get("KIOSK_BENCH_SOAK_PDF_EVERY", "100")))
    errors = _Errors()
    soak.start()
    logging.getLogger().addHandler(errors)
    try:
        restart_every = min(500, max(total // 3, 2))
        kill_every = min(kill_every, max(total // 3, 2))
        kill_orders = [f"KILL{i:06d}" for i in range(total // kill_every)]
        report = soak.rig.core.orders.import_orders(
            _orders(total) + _orders(len(kill_orders), "KILL"))
        assert not report.refused, report.messages()
        everything = soak.rig.core.orders.list(limit=total + len(kill_orders))
        orders = sorted((o for o in everything if o.order_no.startswith("SOAK")),
                        key=lambda o: o.order_no)
        every = max(total // 10, 1)
        rows: list[list[object]] = []
        base: tuple[float, int, int] | None = None
        print("soak checkpoints: sessions, RSS MB, fds, threads, PDF child RSS MB, ERROR records, "
              "faults",
              flush=True)
        for n, order in enumerate(orders, start=1):
            if n % restart_every == 0:
                soak.restart()
            if n % kill_every == kill_every * 3 // 4:  # away from the graceful restarts
                soak.killed_issue(kill_orders[n // kill_every])
            soak.session(order)
            if n == 10 or n % every == 0 or n == total:
                soak.rig.core.issuing.resolve_pending(force=True)
                gc.collect()
                rss, fds, threads = _rss_mb(), _fds(), threading.active_count()
                if base is None and n >= 10:  # after the first sessions filled the caches
                    base = (rss, fds, threads)
                child = soak.renderer.child_rss_mb()
                rows.append([n, f"{rss:.1f}", f"{rss - base[0]:+.1f}" if base else "-", fds,
                             threads, f"{child:.1f}", errors.count, sum(soak.faults.values())])
                print(f"  {n} {rss:.1f} {fds} {threads} {child:.1f} {errors.count} "
                      f"{dict(sorted(soak.faults.items()))}", flush=True)
        for _ in range(5):  # whatever is still queued or unknown, as the kiosk's timer does
            if not soak.rig.core.issuing.pending():
                break
            soak.rig.core.issuing.resolve_pending(force=True)
        lost, duplicated, invoiced = soak.tally(list(everything))
        r.table(f"soak: {total} walk-in sessions with random faults (seed {seed})",
                ["after sessions", "RSS MB", "growth since 10", "open fds", "threads",
                 "PDF child RSS MB", "ERROR records", "faults so far"], rows)
        closing: list[list[object]] = [
            ["sessions", total],
            ["faults injected", ", ".join(f"{k} {v}" for k, v in sorted(soak.faults.items()))],
            ["screens reached after confirm", ", ".join(
                f"{k} {v}" for k, v in sorted(soak.outcomes.items()))],
            ["orders invoiced at the platform", f"{invoiced} ({total} walk-in, "
             f"{len(kill_orders)} by killed `kiosk issue` processes)"],
            ["kiosk processes SIGKILLed mid-issue", ", ".join(
                f"at {k} {v}" for k, v in sorted(soak.kills_landed.items())) or "-"],
            ["kill point not reached (process finished first)", ", ".join(
                f"{k} {v}" for k, v in sorted(soak.kills_missed.items())) or "-"],
            ["invoice PDFs drawn with the real layout", f"{soak.renderer.rendered} "
             f"(1 in {soak.renderer.every}, in the renderer's child process, its RSS at the "
             f"end {soak.renderer.child_rss_mb():.1f} MB; placeholders for the rest)"],
            ["receipts cut by the printer", soak.receipts_cut],
            ["sessions where \"printed\" and the paper disagree", sum(
                v for k, v in soak.receipt_check.items() if k.startswith("disagree"))],
            ["receipt checks apart from agreement", ", ".join(
                f"{k} {v}" for k, v in sorted(soak.receipt_check.items()) if v) or "-"],
            ["still pending at the end", len(soak.rig.core.issuing.pending())],
            ["invoices lost", lost],
            ["invoices duplicated", duplicated],
            ["sessions not ending on attract", sum(soak.ended_elsewhere.values())],
            ["ERROR log records", errors.count],
            ["first errors", " | ".join(errors.first) or "-"],
        ]
        r.table("soak: closing figures", ["figure", "value"], closing)
        return {str(name): value for name, value in closing}
    finally:
        logging.getLogger().removeHandler(errors)
        soak.rig.close()
        soak.renderer.real.close()
        shutil.rmtree(folder, ignore_errors=True)
        if data_dir_before is None:
            os.environ.pop("KIOSK_DATA_DIR", None)
        else:
            os.environ["KIOSK_DATA_DIR"] = data_dir_before
