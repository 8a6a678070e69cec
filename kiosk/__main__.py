"""``python -m kiosk``: the same entry point as the ``kiosk`` console script.

The one module of ``kiosk`` that imports ``app`` (see :mod:`app` for why): the
whole command line, ``kiosk run`` included, lives behind :func:`app.cli.main`.
"""

import sys

from app.cli import main

sys.exit(main())
