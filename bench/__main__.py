"""``python -m bench [NAME...]``: run benchmarks (all when none is named).

Each NAME is a module ``bench/bench_NAME.py`` with ``run(runner)``.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
from pathlib import Path

from bench.runner import Runner


def available() -> list[str]:
    here = Path(__file__).parent
    return sorted(m.name[6:] for m in pkgutil.iter_modules([str(here)]) if m.name.startswith("bench_"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("names", nargs="*", help=f"benchmarks to run (default all: {', '.join(available())})")
    parser.add_argument("--rounds", type=int, default=None, help="override each comparison's rounds")
    args = parser.parse_args(argv)
    names = args.names or available()
    unknown = [n for n in names if n not in available()]
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(unknown)}; available: {', '.join(available())}")
    runner = Runner(rounds=args.rounds)
    for name in names:
        print(f"\n# bench {name}")
        importlib.import_module(f"bench.bench_{name}").run(runner)
    return 0


if __name__ == "__main__":
    sys.exit(main())
