"""The process entry point: ``kiosk`` (console script) and ``python -m kiosk``.

:func:`kiosk.cli.main` owns the command line; this adds the subcommands that need
the composition root (``kiosk run``), which ``kiosk`` itself may not import.
"""

from __future__ import annotations

import sys

from app import run
from kiosk.cli import main as kiosk_main


def main(argv: list[str] | None = None) -> int:
    """Run the ``kiosk`` command line with every subcommand, ``run`` included."""
    return kiosk_main(argv, extra_commands=(run.register,))


if __name__ == "__main__":
    sys.exit(main())
