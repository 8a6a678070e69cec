"""The layer rule, enforced on the source: imports run one way, app -> ui -> kiosk -> drivers.

Every module of ``drivers``, ``kiosk``, ``ui`` and ``app`` is parsed (AST, so imports
inside functions and under ``TYPE_CHECKING`` count too) and each import is checked:

- ``drivers`` imports neither ``kiosk``, ``ui``, ``app`` nor ``PySide6``;
- ``kiosk`` imports neither ``ui``, ``app`` nor ``PySide6``;
- ``ui`` does not import ``app``.

Two kinds of known exception, each listed with its reason:

- :data:`ENTRY_POINTS`: ``python -m kiosk`` must start the whole kiosk, so
  ``kiosk/__main__.py`` hands over to :mod:`app.cli` (the documented entry point; see
  :mod:`app`). It is the only module of ``kiosk`` allowed to name ``app``.
- :data:`PENDING`: imports being removed on another branch right now (the device
  contract work takes Qt out of the camera and the wedge scanner). The integrator
  deletes these entries after merging it; a listed import that is gone fails the test,
  so the list cannot go stale.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

FORBIDDEN: dict[str, frozenset[str]] = {
    "drivers": frozenset({"kiosk", "ui", "app", "PySide6"}),
    "kiosk": frozenset({"ui", "app", "PySide6"}),
    "ui": frozenset({"app"}),
    "app": frozenset(),
}

ENTRY_POINTS: dict[str, frozenset[str]] = {
    "kiosk/__main__.py": frozenset({"app"}),
}

PENDING: dict[str, frozenset[str]] = {}  # none left: drivers import no Qt (issue 10)


def imported_packages(path: Path) -> set[str]:
    """The top-level names of every absolute import in ``path`` (anywhere in the file)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return found


def modules(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


def test_every_layer_has_modules() -> None:
    for package in FORBIDDEN:
        assert modules(package), f"no modules found under {package}/"


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_imports_run_one_way(package: str) -> None:
    broken: list[str] = []
    for path in modules(package):
        rel = path.relative_to(ROOT).as_posix()
        allowed = ENTRY_POINTS.get(rel, frozenset()) | PENDING.get(rel, frozenset())
        bad = (imported_packages(path) & FORBIDDEN[package]) - allowed
        broken += [f"{rel} imports {name}" for name in sorted(bad)]
    assert not broken, "layer rule broken:\n" + "\n".join(broken)


@pytest.mark.parametrize("rel, names", sorted({**ENTRY_POINTS, **PENDING}.items()))
def test_exceptions_are_still_needed(rel: str, names: frozenset[str]) -> None:
    path = ROOT / rel
    present = imported_packages(path) if path.exists() else set()
    stale = names - present
    assert not stale, f"{rel} no longer imports {sorted(stale)}: remove its exception"


def test_the_checker_sees_imports_inside_functions(tmp_path: Path) -> None:
    source = tmp_path / "m.py"
    source.write_text("from typing import TYPE_CHECKING\n"
                      "if TYPE_CHECKING:\n    import ui.theme\n"
                      "def f():\n    from PySide6.QtCore import QTimer\n"
                      "    from . import sibling\n")
    assert imported_packages(source) == {"typing", "ui", "PySide6"}
