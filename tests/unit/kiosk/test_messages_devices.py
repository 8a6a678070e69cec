"""Every problem code a driver can emit has words in both languages (kiosk.messages.devices)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from drivers.problem import Problem
from drivers.scanner.framing import Rejected
from kiosk.messages import CATALOGUE, text_for
from kiosk.messages.devices import MESSAGES

ROOT = Path(__file__).resolve().parents[3]
_EMITTED = re.compile(r"""Problem\.of\(\s*(?:f?)["']([a-z_]+\.[a-z_.]+)["']"""
                      r"""|^\s+code = ["']([a-z_]+\.[a-z_.]+)["']""", re.MULTILINE)


def emitted_codes() -> set[str]:
    codes: set[str] = set()
    sources = [p for p in (ROOT / "drivers").rglob("*.py") if p.name != "problem.py"]
    for path in [*sources, ROOT / "ui" / "wedge.py", ROOT / "kiosk" / "flow" / "adapters.py"]:
        for called, attribute in _EMITTED.findall(path.read_text(encoding="utf-8")):
            codes.add(called or attribute)  # Problem.of("x.y") or an error class's code = "x.y"
    for reason in ("too_long", "missing_prefix", "not_utf8", "control_chars"):
        codes.add(Rejected(reason, b"").problem.code)
    return codes


def test_the_scan_finds_the_drivers_codes() -> None:
    assert {"printer.paper_out", "idcard.no_answer", "camera.no_frames",
            "scanner.needs_qt"} <= emitted_codes()


@pytest.mark.parametrize("code", sorted(emitted_codes()))
def test_every_emitted_code_has_words(code: str) -> None:
    assert code in CATALOGUE
    text = text_for(Problem.of(code))
    assert text.zh and text.en and text.zh != text.en


def test_device_messages_hold_no_unused_code() -> None:
    assert set(MESSAGES) - emitted_codes() == set()


def test_no_driver_writes_a_chinese_sentence() -> None:
    han = re.compile(r"[\u4e00-\u9fff]")
    for path in (ROOT / "drivers").rglob("*.py"):
        if path.name in ("emulated.py", "nations.py", "identity.py", "protocol.py", "reader.py"):
            continue  # card data (names, addresses, nations) and Chinese docstrings
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            code = line.split("#")[0]
            if han.search(code) and ("publish(" in code or "Error(" in code or "Rejected(" in code):
                pytest.fail(f"{path.name}:{number}: a sentence, not a code: {line.strip()}")
