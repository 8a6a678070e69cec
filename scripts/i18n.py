#!/usr/bin/env python3
"""Keep the translation files in step with the screens.

``scripts/i18n.py update``  runs ``pyside6-lupdate -no-obsolete -locations none`` over the screens
(:func:`ui.i18n.sources`) for both languages, fills every new English message with its
source text (the sources are English), compiles both ``.qm`` with ``pyside6-lrelease``
and lists the Chinese messages still to translate (exit 1 if there are any).

``scripts/i18n.py merge``   resolves a git merge conflict in ``assets/i18n/``: it keeps
every translation either side made (ours wins where both translated one message),
re-runs ``update`` on the merged sources and stages the result. Run it from the
repository root while the merge is stopped on the conflict.

No line numbers are kept in the .ts files (they made every merge conflict). Qt ships
no merge for .ts files, and lupdate alone would drop the other side's new
translations: hence this small script.
"""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ui.i18n import I18N, LANGUAGES, sources  # noqa: E402

BIN = Path(sys.executable).parent
Key = tuple[str, str]


def ts_path(lang: str) -> Path:
    return I18N / f"kiosk_{lang}.ts"


def translations(text: str) -> dict[Key, str]:
    """(context, source) -> finished translation, from a .ts file's text."""
    found: dict[Key, str] = {}
    for context in ET.fromstring(text).iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            tr = message.find("translation")
            source = message.findtext("source")
            if tr is None or source is None or tr.get("type") in ("unfinished", "vanished",
                                                                  "obsolete"):
                continue
            if tr.text:
                found[(name, source)] = tr.text
    return found


def fill(path: Path, known: dict[Key, str], *, source_is_translation: bool) -> list[str]:
    """Fill the unfinished messages of ``path`` from ``known`` (or from their source text);
    returns the sources still unfinished."""
    tree = ET.parse(path)
    left: list[str] = []
    for context in tree.getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            tr = message.find("translation")
            source = message.findtext("source") or ""
            if tr is None or tr.get("type") != "unfinished":
                continue
            text = known.get((name, source)) or (source if source_is_translation else None)
            if text is None:
                left.append(f"{name}: {source}")
                continue
            tr.text = text
            del tr.attrib["type"]
    tree.write(path, encoding="utf-8", xml_declaration=True)
    return left


def update(known: dict[str, dict[Key, str]] | None = None) -> list[str]:
    files = [str(p) for p in sources()]
    left: list[str] = []
    for lang in LANGUAGES:
        ts = ts_path(lang)
        subprocess.run([str(BIN / "pyside6-lupdate"), "-no-obsolete", "-locations", "none", *files, "-ts", str(ts)],
                       check=True, capture_output=True)
        missing = fill(ts, (known or {}).get(lang, {}), source_is_translation=lang == "en")
        left += [f"{lang}: {m}" for m in missing]
        subprocess.run([str(BIN / "pyside6-lrelease"), str(ts), "-qm",
                        str(ts.with_suffix(".qm"))], check=True, capture_output=True)
    return left


def _stage(n: int, path: Path) -> str:
    rel = path.relative_to(ROOT).as_posix()
    done = subprocess.run(["git", "show", f":{n}:{rel}"], cwd=ROOT, capture_output=True,
                          text=True)
    return done.stdout if done.returncode == 0 else ""


def merge() -> list[str]:
    known: dict[str, dict[Key, str]] = {}
    for lang in LANGUAGES:
        ts = ts_path(lang)
        ours, theirs = _stage(2, ts), _stage(3, ts)
        if not ours:  # not in conflict: the file as it is
            ours = ts.read_text(encoding="utf-8")
        known[lang] = {**(translations(theirs) if theirs else {}), **translations(ours)}
        ts.write_text(ours, encoding="utf-8")
    left = update(known)
    for lang in LANGUAGES:
        subprocess.run(["git", "add", str(ts_path(lang)), str(ts_path(lang).with_suffix(".qm"))],
                       cwd=ROOT, check=True)
    return left


def main(argv: list[str]) -> int:
    if argv[1:] not in (["update"], ["merge"]):
        print(__doc__)
        return 2
    left = merge() if argv[1] == "merge" else update()
    for line in left:
        print("to translate:", line)
    return 1 if left else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
